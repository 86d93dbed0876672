//! Reading link rows back: those of some rows, those of some mutation logs, and the
//! `clientMutationId` of each row's first linked mutation still at status 0 (core's
//! `mutation_log.pending`, one call per batch, never one per row).

use crate::abi::ModuleError;
use crate::db::{self, Bind, DbConnection};
use crate::sql_filter::id_list;
use crate::HostHandle;
use diesel::sql_types::{BigInt, Text};
use diesel::QueryableByName;
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// One link row: its id, the linked row's key and the mutation log's uuid.
#[derive(Debug, Clone, QueryableByName)]
pub struct LinkRow {
    #[diesel(sql_type = Text)]
    pub id: String,
    #[diesel(sql_type = BigInt)]
    pub row_id: i64,
    #[diesel(sql_type = Text)]
    pub mutation_id: String,
}

/// The link rows of `table` whose `condition` holds, in link order.
fn rows_where(
    conn: &mut DbConnection,
    (table, column): (&str, &str),
    condition: &str,
    binds: &[Bind],
) -> Result<Vec<LinkRow>, ModuleError> {
    let sql = format!(
        r#"SELECT CAST("id" AS TEXT) AS id, CAST("{column}" AS BIGINT) AS row_id,
             CAST("mutation_id" AS TEXT) AS mutation_id FROM "{table}"
           WHERE {condition} ORDER BY "id""#
    );
    db::load(conn, &sql, binds)
}

/// The link rows of the rows `ids`, in link order.
pub fn rows_of(
    conn: &mut DbConnection,
    table: (&str, &str),
    ids: &[i64],
) -> Result<Vec<LinkRow>, ModuleError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let condition = format!(r#""{}" IN ({})"#, table.1, id_list(ids));
    rows_where(conn, table, &condition, &[])
}

/// The link rows of the mutation logs `logs` (uuids, in any case), in link order.
pub fn rows_of_logs(
    conn: &mut DbConnection,
    table: (&str, &str),
    logs: &[String],
) -> Result<Vec<LinkRow>, ModuleError> {
    if logs.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; logs.len()].join(", ");
    let condition = format!(r#"LOWER(CAST("mutation_id" AS TEXT)) IN ({marks})"#);
    let binds: Vec<Bind> = logs.iter().map(|l| Bind::text(l.to_lowercase())).collect();
    rows_where(conn, table, &condition, &binds)
}

/// For each row of `ids` with a linked mutation still at status 0, the `clientMutationId` of
/// the first such link in link order (the original's `resolve_client_mutation_id`, whose
/// client id may itself be null). Rows without one are absent.
pub fn pending(
    host: &HostHandle,
    conn: &mut DbConnection,
    table: (&str, &str),
    ids: &[i64],
) -> Result<HashMap<i64, Value>, ModuleError> {
    let links = rows_of(conn, table, ids)?;
    if links.is_empty() {
        return Ok(HashMap::new());
    }
    let mut logs: Vec<&str> = links.iter().map(|l| l.mutation_id.as_str()).collect();
    logs.sort_unstable();
    logs.dedup();
    let pending: Map<String, Value> =
        host.call("core", "mutation_log.pending", &json!({ "ids": logs }))?;
    let mut answer = HashMap::new();
    for l in &links {
        if let Some(client_id) = pending.get(&l.mutation_id) {
            answer.entry(l.row_id).or_insert_with(|| client_id.clone());
        }
    }
    Ok(answer)
}
