//! Reads the queries share: a policy by uuid (any validity), whether a family exists, and
//! the tables of modules not written yet that the original's answers sum over (contribution's
//! `tblPremium`, claim's `tblClaimDedRem`): read when the database has them, else nothing is
//! summed (an embedded database without those modules has no premium and no claim).

use crate::specs::POLICY;
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity;
use openimis_sdk::sql_filter::{id_list, Where};
use openimis_sdk::ModuleError;
use serde_json::Value;
use std::collections::HashMap;

/// The policy whose uuid is `uuid`, any validity (`Policy.objects.get(uuid=…)`).
pub fn policy_by_uuid(conn: &mut DbConnection, uuid: &str) -> Result<Option<Value>, ModuleError> {
    let mut w = Where::new();
    w.and(
        &format!("LOWER({}) = LOWER(?)", POLICY.col("PolicyUUID")),
        [Bind::text(uuid.trim())],
    );
    Ok(entity::find(conn, &POLICY, &w, "")?.into_iter().last())
}

/// Whether family `id` exists, any validity (insuree offers no service for it).
pub fn family_exists(conn: &mut DbConnection, id: i64) -> Result<bool, ModuleError> {
    let sql = r#"SELECT COUNT(*) AS n FROM "tblFamilies" WHERE "FamilyID" = ?"#;
    Ok(db::count(conn, sql, &[Bind::BigInt(Some(id))])? > 0)
}

/// Whether the database has `table` (a module not written yet may have created it), read from
/// the catalogue: a failing statement would abort a PostgreSQL transaction around it. On
/// PostgreSQL `to_regclass` (a catalogue lookup on the search path, as the queries name their
/// tables), not `information_schema.tables`, a view that cost up to 2 ms per call.
pub fn has_table(conn: &mut DbConnection, table: &str) -> bool {
    let (sql, name) = match db::backend(conn) {
        "postgresql" => (
            "SELECT CAST(CASE WHEN to_regclass(?) IS NULL THEN 0 ELSE 1 END AS BIGINT) AS n",
            format!("\"{}\"", table.replace('"', "\"\"")),
        ),
        _ => (
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?",
            table.to_owned(),
        ),
    };
    db::count(conn, sql, &[Bind::text(&name)]).is_ok_and(|n| n > 0)
}

#[derive(diesel::QueryableByName)]
struct Sum {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Double>)]
    total: Option<f64>,
}

/// Per policy, the sum of `expression` over the rows of `table` naming it and matching `extra`.
fn sums(
    conn: &mut DbConnection,
    table: &str,
    expression: &str,
    extra: &str,
    ids: &[i64],
) -> Result<HashMap<i64, f64>, ModuleError> {
    if ids.is_empty() || !has_table(conn, table) {
        return Ok(HashMap::new());
    }
    let sql = format!(
        r#"SELECT CAST(t."PolicyID" AS BIGINT) AS id, CAST(SUM({expression}) AS DOUBLE PRECISION) AS total FROM "{table}" t
           WHERE t."PolicyID" IN ({}){extra} GROUP BY t."PolicyID""#,
        id_list(ids)
    );
    let found: Vec<Sum> = db::load(conn, &sql, &[])?;
    Ok(found
        .into_iter()
        .filter_map(|s| Some((s.id, s.total?)))
        .collect())
}

/// `Policy.sum_premiums()`: valid premiums that are not photo fees, per policy.
pub fn premiums(conn: &mut DbConnection, ids: &[i64]) -> Result<HashMap<i64, f64>, ModuleError> {
    let not_photo = r#" AND t."ValidityTo" IS NULL AND t."isPhotoFee" = FALSE"#;
    sums(conn, "tblPremium", r#"t."Amount""#, not_photo, ids)
}

/// The `tblClaimDedRem` columns the policies' summaries sum, in [`claim_sums`]' order.
pub const CLAIM_SUM_COLUMNS: [&str; 6] = ["DedG", "DedIP", "DedOP", "RemG", "RemIP", "RemOP"];

#[derive(diesel::QueryableByName)]
struct ClaimSums {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Double>)]
    s0: Option<f64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Double>)]
    s1: Option<f64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Double>)]
    s2: Option<f64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Double>)]
    s3: Option<f64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Double>)]
    s4: Option<f64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Double>)]
    s5: Option<f64>,
}

/// Per policy, the `tblClaimDedRem` sums of [`CLAIM_SUM_COLUMNS`] (`Sum('claim_ded_rems__<column>')`:
/// every row, whatever its validity, as the original's join), in one statement.
pub fn claim_sums(
    conn: &mut DbConnection,
    ids: &[i64],
) -> Result<HashMap<i64, [Option<f64>; 6]>, ModuleError> {
    if ids.is_empty() || !has_table(conn, "tblClaimDedRem") {
        return Ok(HashMap::new());
    }
    let sums: Vec<String> = CLAIM_SUM_COLUMNS
        .iter()
        .enumerate()
        .map(|(n, c)| format!(r#"CAST(SUM(t."{c}") AS DOUBLE PRECISION) AS s{n}"#))
        .collect();
    let sql = format!(
        r#"SELECT CAST(t."PolicyID" AS BIGINT) AS id, {} FROM "tblClaimDedRem" t
           WHERE t."PolicyID" IN ({}) GROUP BY t."PolicyID""#,
        sums.join(", "),
        id_list(ids)
    );
    let found: Vec<ClaimSums> = db::load(conn, &sql, &[])?;
    Ok(found
        .into_iter()
        .map(|s| (s.id, [s.s0, s.s1, s.s2, s.s3, s.s4, s.s5]))
        .collect())
}

/// A valid coverage row of a valid policy (`InsureePolicy` → `Policy`), as eligibility reads it.
#[derive(diesel::QueryableByName, Debug, Clone)]
pub struct Covering {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub product: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    pub status: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub effective: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    pub expiry: Option<String>,
}

/// The insuree's valid coverage rows of valid policies, with the policy's product and status
/// and the row's own effective and expiry dates (`tblInsureePolicy`, which policy writes and
/// insuree offers no service for), in key order.
pub fn covering(conn: &mut DbConnection, insuree: i64) -> Result<Vec<Covering>, ModuleError> {
    let sql = r#"SELECT CAST(p."ProdID" AS BIGINT) AS product,
            CAST(p."PolicyStatus" AS BIGINT) AS status, CAST(ip."EffectiveDate" AS TEXT) AS effective,
            CAST(ip."ExpiryDate" AS TEXT) AS expiry
        FROM "tblInsureePolicy" ip JOIN "tblPolicy" p ON p."PolicyID" = ip."PolicyId"
        WHERE ip."InsureeID" = ? AND ip."ValidityTo" IS NULL AND p."ValidityTo" IS NULL
        ORDER BY ip."InsureePolicyID""#;
    db::load(conn, sql, &[Bind::BigInt(Some(insuree))])
}
