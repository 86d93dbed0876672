//! Entities by key: premiums for relay `node(id:)` and other modules' stubs, and the reverse
//! relations contribution adds to policy's `PolicyGQLType` (`premiums`: every premium of the
//! policy, history rows included, as the original's reverse relation has no validity filter)
//! and core's `MutationLogGQLType` (`premiums`: the link rows of each log).

use crate::computed::Reads;
use crate::links;
use crate::specs::{self, POLICY, PREMIUM};
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity::{self, Access};
use openimis_sdk::project::{fill_answers, project};
use openimis_sdk::{EntitiesRequest, HostHandle, ModuleError, SelectionField};
use serde_json::{json, Value};

/// Resolves `request.selection` on the objects of `request.type_name` named by `request.keys`.
pub fn resolve(
    host: &HostHandle,
    conn: &mut DbConnection,
    request: &EntitiesRequest,
) -> Result<Vec<Value>, ModuleError> {
    // As the root lists: a login.
    if !request.context.is_authenticated() {
        return Err(ModuleError::new("UNAUTHORIZED", "unauthorized"));
    }
    let (sel, keys) = (&request.selection, &request.keys);
    let reads = Reads {
        host: Some(host),
        annotated: false,
    };
    if let Some(spec) = specs::of_type(&request.type_name) {
        return reads.apply(|access| entity::by_keys(conn, spec, keys, sel, access));
    }
    match request.type_name.as_str() {
        "PolicyGQLType" => {
            let sel: Vec<SelectionField> = sel.iter().map(with_history).collect();
            reads.apply(|access| entity::extended_by_keys(conn, &POLICY, keys, &sel, access))
        }
        "MutationLogGQLType" => reads.apply(|access| mutation_logs(conn, keys, sel, access)),
        other => Err(ModuleError::new(
            "NOT_SUPPORTED",
            format!("contribution has no entities of {other}"),
        )),
    }
}

/// `premiums` with its history rows.
fn with_history(field: &SelectionField) -> SelectionField {
    match field.name == "premiums" {
        true => entity::with_args(field, &[("showHistory", json!(true))]),
        false => field.clone(),
    }
}

/// `MutationLogGQLType.premiums`: the link rows of each log (keys are uuids).
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
    let found = links::rows_of_logs(conn, &logs)?;
    fill_answers(&mut rows, sel, "premiums", |field, rows| {
        let inner = field
            .selection
            .iter()
            .find(|f| f.name == "premium")
            .map(|f| f.selection.clone())
            .unwrap_or_default();
        let ids: Vec<Value> = found.iter().map(|l| json!(l.premium)).collect();
        let premiums = entity::by_keys(conn, &PREMIUM, &ids, &inner, access)?;
        Ok(rows
            .iter()
            .map(|row| {
                let log = row["pk"].as_str().unwrap_or_default().to_lowercase();
                let mine: Vec<Value> = found
                    .iter()
                    .zip(&premiums)
                    .filter(|(l, _)| l.mutation.to_lowercase() == log)
                    .map(|(l, premium)| {
                        let link = json!({"id": l.id, "premium": premium, "mutation": {"pk": l.mutation, "id": l.mutation}});
                        project(&field.selection, &link, "id")
                    })
                    .collect();
                json!(mine)
            })
            .collect())
    })?;
    Ok(rows.iter().map(|row| project(sel, row, "pk")).collect())
}
