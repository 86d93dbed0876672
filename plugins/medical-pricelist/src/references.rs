//! The rows a price-list input names: a location, a list, medical's services or items (all by
//! uuid, history rows included, as the original's `objects.get(uuid=...)`), and a list's valid
//! detail of one medical row; and whether a name is taken. A uuid is compared as text, so the column may be `varchar(36)`
//! (a fresh database) or `uuid` (the original's PostgreSQL database), case-blind.

use crate::specs::Pricelist;
use openimis_sdk::db::{Bind, DbConnection};
use openimis_sdk::entity::{self, Access, EntitySpec};
use openimis_sdk::sql_filter::Where;
use openimis_sdk::ModuleError;
use serde_json::{json, Value};

/// The original's text for a row a `get` does not find.
pub fn missing(model: &str) -> String {
    format!("{model} matching query does not exist.")
}

/// The clause "column `column` of `table` is `uuid`", case-blind, and its bind.
fn uuid_is(table: &str, column: &str, uuid: &str) -> (String, Bind) {
    (
        format!(r#"LOWER(CAST({table}."{column}" AS TEXT)) = ?"#),
        Bind::text(uuid.to_lowercase()),
    )
}

/// The key of the row of `table` whose `uuid` column is `uuid`.
fn key_by_uuid(
    conn: &mut DbConnection,
    (table, key, column): (&str, &str, &str),
    uuid: &str,
) -> Result<Option<i64>, ModuleError> {
    let (clause, bind) = uuid_is("t", column, uuid);
    let sql = format!(r#"SELECT t."{key}" AS id FROM "{table}" t WHERE {clause}"#);
    Ok(entity::ids(conn, &sql, &[bind])?.first().copied())
}

/// The id of the location with `uuid`.
pub fn location(conn: &mut DbConnection, uuid: &str) -> Result<Option<i64>, ModuleError> {
    key_by_uuid(conn, ("tblLocations", "LocationId", "LocationUUID"), uuid)
}

/// The id of the medical service or item (the kind's) with `uuid`.
pub fn medical(
    conn: &mut DbConnection,
    kind: &Pricelist,
    uuid: &str,
) -> Result<Option<i64>, ModuleError> {
    let spec: &EntitySpec = kind.medical;
    let column = spec.uuid.unwrap_or_default();
    key_by_uuid(conn, (spec.table, spec.key, column), uuid)
}

/// The list of the kind with `uuid`, valid or not, as JSON (`pk`, `name`, `validityTo`).
pub fn list(
    conn: &mut DbConnection,
    kind: &Pricelist,
    uuid: &str,
) -> Result<Option<Value>, ModuleError> {
    let spec = kind.list;
    let (clause, bind) = uuid_is(spec.alias, spec.uuid.unwrap_or_default(), uuid);
    let mut w = Where::new();
    w.and(&clause, [bind]);
    Ok(entity::find(conn, spec, &w, "")?.into_iter().next())
}

/// The valid detail of list `list` naming medical row `medical`.
pub fn valid_detail(
    conn: &mut DbConnection,
    kind: &Pricelist,
    list: i64,
    medical: i64,
) -> Result<Option<i64>, ModuleError> {
    let spec = kind.detail;
    let (list_column, medical_column) = (kind.list.key, kind.medical.key);
    let sql = format!(
        r#"SELECT d."{key}" AS id FROM "{table}" d WHERE d."{list_column}" = ?
           AND d."{medical_column}" = ? AND d."ValidityTo" IS NULL"#,
        key = spec.key,
        table = spec.table
    );
    let binds = [Bind::BigInt(Some(list)), Bind::BigInt(Some(medical))];
    Ok(entity::ids(conn, &sql, &binds)?.first().copied())
}

/// Whether a valid list of the kind has `name` (the original's `check_unique_name_*`).
pub fn name_taken(
    conn: &mut DbConnection,
    kind: &Pricelist,
    name: &str,
) -> Result<bool, ModuleError> {
    let named = entity::args_only("", json!({ "name": name }), &[]);
    Ok(entity::count(conn, kind.list, &named, Where::new(), &Access::open())? > 0)
}
