//! The root queries (contribution.md §4), all under 101301 (the manifest's field rights):
//! `premiums` (valid rows unless `showHistory` or a `uuid`; `otherPremiums` as the resolver's
//! annotation), `premiumsByPolicies` (the valid premiums of the named policies) and
//! `validatePremiumCode` (false when a valid premium of the policy's product has the receipt).

use crate::computed::Reads;
use crate::filters;
use crate::receipts::receipt_taken;
use crate::specs::PREMIUM;
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity::{self, Hooks};
use openimis_sdk::sql_filter::text_arg;
use openimis_sdk::{HostHandle, ModuleError, SelectionField};
use serde_json::{json, Value};

pub fn premiums(
    host: &HostHandle,
    conn: &mut DbConnection,
    field: &SelectionField,
) -> Result<Value, ModuleError> {
    let mut field = field.clone();
    let w = filters::premiums(conn, &mut field)?;
    let reads = Reads {
        host: Some(host),
        annotated: true,
    };
    reads.apply(|access| entity::connection(conn, &PREMIUM, &field, w, access))
}

pub fn premiums_by_policies(
    host: &HostHandle,
    conn: &mut DbConnection,
    field: &SelectionField,
) -> Result<Value, ModuleError> {
    let mut field = field.clone();
    let w = filters::by_policies(conn, &mut field)?;
    let reads = Reads {
        host: Some(host),
        annotated: false,
    };
    reads.apply(|access| entity::connection(conn, &PREMIUM, &field, w, access))
}

#[derive(diesel::QueryableByName)]
struct Product {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

/// `validatePremiumCode(code, policyUuid)`: `check_unique_premium_receipt_code_within_product`
/// on the valid policy of that uuid. Without one the original fails reading its product
/// (`.first()` is `None`), with Python's text.
pub fn validate_premium_code(
    conn: &mut DbConnection,
    field: &SelectionField,
) -> Result<Value, ModuleError> {
    let code = text_arg(field, "code")?.unwrap_or_default();
    let uuid = text_arg(field, "policyUuid")?.unwrap_or_default();
    let sql = r#"SELECT CAST("ProdID" AS BIGINT) AS id FROM "tblPolicy" WHERE CAST("PolicyUUID" AS TEXT) = ? AND "ValidityTo" IS NULL"#;
    let found: Vec<Product> = db::load(conn, sql, &[Bind::text(&uuid)])?;
    let Some(product) = found.first() else {
        let text = "'NoneType' object has no attribute 'product'";
        return Err(ModuleError::new("NOT_FOUND", text));
    };
    Ok(json!(!receipt_taken(conn, &code, product.id)?))
}
