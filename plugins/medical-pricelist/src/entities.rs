//! Entities: the price lists and details by key (relay `node(id:)`, stubs), the price lists
//! medical_pricelist adds to location's `HealthFacilityGQLType` (the facilities' references
//! come from location's `health_facilities.pricelist_ids`, one call per batch),
//! `LocationGQLType.servicespricelistSet`, and the valid details of a batch of medical's
//! services or items (`pricelistDetails`, paged per parent in one statement).

use crate::queries::lists;
use crate::specs::{self, Pricelist, ALL, SERVICES};
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity::{self, Access};
use openimis_sdk::project::{fill_answers, project};
use openimis_sdk::sql_filter::{int_of, Where};
use openimis_sdk::{EntitiesRequest, HostHandle, ModuleError, SelectionField};
use serde_json::{json, Value};

/// Resolves `request.selection` on the objects of `request.type_name` named by `request.keys`.
pub fn resolve(
    host: &HostHandle,
    conn: &mut DbConnection,
    request: &EntitiesRequest,
) -> Result<Vec<Value>, ModuleError> {
    let (sel, keys) = (&request.selection, &request.keys);
    let mut rows: Vec<Value> = keys.iter().map(|key| json!({ "pk": key })).collect();
    match request.type_name.as_str() {
        "HealthFacilityGQLType" => facility_fields(host, conn, &mut rows, sel)?,
        "LocationGQLType" => location_fields(conn, &mut rows, sel)?,
        other => match (specs::of_type(other), specs::of_medical_type(other)) {
            (Some(spec), _) => return entity::by_keys(conn, spec, keys, sel, &Access::open()),
            (None, Some(kind)) => medical_fields(conn, kind, &mut rows, sel)?,
            (None, None) => return Err(entity::no_entities("medical_pricelist", other)),
        },
    }
    Ok(rows.iter().map(|row| project(sel, row, "pk")).collect())
}

/// `servicesPricelist` / `itemsPricelist` of a batch of facilities (keys: `tblHF` ids).
fn facility_fields(
    host: &HostHandle,
    conn: &mut DbConnection,
    rows: &mut [Value],
    sel: &[SelectionField],
) -> Result<(), ModuleError> {
    let ids: Vec<i64> = rows.iter().filter_map(|row| int_of(&row["pk"])).collect();
    let refs: Value = host.call(
        "location",
        "health_facilities.pricelist_ids",
        &json!({ "ids": ids }),
    )?;
    for kind in ALL {
        fill_answers(rows, sel, kind.field, |field, rows| {
            let lists: Vec<Value> = rows
                .iter()
                .map(|row| {
                    let key = &row["pk"];
                    let text = key.as_str().map_or_else(|| key.to_string(), str::to_owned);
                    refs[text.as_str()][kind.key].clone()
                })
                .collect();
            entity::by_keys(conn, kind.list, &lists, &field.selection, &Access::open())
        })?;
    }
    Ok(())
}

/// `pricelistDetails` of a batch of medical's services or items (the kind's).
fn medical_fields(
    conn: &mut DbConnection,
    kind: &Pricelist,
    rows: &mut [Value],
    sel: &[SelectionField],
) -> Result<(), ModuleError> {
    for row in rows.iter_mut() {
        row["pk"] = int_of(&row["pk"]).map_or(Value::Null, |pk| json!(pk));
    }
    entity::complete(conn, kind.medical, rows, sel, &Access::open())
}

/// `servicespricelistSet` of a batch of locations: each one's services lists, history rows
/// included (the original's reverse relation has no validity filter), per alias.
fn location_fields(
    conn: &mut DbConnection,
    rows: &mut [Value],
    sel: &[SelectionField],
) -> Result<(), ModuleError> {
    fill_answers(rows, sel, "servicespricelistSet", |field, rows| {
        let field = entity::with_args(field, &[("showHistory", json!(true))]);
        rows.iter()
            .map(|row| match int_of(&row["pk"]) {
                Some(location) => {
                    let mut w = Where::new();
                    w.and(&format!(r#"pl."LocationId" = {location}"#), []);
                    lists(conn, &SERVICES, &field, w)
                }
                None => Ok(Value::Null),
            })
            .collect()
    })
}
