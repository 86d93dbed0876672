//! `openimis extract-translations`: every module's message catalogues (`locale/<lang>.json` in
//! its sources) merged into one `<out>/<lang>.json` per language. Later modules override earlier
//! ones, as the original's command does.

use super::{error, DevResult};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What was written: per language, the file and its number of keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    pub languages: BTreeMap<String, (PathBuf, usize)>,
    /// Source directories without a `locale/` folder.
    pub without_catalogues: Vec<PathBuf>,
}

/// Merges the catalogues of `sources` (module source directories, in order) into `out`.
pub fn extract(sources: &[PathBuf], out: &Path) -> DevResult<Extracted> {
    let mut merged: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut without_catalogues = Vec::new();
    for source in sources {
        if !source.is_dir() {
            return Err(error(
                "MODULE_NOT_FOUND",
                format!("{} is not a directory", source.display()),
            ));
        }
        let catalogues = catalogues(&source.join("locale"))?;
        if catalogues.is_empty() {
            without_catalogues.push(source.clone());
        }
        for (language, entries) in catalogues {
            merged.entry(language).or_default().extend(entries);
        }
    }
    std::fs::create_dir_all(out)
        .map_err(|e| error("WRITE_FAILED", format!("{}: {e}", out.display())))?;
    let mut languages = BTreeMap::new();
    for (language, entries) in merged {
        let path = out.join(format!("{language}.json"));
        let text = serde_json::to_string_pretty(&entries).expect("JSON serializes");
        std::fs::write(&path, text + "\n")
            .map_err(|e| error("WRITE_FAILED", format!("{}: {e}", path.display())))?;
        languages.insert(language, (path, entries.len()));
    }
    Ok(Extracted {
        languages,
        without_catalogues,
    })
}

/// The source directory of module `name` under `root`: `<root>/<name>`,
/// `<root>/openimis-be-<name>` or `<root>/<library>`.
pub fn module_sources(root: &Path, name: &str, library: &str) -> Option<PathBuf> {
    [
        name.to_owned(),
        super::names::default_crate_name(name),
        library.to_owned(),
    ]
    .iter()
    .map(|c| root.join(c))
    .find(|dir| dir.is_dir())
}

/// `locale/*.json` of one module, by language (the file stem).
fn catalogues(dir: &Path) -> DevResult<BTreeMap<String, BTreeMap<String, String>>> {
    let mut out = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Ok(out);
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    for file in files {
        let language = file
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let text = std::fs::read_to_string(&file)
            .map_err(|e| error("CATALOGUE_INVALID", format!("{}: {e}", file.display())))?;
        let value: Value = serde_json::from_str(&text)
            .map_err(|e| error("CATALOGUE_INVALID", format!("{}: {e}", file.display())))?;
        let object = value.as_object().ok_or_else(|| {
            error(
                "CATALOGUE_INVALID",
                format!("{}: expected an object of message keys", file.display()),
            )
        })?;
        let mut entries = BTreeMap::new();
        for (key, message) in object {
            let text = message.as_str().ok_or_else(|| {
                error(
                    "CATALOGUE_INVALID",
                    format!("{}: the message of `{key}` is not a string", file.display()),
                )
            })?;
            entries.insert(key.clone(), text.to_owned());
        }
        out.insert(language, entries);
    }
    Ok(out)
}
