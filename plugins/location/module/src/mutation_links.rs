//! The links between location's rows and core's mutation log (`location_LocationMutation`,
//! `location_HealthFacilityMutation`) and the `clientMutationId` they answer: the original's
//! `resolve_client_mutation_id`, the client id of the row's first linked mutation still at
//! status 0 (received, not yet run), else null. The statuses are core's: one
//! `mutation_log.pending` call per batch of rows, never one per row.

use crate::specs::{HEALTH_FACILITY, LOCATION};
use crate::Conn;
use openimis_sdk::db::Bind;
use openimis_sdk::entity::{self, EntitySpec};
use openimis_sdk::mutation_link;
use openimis_sdk::payload::field_error;
use openimis_sdk::{HostHandle, ModuleError};
use serde_json::{Map, Value};

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
    let pk = |row: &Value| row["pk"].as_i64();
    let ids: Vec<i64> = rows.iter().filter_map(pk).collect();
    let (table, column, ..) = kind.names();
    let pending = mutation_link::pending(host, conn, (table, column), &ids)?;
    for row in rows.iter_mut() {
        row["clientMutationId"] = pk(row)
            .and_then(|pk| pending.get(&pk).cloned())
            .unwrap_or(Value::Null);
    }
    Ok(())
}
