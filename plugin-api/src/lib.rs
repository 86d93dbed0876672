//! The stable boundary between the openIMIS host and its modules: only what crosses it.
//!
//! - [`abi`]: the `#[repr(C)]`/`StableAbi` types that cross the dynamic-library boundary (root
//!   module, the `Module` and `Host` trait objects, errors, HTTP messages, migrations).
//! - [`manifest`] and [`payload`]: what crosses as JSON (the manifest, GraphQL requests).
//! - [`module`]: the [`OpenImisModule`] trait a library implements, the [`export_module!`] macro
//!   and what runs on the module's side of every call (panic guard, log bridge, reserved
//!   services, translation catalogues).
//!
//! This crate's version is the ABI version: it changes only when what crosses the boundary
//! changes. Everything else a module author uses lives in the SDK crate (`openimis-sdk`), which
//! grows without touching this one.

pub mod abi;
pub mod manifest;
pub mod module;
pub mod payload;

pub use abi::{
    HostBox, HttpRequest, HttpResponse, Migration, ModuleBox, ModuleError, ModuleRoot,
    ModuleRootRef,
};
pub use manifest::Manifest;
pub use module::{host::HostHandle, OpenImisModule};
pub use payload::{EntitiesRequest, RequestContext, ResolveRequest, SelectionField};

/// Re-exported so [`export_module!`] works without the module depending on abi_stable itself.
#[doc(hidden)]
pub use abi_stable;
#[doc(hidden)]
pub use log;
#[doc(hidden)]
pub use serde_json;

/// The plugin-api version a module was compiled against (written into its manifest).
pub const API_VERSION: &str = env!("CARGO_PKG_VERSION");
