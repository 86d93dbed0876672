//! The `policies` arguments beyond the declared filters (policy.md §4, `resolve_policies`):
//! `regionId`/`districtId` through the family's (or product's) location, `confirmationType`,
//! `showInactive`, `balanceLte`/`balanceGte`, the insuree-policy filters and the `product_*`
//! and `officer_*` filter sets (read through filter-only views, any validity, as django's
//! joins). Each is taken out of the field, parsed, and becomes a clause of the base `Where`.

use crate::config::Config;
use crate::reads::has_table;
use crate::specs::POLICY;
use openimis_sdk::db::{Bind, DbConnection};
use openimis_sdk::entity;
use openimis_sdk::entity::views::{OFFICER_FILTERS, PRODUCT_FILTERS};
use openimis_sdk::sql_filter::{bind, As, Where};
use openimis_sdk::{ModuleError, SelectionField};
use serde_json::{Map, Value};

/// `Q(insuree_policies__insuree__<path>)`: the policies with a coverage row (any validity)
/// of an insuree matching `clause`.
const COVERING: &str = r#"SELECT ip."PolicyId" FROM "tblInsureePolicy" ip JOIN "tblInsuree" i ON i."InsureeID" = ip."InsureeID" WHERE "#;

/// The field without the arguments starting with `prefix`, and those given unprefixed.
fn split_prefixed(field: &mut SelectionField, prefix: &str) -> Map<String, Value> {
    let mut taken = entity::take_prefixed(field, prefix);
    taken.retain(|_, value| !value.is_null());
    taken
}

/// A `Float` argument, when given and non-zero (the original tests `kwargs.get(...)`).
fn float_arg(field: &SelectionField, name: &str) -> Result<Option<f64>, ModuleError> {
    match field.arg(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => {
            let n = value.as_f64().filter(|n| n.is_finite()).ok_or_else(|| {
                ModuleError::new("BAD_ARGUMENT", format!("`{name}` must be a number"))
            })?;
            Ok(Some(n).filter(|&n| n != 0.0))
        }
    }
}

/// `regionId`/`districtId`: `<via>__location__parent…__id` with four location levels.
fn location(config: &Config, field: &SelectionField, w: &mut Where) -> Result<(), ModuleError> {
    let given = |name: &str| {
        field
            .arg(name)
            .filter(|v| !v.is_null() && v.as_i64() != Some(0))
    };
    let (value, name, hops) = match (given("districtId"), given("regionId")) {
        (Some(v), _) => (v, "districtId", 2),
        (None, Some(v)) => (v, "regionId", 3),
        (None, None) => return Ok(()),
    };
    let id = bind(name, value, As::Int)?;
    let (table, key, column) = match config.policy_location_via.as_str() {
        "product" => ("tblProduct", "ProdID", "ProdID"),
        _ => ("tblFamilies", "FamilyID", "FamilyID"),
    };
    let mut joins = String::new();
    for hop in 1..=hops {
        let from = if hop == 1 {
            r#"x."LocationId""#.to_owned()
        } else {
            format!(r#"l{}."ParentLocationId""#, hop - 1)
        };
        joins.push_str(&format!(
            r#" JOIN "tblLocations" l{hop} ON l{hop}."LocationId" = {from}"#
        ));
    }
    let sql = format!(
        r#"{} IN (SELECT x."{key}" FROM "{table}" x{joins} WHERE l{hops}."ParentLocationId" = ?)"#,
        POLICY.col(column)
    );
    w.and(&sql, [id]);
    Ok(())
}

/// Takes the arguments of `policies` the entity layer does not declare out of `field` and
/// answers them as the base `Where`.
pub fn base(
    conn: &mut DbConnection,
    config: &Config,
    field: &mut SelectionField,
) -> Result<Where, ModuleError> {
    let mut w = Where::new();
    location(config, field, &mut w)?;
    let policy = POLICY.col("PolicyID");
    let family = POLICY.col("FamilyID");
    if let Some(value) = field
        .arg("confirmationType")
        .filter(|v| !v.is_null() && v.as_str() != Some(""))
    {
        let kind = bind("confirmationType", value, As::Text)?;
        let sql = format!(
            r#"{family} IN (SELECT f."FamilyID" FROM "tblFamilies" f WHERE f."ConfirmationType" = ?)"#
        );
        w.and(&sql, [kind]);
    }
    if field.arg("showInactive") == Some(&Value::Bool(true)) {
        // Family members minus covered insurees > 0; no valid coverage row is NULL in the
        // original's subquery, which no comparison keeps.
        let covered = format!(
            r#"SELECT COUNT(*) FROM "tblInsureePolicy" c WHERE c."PolicyId" = {policy} AND c."ValidityTo" IS NULL"#
        );
        let members = format!(
            r#"SELECT COUNT(*) FROM "tblInsuree" m WHERE m."FamilyID" = {family} AND m."ValidityTo" IS NULL"#
        );
        w.and(
            &format!("({members}) - ({covered}) > 0 AND ({covered}) > 0"),
            [],
        );
    }
    let (lte, gte) = (
        float_arg(field, "balanceLte")?,
        float_arg(field, "balanceGte")?,
    );
    if lte.is_some() || gte.is_some() {
        // balance = value − the valid premiums that are not photo fees; NULL (no premium)
        // matches no comparison, as the original's annotation.
        if !has_table(conn, "tblPremium") {
            w.and("1 = 0", []);
        } else {
            let balance = format!(
                r#"CAST({} AS DOUBLE PRECISION) - (SELECT CAST(SUM(pm."Amount") AS DOUBLE PRECISION) FROM "tblPremium" pm WHERE pm."PolicyID" = {policy} AND pm."ValidityTo" IS NULL AND pm."isPhotoFee" = FALSE)"#,
                POLICY.col("PolicyValue")
            );
            for (bound, op) in [(lte, "<="), (gte, ">=")] {
                if let Some(n) = bound {
                    w.and(&format!("{balance} {op} {n:?}"), []);
                }
            }
        }
    }
    let covering = split_prefixed(field, "insureePolicies_Insuree_");
    for (name, value) in covering {
        let (column, op) = match name.as_str() {
            "chfId" => ("CHFID", "="),
            "chfId_Icontains" => ("CHFID", "like"),
            "lastName_Icontains" => ("LastName", "like"),
            "otherNames_Icontains" => ("OtherNames", "like"),
            _ => continue,
        };
        let text = bind(&format!("insureePolicies_Insuree_{name}"), &value, As::Text)?;
        let (clause, bound) = match (op, text) {
            ("like", Bind::Text(Some(t))) => (
                format!(r#"LOWER(i."{column}") LIKE LOWER(?) ESCAPE '\'"#),
                Bind::text(format!("%{}%", entity::escape_like(&t))),
            ),
            (_, text) => (format!(r#"i."{column}" = ?"#), text),
        };
        w.and(&format!("{policy} IN ({COVERING}{clause})"), [bound]);
    }
    let product = split_prefixed(field, "product_");
    let products = (&PRODUCT_FILTERS, PRODUCT_FILTERS.key);
    entity::narrowed_through(conn, &mut w, &POLICY.col("ProdID"), products, product)?;
    let officer = split_prefixed(field, "officer_");
    let officers = (&OFFICER_FILTERS, OFFICER_FILTERS.key);
    entity::narrowed_through(conn, &mut w, &POLICY.col("OfficerID"), officers, officer)?;
    for name in [
        "regionId",
        "districtId",
        "confirmationType",
        "showInactive",
        "balanceLte",
        "balanceGte",
    ] {
        field.args.remove(name);
    }
    Ok(w)
}
