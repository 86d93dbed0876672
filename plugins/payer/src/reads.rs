//! The keys the queries and mutations look up, each as the original's ORM call reads it: a
//! payer by uuid, any validity (`Payer.objects.get(uuid=…)` / `filter(uuid=…).first()`); a
//! location by uuid, any validity (`Location.objects.get(uuid=…)`); the valid payer and product
//! of an integer id (`addFunding`); a stored payer row. The location and product are other
//! modules' rows, read here only to check a mutation's keys (neither module offers a service
//! for that inside the mutation's transaction).

use crate::specs::PAYER;
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity;
use openimis_sdk::sql_filter::Where;
use openimis_sdk::ModuleError;
use serde_json::Value;

/// The key of the row of `table` whose `uuid_column`, as text, is exactly `uuid`.
fn key_by_uuid(
    conn: &mut DbConnection,
    (table, key, uuid_column): (&str, &str, &str),
    uuid: &str,
) -> Result<Option<i64>, ModuleError> {
    let sql =
        format!(r#"SELECT "{key}" AS id FROM "{table}" WHERE CAST("{uuid_column}" AS TEXT) = ?"#);
    Ok(entity::ids(conn, &sql, &[Bind::text(uuid)])?
        .first()
        .copied())
}

/// The payer whose uuid is `uuid`, whatever its validity.
pub fn payer_by_uuid(conn: &mut DbConnection, uuid: &str) -> Result<Option<i64>, ModuleError> {
    key_by_uuid(conn, (PAYER.table, PAYER.key, "PayerUUID"), uuid)
}

/// The location whose uuid is `uuid`, whatever its validity.
pub fn location_by_uuid(conn: &mut DbConnection, uuid: &str) -> Result<Option<i64>, ModuleError> {
    key_by_uuid(conn, ("tblLocations", "LocationId", "LocationUUID"), uuid)
}

/// Whether row `id` of `table` (keyed by `key`) exists and is valid.
fn is_valid(
    conn: &mut DbConnection,
    (table, key): (&str, &str),
    id: i64,
) -> Result<bool, ModuleError> {
    let sql = format!(
        r#"SELECT COUNT(*) AS n FROM "{table}" WHERE "{key}" = ? AND "ValidityTo" IS NULL"#
    );
    Ok(db::count(conn, &sql, &[Bind::BigInt(Some(id))])? > 0)
}

/// `Payer.objects.filter(validity_to__isnull=True, id=id).get()` finds a row.
pub fn valid_payer(conn: &mut DbConnection, id: i64) -> Result<bool, ModuleError> {
    is_valid(conn, (PAYER.table, PAYER.key), id)
}

/// `Product.objects.filter(validity_to__isnull=True, id=id).get()` finds a row.
pub fn valid_product(conn: &mut DbConnection, id: i64) -> Result<bool, ModuleError> {
    is_valid(conn, ("tblProduct", "ProdID"), id)
}

/// Payer `pk` as the entity layer answers it (any validity; `null` when absent).
pub fn payer_row(conn: &mut DbConnection, pk: i64) -> Result<Value, ModuleError> {
    let mut w = Where::new();
    w.and(
        &format!("{} = ?", PAYER.col(PAYER.key)),
        [Bind::BigInt(Some(pk))],
    );
    Ok(entity::find(conn, &PAYER, &w, "")?
        .into_iter()
        .next()
        .unwrap_or(Value::Null))
}
