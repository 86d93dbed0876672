//! Demo data (`DEMO_DATASET=True`): premiums for policy's demo policies, saved into an empty
//! `tblPremium`. Family 21's active BASIC policy `90000000-…-041` (10000.00) is paid in two
//! halves: `a0000000-…-050` (receipt `RCPT-0`, 2024-06-01, no payer) and `…-051` (`RCPT-1`,
//! 2024-06-02, payer `b0000000-…-061` when payer's demo has it), the one the frontend's
//! recorded operations load, update and delete; its expired FCUL0001 policy `…-042` by bank
//! (`…-052`); family 1's idle policy `…-043` has only a photo fee (`…-053`, which pays none of
//! the value); family 2's suspended policy `…-044` was paid by mobile (`…-054`). `…-055` is
//! `…-041`'s photo fee, paid by the donor `b0000000-…-063` (payer 3): the premium every filter
//! of the frontend's search (contribution-02) finds.

use crate::payers::valid_payer;
use crate::specs::PREMIUM;
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity;
use openimis_sdk::ModuleError;
use serde_json::json;

/// (uuid suffix, policy suffix, receipt, amount, pay date, pay type, photo fee, payer uuid)
type Demo = (
    u32,
    u32,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    bool,
    Option<&'static str>,
);

const PREMIUMS: [Demo; 6] = [
    (50, 41, "RCPT-0", "5000.00", "2024-06-01", "C", false, None),
    (
        51,
        41,
        "RCPT-1",
        "5000.00",
        "2024-06-02",
        "C",
        false,
        Some("b0000000-0000-4000-8000-000000000061"),
    ),
    (
        52,
        42,
        "RE-FCUL0001-2023-05-10-00001",
        "1350.00",
        "2023-05-10",
        "B",
        false,
        None,
    ),
    (53, 43, "PF-0001", "50.00", "2024-02-01", "C", true, None),
    (
        54,
        44,
        "RE-FCUL0001-2024-01-10-00001",
        "3000.00",
        "2024-01-10",
        "M",
        false,
        None,
    ),
    (
        55,
        41,
        "RCPT-PF-1",
        "100.00",
        "2024-05-30",
        "C",
        true,
        Some("b0000000-0000-4000-8000-000000000063"),
    ),
];

/// Seeds the demo premiums into an empty `tblPremium`, when policy's demo policies exist.
pub fn seed(conn: &mut DbConnection) -> Result<(), ModuleError> {
    if db::count(conn, r#"SELECT COUNT(*) AS n FROM "tblPremium""#, &[])? > 0 {
        return Ok(());
    }
    let policy_sql = r#"SELECT "PolicyID" AS id FROM "tblPolicy" WHERE CAST("PolicyUUID" AS TEXT) = ? AND "ValidityTo" IS NULL"#;
    for (n, policy, receipt, amount, paid, kind, photo, payer) in PREMIUMS {
        let policy_uuid = format!("90000000-0000-4000-8000-{policy:012}");
        let Some(policy) = entity::ids(conn, policy_sql, &[Bind::text(&policy_uuid)])?
            .first()
            .copied()
        else {
            return Ok(());
        };
        // payer's demo, when it has this payer (`tblPayer` is payer's table).
        let payer = match payer {
            Some(uuid) => valid_payer(conn, uuid).ok().flatten(),
            None => None,
        };
        let values = json!({
            "uuid": format!("a0000000-0000-4000-8000-{n:012}"), "policy": policy, "payer": payer,
            "amount": amount, "receipt": receipt, "payDate": paid, "payType": kind,
            "isPhotoFee": photo, "isOffline": false, "createdDate": paid,
        });
        let pk = entity::insert(conn, &PREMIUM, &values, 1)?;
        let stamp = db::timestamp_param(conn);
        let sql =
            format!(r#"UPDATE "tblPremium" SET "ValidityFrom" = {stamp} WHERE "PremiumId" = ?"#);
        let binds = [
            Bind::text(format!("{paid} 09:00:00")),
            Bind::BigInt(Some(pk)),
        ];
        db::execute(conn, &sql, &binds)?;
    }
    Ok(())
}
