//! Receipt uniqueness (`check_unique_premium_receipt_code_within_product`): a receipt is taken
//! when a valid premium of a policy (any validity) of the same product has it, exactly.

use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::ModuleError;

/// Whether a valid premium of a policy of product `product` has receipt `code`.
pub fn receipt_taken(
    conn: &mut DbConnection,
    code: &str,
    product: i64,
) -> Result<bool, ModuleError> {
    let sql = r#"SELECT COUNT(*) AS n FROM "tblPremium" pr JOIN "tblPolicy" po ON po."PolicyID" = pr."PolicyID"
        WHERE pr."ValidityTo" IS NULL AND pr."Receipt" = ? AND po."ProdID" = ?"#;
    let binds = [Bind::text(code), Bind::BigInt(Some(product))];
    Ok(db::count(conn, sql, &binds)? > 0)
}
