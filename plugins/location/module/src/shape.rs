//! Completing rows with what a selection asks for beyond their own columns (`parent`,
//! `children`, `location`, `catchments`, ...): one batched query per nested field and level,
//! never one per row, except nested connections, which page per row as the original does, once
//! per distinct alias (`sdk::project::fill_answers`: each alias with its own arguments).

use crate::mutation_links::{attach_client_mutation_ids, Linked};
use crate::queries::{health_facility_list, location_list};
use crate::rows::{self, Assignment};
use crate::security::Scope;
use crate::Conn;
use openimis_sdk::db::Bind;
use openimis_sdk::payload::field_error;
use openimis_sdk::project::fill_answers;
use openimis_sdk::sql_filter::Where;
use openimis_sdk::windowed::children;
use openimis_sdk::{ModuleError, SelectionField};
use serde_json::{json, Value};
use std::collections::HashMap;

fn pk_of(row: &Value, key: &str) -> Option<i64> {
    row.get(key).and_then(Value::as_i64)
}

fn pks(rows: &[Value], key: &str) -> Vec<i32> {
    let mut ids: Vec<i32> = rows
        .iter()
        .filter_map(|r| pk_of(r, key))
        .map(|i| i as i32)
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

fn selected<'s>(sel: &'s [SelectionField], name: &str) -> Option<&'s SelectionField> {
    sel.iter().find(|f| f.name == name)
}

/// Sets `row[name]` from `by_pk[row[key]]` (null when missing).
fn attach(rows: &mut [Value], name: &str, key: &str, by_pk: &HashMap<i64, Value>) {
    for row in rows.iter_mut() {
        let value = pk_of(row, key)
            .and_then(|pk| by_pk.get(&pk).cloned())
            .unwrap_or(Value::Null);
        row[name] = value;
    }
}

/// Sets `row[name]` to the list of `items` whose `item_key` is the row's `pk`.
fn attach_lists(rows: &mut [Value], name: &str, items: &[Value], item_key: &str) {
    let mut grouped: HashMap<i64, Vec<Value>> = HashMap::new();
    for item in items {
        if let Some(pk) = pk_of(item, item_key) {
            grouped.entry(pk).or_default().push(item.clone());
        }
    }
    for row in rows.iter_mut() {
        let list = pk_of(row, "pk")
            .and_then(|pk| grouped.remove(&pk))
            .unwrap_or_default();
        row[name] = Value::Array(list);
    }
}

fn keyed(rows: Vec<Value>) -> HashMap<i64, Value> {
    rows.into_iter()
        .filter_map(|r| pk_of(&r, "pk").map(|pk| (pk, r)))
        .collect()
}

/// Locations by id, completed for `sel`.
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
    locations_complete(conn, &mut found, sel, scope)?;
    Ok(keyed(found))
}

/// Sets each row's `location` (by its `locationPk`) when selected: one load for all rows.
fn attach_location(
    conn: &mut Conn,
    rows: &mut [Value],
    sel: &[SelectionField],
    scope: Scope,
) -> Result<(), ModuleError> {
    if selected(sel, "location").is_some() {
        let by_pk = locations(
            conn,
            &pks(rows, "locationPk"),
            &children(sel, "location"),
            scope,
        )?;
        attach(rows, "location", "locationPk", &by_pk);
    }
    Ok(())
}

/// Completes `LocationGQLType` rows; `clientMutationId` needs a login.
pub fn locations_complete(
    conn: &mut Conn,
    rows: &mut [Value],
    sel: &[SelectionField],
    scope: Scope,
) -> Result<(), ModuleError> {
    if rows.is_empty() {
        return Ok(());
    }
    if selected(sel, "clientMutationId").is_some() {
        attach_client_mutation_ids(
            scope.host(),
            conn,
            Linked::Location,
            rows,
            scope.authenticated(),
        )?;
    }
    if selected(sel, "parent").is_some() {
        let by_pk = locations(
            conn,
            &pks(rows, "parentPk"),
            &children(sel, "parent"),
            scope,
        )?;
        attach(rows, "parent", "parentPk", &by_pk);
    }
    fill_answers(rows, sel, "children", |field, rows| {
        rows.iter()
            .map(|row| {
                let mut w = Where::new();
                w.and(
                    r#"l."ParentLocationId" = ?"#,
                    [Bind::BigInt(pk_of(row, "pk"))],
                );
                location_list(conn, field, w, scope, true)
            })
            .collect()
    })?;
    fill_answers(rows, sel, "healthfacilitySet", |field, rows| {
        rows.iter()
            .map(|row| {
                let mut w = Where::new();
                w.and(r#"h."LocationId" = ?"#, [Bind::BigInt(pk_of(row, "pk"))]);
                health_facility_list(conn, field, w, scope, true)
            })
            .collect()
    })?;
    if selected(sel, "catchments").is_some() {
        let mut items: Vec<Value> = rows::catchments_where(conn, "LocationId", &pks(rows, "pk"))?
            .iter()
            .map(rows::CatchmentRow::to_json)
            .collect();
        catchments_complete(conn, &mut items, &children(sel, "catchments"), scope)?;
        attach_lists(rows, "catchments", &items, "locationPk");
    }
    for (name, kind) in [
        ("userdistrictSet", Assignment::UserDistricts),
        ("officerVillages", Assignment::OfficerVillages),
    ] {
        if selected(sel, name).is_some() {
            let ids: Vec<i64> = pks(rows, "pk").into_iter().map(i64::from).collect();
            let mut items: Vec<Value> = kind
                .load(conn, false, &ids)?
                .iter()
                .map(|r| kind.to_json(r))
                .collect();
            assignments_complete(conn, &mut items, &children(sel, name), kind, scope)?;
            attach_lists(rows, name, &items, "locationPk");
        }
    }
    Ok(())
}

/// Completes `HealthFacilityGQLType` rows; `catchments` and `clientMutationId` need 121101.
pub fn health_facilities_complete(
    conn: &mut Conn,
    rows: &mut [Value],
    sel: &[SelectionField],
    scope: Scope,
) -> Result<(), ModuleError> {
    if rows.is_empty() {
        return Ok(());
    }
    attach_location(conn, rows, sel, scope)?;
    for (name, code_key, all) in [
        (
            "legalForm",
            "legalFormCode",
            rows::legal_forms as fn(&mut Conn) -> _,
        ),
        ("subLevel", "subLevelCode", rows::sub_levels),
    ] {
        if selected(sel, name).is_some() {
            let mut by_code: HashMap<String, Value> = all(conn)?.into_iter().collect();
            let column = if name == "legalForm" {
                r#"h."LegalForm""#
            } else {
                r#"h."HFSublevel""#
            };
            let mut values: Vec<&mut Value> = by_code.values_mut().collect();
            fill_answers(
                &mut values,
                &children(sel, name),
                "healthFacilities",
                |nested, values| {
                    values
                        .iter()
                        .map(|value| {
                            let code = value["code"].as_str().unwrap_or_default();
                            let mut w = Where::new();
                            w.and(&format!("{column} = ?"), [Bind::text(code)]);
                            health_facility_list(conn, nested, w, scope, true)
                        })
                        .collect()
                },
            )?;
            for row in rows.iter_mut() {
                let value = row
                    .get(code_key)
                    .and_then(Value::as_str)
                    .and_then(|c| by_code.get(c).cloned())
                    .unwrap_or(Value::Null);
                row[name] = value;
            }
        }
    }
    if selected(sel, "clientMutationId").is_some() {
        attach_client_mutation_ids(
            scope.host(),
            conn,
            Linked::HealthFacility,
            rows,
            scope.facility_details(),
        )?;
    }
    if !scope.facility_details() {
        // As the original's resolver: without 121101 the field fails, one row at a time.
        if selected(sel, "catchments").is_some() {
            let denied = field_error("UNAUTHORIZED", "unauthorized");
            for row in rows.iter_mut() {
                row["catchments"] = denied.clone();
            }
        }
    } else if selected(sel, "catchments").is_some() {
        let mut items: Vec<Value> = rows::catchments_where(conn, "HFID", &pks(rows, "pk"))?
            .iter()
            .map(rows::CatchmentRow::to_json)
            .collect();
        catchments_complete(conn, &mut items, &children(sel, "catchments"), scope)?;
        attach_lists(rows, "catchments", &items, "healthFacilityPk");
    }
    Ok(())
}

fn catchments_complete(
    conn: &mut Conn,
    rows: &mut [Value],
    sel: &[SelectionField],
    scope: Scope,
) -> Result<(), ModuleError> {
    if rows.is_empty() {
        return Ok(());
    }
    attach_location(conn, rows, sel, scope)?;
    if selected(sel, "healthFacility").is_some() {
        let mut found: Vec<Value> =
            rows::health_facilities_by_id(conn, &pks(rows, "healthFacilityPk"))?
                .iter()
                .map(rows::HfRow::to_json)
                .collect();
        health_facilities_complete(conn, &mut found, &children(sel, "healthFacility"), scope)?;
        attach(rows, "healthFacility", "healthFacilityPk", &keyed(found));
    }
    Ok(())
}

/// Completes `UserDistrictType` / `OfficerVillageGQLType` rows: `location` here, `user` and
/// `officer` as stubs (`pk` answers the host's `__key`) that core resolves.
pub fn assignments_complete(
    conn: &mut Conn,
    rows: &mut [Value],
    sel: &[SelectionField],
    kind: Assignment,
    scope: Scope,
) -> Result<(), ModuleError> {
    if rows.is_empty() {
        return Ok(());
    }
    attach_location(conn, rows, sel, scope)?;
    let holder = match kind {
        Assignment::UserDistricts => "user",
        Assignment::OfficerVillages => "officer",
    };
    for row in rows.iter_mut() {
        row[holder] = json!({ "pk": row["holderPk"] });
    }
    Ok(())
}
