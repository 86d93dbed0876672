//! What eligibility reads of claim's tables (`tblClaim`, `tblClaimItems`, `tblClaimServices`),
//! a module not written yet: read directly, and only when the database has them (an embedded
//! database without claim has no claim, and the answers are the original's for an insuree who
//! never claimed). The conditions are the joins and filters of the original's
//! `NativeEligibilityService` (claim status above entered (2), claim details passed (1)).

use crate::reads::has_table;
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::ModuleError;
use std::collections::HashMap;

/// Items or services.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Kind {
    Item,
    Service,
}

impl Kind {
    /// (claim detail table, its target column, its status column)
    fn table(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Kind::Item => ("tblClaimItems", "ItemID", "ClaimItemStatus"),
            Kind::Service => ("tblClaimServices", "ServiceID", "ClaimServiceStatus"),
        }
    }
}

#[derive(diesel::QueryableByName)]
struct Used {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Double>)]
    total: Option<f64>,
}

/// The quantities of `target` the insuree's claims used (`Sum(Coalesce(qty_approved,
/// qty_provided))` over valid claims above entered and their valid, passed details), or none
/// when no such detail exists: the original's query inner-joins them, so it then has no row.
pub fn used(
    conn: &mut DbConnection,
    kind: Kind,
    insuree: i64,
    target: i64,
) -> Result<Option<Option<f64>>, ModuleError> {
    let (table, column, status) = kind.table();
    if !has_table(conn, "tblClaim") || !has_table(conn, table) {
        return Ok(None);
    }
    let sql = format!(
        r#"SELECT COUNT(*) AS n, CAST(SUM(COALESCE(d."QtyApproved", d."QtyProvided")) AS DOUBLE PRECISION) AS total
           FROM "tblClaim" c JOIN "{table}" d ON d."ClaimID" = c."ClaimID"
           WHERE c."InsureeID" = ? AND c."ValidityTo" IS NULL AND (c."ClaimStatus" > 2 OR c."ClaimStatus" IS NULL)
             AND d."{column}" = ? AND d."ValidityTo" IS NULL AND (d."{status}" = 1 OR d."{status}" IS NULL)"#
    );
    let binds = [Bind::BigInt(Some(insuree)), Bind::BigInt(Some(target))];
    let found: Vec<Used> = db::load(conn, &sql, &binds)?;
    Ok(found
        .into_iter()
        .next()
        .filter(|u| u.n > 0)
        .map(|u| u.total))
}

#[derive(diesel::QueryableByName)]
struct PerCategory {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    category: Option<String>,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Per claim category (`ClaimCategory`: S, C, D, A, H, V), the insuree's distinct valid claims
/// above entered with no service, or with a valid service not rejected (`RejectionReason` 0 or
/// null): the original's `Count("insuree__claim", filter=…, distinct=True)` over its outer
/// join on the claim's services.
pub fn per_category(
    conn: &mut DbConnection,
    insuree: i64,
) -> Result<HashMap<String, i64>, ModuleError> {
    if !has_table(conn, "tblClaim") || !has_table(conn, "tblClaimServices") {
        return Ok(HashMap::new());
    }
    let sql = r#"SELECT c."ClaimCategory" AS category, COUNT(DISTINCT c."ClaimID") AS n
        FROM "tblClaim" c LEFT JOIN "tblClaimServices" s ON s."ClaimID" = c."ClaimID"
        WHERE c."InsureeID" = ? AND c."ValidityTo" IS NULL AND c."ClaimStatus" > 2
          AND s."ValidityTo" IS NULL AND (s."RejectionReason" = 0 OR s."RejectionReason" IS NULL)
        GROUP BY c."ClaimCategory""#;
    let found: Vec<PerCategory> = db::load(conn, sql, &[Bind::BigInt(Some(insuree))])?;
    Ok(found
        .into_iter()
        .filter_map(|c| Some((c.category?, c.n)))
        .collect())
}
