//! The stable boundary between the openIMIS host and its modules, and the SDK modules are built with.
//!
//! Two halves:
//! - [`abi`]: the `#[repr(C)]`/`StableAbi` types that cross the dynamic-library boundary (root
//!   module, the `Module` and `Host` trait objects, errors, HTTP messages, migrations). Nothing
//!   else ever crosses. This crate's semver is the ABI version.
//! - [`sdk`]: plain Rust that module authors use (the [`OpenImisModule`] trait, the
//!   [`export_module!`] macro, the panic guard, the `log` bridge, typed JSON payloads,
//!   [`migrations!`], relay helpers and a fake host for unit tests). It compiles into each module.

pub mod abi;
pub mod manifest;
pub mod payload;
pub mod sdk;

pub use abi::{
    HostBox, HttpRequest, HttpResponse, Migration, ModuleBox, ModuleError, ModuleRoot,
    ModuleRootRef,
};
pub use manifest::Manifest;
pub use payload::{EntitiesRequest, RequestContext, ResolveRequest, SelectionField};
pub use sdk::{host::HostHandle, OpenImisModule};

/// Re-exported so [`export_module!`] works without the module depending on abi_stable itself.
#[doc(hidden)]
pub use abi_stable;
#[doc(hidden)]
pub use log;
#[doc(hidden)]
pub use serde_json;

/// The plugin-api version a module was compiled against (written into its manifest).
pub const API_VERSION: &str = env!("CARGO_PKG_VERSION");
