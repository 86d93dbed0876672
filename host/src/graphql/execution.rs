//! juniper's context for one request: the composed schema, the running modules and the request
//! context. Root fields resolve through it, module errors mapped to errors with
//! `extensions.code`. A leaf for the dynamic types and the projection, which read it.

use super::compose::Composed;
use super::federation::Federation;
use super::scalar::Scalar;
use crate::modules::{CallError, ModuleSet};
use apollo_compiler::ast;
use juniper::{graphql_value, FieldError};
use openimis_plugin_api::{RequestContext, SelectionField};
use serde_json::Value as Json;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// What one GraphQL request runs with: juniper's context.
pub struct Execution {
    pub composed: Arc<Composed>,
    pub modules: Arc<ModuleSet>,
    pub context: RequestContext,
    /// Set when a module error asks for HTTP 401 (a token error): the original answers the
    /// whole request with 401 then, which makes the frontend log out.
    pub unauthorized: AtomicBool,
}

impl juniper::Context for Execution {}

impl Execution {
    /// Resolves one root field through its owner and federation.
    pub fn resolve_root(
        &self,
        root_type: &str,
        field: SelectionField,
        ty: &ast::Type,
    ) -> Result<Json, FieldError<Scalar>> {
        let federation = Federation::new(&self.composed, &self.modules, &self.context);
        federation.resolve_root(root_type, &field, ty).map_err(|e| {
            if e.error.status == 401 {
                self.unauthorized.store(true, Ordering::Relaxed);
            }
            field_error(crate::translations::translate_error(
                &self.modules,
                &self.context.language,
                e,
            ))
        })
    }
}

/// A module error as a GraphQL error: the message, and `extensions: {code, module}`.
pub fn field_error(error: CallError) -> FieldError<Scalar> {
    let code = error.error.code.to_string();
    let module = error.module;
    FieldError::new(
        error.error.message.to_string(),
        graphql_value!({ "code": code, "module": module }),
    )
}
