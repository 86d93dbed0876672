//! What every module's `entities` says before and instead of an answer: no entities without
//! a login (as its root lists), and `NOT_SUPPORTED` for a type it has no entities of.

use crate::abi::ModuleError;
use crate::RequestContext;

/// A login, else `UNAUTHORIZED` (`unauthorized`).
pub fn logged_in(context: &RequestContext) -> Result<(), ModuleError> {
    match context.is_authenticated() {
        true => Ok(()),
        false => Err(ModuleError::new("UNAUTHORIZED", "unauthorized")),
    }
}

/// `NOT_SUPPORTED`: `module` has no entities of `type_name`.
pub fn no_entities(module: &str, type_name: &str) -> ModuleError {
    let text = format!("{module} has no entities of {type_name}");
    ModuleError::new("NOT_SUPPORTED", text)
}
