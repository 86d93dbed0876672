//! Writes a run's outcome: the lines it saved, the claim's status and rejection reason (and
//! the processing columns), the claim's earlier ded/rem rows ended and the new ones inserted.

use super::amount::Amount;
use super::context::Kind;
use super::outcome::{LineWrite, Run, Validation};
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::ModuleError;

fn amount(value: Option<Amount>) -> Bind {
    Bind::Text(value.map(|a| a.to_decimal(2).to_string()))
}

fn text(value: &Option<String>) -> Bind {
    Bind::Text(value.clone())
}

fn int(value: Option<i32>) -> Bind {
    Bind::Int(value)
}

/// The placeholder of a date column (`CAST(? AS date)` on PostgreSQL, text on SQLite).
fn date_param(conn: &DbConnection) -> &'static str {
    match db::backend(conn) {
        "postgresql" => "CAST(? AS date)",
        _ => "?",
    }
}

const NUM: &str = "CAST(? AS NUMERIC)";

fn line(conn: &mut DbConnection, write: &LineWrite) -> Result<(), ModuleError> {
    let (table, status, id) = match write.kind {
        Kind::Item => ("tblClaimItems", "ClaimItemStatus", "ClaimItemID"),
        Kind::Service => ("tblClaimServices", "ClaimServiceStatus", "ClaimServiceID"),
    };
    let sql = format!(
        r#"UPDATE "{table}" SET "{status}" = ?, "RejectionReason" = ?, "QtyProvided" = {NUM},
           "QtyApproved" = {NUM}, "PriceAdjusted" = {NUM}, "PriceValuated" = {NUM},
           "ProdID" = ?, "PolicyID" = ?, "PriceOrigin" = ?, "Limitation" = ?,
           "LimitationValue" = {NUM}, "DeductableAmount" = {NUM}, "RemuneratedAmount" = {NUM},
           "ExceedCeilingAmount" = {NUM} WHERE "{id}" = ?"#
    );
    let s = &write.state;
    let binds = [
        int(Some(i32::from(s.status))),
        int(s.rejection_reason.map(i32::from)),
        amount(Some(s.qty_provided)),
        amount(s.qty_approved),
        amount(s.price_adjusted),
        amount(s.price_valuated),
        int(s.product_id),
        int(s.policy_id),
        text(&s.price_origin),
        text(&s.limitation),
        amount(s.limitation_value),
        amount(s.deductable_amount),
        amount(s.remunerated_amount),
        amount(s.exceed_ceiling_amount),
        int(Some(write.id)),
    ];
    db::execute(conn, &sql, &binds)?;
    Ok(())
}

/// Writes `outcome` of claim `claim_id` (insuree `insuree_id`) run as `run`.
pub fn write(
    conn: &mut DbConnection,
    claim_id: i32,
    insuree_id: i32,
    run: Run,
    outcome: &Validation,
) -> Result<(), ModuleError> {
    for write in &outcome.lines {
        line(conn, write)?;
    }
    let now = openimis_sdk::time::now();
    let ts = db::timestamp_param(conn);
    if let Some(dedrem) = &outcome.dedrem {
        let sql = format!(
            r#"UPDATE "tblClaimDedRem" SET "ValidityTo" = {ts} WHERE "ClaimID" = ? AND "ValidityTo" IS NULL"#
        );
        db::execute(conn, &sql, &[Bind::text(now.clone()), int(Some(claim_id))])?;
        let sql = format!(
            r#"INSERT INTO "tblClaimDedRem" ("ValidityFrom", "PolicyID", "InsureeID", "ClaimID",
               "DedG", "DedOP", "DedIP", "RemG", "RemOP", "RemIP", "RemConsult", "RemSurgery",
               "RemDelivery", "RemHospitalization", "RemAntenatal", "AuditUserID")
               VALUES ({ts}, ?, ?, ?, {NUM}, {NUM}, {NUM}, {NUM}, {NUM}, {NUM}, {NUM}, {NUM},
               {NUM}, {NUM}, {NUM}, ?)"#
        );
        for row in &dedrem.rows {
            let binds = [
                Bind::text(now.clone()),
                int(Some(row.policy_id)),
                int(Some(insuree_id)),
                int(Some(claim_id)),
                amount(Some(row.ded_g)),
                amount(row.ded_op),
                amount(row.ded_ip),
                amount(Some(row.rem_g)),
                amount(row.rem_op),
                amount(row.rem_ip),
                amount(Some(row.rem_consult)),
                amount(Some(row.rem_surgery)),
                amount(Some(row.rem_delivery)),
                amount(Some(row.rem_hospitalization)),
                amount(Some(row.rem_antenatal)),
                int(Some(run.audit_user_id)),
            ];
            db::execute(conn, &sql, &binds)?;
        }
    }
    let claim = &outcome.claim;
    let sql =
        r#"UPDATE "tblClaim" SET "ClaimStatus" = ?, "RejectionReason" = ? WHERE "ClaimID" = ?"#;
    let binds = [
        int(Some(i32::from(claim.status))),
        int(claim.rejection_reason.map(i32::from)),
        int(Some(claim_id)),
    ];
    db::execute(conn, sql, &binds)?;
    if let Some(p) = &claim.processed {
        let date = date_param(conn);
        let sql = format!(
            r#"UPDATE "tblClaim" SET "Approved" = {NUM}, "Remunerated" = {NUM},
               "AuditUserIDProcess" = ?, "ProcessStamp" = {ts}, "DateProcessed" = {date},
               "FeedbackStatus" = ?, "ReviewStatus" = ? WHERE "ClaimID" = ?"#
        );
        let binds = [
            amount(Some(p.approved)),
            amount(p.remunerated),
            int(Some(run.audit_user_id)),
            Bind::text(now.clone()),
            Bind::text(now[..10].to_string()),
            int(p.feedback_status.map(i32::from)),
            int(p.review_status.map(i32::from)),
            int(Some(claim_id)),
        ];
        db::execute(conn, &sql, &binds)?;
    }
    Ok(())
}

/// `ClaimDedRem.objects.filter(claim=claim).delete()`.
pub fn delete_dedrems(conn: &mut DbConnection, claim_id: i32) -> Result<usize, ModuleError> {
    let sql = r#"DELETE FROM "tblClaimDedRem" WHERE "ClaimID" = ?"#;
    db::execute(conn, sql, &[int(Some(claim_id))])
}
