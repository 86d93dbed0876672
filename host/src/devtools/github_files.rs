//! `openimis add-github-files <module path>`: `.gitignore` and the CI workflows for an existing
//! module crate. Files that exist already are kept.

use super::create_module::module_context;
use super::names::ModuleNames;
use super::template;
use super::{error, DevResult};
use std::path::Path;

/// What was written and what was kept.
#[derive(Debug)]
pub struct Added {
    pub written: Vec<String>,
    pub kept: Vec<String>,
}

/// Adds the GitHub files to the module crate at `dir`.
pub fn add(dir: &Path) -> DevResult<Added> {
    let manifest_path = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest_path).map_err(|e| {
        error(
            "NOT_A_MODULE",
            format!("{} is not a crate: {e}", manifest_path.display()),
        )
    })?;
    let manifest: toml::Table = text
        .parse()
        .map_err(|e| error("NOT_A_MODULE", format!("{}: {e}", manifest_path.display())))?;
    let crate_name = manifest
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(toml::Value::as_str)
        .ok_or_else(|| {
            error(
                "NOT_A_MODULE",
                format!("{} has no [package] name", manifest_path.display()),
            )
        })?;
    let lib = manifest
        .get("lib")
        .and_then(|l| l.get("name"))
        .and_then(toml::Value::as_str)
        .map_or_else(|| crate_name.replace('-', "_"), str::to_owned);
    let mut names = ModuleNames::new(lib.strip_prefix("openimis_be_").unwrap_or(&lib))?;
    names.lib = lib;
    names.crate_name = crate_name.to_owned();
    let context = module_context(&names);
    let (written, kept) = template::write_files(dir, template::GITHUB_FILES, &context, false)
        .map_err(|e| {
            error(
                "WRITE_FAILED",
                format!("writing into {}: {e}", dir.display()),
            )
        })?;
    Ok(Added { written, kept })
}
