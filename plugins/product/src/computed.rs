//! What ProductGQLType and its details answer beyond their columns, added once per batch of
//! rows (the entity layer's `extend` hook): enum names for the stored codes; `deductible*` and
//! `ceiling*` read from the `ded_*`/`max_*` set of the product's `ceilingType`; and
//! `relativePrices` from the valid `tblRelDistr` rows of each care type whose period kind
//! (`PeriodRelPrices*` = M, Q or Y: 12, 4 or 1 periods) is set.

use crate::enums::{self, Enum};
use crate::specs::{PRODUCT, PRODUCT_ITEM, PRODUCT_SERVICE, RELATIVE_DISTRIBUTION};
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity::{self, Access, EntitySpec};
use openimis_sdk::sql_filter::Where;
use openimis_sdk::{ModuleError, SelectionField};
use serde_json::{json, Value};

/// Every read of product's entities: no row rule (the list's own is in its base), these fields.
pub fn access() -> Access<'static> {
    Access::open().extend(&extend)
}

fn rename(row: &mut Value, field: &str, e: Enum) {
    let name = row[field].as_str().and_then(|code| enums::name_of(e, code));
    row[field] = json!(name);
}

const DETAIL_ENUMS: [(&str, Enum); 6] = [
    ("priceOrigin", enums::PRICE_ORIGIN),
    ("limitationType", enums::LIMIT_TYPE),
    ("limitationTypeR", enums::LIMIT_TYPE),
    ("limitationTypeE", enums::LIMIT_TYPE),
    ("ceilingExclusionAdult", enums::CEILING_EXCLUSION),
    ("ceilingExclusionChild", enums::CEILING_EXCLUSION),
];

/// `(field, column prefix)`: the computed fields and the `ded_*`/`max_*` they read.
/// `ceilingIp` reads `max_ip_*` and `ceilingOp` `max_op_*` (a save stores them crossed).
const CEILINGS: [(&str, &str); 6] = [
    ("deductible", "ded"),
    ("deductibleIp", "dedIp"),
    ("deductibleOp", "dedOp"),
    ("ceiling", "max"),
    ("ceilingIp", "maxIp"),
    ("ceilingOp", "maxOp"),
];

/// The suffix of the `ded_*`/`max_*` set a ceiling type selects.
pub fn ceiling_suffix(code: &str) -> Option<&'static str> {
    match code {
        "I" => Some("Insuree"),
        "T" => Some("Treatment"),
        "P" => Some("Policy"),
        _ => None,
    }
}

fn extend(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    rows: &mut [Value],
    sel: &[SelectionField],
) -> Result<(), ModuleError> {
    if std::ptr::eq(spec, &PRODUCT_ITEM) || std::ptr::eq(spec, &PRODUCT_SERVICE) {
        for row in rows.iter_mut() {
            for (field, e) in DETAIL_ENUMS {
                rename(row, field, e);
            }
        }
        return Ok(());
    }
    if !std::ptr::eq(spec, &PRODUCT) {
        return Ok(());
    }
    for row in rows.iter_mut() {
        let suffix = row["ceilingType"].as_str().and_then(ceiling_suffix);
        for (field, prefix) in CEILINGS {
            let value = suffix.map_or(Value::Null, |s| row[format!("{prefix}{s}")].clone());
            row[field] = value;
        }
        rename(row, "ceilingType", enums::CEILING_TYPE);
        rename(row, "ceilingInterpretation", enums::CEILING_INTERPRETATION);
    }
    if sel.iter().any(|f| f.name == "relativePrices") {
        relative_prices(conn, rows)?;
    }
    Ok(())
}

fn periods_of(kind: Option<&str>) -> Option<i64> {
    match kind? {
        "M" => Some(12),
        "Q" => Some(4),
        "Y" => Some(1),
        _ => None,
    }
}

/// `relativePrices` of a batch of products: one statement for all.
fn relative_prices(conn: &mut DbConnection, rows: &mut [Value]) -> Result<(), ModuleError> {
    let ids: Vec<i64> = rows.iter().filter_map(|r| r["pk"].as_i64()).collect();
    let mut w = Where::new();
    w.ids(&RELATIVE_DISTRIBUTION.col("ProdID"), &ids);
    w.and(
        &format!("{} IS NULL", RELATIVE_DISTRIBUTION.col("ValidityTo")),
        [],
    );
    let order = RELATIVE_DISTRIBUTION.col("Period");
    let found = entity::find(conn, &RELATIVE_DISTRIBUTION, &w, &order)?;
    for row in rows.iter_mut() {
        let pk = row["pk"].as_i64();
        let mut prices = Vec::new();
        for (care, field) in [
            ("B", "periodRelPrices"),
            ("I", "periodRelPricesIp"),
            ("O", "periodRelPricesOp"),
        ] {
            let Some(n) = periods_of(row[field].as_str()) else {
                continue;
            };
            let periods: Vec<Value> = found
                .iter()
                .filter(|d| d["productPk"].as_i64() == pk)
                .filter(|d| d["careType"] == care && d["type"].as_i64() == Some(n))
                .map(|d| d["percent"].clone())
                .collect();
            let care_type = enums::name_of(enums::CARE_TYPE, care);
            prices.push(json!({"careType": care_type, "periods": periods}));
        }
        row["relativePrices"] = Value::Array(prices);
    }
    Ok(())
}
