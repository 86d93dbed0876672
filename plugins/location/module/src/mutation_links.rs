//! The links between location's rows and core's mutation log (`location_LocationMutation`,
//! `location_HealthFacilityMutation`) and the `clientMutationId` they answer: the original's
//! `resolve_client_mutation_id`, the client id of the row's first linked mutation still at
//! status 0 (received, not yet run), else null. The statuses are core's: one
//! `mutation_log.pending` call per batch of rows, never one per row.

use crate::specs::{HEALTH_FACILITY, LOCATION};
use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::entity::{self, EntitySpec};
use openimis_sdk::mutation_link;
use openimis_sdk::payload::field_error;
use openimis_sdk::sql_filter::id_list;
use openimis_sdk::{HostHandle, ModuleError};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// Which rows a link table ties to mutations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Linked {
    Location,
    HealthFacility,
}

impl Linked {
    /// (link table, its row column, the rows' entity).
    fn names(self) -> (&'static str, &'static str, &'static EntitySpec) {
        match self {
            Linked::Location => ("location_LocationMutation", "location_id", &LOCATION),
            Linked::HealthFacility => (
                "location_HealthFacilityMutation",
                "health_facility_id",
                &HEALTH_FACILITY,
            ),
        }
    }
}

/// Links row `id` to mutation log `log`.
pub fn link(conn: &mut Conn, kind: Linked, id: i32, log: &str) -> Result<(), ModuleError> {
    let (table, column, ..) = kind.names();
    mutation_link::link(conn, (table, column), i64::from(id), log)
}

/// The original's `on_location_mutation` (its validation signal, run when the mutation is
/// logged, before it is queued): an input naming a `uuid` links the row of that uuid. A uuid
/// no row has links nothing; the mutation itself then reports it.
fn link_named_row(
    conn: &mut Conn,
    kind: Linked,
    input: &Map<String, Value>,
    log: &str,
) -> Result<(), ModuleError> {
    let Some(uuid) = input.get("uuid").and_then(Value::as_str) else {
        return Ok(());
    };
    let spec = kind.names().2;
    let (key, table, column) = (spec.key, spec.table, spec.uuid.unwrap_or_default());
    let sql = format!(r#"SELECT "{key}" AS id FROM "{table}" WHERE "{column}" = ?"#);
    match entity::ids(conn, &sql, &[Bind::text(uuid)])?.first() {
        Some(id) => link(conn, kind, *id as i32, log),
        None => Ok(()),
    }
}

/// [`link_named_row`] of `kind`, as `run_logged_linked` takes it.
pub fn link_named(
    kind: Linked,
) -> impl Fn(&mut Conn, &Map<String, Value>, &str) -> Result<(), ModuleError> {
    move |conn, input, log| link_named_row(conn, kind, input, log)
}

#[derive(diesel::QueryableByName)]
struct LinkRow {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    row_id: i32,
    #[diesel(sql_type = diesel::sql_types::Text)]
    mutation_id: String,
}

/// The `clientMutationId` of each of the rows `ids` that has a linked mutation at status 0:
/// the first such link in the link table's order (the original's `.first()`), whose client
/// id may itself be null. Rows without one are absent.
fn pending_client_ids(
    host: &HostHandle,
    conn: &mut Conn,
    kind: Linked,
    ids: &[i32],
) -> Result<HashMap<i32, Value>, ModuleError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let (table, column, ..) = kind.names();
    let links: Vec<LinkRow> = db::load(
        conn,
        &format!(
            r#"SELECT "{column}" AS row_id, CAST("mutation_id" AS TEXT) AS mutation_id
               FROM "{table}" WHERE "{column}" IN ({}) ORDER BY "id""#,
            id_list(ids)
        ),
        &[],
    )?;
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

/// Sets `clientMutationId` on `rows` (objects with an integer `pk`): `allowed` false answers
/// the original's per-row `unauthorized` error instead. Without a host (no request) it stays
/// as the rows have it.
pub fn attach_client_mutation_ids(
    host: Option<&HostHandle>,
    conn: &mut Conn,
    kind: Linked,
    rows: &mut [Value],
    allowed: bool,
) -> Result<(), ModuleError> {
    if !allowed {
        let denied = field_error("UNAUTHORIZED", "unauthorized");
        for row in rows.iter_mut() {
            row["clientMutationId"] = denied.clone();
        }
        return Ok(());
    }
    let Some(host) = host else { return Ok(()) };
    let pk = |row: &Value| row["pk"].as_i64().map(|pk| pk as i32);
    let ids: Vec<i32> = rows.iter().filter_map(pk).collect();
    let pending = pending_client_ids(host, conn, kind, &ids)?;
    for row in rows.iter_mut() {
        row["clientMutationId"] = pk(row)
            .and_then(|pk| pending.get(&pk).cloned())
            .unwrap_or(Value::Null);
    }
    Ok(())
}
