//! The arguments of `premiums` and `premiumsByPolicies` beyond `PREMIUM`'s declared filters
//! (`resolve_premiums`, `resolve_premiums_by_policies`): `payerId`, `clientMutationId`, the
//! validity `showHistory` or a `uuid` lifts, `parentLocation` + `parentLocationLevel` on the
//! policy's family's location, `policyUuids`, and the `policy_*` filter set (`views.rs`). Each
//! is parsed first and becomes a clause of the base `Where` over the list's alias.

use crate::specs::PREMIUM;
use crate::views::{COVERAGE_FILTERS, PREMIUM_POLICY};
use openimis_sdk::db::{Bind, DbConnection};
use openimis_sdk::entity::{self, Access};
use openimis_sdk::sql_filter::{bind, text_arg, As, Where};
use openimis_sdk::{ModuleError, SelectionField};
use serde_json::{json, Map, Value};

/// `location_types`: region, district, ward (municipality), village.
const LEVELS: i64 = 4;

/// The `policy_InsureePolicies_Insuree_*` arguments as `insuree_*` filters of the coverage rows.
fn coverage_args(field: &SelectionField) -> Map<String, Value> {
    let mut args = entity::prefixed(field, "policy_InsureePolicies_");
    args.retain(|_, value| !value.is_null());
    args
}

/// The `policy_*` filters: `PREMIUM_POLICY`'s clauses (they name the list's alias) and, for
/// the coverage filters, the premiums of a policy covering a matching insuree (any validity,
/// as django's join).
fn policy_filters(
    conn: &DbConnection,
    field: &SelectionField,
    w: &mut Where,
) -> Result<(), ModuleError> {
    let open = Access::open();
    let found = entity::filtered(conn, &PREMIUM_POLICY, field, Where::new(), &open)?;
    w.and(found.sql(), found.binds().to_vec());
    let (coverage, args) = ((&COVERAGE_FILTERS, "PolicyId"), coverage_args(field));
    entity::narrowed_through(conn, w, &PREMIUM.col("PolicyID"), coverage, args)
}

/// `parentLocation` + `parentLocationLevel`: `policy__family__location__<parent__ × (3 −
/// level)>uuid`, the family's location's ancestor at that many hops (none past the region).
fn parent_location(field: &SelectionField, w: &mut Where) -> Result<(), ModuleError> {
    let Some(uuid) = text_arg(field, "parentLocation")? else {
        return Ok(());
    };
    let level = match field.arg("parentLocationLevel").filter(|v| !v.is_null()) {
        None => {
            // The original's `NotImplementedError`.
            let text = "Missing parentLocationLevel argument when filtering on parentLocation";
            return Err(ModuleError::new("BAD_ARGUMENT", text));
        }
        Some(level) => match bind("parentLocationLevel", level, As::Int)? {
            Bind::BigInt(Some(level)) => level,
            _ => 0,
        },
    };
    let hops = (LEVELS - level - 1).max(0);
    if hops >= LEVELS {
        w.and("1 = 0", []);
        return Ok(());
    }
    let mut joins = String::new();
    let mut at = r#"f."LocationId""#.to_owned();
    for hop in 0..=hops {
        joins.push_str(&format!(
            r#" JOIN "tblLocations" l{hop} ON l{hop}."LocationId" = {at}"#
        ));
        at = format!(r#"l{hop}."ParentLocationId""#);
    }
    let sql = format!(
        r#"{} IN (SELECT po."PolicyID" FROM "tblPolicy" po JOIN "tblFamilies" f ON f."FamilyID" = po."FamilyID"{joins} WHERE CAST(l{hops}."LocationUUID" AS TEXT) = ?)"#,
        PREMIUM.col("PolicyID")
    );
    w.and(&sql, [Bind::text(uuid)]);
    Ok(())
}

/// `clientMutationId`: the premiums linked to a mutation logged with that id.
fn client_mutation(field: &SelectionField, w: &mut Where) -> Result<(), ModuleError> {
    if let Some(client_id) = text_arg(field, "clientMutationId")?.filter(|c| !c.is_empty()) {
        let sql = format!(
            r#"{} IN (SELECT lk."premium_id" FROM "contribution_PremiumMutation" lk JOIN "core_Mutation_Log" ml ON ml."id" = lk."mutation_id" WHERE ml."client_mutation_id" = ?)"#,
            PREMIUM.col("PremiumId")
        );
        w.and(&sql, [Bind::text(client_id)]);
    }
    Ok(())
}

/// The base of `premiums`; `field` gets `showHistory` when a `uuid` lifts the validity.
pub fn premiums(conn: &DbConnection, field: &mut SelectionField) -> Result<Where, ModuleError> {
    let mut w = Where::new();
    let payer = format!("{} = ?", PREMIUM.col("PayerID"));
    // `if payer_id:`: an empty or zero id is no filter.
    let given = |v: &&Value| !v.is_null() && v.as_str() != Some("") && v.as_i64() != Some(0);
    if let Some(value) = field.arg("payerId").filter(given) {
        w.and(&payer, [bind("payerId", value, As::Int)?]);
    }
    client_mutation(field, &mut w)?;
    let uuid_given = field
        .arg("uuid")
        .is_some_and(|v| v.as_str().is_some_and(|u| !u.is_empty()));
    if uuid_given {
        field.args.insert("showHistory".into(), json!(true));
    }
    parent_location(field, &mut w)?;
    policy_filters(conn, field, &mut w)?;
    Ok(w)
}

/// The base of `premiumsByPolicies`: the valid premiums of the policies (any validity) whose
/// uuids `policyUuids` names; `showHistory` is no argument of it.
pub fn by_policies(conn: &DbConnection, field: &mut SelectionField) -> Result<Where, ModuleError> {
    let uuids: Vec<Bind> = match field.arg("policyUuids") {
        Some(Value::Array(items)) => items
            .iter()
            .filter(|v| !v.is_null())
            .map(|v| bind("policyUuids", v, As::Text))
            .collect::<Result<_, _>>()?,
        // A single value for a list is a list of one (GraphQL's input coercion).
        Some(Value::String(one)) => vec![Bind::text(one)],
        _ => Vec::new(),
    };
    field.args.remove("showHistory");
    let mut w = Where::new();
    if uuids.is_empty() {
        w.and("1 = 0", []);
    } else {
        let marks = vec!["?"; uuids.len()].join(", ");
        let sql = format!(
            r#"{} IN (SELECT bp."PolicyID" FROM "tblPolicy" bp WHERE CAST(bp."PolicyUUID" AS TEXT) IN ({marks}))"#,
            PREMIUM.col("PolicyID")
        );
        w.and(&sql, uuids);
    }
    policy_filters(conn, field, &mut w)?;
    Ok(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_arguments_are_the_insurees_filters() {
        let mut field = SelectionField::new("premiums");
        field.args = serde_json::from_value(json!({
            "policy_InsureePolicies_Insuree_ChfId": "070707070",
            "policy_InsureePolicies_Insuree_LastName_Icontains": null,
            "policy_Uuid": "x", "amount": "5"
        }))
        .unwrap();
        let args = coverage_args(&field);
        assert_eq!(Value::Object(args), json!({"insuree_ChfId": "070707070"}));
    }

    #[test]
    fn a_parent_location_needs_its_level() {
        let mut field = SelectionField::new("premiums");
        field.args.insert("parentLocation".into(), json!("u"));
        let error = parent_location(&field, &mut Where::new()).unwrap_err();
        assert_eq!(
            error.message.as_str(),
            "Missing parentLocationLevel argument when filtering on parentLocation"
        );
        field.args.insert("parentLocationLevel".into(), json!(1));
        let mut w = Where::new();
        parent_location(&field, &mut w).unwrap();
        assert!(
            w.sql().contains(r#"CAST(l2."LocationUUID" AS TEXT) = ?"#),
            "{}",
            w.sql()
        );
        field.args.insert("parentLocationLevel".into(), json!(-1));
        let mut w = Where::new();
        parent_location(&field, &mut w).unwrap();
        assert!(w.sql().ends_with("(1 = 0)"), "past the region: {}", w.sql());
    }
}
