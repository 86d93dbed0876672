//! Running cargo for the devtools: release builds that report the module library they produced,
//! and installing that library into `MODULES_DIR`.

use super::{conf, error, DevResult};
use crate::loader;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The `cargo` to run: `$CARGO` when set (under cargo), else `cargo` on the PATH.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Builds the crate at `dir` in release; answers the `cdylib` it produced.
pub fn build_release(dir: &Path) -> DevResult<PathBuf> {
    let manifest = dir.join("Cargo.toml");
    if !manifest.is_file() {
        return Err(error(
            "NOT_A_MODULE",
            format!("{} has no Cargo.toml", dir.display()),
        ));
    }
    let manifest = manifest
        .canonicalize()
        .map_err(|e| error("NOT_A_MODULE", format!("{}: {e}", manifest.display())))?;
    let output = cargo()
        .args([
            "build",
            "--release",
            "--lib",
            "--message-format=json-render-diagnostics",
        ])
        .arg("--manifest-path")
        .arg(&manifest)
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| error("BUILD_FAILED", format!("cannot run cargo: {e}")))?;
    if !output.status.success() {
        return Err(error(
            "BUILD_FAILED",
            format!(
                "`cargo build --release` failed in {} (see cargo's messages above)",
                dir.display()
            ),
        ));
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|m| m["reason"] == "compiler-artifact")
        .filter(|m| m["manifest_path"].as_str().map(Path::new) == Some(manifest.as_path()))
        .filter(|m| {
            m["target"]["crate_types"]
                .as_array()
                .is_some_and(|t| t.iter().any(|k| k == "cdylib"))
        })
        .flat_map(|m| m["filenames"].as_array().cloned().unwrap_or_default())
        .filter_map(|f| f.as_str().map(PathBuf::from))
        .find(|f| f.to_string_lossy().ends_with(std::env::consts::DLL_SUFFIX))
        .ok_or_else(|| {
            error(
                "NOT_A_MODULE",
                format!(
                    "{} built no dynamic library: its [lib] needs crate-type = [\"cdylib\", ...]",
                    dir.display()
                ),
            )
        })
}

/// What an installation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    /// The logical name, read from the library's manifest.
    pub name: String,
    /// The library stem `openimis.json` now points at.
    pub library: String,
    pub version: String,
    pub path: PathBuf,
    /// Whether an existing `openimis.json` entry was updated (rather than added).
    pub updated: bool,
}

/// Copies `library` into `modules_dir`, reads its manifest and points `conf` at it.
pub fn install_library(
    library: &Path,
    modules_dir: &Path,
    conf_path: &Path,
) -> DevResult<Installed> {
    let file_name = library
        .file_name()
        .ok_or_else(|| error("NOT_A_MODULE", format!("{} is no file", library.display())))?;
    std::fs::create_dir_all(modules_dir)
        .map_err(|e| error("WRITE_FAILED", format!("{}: {e}", modules_dir.display())))?;
    let target = modules_dir.join(file_name);
    // Replace, never overwrite in place: a running server may have the old file mapped.
    let _ = std::fs::remove_file(&target);
    std::fs::copy(library, &target).map_err(|e| {
        error(
            "WRITE_FAILED",
            format!("copying to {}: {e}", target.display()),
        )
    })?;
    let manifest = loader::inspect(&target).map_err(|p| p.to_string())?;
    let stem = file_name
        .to_string_lossy()
        .strip_prefix(std::env::consts::DLL_PREFIX)
        .unwrap_or_default()
        .strip_suffix(std::env::consts::DLL_SUFFIX)
        .unwrap_or_default()
        .to_owned();
    let updated = conf::point_at(conf_path, &manifest.name, &stem)?;
    Ok(Installed {
        name: manifest.name,
        library: stem,
        version: manifest.version,
        path: target,
        updated,
    })
}
