//! Reads the mutations share: a row's key by uuid whatever its validity (the original's
//! `filter(uuid=…).first()`), a stored row by key, and a failure's detail.

use openimis_sdk::db::{Bind, DbConnection};
use openimis_sdk::entity;
use openimis_sdk::sql_filter::Where;
use serde_json::Value;

/// A failure's detail: the original's `str(exc)`.
pub type Detail = String;

pub fn db_error(e: openimis_sdk::ModuleError) -> Detail {
    e.message.to_string()
}

/// The insuree with `uuid`, any validity (the original's `filter(uuid=…).first()`).
pub fn pk_by_uuid_any(
    conn: &mut DbConnection,
    table: (&str, &str, &str),
    uuid: &str,
) -> Result<Option<i64>, Detail> {
    let (table, key, column) = table;
    let sql = format!(
        r#"SELECT CAST("{key}" AS BIGINT) AS id FROM "{table}" WHERE LOWER(CAST("{column}" AS TEXT)) = LOWER(?) ORDER BY "ValidityTo" DESC"#
    );
    let found = entity::ids(conn, &sql, &[Bind::text(uuid.trim())]).map_err(db_error)?;
    Ok(found.first().copied())
}

/// The stored row `pk` of `spec`.
pub fn row_of(
    conn: &mut DbConnection,
    spec: &entity::EntitySpec,
    pk: i64,
) -> Result<Value, Detail> {
    let mut w = Where::new();
    w.and(&format!("{} = {pk}", spec.col(spec.key)), []);
    let rows = entity::find(conn, spec, &w, "").map_err(db_error)?;
    Ok(rows.into_iter().next().unwrap_or(Value::Null))
}
