//! `cargo xtask frontend`: the real openIMIS frontend (the published `@openimis/fe-*` packages,
//! pinned by frontend/package-lock.json) installed with `npm ci` and built into frontend/build,
//! which the server serves at /front/ when FRONTEND_DIR points there.

use crate::shell::{check, root};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// The sources of the shell; a build older than any of them is stale.
const SOURCES: &[&str] = &[
    "package.json",
    "package-lock.json",
    "index.html",
    "vite.config.js",
    "src",
];

pub fn dir() -> PathBuf {
    root().join("frontend")
}

/// Where the built frontend lands (gitignored).
pub fn build_dir() -> PathBuf {
    dir().join("build")
}

/// `cargo xtask frontend`: always installs from the lock file and rebuilds.
pub fn build() -> Result<PathBuf> {
    npm_ci(&dir())?;
    check(npm(&dir()).args(["run", "build"]))?;
    let index = build_dir().join("index.html");
    if !index.is_file() {
        bail!("the frontend build wrote no {}", index.display());
    }
    println!("frontend built into {}", build_dir().display());
    Ok(build_dir())
}

/// The built frontend, building it first when it is missing or older than its sources.
pub fn ensure_built() -> Result<PathBuf> {
    let index = build_dir().join("index.html");
    let built_at = modified(&index);
    let newest_source = SOURCES
        .iter()
        .filter_map(|source| newest(&dir().join(source)))
        .max();
    match (built_at, newest_source) {
        (Some(built), Some(source)) if built >= source => Ok(build_dir()),
        _ => build(),
    }
}

/// `npm ci` in `dir`: exactly the lock file's packages, from the npm registry only.
pub fn npm_ci(dir: &Path) -> Result<()> {
    check(npm(dir).args(["ci", "--no-audit", "--no-fund"]))
        .with_context(|| format!("installing {} (is node 20 + npm installed?)", dir.display()))
}

pub fn npm(dir: &Path) -> Command {
    let mut cmd = Command::new("npm");
    cmd.current_dir(dir);
    cmd
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// The newest modification time of a file, or of any file below a directory.
fn newest(path: &Path) -> Option<SystemTime> {
    if !path.is_dir() {
        return modified(path);
    }
    std::fs::read_dir(path)
        .ok()?
        .filter_map(|entry| entry.ok())
        .filter_map(|entry| newest(&entry.path()))
        .max()
}
