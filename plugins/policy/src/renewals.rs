//! After a renewal (`CreateRenewOrUpdatePolicyMutation.do_mutate`, stage R): the renewal
//! proposals of the renewed policy are withdrawn. The renewed policy is the family's valid
//! policy under the same product that is active or expired, the highest id; each of its valid
//! `tblPolicyRenewals` rows gets `delete_history()`, and so does every detail of it
//! (`tblPolicyRenewalDetails`, any validity, as `policy_renewal.details.all()`).

use crate::specs::{RENEWAL, RENEWAL_DETAIL};
use openimis_sdk::db::{Bind, DbConnection};
use openimis_sdk::entity;
use openimis_sdk::ModuleError;

/// Active and expired (`Policy.STATUS_ACTIVE`, `STATUS_EXPIRED`).
const RENEWABLE: &str = "2, 8";

/// Withdraws the renewals of family `family`'s renewed policy under product `product`;
/// answers how many renewals were deleted.
pub fn withdraw(conn: &mut DbConnection, family: i64, product: i64) -> Result<usize, ModuleError> {
    let sql = format!(
        r#"SELECT "PolicyID" AS id FROM "tblPolicy" WHERE "ValidityTo" IS NULL AND "FamilyID" = ?
           AND "ProdID" = ? AND "PolicyStatus" IN ({RENEWABLE})"#
    );
    let binds = [Bind::BigInt(Some(family)), Bind::BigInt(Some(product))];
    // The original logs that it found no renewed policy and filters on `policy=None`: nothing.
    let Some(&previous) = entity::ids(conn, &sql, &binds)?.last() else {
        return Ok(0);
    };
    let sql = r#"SELECT "RenewalID" AS id FROM "tblPolicyRenewals" WHERE "PolicyID" = ? AND "ValidityTo" IS NULL"#;
    let renewals = entity::ids(conn, sql, &[Bind::BigInt(Some(previous))])?;
    for &renewal in &renewals {
        entity::delete_history(conn, &RENEWAL, renewal)?;
        let sql = r#"SELECT "RenewalDetailID" AS id FROM "tblPolicyRenewalDetails" WHERE "RenewalID" = ?"#;
        for detail in entity::ids(conn, sql, &[Bind::BigInt(Some(renewal))])? {
            entity::delete_history(conn, &RENEWAL_DETAIL, detail)?;
        }
    }
    Ok(renewals.len())
}
