//! The original's versioned changes that `sdk::entity` lacks: `delete_history` (a history
//! copy, then the live row's `ValidityFrom` and `ValidityTo` both now) and a detail's new price
//! from now on (a history copy, then `ValidityFrom` now and the price; the audit user kept).

use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity::{self, EntitySpec};
use openimis_sdk::{time, ModuleError};

/// `UPDATE` of row `pk` of `spec`: `ValidityFrom` `now`, plus `sets` (`, "col" = mark`, bound
/// by `binds`).
fn restamp(
    conn: &mut DbConnection,
    (spec, pk): (&EntitySpec, i64),
    now: &str,
    sets: &str,
    binds: Vec<Bind>,
) -> Result<(), ModuleError> {
    let stamp = db::timestamp_param(conn);
    let sql = format!(
        r#"UPDATE "{}" SET "ValidityFrom" = {stamp}{sets} WHERE "{}" = ?"#,
        spec.table, spec.key
    );
    let mut all = vec![Bind::text(now)];
    all.extend(binds);
    all.push(Bind::BigInt(Some(pk)));
    db::execute(conn, &sql, &all).map(drop)
}

/// Ends row `pk` as the original's `delete_history`.
pub fn delete_history(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    pk: i64,
) -> Result<(), ModuleError> {
    entity::copy_to_history(conn, spec, pk)?;
    let stamp = db::timestamp_param(conn);
    let ended = format!(r#", "ValidityTo" = {stamp}"#);
    let now = time::now();
    restamp(conn, (spec, pk), &now, &ended, vec![Bind::text(&now)])
}

/// Gives row `pk` the value `bind` in `column` from now on, its former version kept.
pub fn change_from_now(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    pk: i64,
    (column, mark, bind): (&str, &str, Bind),
) -> Result<(), ModuleError> {
    entity::copy_to_history(conn, spec, pk)?;
    let sets = format!(r#", "{column}" = {mark}"#);
    restamp(conn, (spec, pk), &time::now(), &sets, vec![bind])
}
