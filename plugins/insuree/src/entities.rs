//! Entities by key: insuree's types for relay `node(id:)` and other modules' stubs, and the
//! reverse relations insuree adds to location's `LocationGQLType` (`familySet`, `insureeSet`),
//! `HealthFacilityGQLType.insurees` and core's `MutationLogGQLType` (`insurees`, `families`).

use crate::access::Rules;
use crate::links::{self, Linked};
use crate::specs::{self, FAMILY, HEALTH_FACILITY, INSUREE, LOCATION};
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity::{self, Access};
use openimis_sdk::project::{fill_answers, project};
use openimis_sdk::{EntitiesRequest, ModuleError, SelectionField};
use serde_json::{json, Value};

/// Resolves `request.selection` on the objects of `request.type_name` named by `request.keys`.
pub fn resolve(
    conn: &mut DbConnection,
    request: &EntitiesRequest,
    rules: &Rules,
) -> Result<Vec<Value>, ModuleError> {
    if !request.context.is_authenticated() {
        return Err(ModuleError::new("UNAUTHORIZED", "unauthorized"));
    }
    let (sel, keys) = (&request.selection, &request.keys);
    if let Some(spec) = specs::of_type(&request.type_name) {
        return rules.apply(|access| entity::by_keys(conn, spec, keys, sel, access));
    }
    let parent = match request.type_name.as_str() {
        "LocationGQLType" => &LOCATION,
        "HealthFacilityGQLType" => &HEALTH_FACILITY,
        "MutationLogGQLType" => {
            return rules.apply(|access| mutation_logs(conn, keys, sel, access))
        }
        other => {
            return Err(ModuleError::new(
                "NOT_SUPPORTED",
                format!("insuree has no entities of {other}"),
            ))
        }
    };
    rules.apply(|access| entity::extended_by_keys(conn, parent, keys, sel, access))
}

/// `MutationLogGQLType.insurees` / `families`: the link rows of each log (keys are uuids).
fn mutation_logs(
    conn: &mut DbConnection,
    keys: &[Value],
    sel: &[SelectionField],
    access: &Access,
) -> Result<Vec<Value>, ModuleError> {
    let logs: Vec<String> = keys
        .iter()
        .map(|k| k.as_str().map_or_else(|| k.to_string(), str::to_owned))
        .collect();
    let mut rows: Vec<Value> = logs.iter().map(|l| json!({ "pk": l })).collect();
    for (name, kind, inner, spec) in [
        ("insurees", Linked::Insuree, "insuree", &INSUREE),
        ("families", Linked::Family, "family", &FAMILY),
    ] {
        let found = links::rows_of_logs(conn, kind, &logs)?;
        fill_answers(&mut rows, sel, name, |field, rows| {
            let inner_sel = field
                .selection
                .iter()
                .find(|f| f.name == inner)
                .map(|f| f.selection.clone())
                .unwrap_or_default();
            let ids: Vec<Value> = found.iter().map(|l| json!(l.row_id)).collect();
            let objects = entity::by_keys(conn, spec, &ids, &inner_sel, access)?;
            Ok(rows
                .iter()
                .map(|row| {
                    let log = row["pk"].as_str().unwrap_or_default().to_lowercase();
                    let mine: Vec<Value> = found
                        .iter()
                        .zip(&objects)
                        .filter(|(l, _)| l.mutation_id.to_lowercase() == log)
                        .map(|(l, object)| {
                            let link = json!({"id": l.id, inner: object, "mutation": {"pk": l.mutation_id, "id": l.mutation_id}});
                            project(&field.selection, &link, "id")
                        })
                        .collect();
                    json!(mine)
                })
                .collect())
        })?;
    }
    Ok(rows.iter().map(|row| project(sel, row, "pk")).collect())
}
