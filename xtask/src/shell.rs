//! The workspace root and running commands in it (a leaf: tasks, frontend and bench use it).

use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask is in the workspace")
        .to_path_buf()
}

/// Cargo's target directory: `CARGO_TARGET_DIR` when set (relative to the workspace root),
/// else `<root>/target`.
pub fn target_dir() -> PathBuf {
    target_dir_of(std::env::var_os("CARGO_TARGET_DIR"), &root())
}

fn target_dir_of(variable: Option<std::ffi::OsString>, root: &Path) -> PathBuf {
    match variable.filter(|v| !v.is_empty()) {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

pub fn cargo() -> Command {
    let mut cmd = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()));
    cmd.current_dir(root());
    cmd
}

pub fn check(cmd: &mut Command) -> Result<()> {
    let status = cmd.status().with_context(|| format!("running {cmd:?}"))?;
    if !status.success() {
        bail!("{cmd:?} failed with {status}");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_dir_follows_cargo_target_dir() {
        let root = Path::new("/w");
        assert_eq!(target_dir_of(None, root), Path::new("/w/target"));
        assert_eq!(target_dir_of(Some("".into()), root), Path::new("/w/target"));
        assert_eq!(target_dir_of(Some("/t".into()), root), Path::new("/t"));
        assert_eq!(target_dir_of(Some("out".into()), root), Path::new("/w/out"));
    }
}
