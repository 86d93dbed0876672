//! Demo data (`DEMO_DATASET=True`): policies of the original demo's shape for insuree's demo
//! families under product's demo products, with their coverage rows, saved into an empty
//! `tblPolicy`. Policy `90000000-…-041` (family 21 under BASIC, active from 2024-06-01, the
//! one the frontend's recorded operations address) covers its head `070707070` and member;
//! `…-042` is the family's expired FCUL0001 policy (value 1350.00: 1000 + 500, less the 10 %
//! enrolment discount); `…-043` an idle BASIC policy of family 1 covering its head only (an
//! "inactive" one); `…-044` a suspended FCUL0001 policy of family 2 (three adults: 3000.00, its
//! start the cycle of 2024-01-01, enrolled after the discount's limit). Values and dates are
//! those `policyValues` computes.

use crate::coverage::cover;
use crate::specs::POLICY;
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity;
use openimis_sdk::ModuleError;
use serde_json::json;

fn key(conn: &mut DbConnection, sql: &str, text: &str) -> Result<Option<i64>, ModuleError> {
    Ok(entity::ids(conn, sql, &[Bind::text(text)])?
        .first()
        .copied())
}

type Demo = (
    u32,
    u32,
    &'static str,
    &'static str,
    [&'static str; 4],
    i64,
    &'static str,
    bool,
);

/// (uuid suffix, family, product code, stage, [enroll, start, effective, expiry], status,
/// value, whether every member is covered)
const POLICIES: [Demo; 4] = [
    (
        41,
        21,
        "BASIC",
        "N",
        ["2024-06-01", "2024-06-01", "2024-06-01", "2025-05-31"],
        2,
        "10000.00",
        true,
    ),
    (
        42,
        21,
        "FCUL0001",
        "N",
        ["2023-05-10", "2023-07-01", "2023-07-01", "2024-06-30"],
        8,
        "1350.00",
        true,
    ),
    (
        43,
        1,
        "BASIC",
        "N",
        ["2024-02-01", "2024-02-01", "", "2025-01-31"],
        1,
        "10000.00",
        false,
    ),
    (
        44,
        2,
        "FCUL0001",
        "N",
        ["2024-01-10", "2024-01-01", "2024-01-10", "2024-12-31"],
        4,
        "3000.00",
        true,
    ),
];

/// Seeds the demo policies into an empty `tblPolicy`, when insuree's and product's demo exist.
pub fn seed(conn: &mut DbConnection) -> Result<(), ModuleError> {
    if db::count(conn, r#"SELECT COUNT(*) AS n FROM "tblPolicy""#, &[])? > 0 {
        return Ok(());
    }
    let family_sql = r#"SELECT CAST("FamilyID" AS BIGINT) AS id FROM "tblFamilies" WHERE "FamilyUUID" = ? AND "ValidityTo" IS NULL"#;
    let product_sql = r#"SELECT CAST("ProdID" AS BIGINT) AS id FROM "tblProduct" WHERE "ProductCode" = ? AND "ValidityTo" IS NULL"#;
    let officer_sql = r#"SELECT CAST(MIN("OfficerID") AS BIGINT) AS id FROM "tblOfficer" WHERE "Code" = ? AND "ValidityTo" IS NULL"#;
    let officer = key(conn, officer_sql, "E00001")?;
    for (n, family, product, stage, [enroll, start, effective, expiry], status, value, all) in
        POLICIES
    {
        let family_uuid = format!("f0000000-0000-4000-8000-{family:012}");
        let (Some(family), Some(product)) = (
            key(conn, family_sql, &family_uuid)?,
            key(conn, product_sql, product)?,
        ) else {
            return Ok(());
        };
        let effective = Some(effective).filter(|e| !e.is_empty());
        let values = json!({
            "uuid": format!("90000000-0000-4000-8000-{n:012}"), "stage": stage, "status": status,
            "value": value, "family": family, "product": product, "officer": officer,
            "enrollDate": enroll, "startDate": start, "effectiveDate": effective,
            "expiryDate": expiry, "offline": false, "creationDate": enroll,
        });
        let pk = entity::insert(conn, &POLICY, &values, 1)?;
        let stamp = db::timestamp_param(conn);
        let sql =
            format!(r#"UPDATE "tblPolicy" SET "ValidityFrom" = {stamp} WHERE "PolicyID" = ?"#);
        db::execute(
            conn,
            &sql,
            &[
                Bind::text(format!("{enroll} 08:00:00")),
                Bind::BigInt(Some(pk)),
            ],
        )?;
        let members_sql = r#"SELECT CAST("InsureeID" AS BIGINT) AS id FROM "tblInsuree" WHERE "FamilyID" = ? AND "ValidityTo" IS NULL ORDER BY "IsHead" DESC, "InsureeID""#;
        let mut members = entity::ids(conn, members_sql, &[Bind::BigInt(Some(family))])?;
        if !all {
            members.truncate(1);
        }
        let mut row = values.clone();
        row["pk"] = json!(pk);
        cover(conn, &row, &members, 1)?;
    }
    Ok(())
}
