//! What PolicyGQLType answers beyond its columns, added once per batch of rows (the entity
//! layer's `extend` hook): `sumPremiums`, the valid premiums that are not photo fees
//! (`Policy.sum_premiums()`, 0 without any).

use crate::reads::premiums;
use crate::specs::POLICY;
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity::{Access, EntitySpec};
use openimis_sdk::{ModuleError, SelectionField};
use serde_json::{json, Value};

/// Every read of policy's entities: no row rule (the original's `get_queryset` only refuses
/// anonymous users, which the host and `entities.rs` do), these fields.
pub fn access() -> Access<'static> {
    Access::open().extend(&extend)
}

fn extend(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    rows: &mut [Value],
    sel: &[SelectionField],
) -> Result<(), ModuleError> {
    if !std::ptr::eq(spec, &POLICY) || !sel.iter().any(|f| f.name == "sumPremiums") {
        return Ok(());
    }
    let ids: Vec<i64> = rows.iter().filter_map(|r| r["pk"].as_i64()).collect();
    let sums = premiums(conn, &ids)?;
    for row in rows.iter_mut() {
        let sum = row["pk"].as_i64().and_then(|pk| sums.get(&pk)).copied();
        row["sumPremiums"] = json!(sum.unwrap_or(0.0));
    }
    Ok(())
}
