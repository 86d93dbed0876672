//! juniper's context for one request: the composed schema, the running modules and the request
//! context. Root fields resolve through it, module errors mapped to errors with
//! `extensions.code`. A leaf for the dynamic types and the projection, which read it.

use super::compose::Composed;
use super::federation::Federation;
use super::scalar::Scalar;
use super::tree::{Node, Store};
use crate::modules::{CallError, ModuleSet};
use apollo_compiler::ast;
use juniper::{graphql_value, FieldError};
use openimis_plugin_api::{RequestContext, SelectionField};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

/// What one GraphQL request runs with: juniper's context.
pub struct Execution {
    pub composed: Arc<Composed>,
    pub modules: Arc<ModuleSet>,
    pub context: RequestContext,
    /// Set when a module error asks for HTTP 401 (a token error): the original answers the
    /// whole request with 401 then, which makes the frontend log out.
    pub unauthorized: AtomicBool,
    /// How much JSON text the projection wrote for the answer, to size the response at once.
    pub written: AtomicUsize,
}

impl juniper::Context for Execution {}

impl Execution {
    /// Notes `bytes` more of projected text in the answer.
    pub fn wrote(&self, bytes: usize) {
        self.written.fetch_add(bytes, Ordering::Relaxed);
    }

    /// Resolves one root field through its owner and federation; the answer lives in `store`
    /// with the module answers it was read from.
    pub fn resolve_root<'t>(
        &'t self,
        root_type: &str,
        field: SelectionField,
        ty: &ast::Type,
        store: &'t Store,
    ) -> Result<Node<'t>, FieldError<Scalar>> {
        let federation = Federation::new(&self.composed, &self.modules, &self.context, store);
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
