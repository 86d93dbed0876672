//! Row security by location for modules that list rows placed at a location: the locations
//! the caller may see, from location's `row_security.scope` service (the original's
//! `LocationManager.build_user_location_filter_query`).

use crate::{HostHandle, ModuleError, RequestContext};
use serde_json::{json, Value};

/// The ids of the locations the caller may see; `None` when nothing restricts it (no
/// interactive user behind the request, or a user who sees every location).
pub fn visible_locations(
    host: &HostHandle,
    context: &RequestContext,
) -> Result<Option<Vec<i64>>, ModuleError> {
    let Some(user) = context.interactive_user_id() else {
        return Ok(None);
    };
    let scope: Value = host.call(
        "location",
        "row_security.scope",
        &json!({"user_id": user, "rights": context.rights}),
    )?;
    if scope["all"] == true {
        return Ok(None);
    }
    let ids = scope["location_ids"].as_array().into_iter().flatten();
    Ok(Some(ids.filter_map(Value::as_i64).collect()))
}
