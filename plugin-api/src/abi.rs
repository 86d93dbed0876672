//! Types that cross the host/module boundary. Only `abi_stable` types live here.

// abi_stable's `sabi_trait` expands to impls inside a const block.
#![allow(non_local_definitions)]

use abi_stable::{
    declare_root_module_statics,
    library::RootModule,
    package_version_strings, sabi_trait,
    sabi_types::VersionStrings,
    std_types::{RBox, RResult, RStr, RString, RVec, Tuple2},
    StableAbi,
};

/// An error crossing the boundary: a stable `code`, a human `message`, optional JSON `details`
/// and, for HTTP answers, a `status` (0 = let the host choose).
#[repr(C)]
#[derive(StableAbi, Debug, Clone, PartialEq, Eq)]
pub struct ModuleError {
    pub code: RString,
    pub message: RString,
    /// JSON text, or empty.
    pub details: RString,
    pub status: u16,
}

impl ModuleError {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Self {
            code: code.into(),
            message: RString::from(message.into()),
            details: RString::new(),
            status: 0,
        }
    }

    pub fn with_status(mut self, status: u16) -> Self {
        self.status = status;
        self
    }

    pub fn with_details(mut self, details: &serde_json::Value) -> Self {
        self.details = details.to_string().into();
        self
    }
}

impl std::fmt::Display for ModuleError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ModuleError {}

/// One HTTP request routed to a module (path is relative to the module's prefix).
#[repr(C)]
#[derive(StableAbi, Debug, Clone, Default)]
pub struct HttpRequest {
    pub method: RString,
    pub path: RString,
    pub query: RString,
    pub headers: RVec<Tuple2<RString, RString>>,
    pub body: RVec<u8>,
    /// JSON [`crate::RequestContext`].
    pub context: RString,
}

/// A module's HTTP answer.
#[repr(C)]
#[derive(StableAbi, Debug, Clone, Default)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: RVec<Tuple2<RString, RString>>,
    pub body: RVec<u8>,
}

/// One database migration, in both dialects. `version` orders migrations within a module.
#[repr(C)]
#[derive(StableAbi, Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    pub version: RString,
    pub name: RString,
    pub postgres: RString,
    pub sqlite: RString,
}

/// Where a module's data lives, as the host tells it.
#[repr(C)]
#[derive(StableAbi, Debug, Clone, PartialEq, Eq)]
pub struct DatabaseInfo {
    /// `postgres://...` or `sqlite://path`; empty when the host runs without a database.
    pub url: RString,
    /// "postgresql", "sqlite" or "" (none).
    pub backend: RString,
    /// Connections this module's pool may open.
    pub pool_size: u32,
}

/// Log levels as numbers (1 = error … 5 = trace), matching `log::Level as usize`.
pub type LogLevel = u8;

/// What the host offers a module. A module keeps the box it got in `init` for its lifetime.
#[sabi_trait]
pub trait Host: Send + Sync + Clone {
    /// Logs a line under the module's name.
    fn log(&self, level: LogLevel, target: RStr<'_>, message: RStr<'_>);
    /// This module's `config` block from `openimis.json`, as JSON text (`{}` when absent).
    fn module_config(&self) -> RString;
    /// Where the database is and how many connections this module may use.
    fn database(&self) -> DatabaseInfo;
    /// Whether a module with this logical name is running.
    fn is_loaded(&self, logical_name: RStr<'_>) -> bool;
    /// Calls `method` of the module with logical name `module` (its `service` hook); JSON in and out.
    fn call(
        &self,
        module: RStr<'_>,
        method: RStr<'_>,
        payload: RStr<'_>,
    ) -> RResult<RString, ModuleError>;
    /// Publishes an event to every other running module (their `on_event` hook).
    #[sabi(last_prefix_field)]
    fn publish(&self, event: RStr<'_>, payload: RStr<'_>);
}

/// The host handle as it crosses the boundary.
pub type HostBox = Host_TO<'static, RBox<()>>;

/// A running module, as the host sees it. Every method is called from a blocking thread.
#[sabi_trait]
pub trait Module: Send + Sync {
    /// Called once all modules are initialised, in dependency order; an error disables the module.
    fn ready(&self) -> RResult<(), ModuleError>;
    /// The module's GraphQL SDL part: its own types and `extend type` contributions.
    fn graphql_sdl(&self) -> RString;
    /// Resolves one root field; `request` is a JSON [`crate::ResolveRequest`], the answer JSON.
    fn graphql_resolve(&self, request: RStr<'_>) -> RResult<RString, ModuleError>;
    /// Resolves a batch of entities by key; `request` is a JSON [`crate::EntitiesRequest`], the
    /// answer a JSON array in key order.
    fn graphql_entities(&self, request: RStr<'_>) -> RResult<RString, ModuleError>;
    /// Answers an HTTP request under `/{SITE_ROOT}<logical name>/`.
    fn http(&self, request: HttpRequest) -> RResult<HttpResponse, ModuleError>;
    /// The module's migrations, in order.
    fn migrations(&self) -> RVec<Migration>;
    /// Turns an error raised under the module's URL prefix into a response; `None` = host default.
    fn handle_exception(&self, error: ModuleError) -> abi_stable::std_types::ROption<HttpResponse>;
    /// A cross-module service call (see `Host::call`).
    fn service(&self, method: RStr<'_>, payload: RStr<'_>) -> RResult<RString, ModuleError>;
    /// An event another module published.
    fn on_event(&self, event: RStr<'_>, payload: RStr<'_>);
    /// Called once before the host exits.
    #[sabi(last_prefix_field)]
    fn shutdown(&self);
}

/// A module instance as it crosses the boundary.
pub type ModuleBox = Module_TO<'static, RBox<()>>;

/// The one symbol every module library exports. A prefix type: later API versions only append.
#[repr(C)]
#[derive(StableAbi)]
#[sabi(kind(Prefix(prefix_ref = ModuleRootRef)))]
#[sabi(missing_field(panic))]
pub struct ModuleRoot {
    /// The manifest as JSON ([`crate::Manifest`]). Must not fail or do I/O.
    pub manifest: extern "C" fn() -> RString,
    /// Creates the module. `config` is the JSON `config` block; must not do I/O (use `ready`).
    #[sabi(last_prefix_field)]
    pub init: extern "C" fn(host: HostBox, config: RStr<'_>) -> RResult<ModuleBox, ModuleError>,
}

impl RootModule for ModuleRootRef {
    declare_root_module_statics! {ModuleRootRef}
    const BASE_NAME: &'static str = "openimis_module";
    const NAME: &'static str = "openimis_module";
    const VERSION_STRINGS: VersionStrings = package_version_strings!();
}
