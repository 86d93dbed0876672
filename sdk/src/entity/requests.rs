//! What every module says before and instead of an answer: no rows without a login (its root
//! lists, its `entities`), and `NOT_SUPPORTED` for a type it has no entities of or a root
//! field it does not serve.

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

/// `NOT_SUPPORTED`: `module` has no root field `name`.
pub fn no_root_field(module: &str, name: &str) -> ModuleError {
    let text = format!("{module} has no root field {name}");
    ModuleError::new("NOT_SUPPORTED", text)
}
