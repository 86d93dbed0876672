//! Reads the queries, mutations and services share: a product's key by uuid (any validity, as
//! the original's `Product.objects.filter(uuid=…)`), another module's row by uuid, and whether
//! a code is free among valid products (`check_unique_code_product`).

use crate::specs::PRODUCT;
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity::ids;
use openimis_sdk::ModuleError;

/// The key of the row of `table` whose uuid column is `uuid`, whatever its validity (the
/// newest one when a table repeats uuids).
pub fn key_by_uuid(
    conn: &mut DbConnection,
    (table, key, uuid_column): (&str, &str, &str),
    uuid: &str,
) -> Result<Option<i64>, ModuleError> {
    let sql = format!(
        r#"SELECT "{key}" AS id FROM "{table}" WHERE LOWER(CAST("{uuid_column}" AS TEXT)) = LOWER(?)"#
    );
    Ok(ids(conn, &sql, &[Bind::text(uuid.trim())])?.last().copied())
}

/// The product with `uuid`, any validity.
pub fn pk_by_uuid_any(conn: &mut DbConnection, uuid: &str) -> Result<Option<i64>, ModuleError> {
    key_by_uuid(conn, (PRODUCT.table, PRODUCT.key, "ProdUUID"), uuid)
}

/// Whether no valid product has `code`.
pub fn code_free(conn: &mut DbConnection, code: &str) -> Result<bool, ModuleError> {
    let sql = r#"SELECT COUNT(*) AS n FROM "tblProduct" WHERE "ProductCode" = ? AND "ValidityTo" IS NULL"#;
    Ok(db::count(conn, sql, &[Bind::text(code)])? == 0)
}

/// Whether product `pk` is a valid row.
pub fn is_valid(conn: &mut DbConnection, pk: i64) -> Result<bool, ModuleError> {
    let sql =
        r#"SELECT COUNT(*) AS n FROM "tblProduct" WHERE "ProdID" = ? AND "ValidityTo" IS NULL"#;
    Ok(db::count(conn, sql, &[Bind::BigInt(Some(pk))])? == 1)
}
