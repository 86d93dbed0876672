//! `set_claim_processed_or_valuated`: after a processing run, a claim with errors is rejected;
//! a checked one gets its approved total and goes processed (8) when a passed line has a
//! relative price, else valuated (16, `valuated = approved`).

use super::approved::approved_amount;
use super::outcome::{status, Validation};
use super::rows::{ints, select};
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::ModuleError;

/// `with_relative_prices(claim)`: a passed line (any validity) with `PriceOrigin = 'R'`.
fn with_relative_prices(conn: &mut DbConnection, claim_id: i32) -> Result<bool, ModuleError> {
    for (table, column) in [
        ("tblClaimItems", "ClaimItemStatus"),
        ("tblClaimServices", "ClaimServiceStatus"),
    ] {
        let rest = format!(
            r#"FROM "{table}" WHERE "ClaimID" = ? AND "{column}" = 1 AND "PriceOrigin" = 'R'"#
        );
        if !select(conn, &[r#"1"#], &rest, &ints([claim_id]))?.is_empty() {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Applies it to claim `claim_id` after `outcome`; updates `outcome`'s status.
pub fn set_processed_or_valuated(
    conn: &mut DbConnection,
    claim_id: i32,
    outcome: &mut Validation,
    audit_user_id: i32,
) -> Result<(), ModuleError> {
    if !outcome.errors.is_empty() {
        outcome.status = status::REJECTED;
        outcome.claim.status = status::REJECTED;
        let sql = r#"UPDATE "tblClaim" SET "ClaimStatus" = 1 WHERE "ClaimID" = ?"#;
        db::execute(conn, sql, &[Bind::Int(Some(claim_id))])?;
        return Ok(());
    }
    if outcome.status != status::CHECKED {
        return Ok(());
    }
    let approved = approved_amount(conn, claim_id)?.to_decimal(2).to_string();
    let now = openimis_sdk::time::now();
    let ts = db::timestamp_param(conn);
    let relative = with_relative_prices(conn, claim_id)?;
    let (new_status, sql) = if relative {
        let date = if db::backend(conn) == "postgresql" {
            "CAST(? AS date)"
        } else {
            "?"
        };
        (
            status::PROCESSED,
            format!(
                r#"UPDATE "tblClaim" SET "ClaimStatus" = 8, "Approved" = CAST(? AS NUMERIC),
                   "AuditUserIDProcess" = ?, "ProcessStamp" = {ts}, "DateProcessed" = {date}
                   WHERE "ClaimID" = ?"#
            ),
        )
    } else {
        (
            status::VALUATED,
            format!(
                r#"UPDATE "tblClaim" SET "ClaimStatus" = 16, "Approved" = CAST(? AS NUMERIC),
                   "Valuated" = CAST(? AS NUMERIC), "AuditUserIDProcess" = ?,
                   "ProcessStamp" = {ts} WHERE "ClaimID" = ?"#
            ),
        )
    };
    let mut binds = vec![Bind::text(approved.clone())];
    if !relative {
        binds.push(Bind::text(approved));
    }
    binds.push(Bind::Int(Some(audit_user_id)));
    binds.push(Bind::text(now.clone()));
    if relative {
        binds.push(Bind::text(now[..10].to_string()));
    }
    binds.push(Bind::Int(Some(claim_id)));
    db::execute(conn, &sql, &binds)?;
    outcome.status = new_status;
    outcome.claim.status = new_status;
    Ok(())
}
