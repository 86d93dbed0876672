//! The original's `*Mutation` link tables (`location_LocationMutation`,
//! `medical_ItemMutation`, `medical_ServicesPricelistMutation`, ...): one row `(id uuid,
//! <row column> int, mutation_id uuid)` ties a saved row to the mutation log entry that saved
//! it (its `object_mutated`), so lists can answer `clientMutationId`.

use crate::abi::ModuleError;
use crate::db::{self, Bind, DbConnection};

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
