//! product's rows as policy reads them, through product's service `products.get` (documented
//! in docs/MODULES.md, "## product"): one call per batch, and the product's amounts and
//! periods in the shapes `dates.rs` and `value.rs` compute with.

use crate::dates::Periods;
use crate::value::Prices;
use openimis_sdk::decimal::Decimal;
use openimis_sdk::{HostHandle, ModuleError};
use serde_json::{json, Value};
use std::collections::HashMap;

/// The products `ids` (any validity, without their details), by id.
pub fn by_ids(host: &HostHandle, ids: &[i64]) -> Result<HashMap<i64, Value>, ModuleError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<Value> = host.call(
        "product",
        "products.get",
        &json!({"ids": ids, "details": false}),
    )?;
    Ok(rows
        .into_iter()
        .filter_map(|row| Some((row["id"].as_i64()?, row)))
        .collect())
}

/// An amount as product answers it ("300.00"), absent when null.
pub fn amount(row: &Value, field: &str) -> Option<Decimal> {
    row[field].as_str().and_then(Decimal::parse)
}

fn int(row: &Value, field: &str) -> Option<i64> {
    row[field].as_i64()
}

/// A set, non-zero integer (Python's truthy `int`).
fn set(row: &Value, field: &str) -> Option<i64> {
    int(row, field).filter(|&n| n != 0)
}

/// What the dates depend on.
pub fn periods(row: &Value) -> Periods {
    let cycle = |n: usize| row[format!("startCycle{n}")].as_str().map(str::to_owned);
    Periods {
        administration_period: set(row, "administrationPeriod"),
        grace_period_enrolment: set(row, "gracePeriodEnrolment"),
        grace_period_renewal: set(row, "gracePeriodRenewal"),
        start_cycles: [cycle(1), cycle(2), cycle(3), cycle(4)],
        insurance_period: int(row, "insurancePeriod").unwrap_or_default(),
    }
}

/// What the value depends on.
pub fn prices(row: &Value) -> Prices {
    let discount = |flag: &str, perc: &str, period: &str| match row[flag] == true {
        true => Some((int(row, perc)?, int(row, period)?)),
        false => None,
    };
    Prices {
        lump_sum: amount(row, "lumpSum"),
        premium_adult: amount(row, "premiumAdult"),
        premium_child: amount(row, "premiumChild"),
        general_assembly_lump_sum: amount(row, "generalAssemblyLumpSum"),
        general_assembly_fee: amount(row, "generalAssemblyFee"),
        registration_lump_sum: amount(row, "registrationLumpSum"),
        registration_fee: amount(row, "registrationFee"),
        enrolment_discount: discount(
            "hasEnrolmentDiscount",
            "enrolmentDiscountPerc",
            "enrolmentDiscountPeriod",
        ),
        renewal_discount: discount(
            "hasRenewalDiscount",
            "renewalDiscountPerc",
            "renewalDiscountPeriod",
        ),
        has_cycle: row["hasCycle"] == true,
    }
}
