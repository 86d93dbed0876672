//! `openimis extract-translations`: every module's message catalogues merged into one
//! `<out>/<lang>.json` per language, later modules overriding earlier ones, as the original's
//! command does. A module's catalogues are its sources' `translations/<lang>.json`, or, for an
//! installed library, the same files as its manifest embeds them (what the host serves).

use super::{error, DevResult};
use openimis_plugin_api::module::translations::{self as sdk, Catalogues};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// What was written: per language, the file and its number of keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    pub languages: BTreeMap<String, (PathBuf, usize)>,
    /// Sources and libraries without catalogues.
    pub without_catalogues: Vec<PathBuf>,
}

/// Merges the catalogues of `sources` (module source directories or library files, in order)
/// into `out`.
pub fn extract(sources: &[PathBuf], out: &Path) -> DevResult<Extracted> {
    let mut merged: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut without_catalogues = Vec::new();
    for source in sources {
        let catalogues = if source.is_dir() {
            catalogues(&source.join("translations"))?
        } else if source.is_file() {
            library_catalogues(source)?
        } else {
            return Err(error(
                "MODULE_NOT_FOUND",
                format!(
                    "{} is neither a module's sources nor a library",
                    source.display()
                ),
            ));
        };
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

/// The catalogues an installed library's manifest declares.
fn library_catalogues(library: &Path) -> DevResult<Catalogues> {
    let manifest = crate::loader::inspect(library).map_err(|p| {
        error(
            "NOT_A_MODULE",
            format!("{}: {}", library.display(), p.message),
        )
    })?;
    Ok(manifest.translations)
}

/// `translations/*.json` of one module's sources, by language (the file stem).
fn catalogues(dir: &Path) -> DevResult<Catalogues> {
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
        // The module's directory, then the SDK's `translations/<lang>.json: what is wrong`.
        let entries = sdk::parse(&language, &text).map_err(|e| {
            let module = dir.parent().unwrap_or(dir);
            error("CATALOGUE_INVALID", format!("{}: {e}", module.display()))
        })?;
        out.insert(language, entries);
    }
    Ok(out)
}
