//! The original's `VersionedModel` steps the mutations take on a row of a versioned entity:
//! `delete_history` (a history copy, then the row ends: `ValidityFrom = ValidityTo = now`) and
//! the fresh `ValidityFrom` every save sets.

use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity::{self, EntitySpec};
use openimis_sdk::{time, ModuleError};

/// `delete_history()` of row `pk`.
pub fn end(conn: &mut DbConnection, spec: &EntitySpec, pk: i64) -> Result<(), ModuleError> {
    entity::copy_to_history(conn, spec, pk)?;
    let stamp = db::timestamp_param(conn);
    let now = time::now();
    let sql = format!(
        r#"UPDATE "{}" SET "ValidityFrom" = {stamp}, "ValidityTo" = {stamp} WHERE "{}" = ?"#,
        spec.table, spec.key
    );
    let binds = [
        Bind::text(now.clone()),
        Bind::text(now),
        Bind::BigInt(Some(pk)),
    ];
    db::execute(conn, &sql, &binds).map(drop)
}

/// `ValidityFrom = now` on row `pk` (the mutations set it on every save).
pub fn restamp(conn: &mut DbConnection, spec: &EntitySpec, pk: i64) -> Result<(), ModuleError> {
    let stamp = db::timestamp_param(conn);
    let sql = format!(
        r#"UPDATE "{}" SET "ValidityFrom" = {stamp} WHERE "{}" = ?"#,
        spec.table, spec.key
    );
    db::execute(
        conn,
        &sql,
        &[Bind::text(time::now()), Bind::BigInt(Some(pk))],
    )
    .map(drop)
}
