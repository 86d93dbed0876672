//! The original's `insuree_InsureeMutation` / `insuree_FamilyMutation` link rows: written for
//! each saved row of a mutation carrying a `clientMutationId`, read back as the rows'
//! `mutations` and pending `clientMutationId` (one `mutation_log.pending` call per batch).

use diesel::sql_types::{BigInt, Text};
use diesel::QueryableByName;
use openimis_sdk::db::{self, DbConnection};
use openimis_sdk::sql_filter::id_list;
use openimis_sdk::{mutation_link, HostHandle, ModuleError};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// Which link table.
#[derive(Clone, Copy)]
pub enum Linked {
    Insuree,
    Family,
}

impl Linked {
    pub fn names(self) -> (&'static str, &'static str) {
        match self {
            Linked::Insuree => ("insuree_InsureeMutation", "insuree_id"),
            Linked::Family => ("insuree_FamilyMutation", "family_id"),
        }
    }
}

/// Links row `row` to mutation log `log`.
pub fn link(conn: &mut DbConnection, kind: Linked, row: i64, log: &str) -> Result<(), ModuleError> {
    mutation_link::link(conn, kind.names(), row, log)
}

#[derive(QueryableByName)]
pub struct LinkRow {
    #[diesel(sql_type = Text)]
    pub id: String,
    #[diesel(sql_type = BigInt)]
    pub row_id: i64,
    #[diesel(sql_type = Text)]
    pub mutation_id: String,
}

/// The link rows of `ids`, in link order.
pub fn links_of(
    conn: &mut DbConnection,
    kind: Linked,
    ids: &[i64],
) -> Result<Vec<LinkRow>, ModuleError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let (table, column) = kind.names();
    let sql = format!(
        r#"SELECT CAST("id" AS TEXT) AS id, CAST("{column}" AS BIGINT) AS row_id,
             CAST("mutation_id" AS TEXT) AS mutation_id FROM "{table}"
           WHERE "{column}" IN ({}) ORDER BY "id""#,
        id_list(ids)
    );
    db::load(conn, &sql, &[])
}

/// The `clientMutationId` of each row of `ids` with a linked mutation still at status 0.
pub fn pending(
    host: &HostHandle,
    conn: &mut DbConnection,
    kind: Linked,
    ids: &[i64],
) -> Result<HashMap<i64, Value>, ModuleError> {
    let links = links_of(conn, kind, ids)?;
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

/// The rows of each mutation log uuid of `logs` (`MutationLogGQLType.insurees`/`families`).
pub fn rows_of_logs(
    conn: &mut DbConnection,
    kind: Linked,
    logs: &[String],
) -> Result<Vec<LinkRow>, ModuleError> {
    if logs.is_empty() {
        return Ok(Vec::new());
    }
    let (table, column) = kind.names();
    let marks = vec!["?"; logs.len()].join(", ");
    let sql = format!(
        r#"SELECT CAST("id" AS TEXT) AS id, CAST("{column}" AS BIGINT) AS row_id,
             CAST("mutation_id" AS TEXT) AS mutation_id FROM "{table}"
           WHERE CAST("mutation_id" AS TEXT) IN ({marks}) ORDER BY "id""#
    );
    let binds: Vec<_> = logs.iter().map(openimis_sdk::db::Bind::text).collect();
    db::load(conn, &sql, &binds)
}
