//! Entities: location's own types by key (relay `node(id:)`, stubs from other modules), and
//! the fields location adds to core's types (`userdistrictSet`, `healthFacility`, `location`,
//! `officerVillages`), whose references core answers through its `location_refs` service.

use crate::rows::{self, Assignment};
use crate::security::Scope;
use crate::shape;
use crate::Conn;
use openimis_sdk::project::project;
use openimis_sdk::sql_filter::int_of;
use openimis_sdk::windowed::children;
use openimis_sdk::{EntitiesRequest, HostHandle, ModuleError, SelectionField};
use serde_json::{json, Value};
use std::collections::HashMap;

fn int_keys(keys: &[Value]) -> Vec<i32> {
    keys.iter().filter_map(int_of).map(|k| k as i32).collect()
}

fn by_pk(rows: Vec<Value>) -> HashMap<i64, Value> {
    rows.into_iter()
        .filter_map(|r| r["pk"].as_i64().map(|pk| (pk, r)))
        .collect()
}

fn answer(keys: &[Value], found: &HashMap<i64, Value>, sel: &[SelectionField]) -> Vec<Value> {
    keys.iter()
        .map(|k| {
            int_of(k)
                .and_then(|k| found.get(&k))
                .map_or(Value::Null, |row| project(sel, row, "pk"))
        })
        .collect()
}

fn locations(
    conn: &mut Conn,
    ids: &[i32],
    sel: &[SelectionField],
    scope: Scope,
) -> Result<HashMap<i64, Value>, ModuleError> {
    let mut found: Vec<Value> = rows::locations_by_id(conn, ids)?
        .iter()
        .map(rows::LocationRow::to_json)
        .collect();
    shape::locations_complete(conn, &mut found, sel, scope)?;
    Ok(by_pk(found))
}

fn health_facilities(
    conn: &mut Conn,
    ids: &[i32],
    sel: &[SelectionField],
    scope: Scope,
) -> Result<HashMap<i64, Value>, ModuleError> {
    let mut found: Vec<Value> = rows::health_facilities_by_id(conn, ids)?
        .iter()
        .map(rows::HfRow::to_json)
        .collect();
    shape::health_facilities_complete(conn, &mut found, sel, scope)?;
    Ok(by_pk(found))
}

/// Resolves `request.selection` on the objects of `request.type_name` named by `request.keys`.
pub fn resolve(
    host: &HostHandle,
    conn: &mut Conn,
    request: &EntitiesRequest,
    scope: Scope,
) -> Result<Vec<Value>, ModuleError> {
    let sel = &request.selection;
    let keys = &request.keys;
    match request.type_name.as_str() {
        "LocationGQLType" => Ok(answer(
            keys,
            &locations(conn, &int_keys(keys), sel, scope)?,
            sel,
        )),
        "HealthFacilityGQLType" => Ok(answer(
            keys,
            &health_facilities(conn, &int_keys(keys), sel, scope)?,
            sel,
        )),
        core_type @ ("InteractiveUserGQLType"
        | "UserGQLType"
        | "OfficerGQLType"
        | "ClaimAdminGQLType") => core_fields(host, conn, core_type, keys, sel, scope),
        other => Err(ModuleError::new(
            "NOT_SUPPORTED",
            format!("location has no entities of {other}"),
        )),
    }
}

/// The fields location contributes to one of core's types.
fn core_fields(
    host: &HostHandle,
    conn: &mut Conn,
    type_name: &str,
    keys: &[Value],
    sel: &[SelectionField],
    scope: Scope,
) -> Result<Vec<Value>, ModuleError> {
    let wants = |name: &str| sel.iter().any(|f| f.name == name);
    // HFID (users, claim admins) or LocationId (officers) of each key, from core.
    let refs: Value = if wants("healthFacility") || wants("location") {
        host.call(
            "core",
            "location_refs",
            &json!({"type": type_name, "keys": keys}),
        )?
    } else {
        json!({})
    };
    let ref_of = |key: &Value| -> Option<i64> {
        let text = key.as_str().map_or_else(|| key.to_string(), str::to_owned);
        int_of(&refs[text.as_str()])
    };
    let referenced: Vec<i32> = keys.iter().filter_map(ref_of).map(|i| i as i32).collect();
    let facilities = if wants("healthFacility") {
        health_facilities(conn, &referenced, &children(sel, "healthFacility"), scope)?
    } else {
        HashMap::new()
    };
    let places = if wants("location") {
        locations(conn, &referenced, &children(sel, "location"), scope)?
    } else {
        HashMap::new()
    };
    let mut lists: HashMap<&str, HashMap<i64, Vec<Value>>> = HashMap::new();
    for (name, kind) in [
        ("userdistrictSet", Assignment::UserDistricts),
        ("officerVillages", Assignment::OfficerVillages),
    ] {
        if !wants(name) {
            continue;
        }
        let holders: Vec<i64> = keys.iter().filter_map(int_of).collect();
        let mut items: Vec<Value> = kind
            .load(conn, true, &holders)?
            .iter()
            .map(|r| kind.to_json(r))
            .collect();
        shape::assignments_complete(conn, &mut items, &children(sel, name), kind, scope)?;
        let mut grouped: HashMap<i64, Vec<Value>> = HashMap::new();
        for item in items {
            if let Some(holder) = item["holderPk"].as_i64() {
                grouped.entry(holder).or_default().push(item);
            }
        }
        lists.insert(name, grouped);
    }
    Ok(keys
        .iter()
        .map(|key| {
            let mut row = json!({"pk": key});
            let target = ref_of(key);
            if wants("healthFacility") {
                row["healthFacility"] = target
                    .and_then(|t| facilities.get(&t).cloned())
                    .unwrap_or(Value::Null);
            }
            if wants("location") {
                row["location"] = target
                    .and_then(|t| places.get(&t).cloned())
                    .unwrap_or(Value::Null);
            }
            for (name, grouped) in &lists {
                let list = int_of(key)
                    .and_then(|k| grouped.get(&k).cloned())
                    .unwrap_or_default();
                row[*name] = Value::Array(list);
            }
            project(sel, &row, "pk")
        })
        .collect())
}
