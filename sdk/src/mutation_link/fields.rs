//! The fields link rows answer: a linked entity's `clientMutationId` and `mutations` (an
//! `extend` hook's part), and the reverse relations a module adds to core's
//! `MutationLogGQLType` (`premiums`, `insurees`, ...: the link rows of each log).

use super::rows::{self, LinkRow};
use crate::abi::ModuleError;
use crate::db::DbConnection;
use crate::entity::{self, Access, EntitySpec};
use crate::project::{fill_answers, project};
use crate::{HostHandle, SelectionField};
use serde_json::{json, Value};

/// Answers `clientMutationId` (the pending linked mutation's, [`rows::pending`]; null
/// without a host) and `mutations` (the link rows, `{id, <name>: the row, mutation: {pk}}`)
/// on `rows` of a linked entity (objects with an integer `pk`), when `sel` asks for them.
pub fn client_mutation_fields(
    host: Option<&HostHandle>,
    conn: &mut DbConnection,
    table: (&str, &str),
    name: &str,
    rows: &mut [Value],
    sel: &[SelectionField],
) -> Result<(), ModuleError> {
    let wants = |field: &str| sel.iter().any(|f| f.name == field);
    let ids: Vec<i64> = rows.iter().filter_map(|r| r["pk"].as_i64()).collect();
    if wants("clientMutationId") {
        let pending = match host {
            Some(host) => rows::pending(host, conn, table, &ids)?,
            None => Default::default(),
        };
        for row in rows.iter_mut() {
            let pk = row["pk"].as_i64().unwrap_or_default();
            row["clientMutationId"] = pending.get(&pk).cloned().unwrap_or(Value::Null);
        }
    }
    if wants("mutations") {
        let found = rows::rows_of(conn, table, &ids)?;
        for row in rows.iter_mut() {
            let pk = row["pk"].as_i64().unwrap_or_default();
            let mine: Vec<Value> = found
                .iter()
                .filter(|l| l.row_id == pk)
                .map(|l| json!({"id": l.id, name: row.clone(), "mutation": {"pk": l.mutation_id}}))
                .collect();
            row["mutations"] = json!(mine);
        }
    }
    Ok(())
}

/// One field a module adds to `MutationLogGQLType`: `premiums { id premium { .. } mutation }`
/// is `LogField { field: "premiums", inner: "premium", table, spec: &PREMIUM }`.
pub struct LogField<'a> {
    pub field: &'a str,
    pub inner: &'a str,
    pub table: (&'a str, &'a str),
    pub spec: &'a EntitySpec,
}

/// `MutationLogGQLType`'s entities by key (uuids) with the module's `fields`: the link rows of
/// each log, their rows loaded once per field under `access`.
pub fn mutation_logs(
    conn: &mut DbConnection,
    keys: &[Value],
    sel: &[SelectionField],
    access: &Access,
    fields: &[LogField],
) -> Result<Vec<Value>, ModuleError> {
    let logs: Vec<String> = keys
        .iter()
        .map(|k| k.as_str().map_or_else(|| k.to_string(), str::to_owned))
        .collect();
    let mut rows: Vec<Value> = logs.iter().map(|l| json!({ "pk": l })).collect();
    for log_field in fields {
        let found = rows::rows_of_logs(conn, log_field.table, &logs)?;
        fill_answers(&mut rows, sel, log_field.field, |field, rows| {
            answer(conn, log_field, &found, field, rows, access)
        })?;
    }
    Ok(rows.iter().map(|row| project(sel, row, "pk")).collect())
}

/// One `MutationLogGQLType` field on `rows` (the logs), from the link rows `found`.
fn answer(
    conn: &mut DbConnection,
    log_field: &LogField,
    found: &[LinkRow],
    field: &SelectionField,
    rows: &[Value],
    access: &Access,
) -> Result<Vec<Value>, ModuleError> {
    let inner = log_field.inner;
    let inner_sel = field
        .selection
        .iter()
        .find(|f| f.name == inner)
        .map(|f| f.selection.clone())
        .unwrap_or_default();
    let ids: Vec<Value> = found.iter().map(|l| json!(l.row_id)).collect();
    let objects = entity::by_keys(conn, log_field.spec, &ids, &inner_sel, access)?;
    let answers = rows.iter().map(|row| {
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
    });
    Ok(answers.collect())
}
