//! Finding and loading module libraries with abi_stable, one at a time, never unloading them.

use crate::problems::{Code, Problem};
use abi_stable::library::{lib_header_from_path, LibraryError};
use openimis_plugin_api::{Manifest, ModuleRootRef};
use std::path::{Path, PathBuf};

/// A loaded (and leaked: libraries are never unloaded) module library.
#[derive(Clone, Copy)]
pub struct Library {
    pub root: ModuleRootRef,
}

/// The platform's file name for library `stem`: `lib<stem>.so`, `<stem>.dll`, `lib<stem>.dylib`.
pub fn library_file_name(stem: &str) -> String {
    format!(
        "{}{stem}{}",
        std::env::consts::DLL_PREFIX,
        std::env::consts::DLL_SUFFIX
    )
}

/// Where library `stem` is expected in `dir`.
pub fn library_path(dir: &Path, stem: &str) -> PathBuf {
    dir.join(library_file_name(stem))
}

/// Loads the library at `path` and reads its manifest. `module` names it in problems.
pub fn load(path: &Path, module: &str) -> Result<(Manifest, Library), Problem> {
    if !path.is_file() {
        return Err(Problem::for_module(
            Code::ModuleNotFound,
            module,
            format!("no library at {}", path.display()),
        ));
    }
    let root = lib_header_from_path(path)
        .and_then(|header| header.init_root_module::<ModuleRootRef>())
        .map_err(|e| library_problem(e, path, module))?;
    let text = (root.manifest())();
    let manifest: Manifest = serde_json::from_str(text.as_str()).map_err(|e| {
        Problem::for_module(
            Code::ManifestInvalid,
            module,
            format!("{}: manifest is not valid: {e}", path.display()),
        )
    })?;
    Ok((manifest, Library { root }))
}

/// Reads only the manifest of a library file (for `openimis inspect`).
pub fn inspect(path: &Path) -> Result<Manifest, Problem> {
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    load(path, &name).map(|(manifest, _)| manifest)
}

fn library_problem(error: LibraryError, path: &Path, module: &str) -> Problem {
    let file = path.display();
    let (code, message) = match error {
        LibraryError::OpenError { err, .. } => {
            (Code::NotAModule, format!("{file} is not a loadable library: {err}"))
        }
        LibraryError::GetSymbolError { .. } => (
            Code::NotAModule,
            format!("{file} is a library but exports no openIMIS module (no abi_stable root module)"),
        ),
        LibraryError::IncompatibleVersionNumber { expected_version, actual_version, .. } => (
            Code::AbiMismatch,
            format!("{file} was built against plugin-api {actual_version}; this host provides {expected_version}"),
        ),
        LibraryError::InvalidAbiHeader(header) => (
            Code::AbiMismatch,
            format!("{file} was built with an incompatible abi_stable ({header:?})"),
        ),
        LibraryError::AbiInstability(err) => (
            Code::AbiMismatch,
            format!("{file} has a module layout that differs from this host's plugin-api: {}", first_lines(&err.to_string(), 6)),
        ),
        other => (Code::NotAModule, format!("{file}: {}", first_lines(&other.to_string(), 6))),
    };
    Problem::for_module(code, module, message)
}

fn first_lines(text: &str, n: usize) -> String {
    let mut lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(n + 1)
        .collect();
    if lines.len() > n {
        lines.truncate(n);
        lines.push("...");
    }
    lines.join(" | ")
}
