//! Entities: location's own types by key (relay `node(id:)`, stubs from other modules), and
//! the fields location adds to core's types (`userdistrictSet`, `healthFacility`, `location`,
//! `officerVillages`), whose references core answers through its `location_refs` service.

use crate::rules::Rules;
use crate::specs::{Assignment, HEALTH_FACILITY, LOCATION};
use crate::Conn;
use openimis_sdk::entity::{self, Hooks};
use openimis_sdk::project::{fill_answers, project};
use openimis_sdk::sql_filter::int_of;
use openimis_sdk::windowed::children;
use openimis_sdk::{EntitiesRequest, HostHandle, ModuleError, SelectionField};
use serde_json::{json, Value};
use std::collections::HashMap;

/// Resolves `request.selection` on the objects of `request.type_name` named by `request.keys`.
pub fn resolve(
    host: &HostHandle,
    conn: &mut Conn,
    request: &EntitiesRequest,
    rules: &Rules,
) -> Result<Vec<Value>, ModuleError> {
    // As location's root lists: no location data without a login, whatever the path.
    entity::logged_in(&request.context)?;
    let (sel, keys) = (&request.selection, &request.keys);
    let spec = match request.type_name.as_str() {
        "LocationGQLType" => &LOCATION,
        "HealthFacilityGQLType" => &HEALTH_FACILITY,
        core_type @ ("InteractiveUserGQLType"
        | "UserGQLType"
        | "OfficerGQLType"
        | "ClaimAdminGQLType") => return core_fields(host, conn, core_type, keys, sel, rules),
        other => {
            return Err(entity::no_entities("location", other));
        }
    };
    rules.apply(|a| entity::by_keys(conn, spec, keys, sel, a))
}

/// The fields location contributes to one of core's types.
fn core_fields(
    host: &HostHandle,
    conn: &mut Conn,
    type_name: &str,
    keys: &[Value],
    sel: &[SelectionField],
    rules: &Rules,
) -> Result<Vec<Value>, ModuleError> {
    let wants = |name: &str| sel.iter().any(|f| f.name == name);
    // HFID (users, claim admins) or LocationId (officers) of each key, from core.
    let refs: Value = if wants("healthFacility") || wants("location") {
        let payload = json!({"type": type_name, "keys": keys});
        host.call("core", "location_refs", &payload)?
    } else {
        json!({})
    };
    let ref_of = |key: &Value| {
        let text = key.as_str().map_or_else(|| key.to_string(), str::to_owned);
        int_of(&refs[text.as_str()])
    };
    let mut rows: Vec<Value> = keys
        .iter()
        .map(|key| json!({"pk": key, "ref": ref_of(key), "key": int_of(key)}))
        .collect();
    for (name, spec) in [
        ("healthFacility", &HEALTH_FACILITY),
        ("location", &LOCATION),
    ] {
        if !wants(name) {
            continue;
        }
        let ids: Vec<i64> = rows.iter().filter_map(|r| r["ref"].as_i64()).collect();
        let found = rules.apply(|a| entity::loaded(conn, spec, &ids, &children(sel, name), a))?;
        let by_pk: HashMap<i64, Value> = found
            .into_iter()
            .filter_map(|r| r["pk"].as_i64().map(|pk| (pk, r)))
            .collect();
        for row in rows.iter_mut() {
            let value = row["ref"].as_i64().and_then(|r| by_pk.get(&r).cloned());
            row[name] = value.unwrap_or(Value::Null);
        }
    }
    for (name, kind) in [
        ("userdistrictSet", Assignment::UserDistricts),
        ("officerVillages", Assignment::OfficerVillages),
    ] {
        fill_answers(&mut rows, sel, name, |field, rows| {
            let holders: Vec<i64> = rows
                .iter()
                .map(|r| r["key"].as_i64().unwrap_or(-1))
                .collect();
            let (spec, holder) = (kind.spec(), kind.holder());
            rules.apply(|a| entity::children_of(conn, spec, holder, field, &holders, a))
        })?;
    }
    Ok(rows.iter().map(|row| project(sel, row, "pk")).collect())
}
