//! The library openIMIS modules are written with, over the stable boundary of `openimis-plugin-api`.
//!
//! A module depends on this crate alone: it re-exports the plugin-api's items a module needs
//! ([`OpenImisModule`], [`export_module!`], [`Manifest`], the payloads), so paths such as
//! `openimis_sdk::export_module!` and `openimis_sdk::guard` work. Everything else here is plain
//! Rust compiled into each module, and may grow without changing the ABI version.

/// The plugin-api itself, for what is not re-exported here.
pub use openimis_plugin_api as api;
pub use openimis_plugin_api::module::{
    adapter, export, guard, host, logger, pool_state, profile, translations,
};
pub use openimis_plugin_api::{
    abi, export_module, manifest, migrations, payload, translations, EntitiesRequest, HostBox,
    HostHandle, HttpRequest, HttpResponse, Manifest, Migration, ModuleBox, ModuleError, ModuleRoot,
    ModuleRootRef, OpenImisModule, RequestContext, ResolveRequest, SelectionField, API_VERSION,
};
#[doc(hidden)]
pub use openimis_plugin_api::{abi_stable, log, serde_json};

#[cfg(feature = "db")]
mod bind;
pub mod cache;
#[cfg(feature = "db")]
pub mod db;
pub mod decimal;
pub mod django;
#[cfg(feature = "db")]
pub mod entity;
#[cfg(feature = "export")]
pub mod exports;
pub mod input;
pub mod json_text;
#[cfg(feature = "db")]
pub mod module_pool;
#[cfg(feature = "db")]
pub mod module_shell;
pub mod mutation;
#[cfg(feature = "db")]
pub mod mutation_link;
pub mod mutation_status;
pub mod project;
pub mod python;
pub mod query_log;
pub mod relay;
pub mod row_security;
#[cfg(feature = "db")]
pub mod scalars;
pub mod service;
#[cfg(feature = "db")]
pub mod sql_filter;
#[cfg(feature = "db")]
mod sql_params;
pub mod sqlite_uri;
#[cfg(feature = "db")]
pub mod statement;
pub mod testing;
pub mod time;
#[cfg(feature = "db")]
pub mod transaction;
#[cfg(feature = "db")]
pub mod versioned;
pub mod windowed;

/// The SDK version a module was compiled against.
pub const SDK_VERSION: &str = env!("CARGO_PKG_VERSION");
