//! `openimis install-module <name>`: the newest (or a given) version of a module's source
//! package from crates.io (or another cargo registry), built in release and installed.

use super::cargo::{build_release, cargo, install_library, Installed};
use super::install_local::Target;
use super::{error, DevResult};
use std::path::{Path, PathBuf};
use std::process::Output;

/// Which package to install.
#[derive(Debug, Clone)]
pub struct Package {
    /// The crate name (`openimis-be-<name>` unless `--library-name` says otherwise).
    pub crate_name: String,
    pub version: Option<String>,
    /// A registry of cargo's configuration (`--registry`); crates.io when unset.
    pub registry: Option<String>,
    /// Where the unpacked sources go (`<dir>/<crate>-<version>`).
    pub checkouts: PathBuf,
}

/// The newest version of the package (or the given one), as the registry answers.
pub fn newest_version(package: &Package) -> DevResult<String> {
    let scratch = scratch_dir(&package.checkouts)?;
    let spec = match &package.version {
        Some(v) => format!("{}@{v}", package.crate_name),
        None => package.crate_name.clone(),
    };
    let mut info = cargo();
    info.arg("info").arg(&spec).current_dir(&scratch);
    if let Some(registry) = &package.registry {
        info.args(["--registry", registry]);
    }
    let output = info
        .output()
        .map_err(|e| error("INSTALL_FAILED", format!("cannot run cargo: {e}")))?;
    if !output.status.success() {
        return Err(registry_error(&package.crate_name, &output));
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("version: "))
        .map(|v| v.split_whitespace().next().unwrap_or(v).to_owned())
        .ok_or_else(|| {
            error(
                "INSTALL_FAILED",
                format!("cargo info {spec} named no version"),
            )
        })
}

/// Downloads, builds and installs the package.
pub fn install(package: &Package, target: &Target) -> DevResult<Installed> {
    let version = newest_version(package)?;
    let dir = unpack(package, &version)?;
    let library = build_release(&dir)?;
    install_library(&library, &target.modules_dir, &target.conf)
}

/// Lets cargo download the package (through a throw-away crate depending on it), then copies
/// its sources to `<checkouts>/<crate>-<version>` as a crate of its own.
fn unpack(package: &Package, version: &str) -> DevResult<PathBuf> {
    let scratch = scratch_dir(&package.checkouts)?;
    let registry = package
        .registry
        .as_ref()
        .map_or_else(String::new, |r| format!(", registry = \"{r}\""));
    let manifest = format!(
        "[package]\nname = \"openimis-fetch\"\nversion = \"0.0.0\"\nedition = \"2021\"\n\n[workspace]\n\n[lib]\npath = \"lib.rs\"\n\n[dependencies]\n{} = {{ version = \"={version}\"{registry} }}\n",
        package.crate_name
    );
    write(&scratch.join("Cargo.toml"), &manifest)?;
    write(&scratch.join("lib.rs"), "")?;
    let output = cargo()
        .args(["metadata", "--format-version", "1"])
        .current_dir(&scratch)
        .output()
        .map_err(|e| error("INSTALL_FAILED", format!("cannot run cargo: {e}")))?;
    if !output.status.success() {
        return Err(registry_error(&package.crate_name, &output));
    }
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout)
        .map_err(|e| error("INSTALL_FAILED", format!("cargo metadata: {e}")))?;
    let source_manifest = metadata["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| p["name"] == package.crate_name.as_str() && p["version"] == version)
        .and_then(|p| p["manifest_path"].as_str())
        .map(PathBuf::from)
        .ok_or_else(|| {
            error(
                "INSTALL_FAILED",
                format!("cargo did not download {}@{version}", package.crate_name),
            )
        })?;
    let source = source_manifest
        .parent()
        .expect("a manifest is in a directory");
    let dir = package
        .checkouts
        .join(format!("{}-{version}", package.crate_name));
    let _ = std::fs::remove_dir_all(&dir);
    copy_dir(source, &dir)?;
    let crate_manifest = dir.join("Cargo.toml");
    let text = std::fs::read_to_string(&crate_manifest).map_err(|e| {
        error(
            "INSTALL_FAILED",
            format!("{}: {e}", crate_manifest.display()),
        )
    })?;
    if !text.lines().any(|l| l.trim() == "[workspace]") {
        // Built alone, even when the checkouts directory lies inside another workspace.
        write(&crate_manifest, &format!("{text}\n[workspace]\n"))?;
    }
    Ok(dir)
}

fn scratch_dir(checkouts: &Path) -> DevResult<PathBuf> {
    let dir = checkouts.join(".openimis-fetch");
    std::fs::create_dir_all(&dir)
        .map_err(|e| error("WRITE_FAILED", format!("{}: {e}", dir.display())))?;
    Ok(dir)
}

fn write(path: &Path, text: &str) -> DevResult<()> {
    std::fs::write(path, text)
        .map_err(|e| error("WRITE_FAILED", format!("{}: {e}", path.display())))
}

fn copy_dir(from: &Path, to: &Path) -> DevResult<()> {
    let fail =
        |e: std::io::Error| error("WRITE_FAILED", format!("copying {}: {e}", from.display()));
    std::fs::create_dir_all(to).map_err(fail)?;
    for entry in std::fs::read_dir(from).map_err(fail)? {
        let entry = entry.map_err(fail)?;
        let path = entry.path();
        if entry.file_type().map_err(fail)?.is_dir() {
            copy_dir(&path, &to.join(entry.file_name()))?;
        } else {
            std::fs::copy(&path, to.join(entry.file_name())).map_err(fail)?;
        }
    }
    Ok(())
}

/// A clear message for a registry that cannot be asked, or that does not know the package.
fn registry_error(crate_name: &str, output: &Output) -> String {
    let stderr = String::from_utf8_lossy(&output.stderr);
    let last = stderr
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty())
        .unwrap_or("cargo failed");
    let offline = std::env::var("CARGO_NET_OFFLINE").is_ok_and(|v| v == "true" || v == "1")
        || stderr.contains("offline");
    let unreachable = [
        "Could not connect",
        "failed to download",
        "Could not resolve host",
        "timed out",
        "network failure",
        "failed to query replaced source",
        "failed to get",
    ]
    .iter()
    .any(|needle| stderr.contains(needle));
    if offline {
        error(
            "REGISTRY_UNREACHABLE",
            format!("cargo is offline (CARGO_NET_OFFLINE or net.offline), so the registry cannot be asked about `{crate_name}`; go online and try again, or install from sources with `openimis install-module-locally`"),
        )
    } else if unreachable {
        error(
            "REGISTRY_UNREACHABLE",
            format!("the registry cannot be reached to look up `{crate_name}` ({last}); check the network or proxy, or install from sources with `openimis install-module-locally`"),
        )
    } else if stderr.contains("could not find") {
        error(
            "MODULE_NOT_FOUND",
            format!("the registry has no package `{crate_name}` (give the crate name with --library-name)"),
        )
    } else {
        error(
            "INSTALL_FAILED",
            format!("cargo failed for `{crate_name}`: {last}"),
        )
    }
}
