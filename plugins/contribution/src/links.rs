//! The original's `contribution_PremiumMutation` link rows: one for the premium
//! `createPremium` saved (`PremiumMutation.object_mutated`, when the input carries a
//! `clientMutationId`), and, as the before-mutating signal `on_premium_mutation` writes them,
//! one for every premium the input's `uuids` (else its `uuid`) name, any validity, whatever the
//! mutation's outcome. Read back as `PremiumGQLType.mutations`, its pending `clientMutationId`
//! and `MutationLogGQLType.premiums`.

use diesel::sql_types::{BigInt, Text};
use diesel::QueryableByName;
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity;
use openimis_sdk::sql_filter::id_list;
use openimis_sdk::{mutation_link, HostHandle, ModuleError};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

const TABLE: (&str, &str) = ("contribution_PremiumMutation", "premium_id");

/// Links premium `pk` to mutation log `log`, unless it is linked to it already (the signal's
/// `update_or_create`).
pub fn link(conn: &mut DbConnection, pk: i64, log: &str) -> Result<(), ModuleError> {
    let sql = r#"SELECT COUNT(*) AS n FROM "contribution_PremiumMutation" WHERE "premium_id" = ? AND CAST("mutation_id" AS TEXT) = ?"#;
    if db::count(conn, sql, &[Bind::BigInt(Some(pk)), Bind::text(log)])? > 0 {
        return Ok(());
    }
    mutation_link::link(conn, TABLE, pk, log)
}

/// The log to link a saved premium to: `log` when the input carries a `clientMutationId`.
pub fn linked<'a>(input: &Map<String, Value>, log: &'a str) -> Option<&'a str> {
    input
        .get("clientMutationId")
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty())
        .map(|_| log)
}

/// `on_premium_mutation`: links every premium the input's `uuids` (else `uuid`) name to `log`.
pub fn link_named(
    conn: &mut DbConnection,
    input: &Map<String, Value>,
    log: &str,
) -> Result<(), ModuleError> {
    let mut uuids: Vec<&str> = input
        .get("uuids")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if uuids.is_empty() {
        uuids.extend(input.get("uuid").and_then(Value::as_str));
    }
    uuids.retain(|u| !u.is_empty());
    if uuids.is_empty() {
        return Ok(());
    }
    let marks = vec!["?"; uuids.len()].join(", ");
    let sql = format!(
        r#"SELECT "PremiumId" AS id FROM "tblPremium" WHERE CAST("PremiumUUID" AS TEXT) IN ({marks})"#
    );
    let binds: Vec<Bind> = uuids.iter().map(|u| Bind::text(*u)).collect();
    for pk in entity::ids(conn, &sql, &binds)? {
        link(conn, pk, log)?;
    }
    Ok(())
}

#[derive(QueryableByName)]
pub struct LinkRow {
    #[diesel(sql_type = Text)]
    pub id: String,
    #[diesel(sql_type = BigInt)]
    pub premium: i64,
    #[diesel(sql_type = Text)]
    pub mutation: String,
}

/// The link rows whose `column` is in `list` (a SQL list of literals or marks), in link order.
fn links_where(
    conn: &mut DbConnection,
    column: &str,
    list: &str,
    binds: &[Bind],
) -> Result<Vec<LinkRow>, ModuleError> {
    let sql = format!(
        r#"SELECT CAST("id" AS TEXT) AS id, CAST("premium_id" AS BIGINT) AS premium,
             CAST("mutation_id" AS TEXT) AS mutation FROM "contribution_PremiumMutation"
           WHERE {column} IN ({list}) ORDER BY "id""#
    );
    db::load(conn, &sql, binds)
}

/// The link rows of premiums `ids`.
pub fn links_of(conn: &mut DbConnection, ids: &[i64]) -> Result<Vec<LinkRow>, ModuleError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    links_where(conn, r#""premium_id""#, &id_list(ids), &[])
}

/// The link rows of the mutation logs `logs` (uuids).
pub fn rows_of_logs(conn: &mut DbConnection, logs: &[String]) -> Result<Vec<LinkRow>, ModuleError> {
    if logs.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; logs.len()].join(", ");
    let binds: Vec<Bind> = logs.iter().map(|l| Bind::text(l.to_lowercase())).collect();
    links_where(
        conn,
        r#"LOWER(CAST("mutation_id" AS TEXT))"#,
        &marks,
        &binds,
    )
}

/// `PremiumGQLType.clientMutationId`: for each premium of `ids`, the `clientMutationId` of a
/// linked mutation still at status 0 (core's `mutation_log.pending`).
pub fn pending(
    host: &HostHandle,
    conn: &mut DbConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Value>, ModuleError> {
    let links = links_of(conn, ids)?;
    if links.is_empty() {
        return Ok(HashMap::new());
    }
    let mut logs: Vec<&str> = links.iter().map(|l| l.mutation.as_str()).collect();
    logs.sort_unstable();
    logs.dedup();
    let pending: Map<String, Value> =
        host.call("core", "mutation_log.pending", &json!({ "ids": logs }))?;
    let mut answer = HashMap::new();
    for l in &links {
        if let Some(client_id) = pending.get(&l.mutation) {
            answer.entry(l.premium).or_insert_with(|| client_id.clone());
        }
    }
    Ok(answer)
}
