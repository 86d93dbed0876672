//! The original's `policy_PolicyMutation` link rows: one for the policy a create, update or
//! renew saved (`PolicyMutation.object_mutated`, when the input carries a
//! `clientMutationId`), and, as the validation signal `on_policy_mutation` writes them when
//! the mutation is logged, one for every policy the `uuids` of `suspendPolicies` and
//! `deletePolicies` name (any validity, whatever the mutation's outcome).

use openimis_sdk::db::{Bind, DbConnection};
use openimis_sdk::entity;
use openimis_sdk::{mutation_link, ModuleError};
use serde_json::{Map, Value};

const TABLE: (&str, &str) = ("policy_PolicyMutation", "policy_id");

/// Links policy `pk` to mutation log `log`.
pub fn link(conn: &mut DbConnection, pk: i64, log: &str) -> Result<(), ModuleError> {
    mutation_link::link(conn, TABLE, pk, log)
}

/// The log to link a saved policy to: `log` when the input carries a `clientMutationId`.
pub fn linked<'a>(input: &Map<String, Value>, log: &'a str) -> Option<&'a str> {
    input
        .get("clientMutationId")
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty())
        .map(|_| log)
}

/// `on_policy_mutation`: links every policy whose uuid the input's `uuids` name to `log`.
pub fn link_named(
    conn: &mut DbConnection,
    input: &Map<String, Value>,
    log: &str,
) -> Result<(), ModuleError> {
    let uuids: Vec<&str> = input
        .get("uuids")
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if uuids.is_empty() {
        return Ok(());
    }
    let marks = vec!["?"; uuids.len()].join(", ");
    let sql = format!(
        r#"SELECT "PolicyID" AS id FROM "tblPolicy" WHERE CAST("PolicyUUID" AS TEXT) IN ({marks})"#
    );
    let binds: Vec<Bind> = uuids.iter().map(|u| Bind::text(*u)).collect();
    for pk in entity::ids(conn, &sql, &binds)? {
        link(conn, pk, log)?;
    }
    Ok(())
}
