//! The original's versioned change that `sdk::entity` lacks: a detail's new price from now on
//! (a history copy, then `ValidityFrom` now and the price; the audit user kept).

use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity::{self, EntitySpec};
use openimis_sdk::{time, ModuleError};

/// Gives row `pk` the value `bind` in `column` from now on, its former version kept.
pub fn change_from_now(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    pk: i64,
    (column, mark, bind): (&str, &str, Bind),
) -> Result<(), ModuleError> {
    entity::copy_to_history(conn, spec, pk)?;
    let stamp = db::timestamp_param(conn);
    let sql = format!(
        r#"UPDATE "{}" SET "ValidityFrom" = {stamp}, "{column}" = {mark} WHERE "{}" = ?"#,
        spec.table, spec.key
    );
    let binds = [Bind::text(time::now()), bind, Bind::BigInt(Some(pk))];
    db::execute(conn, &sql, &binds).map(drop)
}
