//! Entities: the price lists and details by key (relay `node(id:)`, stubs), the price lists
//! medical_pricelist adds to location's `HealthFacilityGQLType` (the facilities' references
//! come from location's `health_facilities.pricelist_ids`, one call per batch) and
//! `LocationGQLType.servicespricelistSet`.

use crate::kind::Kind;
use crate::queries::pricelist_list;
use crate::rows::{self, id_list};
use crate::shape;
use crate::Conn;
use openimis_sdk::project::{fill_answers, project};
use openimis_sdk::sql_filter::{int_of, Where};
use openimis_sdk::windowed::children;
use openimis_sdk::{EntitiesRequest, HostHandle, ModuleError, SelectionField};
use serde_json::{json, Value};
use std::collections::HashMap;

fn int_keys(keys: &[Value]) -> Vec<i64> {
    keys.iter().filter_map(int_of).collect()
}

fn by_pk(rows: Vec<Value>) -> HashMap<i64, Value> {
    rows.into_iter()
        .filter_map(|r| r["pk"].as_i64().map(|pk| (pk, r)))
        .collect()
}

/// The kind's price lists with these ids, completed for `sel`, by id.
fn lists(
    conn: &mut Conn,
    kind: Kind,
    ids: &[i64],
    sel: &[SelectionField],
) -> Result<HashMap<i64, Value>, ModuleError> {
    let mut found: Vec<Value> = rows::pricelists_by_id(conn, kind, ids)?
        .iter()
        .map(|r| r.to_json(kind))
        .collect();
    shape::complete_lists(conn, kind, &mut found, sel)?;
    Ok(by_pk(found))
}

fn details(
    conn: &mut Conn,
    kind: Kind,
    ids: &[i64],
    sel: &[SelectionField],
) -> Result<HashMap<i64, Value>, ModuleError> {
    let clause = format!(r#"d."{}" IN ({})"#, kind.detail_pk(), id_list(ids));
    let mut found: Vec<Value> = rows::details_where(conn, kind, &clause)?
        .iter()
        .map(|d| d.to_json(kind))
        .collect();
    shape::complete_details(conn, kind, &mut found, sel)?;
    Ok(by_pk(found))
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

/// Resolves `request.selection` on the objects of `request.type_name` named by `request.keys`.
pub fn resolve(
    host: &HostHandle,
    conn: &mut Conn,
    request: &EntitiesRequest,
) -> Result<Vec<Value>, ModuleError> {
    let (sel, keys) = (&request.selection, &request.keys);
    match request.type_name.as_str() {
        "HealthFacilityGQLType" => facility_fields(host, conn, keys, sel),
        "LocationGQLType" => location_fields(conn, keys, sel),
        other => match Kind::of_type(other) {
            Some((kind, false)) => Ok(answer(keys, &lists(conn, kind, &int_keys(keys), sel)?, sel)),
            Some((kind, true)) => Ok(answer(
                keys,
                &details(conn, kind, &int_keys(keys), sel)?,
                sel,
            )),
            None => Err(ModuleError::new(
                "NOT_SUPPORTED",
                format!("medical_pricelist has no entities of {other}"),
            )),
        },
    }
}

/// `servicesPricelist` / `itemsPricelist` of a batch of facilities (keys: `tblHF` ids).
fn facility_fields(
    host: &HostHandle,
    conn: &mut Conn,
    keys: &[Value],
    sel: &[SelectionField],
) -> Result<Vec<Value>, ModuleError> {
    let refs: Value = host.call(
        "location",
        "health_facilities.pricelist_ids",
        &json!({"ids": int_keys(keys)}),
    )?;
    let reference = |key: &Value, kind: Kind| -> Option<i64> {
        let text = key.as_str().map_or_else(|| key.to_string(), str::to_owned);
        int_of(&refs[text.as_str()][kind.facility_key()])
    };
    let mut found: Vec<(Kind, HashMap<i64, Value>)> = Vec::new();
    for kind in Kind::ALL {
        if !sel.iter().any(|f| f.name == kind.list_field()) {
            continue;
        }
        let ids: Vec<i64> = keys.iter().filter_map(|k| reference(k, kind)).collect();
        found.push((
            kind,
            lists(conn, kind, &ids, &children(sel, kind.list_field()))?,
        ));
    }
    Ok(keys
        .iter()
        .map(|key| {
            let mut row = json!({"pk": key});
            for (kind, by_id) in &found {
                row[kind.list_field()] = reference(key, *kind)
                    .and_then(|id| by_id.get(&id).cloned())
                    .unwrap_or(Value::Null);
            }
            project(sel, &row, "pk")
        })
        .collect())
}

/// `servicespricelistSet` of a batch of locations: each one's services lists, history rows
/// included (the original's reverse relation has no validity filter), per alias.
fn location_fields(
    conn: &mut Conn,
    keys: &[Value],
    sel: &[SelectionField],
) -> Result<Vec<Value>, ModuleError> {
    let mut rows: Vec<Value> = keys.iter().map(|key| json!({"pk": key})).collect();
    fill_answers(&mut rows, sel, "servicespricelistSet", |field, rows| {
        rows.iter()
            .map(|row| match int_of(&row["pk"]) {
                Some(location) => {
                    let mut w = Where::new();
                    w.and(&format!(r#"pl."LocationId" = {location}"#), []);
                    pricelist_list(conn, Kind::Services, field, w)
                }
                None => Ok(Value::Null),
            })
            .collect()
    })?;
    Ok(rows.iter().map(|row| project(sel, row, "pk")).collect())
}
