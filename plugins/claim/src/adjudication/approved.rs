//! `approved_amount`: the claim's approved total as the original's aggregate computes it.

use super::amount::Amount;
use super::rows::{ints, select};
use openimis_sdk::db::DbConnection;
use openimis_sdk::ModuleError;

/// `approved_amount(claim)`: 0 for a rejected claim; else the original's aggregate over
/// `items__` and `services__` in one query, whose two joins multiply each other's rows: Σ over
/// the items × the number of services (at least 1) + Σ over the services × the number of
/// items (at least 1), over every line of the claim whatever its validity or status, each
/// `COALESCE(priceApproved, priceAdjusted, priceAsked, 0) × COALESCE(qtyApproved, qtyProvided, 0)`.
pub fn approved_amount(conn: &mut DbConnection, claim_id: i32) -> Result<Amount, ModuleError> {
    let status = select(
        conn,
        &[r#""ClaimStatus""#],
        r#"FROM "tblClaim" WHERE "ClaimID" = ?"#,
        &ints([claim_id]),
    )?;
    if status.first().and_then(|r| r.int(0)) == Some(1) {
        return Ok(Amount::ZERO);
    }
    let cols = [
        r#""PriceApproved""#,
        r#""PriceAdjusted""#,
        r#""PriceAsked""#,
        r#""QtyApproved""#,
        r#""QtyProvided""#,
    ];
    let mut sums = [(Amount::ZERO, 0i64); 2];
    for (i, table) in ["tblClaimItems", "tblClaimServices"].iter().enumerate() {
        let rest = format!(r#"FROM "{table}" WHERE "ClaimID" = ?"#);
        for r in select(conn, &cols, &rest, &ints([claim_id]))? {
            let price = r
                .amount(0)
                .or(r.amount(1))
                .or(r.amount(2))
                .unwrap_or_default();
            let qty = r.amount(3).or(r.amount(4)).unwrap_or_default();
            sums[i].0 = sums[i].0.plus(price.times(qty));
            sums[i].1 += 1;
        }
    }
    let [(items, n_items), (services, n_services)] = sums;
    Ok(items
        .times_int(n_services.max(1))
        .plus(services.times_int(n_items.max(1))))
}
