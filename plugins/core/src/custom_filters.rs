//! `customFilters(moduleName, objectTypeName, ...)`: the original asks its registered custom
//! filter wizards; none of the modules registers one, so the answer names the object with no
//! possible filters. Authentication is required.

use openimis_sdk::project::project;
use openimis_sdk::{ModuleError, RequestContext, SelectionField};
use serde_json::{json, Value};

pub fn resolve(context: &RequestContext, field: &SelectionField) -> Result<Value, ModuleError> {
    if context.user_id().is_none() {
        return Err(ModuleError::new("UNAUTHORIZED", "Unauthorized"));
    }
    let object_type = field.arg("objectTypeName").cloned().unwrap_or(Value::Null);
    let answer = json!({
        "type": object_type,
        "code": field.arg("moduleName"),
        "objectClassName": object_type,
        "possibleFilters": [],
    });
    Ok(project(&field.selection, &answer, "code"))
}
