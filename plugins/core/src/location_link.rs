//! The services core asks of the `location` module (the agreed contract). Without location
//! (`MODULE_NOT_LOADED`) location filters match nothing and district/village inputs are ignored.

use openimis_plugin_api::{HostHandle, ModuleError};
use serde_json::{json, Value};

/// `users.filter`'s answer: who matches the location filters.
#[derive(Debug, Default)]
pub struct Matching {
    pub interactive_user_ids: Vec<i64>,
    pub officer_ids: Vec<i64>,
}

fn absent(error: &ModuleError) -> bool {
    error.code.as_str() == "MODULE_NOT_LOADED"
}

fn ids(answer: &Value, key: &str) -> Vec<i64> {
    answer[key]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_i64)
        .collect()
}

/// `users.filter` with `{region_id?, region_ids?, district_id?, municipality_id?, village_id?,
/// parent_location?, parent_location_level?}`; nobody when location is not loaded.
pub fn users_filter(host: &HostHandle, filters: &Value) -> Result<Matching, ModuleError> {
    match host.call::<_, Value>("location", "users.filter", filters) {
        Ok(answer) => Ok(Matching {
            interactive_user_ids: ids(&answer, "interactive_user_ids"),
            officer_ids: ids(&answer, "officer_ids"),
        }),
        Err(e) if absent(&e) => Ok(Matching::default()),
        Err(e) => Err(e),
    }
}

/// Replaces a user's districts (`tblUsersDistricts`), if location runs.
pub fn replace_districts(
    host: &HostHandle,
    user_id: i64,
    district_ids: &[i64],
    audit: i64,
) -> Result<(), ModuleError> {
    ignore_absent(host.call::<_, Value>(
        "location",
        "user_districts.replace",
        &json!({"user_id": user_id, "district_ids": district_ids, "audit_user_id": audit}),
    ))
}

/// Replaces an officer's villages (`tblOfficerVillages`), if location runs.
pub fn replace_villages(
    host: &HostHandle,
    officer_id: i64,
    village_ids: &[i64],
    audit: i64,
) -> Result<(), ModuleError> {
    ignore_absent(host.call::<_, Value>(
        "location",
        "officer_villages.replace",
        &json!({"officer_id": officer_id, "village_ids": village_ids, "audit_user_id": audit}),
    ))
}

/// The location of a health facility, if location runs and knows it.
pub fn health_facility_location(host: &HostHandle, hf_id: i64) -> Result<Option<i64>, ModuleError> {
    match host.call::<_, Value>(
        "location",
        "health_facilities.location_ids",
        &json!({"ids": [hf_id]}),
    ) {
        Ok(found) => Ok(found[hf_id.to_string()].as_i64()),
        Err(e) if absent(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

fn ignore_absent(result: Result<Value, ModuleError>) -> Result<(), ModuleError> {
    match result {
        Err(e) if !absent(&e) => Err(e),
        _ => Ok(()),
    }
}
