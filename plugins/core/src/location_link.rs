//! The services core asks of the `location` module (the agreed contract). Without location
//! (`MODULE_NOT_LOADED`) location filters match nothing and district/village inputs are ignored.

use openimis_sdk::{HostHandle, ModuleError};
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

/// What a user mutation hands location: the interactive user's districts and the officer's
/// villages (`None`: leave them as they are).
#[derive(Debug, Default)]
pub struct UserLocations {
    pub user_id: Option<i64>,
    pub district_ids: Option<Vec<i64>>,
    pub officer_id: Option<i64>,
    pub village_ids: Option<Vec<i64>>,
}

impl UserLocations {
    /// Whether there is anything to tell location.
    pub fn is_empty(&self) -> bool {
        !(self.user_id.is_some() && self.district_ids.is_some()
            || self.officer_id.is_some() && self.village_ids.is_some())
    }
}

/// Replaces the districts (`tblUsersDistricts`) and villages (`tblOfficerVillages`) in one
/// location transaction (`user_locations.replace`: all or nothing), if location runs.
pub fn replace_user_locations(
    host: &HostHandle,
    locations: &UserLocations,
    audit: i64,
) -> Result<(), ModuleError> {
    if locations.is_empty() {
        return Ok(());
    }
    ignore_absent(host.call::<_, Value>(
        "location",
        "user_locations.replace",
        &json!({"user_id": locations.user_id, "district_ids": locations.district_ids,
                "officer_id": locations.officer_id, "village_ids": locations.village_ids, "audit_user_id": audit}),
    ))
}

/// The facilities matching HealthFacilityGQLType's own filter arguments `args` (`uuid`,
/// `location_Parent_Uuid`, ...), only valid ones when `valid_only`; none without location.
pub fn health_facility_ids(
    host: &HostHandle,
    args: &serde_json::Map<String, Value>,
    valid_only: bool,
) -> Result<Vec<i64>, ModuleError> {
    match host.call::<_, Value>(
        "location",
        "health_facilities.ids",
        &json!({"args": args, "valid_only": valid_only}),
    ) {
        Ok(answer) => Ok(ids(&answer, "ids")),
        Err(e) if absent(&e) => Ok(Vec::new()),
        Err(e) => Err(e),
    }
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

/// Makes location forget its cached row-security scopes (`row_security.forget`): who is an
/// officer or claim administrator, and a claim administrator's facility, bound them. Call it
/// once a user change has committed. Without location there is nothing to forget; a failure
/// is only logged (location's TTL bounds the staleness).
pub fn forget_row_security(host: &HostHandle) {
    if let Err(e) = ignore_absent(host.call("location", "row_security.forget", &json!({}))) {
        openimis_sdk::log::warn!("location could not forget its row security scopes: {e}");
    }
}

fn ignore_absent(result: Result<Value, ModuleError>) -> Result<(), ModuleError> {
    match result {
        Err(e) if !absent(&e) => Err(e),
        _ => Ok(()),
    }
}
