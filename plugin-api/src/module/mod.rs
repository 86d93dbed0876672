//! What a module library is made of on its side of the boundary: the [`OpenImisModule`] trait,
//! the adapter that exports it through the ABI, the panic guard, the log bridge, the host handle,
//! and the reserved services the host asks every library (profile, pool states).

pub mod adapter;
pub mod export;
pub mod guard;
pub mod host;
pub mod logger;
pub mod pool_state;
pub mod profile;
pub mod translations;

use crate::abi::{HttpRequest, HttpResponse, Migration, ModuleError};
use crate::payload::{EntitiesRequest, ResolveRequest};
use serde_json::Value;

/// A module, in plain Rust. Every hook but `init` has a default that does nothing (or says
/// "not supported"), so a module implements only what it contributes.
pub trait OpenImisModule: Send + Sync + Sized + 'static {
    /// Builds the module from the host handle and its `config` block. Must not do I/O.
    fn init(host: host::HostHandle, config: Value) -> Result<Self, ModuleError>;

    /// Runs once every module is initialised; do I/O here (pools, caches). An error disables it.
    fn ready(&self) -> Result<(), ModuleError> {
        Ok(())
    }

    /// The GraphQL SDL this module contributes (usually `include_str!("../schema.graphql")`).
    fn schema(&self) -> &str {
        ""
    }

    /// Resolves one root field; returns the value keyed by response keys.
    fn resolve(&self, request: ResolveRequest) -> Result<Value, ModuleError> {
        Err(unsupported("graphql_resolve", &request.field.name))
    }

    /// Resolves entities of one type by key; one entry per key, in key order (null if missing).
    fn entities(&self, request: EntitiesRequest) -> Result<Vec<Value>, ModuleError> {
        Err(unsupported("graphql_entities", &request.type_name))
    }

    /// Resolves one root field straight into the JSON text of its answer, which is what crosses
    /// the boundary: by default [`Self::resolve`]'s value, serialized. A module that writes its
    /// answers as text (the SDK's `project::write`, `relay::write_paginated`) overrides this and
    /// never builds the value.
    fn resolve_text(&self, request: ResolveRequest) -> Result<String, ModuleError> {
        to_text(&self.resolve(request)?)
    }

    /// [`Self::entities`] as the JSON text of the list (see [`Self::resolve_text`]).
    fn entities_text(&self, request: EntitiesRequest) -> Result<String, ModuleError> {
        to_text(&self.entities(request)?)
    }

    /// Answers HTTP requests under the module's prefix.
    fn http(&self, request: HttpRequest) -> Result<HttpResponse, ModuleError> {
        Err(
            ModuleError::new("NOT_FOUND", format!("no route for {}", request.path))
                .with_status(404),
        )
    }

    /// The module's migrations (see [`crate::migrations!`]).
    fn migrations(&self) -> Vec<Migration> {
        Vec::new()
    }

    /// Turns an error raised under the module's prefix into a response; `None` = host default.
    fn handle_exception(&self, _error: &ModuleError) -> Option<HttpResponse> {
        None
    }

    /// Answers another module's `Host::call`.
    fn service(&self, method: &str, _payload: Value) -> Result<Value, ModuleError> {
        Err(unsupported("service", method))
    }

    /// Receives another module's published event.
    fn on_event(&self, _event: &str, _payload: Value) {}

    /// Releases resources before the host exits.
    fn shutdown(&self) {}
}

/// A module's answer as JSON text (`BAD_RESPONSE` if it cannot be serialized).
pub fn to_text(value: &impl serde::Serialize) -> Result<String, ModuleError> {
    serde_json::to_string(value).map_err(|e| ModuleError::new("BAD_RESPONSE", e.to_string()))
}

fn unsupported(hook: &str, what: &str) -> ModuleError {
    ModuleError::new(
        "NOT_SUPPORTED",
        format!("this module has no {hook} for {what}"),
    )
}
