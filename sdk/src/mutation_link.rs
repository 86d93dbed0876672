//! The original's `*Mutation` link tables (`location_LocationMutation`,
//! `medical_ItemMutation`, `medical_ServicesPricelistMutation`, ...): one row `(id uuid,
//! <row column> int, mutation_id uuid)` ties a saved row to the mutation log entry that saved
//! it (its `object_mutated`), so lists can answer `clientMutationId`. Writing them is here;
//! reading them back is [`rows`] (link rows, pending client ids) and [`fields`] (the rows'
//! `clientMutationId`/`mutations` and `MutationLogGQLType.<rows>`).

pub mod fields;
pub mod rows;

pub use fields::{client_mutation_fields, mutation_logs, LogField};
pub use rows::{pending, rows_of, rows_of_logs, LinkRow};

use crate::abi::ModuleError;
use crate::db::{self, Bind, DbConnection};
use crate::entity::{self, EntitySpec};
use serde_json::{Map, Value};

/// A link table: its name and its row column (`("policy_PolicyMutation", "policy_id")`).
pub type LinkTable = (&'static str, &'static str);

/// Links row `row` to mutation log `log` in `table`, whose row column is `column`.
pub fn link(
    conn: &mut DbConnection,
    (table, column): (&str, &str),
    row: i64,
    log: &str,
) -> Result<(), ModuleError> {
    let uuid = db::uuid_param(conn);
    let sql = format!(
        r#"INSERT INTO "{table}" ("id", "{column}", "mutation_id") VALUES ({uuid}, ?, {uuid})"#
    );
    let binds = [
        Bind::text(uuid::Uuid::new_v4().to_string()),
        Bind::BigInt(Some(row)),
        Bind::text(log),
    ];
    db::execute(conn, &sql, &binds).map(drop)
}

/// [`link`], unless `row` is linked to `log` already (the original signals'
/// `update_or_create`).
pub fn link_once(
    conn: &mut DbConnection,
    (table, column): (&str, &str),
    row: i64,
    log: &str,
) -> Result<(), ModuleError> {
    let sql = format!(
        r#"SELECT COUNT(*) AS n FROM "{table}" WHERE "{column}" = ? AND CAST("mutation_id" AS TEXT) = ?"#
    );
    if db::count(conn, &sql, &[Bind::BigInt(Some(row)), Bind::text(log)])? > 0 {
        return Ok(());
    }
    link(conn, (table, column), row, log)
}

/// The log a saved row is linked to: `log` when the mutation's input carries a non-empty
/// `clientMutationId` (the original links `object_mutated` only then), else none.
pub fn log_to_link<'a>(input: &Map<String, Value>, log: &'a str) -> Option<&'a str> {
    input
        .get("clientMutationId")
        .and_then(Value::as_str)
        .filter(|id| !id.is_empty())
        .map(|_| log)
}

/// The non-empty uuids of the input's `uuids` list (`suspendPolicies`, `deletePremium`, ...).
pub fn named_uuids(input: &Map<String, Value>) -> Vec<&str> {
    let list = input.get("uuids").and_then(Value::as_array);
    let uuids = list.into_iter().flatten().filter_map(Value::as_str);
    uuids.filter(|u| !u.is_empty()).collect()
}

/// The keys of the rows of `spec` (any validity) whose uuid is one of `uuids`, in key order:
/// the rows a validation signal (`on_<x>_mutation`) links to the mutation when it is logged.
pub fn rows_named(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    uuids: &[&str],
) -> Result<Vec<i64>, ModuleError> {
    let Some(uuid) = spec.uuid.filter(|_| !uuids.is_empty()) else {
        return Ok(Vec::new());
    };
    let marks = vec!["?"; uuids.len()].join(", ");
    let (key, table) = (spec.key, spec.table);
    let sql =
        format!(r#"SELECT "{key}" AS id FROM "{table}" WHERE CAST("{uuid}" AS TEXT) IN ({marks})"#);
    let binds: Vec<Bind> = uuids.iter().map(|u| Bind::text(*u)).collect();
    entity::ids(conn, &sql, &binds)
}
