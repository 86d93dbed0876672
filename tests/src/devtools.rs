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
