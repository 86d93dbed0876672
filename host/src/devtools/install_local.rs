//! `openimis install-module-locally <name|all>`: clone a module's repository (or use its local
//! sources), build it in release, install the library into `MODULES_DIR` and point
//! `openimis.json` at it.

use super::cargo::{build_release, install_library, Installed};
use super::names::default_crate_name;
use super::{conf, error, DevResult};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Where a module's sources come from.
#[derive(Debug, Clone, Default)]
pub struct Source {
    /// A git URL (or local path) to clone; `{name}` is replaced by the module name.
    pub url: Option<String>,
    pub branch: Option<String>,
    /// The module's source directory; for `all`, the directory holding one per module.
    pub path: Option<PathBuf>,
    /// Where clones go (`<checkouts>/<name>`).
    pub checkouts: PathBuf,
}

/// Where the installation goes.
#[derive(Debug, Clone)]
pub struct Target {
    pub modules_dir: PathBuf,
    pub conf: PathBuf,
}

/// Installs `name`, or every module `openimis.json` lists when `name` is `all`; `done` hears
/// of each installation as it happens, even when another module of `all` fails.
pub fn run(
    name: &str,
    source: &Source,
    target: &Target,
    done: &mut dyn FnMut(&Installed),
) -> DevResult<Vec<Installed>> {
    if name != "all" {
        let installed = install_one(name, source, false, target)?;
        done(&installed);
        return Ok(vec![installed]);
    }
    let names = conf::listed_names(&target.conf)?;
    let (mut installed, mut failures) = (Vec::new(), Vec::new());
    for name in &names {
        match install_one(name, source, true, target) {
            Ok(one) => {
                done(&one);
                installed.push(one);
            }
            Err(e) => failures.push(format!("{name}: {e}")),
        }
    }
    if failures.is_empty() {
        Ok(installed)
    } else {
        Err(error(
            "INSTALL_FAILED",
            format!(
                "{} of {} module(s) failed:\n  {}",
                failures.len(),
                names.len(),
                failures.join("\n  ")
            ),
        ))
    }
}

fn install_one(name: &str, source: &Source, many: bool, target: &Target) -> DevResult<Installed> {
    let dir = sources(name, source, many)?;
    let library = build_release(&dir)?;
    install_library(&library, &target.modules_dir, &target.conf)
}

/// The module's source directory: cloned or updated from the URL, or found under the path.
fn sources(name: &str, source: &Source, many: bool) -> DevResult<PathBuf> {
    match (&source.url, &source.path) {
        (Some(url), _) => checkout(&url.replace("{name}", name), source.branch.as_deref(), &source.checkouts.join(name)),
        (None, Some(path)) if !many => Ok(path.clone()),
        (None, Some(path)) => {
            let candidates = [name.to_owned(), default_crate_name(name), name.replace('-', "_")];
            candidates
                .iter()
                .map(|c| path.join(c))
                .find(|dir| dir.join("Cargo.toml").is_file())
                .ok_or_else(|| {
                    error(
                        "MODULE_NOT_FOUND",
                        format!("no sources for `{name}` under {} (looked for {})", path.display(), candidates.join(", ")),
                    )
                })
        }
        (None, None) => Err(error(
            "INVALID_ARGUMENT",
            format!("say where `{name}` comes from: --url <git URL> (may contain {{name}}) or --path <source directory>"),
        )),
    }
}

/// Clones `url` into `dir`, or fetches and checks out when `dir` is a clone already.
fn checkout(url: &str, branch: Option<&str>, dir: &Path) -> DevResult<PathBuf> {
    if dir.join(".git").exists() {
        git(
            Command::new("git").arg("-C").arg(dir).args([
                "fetch",
                "--depth",
                "1",
                "origin",
                branch.unwrap_or("HEAD"),
            ]),
            url,
        )?;
        git(
            Command::new("git")
                .arg("-C")
                .arg(dir)
                .args(["checkout", "--detach", "FETCH_HEAD"]),
            url,
        )?;
    } else {
        if let Some(parent) = dir.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| error("WRITE_FAILED", format!("{}: {e}", parent.display())))?;
        }
        let mut clone = Command::new("git");
        clone.args(["clone", "--depth", "1"]);
        if let Some(branch) = branch {
            clone.args(["--branch", branch]);
        }
        git(clone.arg(url).arg(dir), url)?;
    }
    Ok(dir.to_path_buf())
}

fn git(command: &mut Command, url: &str) -> DevResult<()> {
    let output = command
        .output()
        .map_err(|e| error("GIT_FAILED", format!("cannot run git: {e}")))?;
    if output.status.success() {
        return Ok(());
    }
    Err(error(
        "GIT_FAILED",
        format!("{url}: {}", String::from_utf8_lossy(&output.stderr).trim()),
    ))
}
