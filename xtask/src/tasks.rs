//! build, run and test (dist: dist.rs).

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

pub use crate::shell::{cargo, check, root, target_dir};

/// A module crate under `plugins/`: its package (for `cargo -p`) and library file stem.
pub struct Plugin {
    pub package: String,
    pub library: String,
}

/// The module crates under `plugins/`, with the library name from `[lib] name` when set (core's
/// library is `core`, so an existing `{"name": "core"}` in openimis.json finds it).
pub fn plugins() -> Result<Vec<Plugin>> {
    let mut out = Vec::new();
    for package in plugin_crates()? {
        let manifest = root()
            .join("plugins")
            .join(package_dir(&package)?)
            .join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest)?;
        let library = text
            .split("[lib]")
            .nth(1)
            .and_then(|lib| {
                lib.lines()
                    .take_while(|l| !l.trim_start().starts_with('['))
                    .find_map(|l| l.trim().strip_prefix("name = "))
            })
            .map(|v| v.trim_matches('"').to_owned())
            .unwrap_or_else(|| package.replace('-', "_"));
        out.push(Plugin { package, library });
    }
    Ok(out)
}

fn package_dir(package: &str) -> Result<String> {
    for entry in std::fs::read_dir(root().join("plugins"))? {
        let entry = entry?;
        let text = std::fs::read_to_string(entry.path().join("Cargo.toml")).unwrap_or_default();
        if text
            .lines()
            .any(|l| l.trim() == format!("name = \"{package}\""))
        {
            return Ok(entry.file_name().to_string_lossy().into_owned());
        }
    }
    anyhow::bail!("no plugins/ crate named {package}")
}

/// The package names of the module crates under `plugins/`.
pub fn plugin_crates() -> Result<Vec<String>> {
    let mut names = Vec::new();
    let dir = root().join("plugins");
    if !dir.is_dir() {
        return Ok(names);
    }
    let mut entries: Vec<_> = std::fs::read_dir(&dir)?.collect::<Result<_, _>>()?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let manifest = entry.path().join("Cargo.toml");
        if let Ok(text) = std::fs::read_to_string(&manifest) {
            let name = text
                .lines()
                .find_map(|l| {
                    l.trim()
                        .strip_prefix("name = ")
                        .map(|v| v.trim_matches('"').to_owned())
                })
                .with_context(|| format!("{} has no package name", manifest.display()))?;
            names.push(name);
        }
    }
    Ok(names)
}

pub fn library_file(stem: &str) -> String {
    format!(
        "{}{}{}",
        std::env::consts::DLL_PREFIX,
        stem.replace('-', "_"),
        std::env::consts::DLL_SUFFIX
    )
}

/// Builds `packages` in release and copies their libraries (`(package, library stem)`) into
/// `modules_dir`.
pub fn build_modules(packages: &[(String, String)], modules_dir: &Path) -> Result<()> {
    if !packages.is_empty() {
        let mut cmd = cargo();
        cmd.args(["build", "--release"]);
        for (p, _) in packages {
            cmd.args(["-p", p]);
        }
        check(&mut cmd)?;
    }
    std::fs::create_dir_all(modules_dir)?;
    for (_, library) in packages {
        let file = library_file(library);
        let from = target_dir().join("release").join(&file);
        // Replace, never overwrite in place: a running server may have the old file mapped.
        let to = modules_dir.join(&file);
        let _ = std::fs::remove_file(&to);
        std::fs::copy(&from, &to).with_context(|| format!("installing {}", from.display()))?;
        println!("installed {}", to.display());
    }
    Ok(())
}

/// `cargo xtask build`: the host binary and every plugin, installed into ./modules.
pub fn build() -> Result<PathBuf> {
    check(cargo().args(["build", "--release", "-p", "openimis-host"]))?;
    let plugins: Vec<(String, String)> = plugins()?
        .into_iter()
        .map(|p| (p.package, p.library))
        .collect();
    build_modules(&plugins, &root().join("modules"))?;
    Ok(target_dir().join("release/openimis"))
}

/// `cargo xtask run`: build, then serve with the embedded database and demo data.
pub fn run(extra: &[String]) -> Result<()> {
    let with_frontend = extra.iter().any(|arg| arg == "--with-frontend");
    let extra: Vec<&String> = extra
        .iter()
        .filter(|arg| *arg != "--with-frontend")
        .collect();
    let frontend_dir = with_frontend
        .then(crate::frontend::ensure_built)
        .transpose()?;
    let binary = build()?;
    let mut cmd = Command::new(binary);
    cmd.current_dir(root())
        .arg("serve")
        .args(extra)
        .env("NO_DATABASE", "True")
        .env("DEMO_DATASET", "True")
        .env("SITE_ROOT", "api");
    if std::env::var_os("MODE").is_none() {
        cmd.env("MODE", "DEV");
    }
    if let Some(dir) = frontend_dir {
        println!("frontend: http://127.0.0.1:8000/front/");
        cmd.env("FRONTEND_DIR", dir);
    }
    check(&mut cmd)
}

/// `cargo xtask test`: every library the system tests load, then all tests.
pub fn test(extra: &[String]) -> Result<()> {
    check(cargo().args(["build", "--workspace"]))?;
    check(cargo().args(["test", "--workspace"]).args(extra))
}
