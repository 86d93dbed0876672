//! Parsing `openimis.json`: `{"modules": [{"name", "library"?, "required"?, "config"?}]}`.
//! The original's `pip` key is accepted and ignored, so an existing file parses unchanged.

use crate::problems::{Code, Problem};
use serde::Deserialize;
use serde_json::Value;

/// One line of `openimis.json`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ModuleEntry {
    /// The logical name (`location`).
    pub name: String,
    /// The library file stem (`location_dhis2`); defaults to the name with `-` as `_`.
    #[serde(default)]
    pub library: Option<String>,
    /// A required module that fails stops startup; an optional one is disabled. Default: true.
    #[serde(default = "yes")]
    pub required: bool,
    /// Handed to the module's `init` as JSON.
    #[serde(default = "empty_object")]
    pub config: Value,
    /// The original's pip requirement; kept for compatibility, unused.
    #[serde(default)]
    pub pip: Option<String>,
}

fn yes() -> bool {
    true
}

fn empty_object() -> Value {
    Value::Object(Default::default())
}

impl ModuleEntry {
    pub fn named(name: &str) -> Self {
        Self {
            name: name.into(),
            library: None,
            required: true,
            config: empty_object(),
            pip: None,
        }
    }

    /// The library file stem to look for.
    pub fn library_stem(&self) -> String {
        self.library
            .clone()
            .unwrap_or_else(|| self.name.replace('-', "_"))
    }
}

/// The whole file.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ModulesFile {
    pub modules: Vec<ModuleEntry>,
}

impl ModulesFile {
    /// Parses the text; every structural problem is reported, with `source` naming the file.
    pub fn parse(text: &str, source: &str) -> Result<Self, Vec<Problem>> {
        let file: ModulesFile = serde_json::from_str(text).map_err(|e| {
            vec![Problem::new(
                Code::ConfigInvalid,
                None,
                format!("{source}: {e} (expected {{\"modules\": [{{\"name\": ...}}]}})"),
            )]
        })?;
        let mut problems = Vec::new();
        for (i, entry) in file.modules.iter().enumerate() {
            if entry.name.trim().is_empty() {
                problems.push(Problem::new(
                    Code::ConfigInvalid,
                    None,
                    format!("{source}: modules[{i}] has an empty name"),
                ));
            }
            if !entry.config.is_object() {
                problems.push(Problem::for_module(
                    Code::ConfigInvalid,
                    &entry.name,
                    format!("{source}: `config` must be an object"),
                ));
            }
            if let Some(lib) = &entry.library {
                if lib.is_empty() || lib.contains(['/', '\\']) {
                    problems.push(Problem::for_module(
                        Code::ConfigInvalid,
                        &entry.name,
                        format!("{source}: `library` must be a file stem, got {lib:?}"),
                    ));
                }
            }
        }
        if problems.is_empty() {
            Ok(file)
        } else {
            Err(problems)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_original_format_and_ours() {
        let file = ModulesFile::parse(
            r#"{"modules": [{"name": "core", "pip": "openimis-be-core==1.11"},
                {"name": "location", "library": "location_dhis2", "required": false, "config": {"url": "x"}}]}"#,
            "openimis.json",
        )
        .unwrap();
        assert_eq!(file.modules[0].library_stem(), "core");
        assert!(file.modules[0].required);
        assert_eq!(file.modules[1].library_stem(), "location_dhis2");
        assert!(!file.modules[1].required);
    }

    #[test]
    fn broken_json_names_the_file_and_position() {
        let err = ModulesFile::parse("{\"modules\": [", "conf/openimis.json").unwrap_err();
        assert_eq!(err[0].code, Code::ConfigInvalid);
        assert!(
            err[0]
                .message
                .starts_with("conf/openimis.json: EOF while parsing"),
            "{}",
            err[0].message
        );
    }

    #[test]
    fn every_bad_entry_is_reported() {
        let err = ModulesFile::parse(
            r#"{"modules": [{"name": ""}, {"name": "a", "config": 3}, {"name": "b", "library": "../x"}]}"#,
            "f",
        )
        .unwrap_err();
        assert_eq!(err.len(), 3);
    }
}
