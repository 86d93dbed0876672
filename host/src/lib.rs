//! The openIMIS host: settings, the module plan and loader, GraphQL composition and execution,
//! migrations and the HTTP server. `main.rs` is only the CLI over this library.

pub mod auth;
pub mod cache;
pub mod db;
pub mod devtools;
pub mod directory;
pub mod graphql;
pub mod host_services;
pub mod http;
#[cfg(test)]
mod import_graph;
pub mod loader;
pub mod logging;
pub mod mail;
pub mod module_host;
pub mod modules;
pub mod mutations;
pub mod observability;
pub mod plan;
pub mod problems;
pub mod profiling;
pub mod runtime;
pub mod scheduler;
pub mod settings;
pub mod supervisor;
pub mod translations;
