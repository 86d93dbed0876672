//! A premium's payer (`Payer.filter_queryset().filter(uuid=…).first()`): the valid payer of
//! that uuid in payer's `tblPayer`, or none (an unknown uuid is no error, as the original).

use openimis_sdk::db::{Bind, DbConnection};
use openimis_sdk::{entity, ModuleError};

/// The key of the valid payer whose uuid is `uuid`, if any.
pub fn valid_payer(conn: &mut DbConnection, uuid: &str) -> Result<Option<i64>, ModuleError> {
    let sql = r#"SELECT "PayerID" AS id FROM "tblPayer" WHERE CAST("PayerUUID" AS TEXT) = ? AND "ValidityTo" IS NULL"#;
    Ok(entity::ids(conn, sql, &[Bind::text(uuid)])?
        .first()
        .copied())
}
