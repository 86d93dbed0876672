//! A policy's coverage rows (`tblInsureePolicy`, insuree's table): one valid row per member
//! with the policy's dates (the original's `update_insuree_policies`: an existing valid row is
//! copied to history, then updated; else a row is created), and whom a policy covers
//! (`get_members`).

use crate::specs::COVERAGE;
use openimis_sdk::db::{Bind, DbConnection};
use openimis_sdk::entity;
use openimis_sdk::sql_filter::Where;
use openimis_sdk::ModuleError;
use serde_json::{json, Value};

/// Covers `members` by policy `policy` (its row as the entity layer answers it).
pub fn cover(
    conn: &mut DbConnection,
    policy: &Value,
    members: &[i64],
    audit: i64,
) -> Result<(), ModuleError> {
    let pk = policy["pk"].as_i64().unwrap_or_default();
    for &member in members {
        let values = json!({
            "insureeId": member, "policyId": pk, "enrollmentDate": policy["enrollDate"],
            "startDate": policy["startDate"], "effectiveDate": policy["effectiveDate"],
            "expiryDate": policy["expiryDate"], "offline": policy["offline"],
        });
        let mut w = Where::new();
        w.and(
            &format!(
                r#"{} = ? AND {} = ? AND {} IS NULL"#,
                COVERAGE.col("InsureeID"),
                COVERAGE.col("PolicyId"),
                COVERAGE.col("ValidityTo")
            ),
            [Bind::BigInt(Some(member)), Bind::BigInt(Some(pk))],
        );
        match entity::find(conn, &COVERAGE, &w, "")?.first() {
            Some(existing) => {
                let key = existing["pk"].as_i64().unwrap_or_default();
                entity::update(conn, &COVERAGE, key, &values, audit)?;
            }
            None => {
                entity::insert(conn, &COVERAGE, &values, audit)?;
            }
        }
    }
    Ok(())
}

/// `get_members` without a contribution plan's rule: the insurees of the valid coverage rows
/// of policy `policy` (none for a new one), else the valid members of family `family`.
pub fn members(
    conn: &mut DbConnection,
    policy: Option<i64>,
    family: i64,
) -> Result<Vec<i64>, ModuleError> {
    if let Some(pk) = policy {
        let sql = r#"SELECT "InsureeID" AS id FROM "tblInsureePolicy" WHERE "PolicyId" = ? AND "ValidityTo" IS NULL"#;
        let covered = entity::ids(conn, sql, &[Bind::BigInt(Some(pk))])?;
        if !covered.is_empty() {
            return Ok(covered);
        }
    }
    let sql = r#"SELECT "InsureeID" AS id FROM "tblInsuree" WHERE "FamilyID" = ? AND "ValidityTo" IS NULL"#;
    entity::ids(conn, sql, &[Bind::BigInt(Some(family))])
}
