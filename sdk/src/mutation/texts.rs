//! What a module's mutations say besides their own messages, as the original's
//! `OpenIMISMutation` and graphene say it: the record of an exception the mutation let
//! through, a root field the module does not serve, and the field's `input`.

use super::MutationError;
use crate::abi::ModuleError;
use crate::payload::ResolveRequest;
use serde_json::{Map, Value};

/// The class of the `PermissionDenied` a mutation's right check raises outside its `try`.
pub const PERMISSION_DENIED: &str = "django.core.exceptions.PermissionDenied";

/// Core's record of an exception the mutation did not catch:
/// `The mutation threw a <class 'KeyError'>, check logs for details`.
pub fn threw(class: &str) -> MutationError {
    MutationError::new(format!(
        "The mutation threw a <class '{class}'>, check logs for details"
    ))
}

/// `NOT_SUPPORTED`: `module` has no mutation `name`.
pub fn unknown(module: &str, name: &str) -> ModuleError {
    ModuleError::new("NOT_SUPPORTED", format!("{module} has no mutation {name}"))
}

/// The mutation's `input` argument; an absent or non-object one is empty.
pub fn input_of(request: &ResolveRequest) -> Map<String, Value> {
    let input = request.field.arg("input").and_then(Value::as_object);
    input.cloned().unwrap_or_default()
}
