//! The names a module goes by: logical name, library stem, crate name, GraphQL type prefixes.

use super::{error, DevResult};

/// Every name derived from the logical name a module author gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleNames {
    /// The logical name (`claim_batch`): `openimis.json`'s `name`.
    pub name: String,
    /// The library stem (`claim_batch`): `lib<stem>.so`, the name with `-` as `_`.
    pub lib: String,
    /// The crate name (`openimis-be-claim-batch`), as the original's `openimis-be-<name>`.
    pub crate_name: String,
    /// `ClaimBatch`: the prefix of the module's GraphQL types.
    pub pascal: String,
    /// `claimBatch`: the prefix of its root fields.
    pub camel: String,
}

impl ModuleNames {
    /// Checks `name` (a lowercase letter, then lowercase letters, digits, `_` or `-`).
    pub fn new(name: &str) -> DevResult<Self> {
        let valid = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '-');
        if !valid {
            return Err(error(
                "INVALID_NAME",
                format!("`{name}` is not a module name: use a lowercase letter, then lowercase letters, digits, `_` or `-` (e.g. `claim_batch`)"),
            ));
        }
        let words: Vec<&str> = name.split(['_', '-']).filter(|w| !w.is_empty()).collect();
        let pascal: String = words.iter().map(|w| capitalize(w)).collect();
        let camel = words
            .iter()
            .enumerate()
            .map(|(i, w)| {
                if i == 0 {
                    (*w).to_owned()
                } else {
                    capitalize(w)
                }
            })
            .collect();
        Ok(Self {
            name: name.to_owned(),
            lib: name.replace('-', "_"),
            crate_name: default_crate_name(name),
            pascal,
            camel,
        })
    }
}

/// The crate a module named `name` is published as: `openimis-be-<name>`, `_` as `-`.
pub fn default_crate_name(name: &str) -> String {
    format!("openimis-be-{}", name.replace('_', "-"))
}

fn capitalize(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_ascii_uppercase().to_string() + chars.as_str()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derives_every_name() {
        let names = ModuleNames::new("claim_batch-x2").unwrap();
        assert_eq!(names.lib, "claim_batch_x2");
        assert_eq!(names.crate_name, "openimis-be-claim-batch-x2");
        assert_eq!(names.pascal, "ClaimBatchX2");
        assert_eq!(names.camel, "claimBatchX2");
    }

    #[test]
    fn refuses_names_that_are_no_identifiers() {
        for bad in ["", "Claim", "1claim", "claim batch", "claim.batch"] {
            let e = ModuleNames::new(bad).unwrap_err();
            assert!(e.starts_with("error [INVALID_NAME]"), "{e}");
        }
    }
}
