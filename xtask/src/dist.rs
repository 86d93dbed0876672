//! `cargo xtask dist`: the binary, the modules, openimis.json and the packaged plugin-api and
//! SDK crates (so `openimis create-module` builds modules without the host's sources), as a
//! directory and a tarball.

use crate::tasks::{cargo, check, library_file, plugins, root, target_dir};
use anyhow::{bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The crates a module author builds against, packaged into `<dist>/crates/<name>-<version>/`.
pub const CRATES: &[&str] = &["openimis-plugin-api", "openimis-sdk"];

const USAGE: &str = "usage: cargo xtask dist [--debug] [--out <dir>]
  --debug      the debug binaries (built if needed) instead of a release build: quick, for tests
  --out <dir>  where the directory and tarball go (default: dist/)";

/// `cargo xtask dist [--debug] [--out <dir>]`.
pub fn run(args: &[String]) -> Result<()> {
    let mut debug = false;
    let mut out = root().join("dist");
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--debug" => debug = true,
            "--out" => match args.next() {
                Some(dir) => out = root().join(dir),
                None => bail!("--out needs a directory\n{USAGE}"),
            },
            other => bail!("unknown dist option `{other}`\n{USAGE}"),
        }
    }
    let tarball = dist(debug, &out)?;
    println!("{}", tarball.display());
    Ok(())
}

/// Builds (release, or debug with `debug`) and lays out `<out>/openimis-<version>-<arch>[-debug]/`,
/// then packs it next to itself; answers the tarball's path.
pub fn dist(debug: bool, out: &Path) -> Result<PathBuf> {
    let libraries: Vec<String> = plugins()?
        .iter()
        .map(|p| library_file(&p.library))
        .collect();
    let (binary, modules_dir) = if debug {
        let mut cmd = cargo();
        cmd.args(["build", "-p", "openimis-host"]);
        for plugin in plugins()? {
            cmd.args(["-p", &plugin.package]);
        }
        check(&mut cmd)?;
        (
            target_dir().join("debug/openimis"),
            target_dir().join("debug"),
        )
    } else {
        (crate::tasks::build()?, root().join("modules"))
    };
    let version = env!("CARGO_PKG_VERSION");
    let suffix = if debug { "-debug" } else { "" };
    let name = format!("openimis-{version}-{}{suffix}", std::env::consts::ARCH);
    let dir = out.join(&name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("modules"))
        .with_context(|| format!("creating {}", dir.display()))?;
    copy(&binary, &dir.join("openimis"))?;
    for library in &libraries {
        copy(
            &modules_dir.join(library),
            &dir.join("modules").join(library),
        )?;
    }
    for file in ["openimis.json", ".env.example", "README.md"] {
        copy(&root().join(file), &dir.join(file))?;
    }
    package_crates(&dir.join("crates"))?;
    let tarball = out.join(format!("{name}.tar.gz"));
    check(
        Command::new("tar")
            .current_dir(out)
            .arg("czf")
            .arg(&tarball)
            .arg(&name),
    )?;
    Ok(tarball)
}

/// `cargo package`s the [`CRATES`] (sources only, no build) and unpacks them into `into`.
fn package_crates(into: &Path) -> Result<()> {
    let mut cmd = cargo();
    cmd.args(["package", "--quiet", "--no-verify", "--allow-dirty"]);
    for name in CRATES {
        cmd.args(["-p", name]);
    }
    check(&mut cmd)?;
    std::fs::create_dir_all(into)?;
    for name in CRATES {
        let version = package_version(name)?;
        let file = target_dir()
            .join("package")
            .join(format!("{name}-{version}.crate"));
        check(
            Command::new("tar")
                .arg("xzf")
                .arg(&file)
                .arg("-C")
                .arg(into),
        )?;
        // What cargo puts in a package, not what a module author builds with.
        let _ = std::fs::remove_file(into.join(format!("{name}-{version}/.cargo_vcs_info.json")));
    }
    Ok(())
}

/// The version of workspace package `name`, from `cargo metadata`.
fn package_version(name: &str) -> Result<String> {
    let out = cargo()
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .output()
        .context("running cargo metadata")?;
    if !out.status.success() {
        bail!(
            "cargo metadata failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == *name)
        .and_then(|p| p["version"].as_str())
        .map(str::to_owned)
        .with_context(|| format!("no workspace package {name}"))
}

/// Copies a file, naming both ends on failure.
fn copy(from: &Path, to: &Path) -> Result<()> {
    std::fs::copy(from, to)
        .map(drop)
        .with_context(|| format!("copying {} to {}", from.display(), to.display()))
}
