//! What `PremiumGQLType` answers beyond its columns, added once per batch of rows (the entity
//! layer's `extend` hook):
//! - `otherPremiums`: the sum of the other valid premiums of the same policy that are not photo
//!   fees. The root `premiums` annotates it (`Sum(...)`: null when there is none); anywhere
//!   else the model's method answers (`... or 0`: 0.0).
//! - `clientMutationId`: a linked mutation still at status 0 (the resolver's
//!   `mutations.filter(mutation__status=0).first()`).
//! - `mutations`: the link rows, each with its premium and its log (core's type).
//!
//! No row rule: the original's `Premium` has no `get_queryset` (contribution.md §2).

use crate::links;
use crate::specs::PREMIUM;
use diesel::sql_types::{BigInt, Text};
use openimis_sdk::db::{self, DbConnection};
use openimis_sdk::decimal::Decimal;
use openimis_sdk::entity::{EntitySpec, Hooks};
use openimis_sdk::mutation_link;
use openimis_sdk::sql_filter::id_list;
use openimis_sdk::{HostHandle, ModuleError, SelectionField};
use serde_json::{json, Value};
use std::collections::HashMap;

/// One request's reads of premiums.
pub struct Reads<'a> {
    /// For `clientMutationId` (core's `mutation_log.pending`); none answers null.
    pub host: Option<&'a HostHandle>,
    /// Whether `otherPremiums` is the root list's annotation (null without other premiums).
    pub annotated: bool,
}

impl Hooks for Reads<'_> {
    fn extend(
        &self,
        conn: &mut DbConnection,
        spec: &EntitySpec,
        rows: &mut [Value],
        sel: &[SelectionField],
    ) -> Result<(), ModuleError> {
        if !std::ptr::eq(spec, &PREMIUM) || rows.is_empty() {
            return Ok(());
        }
        let wants = |name: &str| sel.iter().any(|f| f.name == name);
        let ids: Vec<i64> = rows.iter().filter_map(|r| r["pk"].as_i64()).collect();
        if wants("otherPremiums") {
            let sums = other_premiums(conn, &ids)?;
            for row in rows.iter_mut() {
                let sum = row["pk"].as_i64().and_then(|pk| sums.get(&pk));
                row["otherPremiums"] = match (sum, self.annotated) {
                    (Some(sum), _) => json!(sum.to_f64()),
                    (None, true) => Value::Null,
                    (None, false) => json!(0.0),
                };
            }
        }
        let (host, table) = (self.host, links::TABLE);
        mutation_link::client_mutation_fields(host, conn, table, "premium", rows, sel)?;
        Ok(())
    }
}

#[derive(diesel::QueryableByName)]
struct Other {
    #[diesel(sql_type = BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    amount: Option<String>,
}

/// Per premium of `ids`, the sum of the other valid premiums of its policy that are not photo
/// fees (absent when there is none). Summed exactly here: SQLite keeps amounts as reals.
pub fn other_premiums(
    conn: &mut DbConnection,
    ids: &[i64],
) -> Result<HashMap<i64, Decimal>, ModuleError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        r#"SELECT CAST(p."PremiumId" AS BIGINT) AS id, CAST(o."Amount" AS TEXT) AS amount
           FROM "tblPremium" p JOIN "tblPremium" o
             ON o."PolicyID" = p."PolicyID" AND o."PremiumId" <> p."PremiumId"
           WHERE p."PremiumId" IN ({}) AND o."ValidityTo" IS NULL AND o."isPhotoFee" = FALSE"#,
        id_list(ids)
    );
    let found: Vec<Other> = db::load(conn, &sql, &[])?;
    let mut sums: HashMap<i64, Decimal> = HashMap::new();
    for other in found {
        let amount = other
            .amount
            .as_deref()
            .and_then(Decimal::parse)
            .unwrap_or(Decimal::ZERO);
        let sum = sums.entry(other.id).or_insert(Decimal::ZERO);
        *sum = sum.plus(amount);
    }
    Ok(sums)
}
