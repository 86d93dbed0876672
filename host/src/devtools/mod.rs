//! Developer tools for module authors and distributors: create a module crate, add its GitHub
//! files, install a module from sources or from crates.io, gather its message catalogues.
//! Each command is one file; `main.rs` only maps the CLI onto them.

pub mod cargo;
pub mod cli;
pub mod conf;
pub mod create_module;
pub mod github_files;
pub mod install_crate;
pub mod install_local;
pub mod names;
pub mod template;
pub mod translations;

/// Every devtools error is a message ready to print: `error [CODE] what happened and what to do`.
pub type DevResult<T> = Result<T, String>;

/// Formats an error message with its stable code.
pub fn error(code: &str, message: impl std::fmt::Display) -> String {
    format!("error [{code}] {message}")
}
