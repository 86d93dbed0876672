//! A policy's value from its product and the family's counts (the original's `values.py`:
//! `sum_contributions`, `sum_general_assemblies`, `sum_registrations`, `discount_new`,
//! `discount_renew`), as pure functions with Python `Decimal`'s exponents (`decimal.rs`).
//!
//! Where the spec and the original's code differ, the code is followed:
//! - Without a lump sum, only the adults and children *within* the threshold are priced
//!   (`f_counts["adults"]` is after the threshold); those beyond it are priced only with a
//!   lump sum.
//! - The calculation-rule override (a contribution plan) is not served: no calculation module.

use crate::counts::FamilyCounts;
use crate::dates::{add_months, Stage};
use chrono::NaiveDate;
use openimis_sdk::decimal::Decimal;

/// What of a product the value depends on. Amounts as product's service answers them.
#[derive(Debug, Clone, Default)]
pub struct Prices {
    pub lump_sum: Option<Decimal>,
    pub premium_adult: Option<Decimal>,
    pub premium_child: Option<Decimal>,
    pub general_assembly_lump_sum: Option<Decimal>,
    pub general_assembly_fee: Option<Decimal>,
    pub registration_lump_sum: Option<Decimal>,
    pub registration_fee: Option<Decimal>,
    /// `(perc, period in months)` when `has_enrolment_discount()`.
    pub enrolment_discount: Option<(i64, i64)>,
    /// `(perc, period in months)` when `has_renewal_discount()`.
    pub renewal_discount: Option<(i64, i64)>,
    pub has_cycle: bool,
}

/// `get_attr`: the amount, or the integer 0 when absent or zero.
fn attr(amount: Option<Decimal>) -> Decimal {
    amount.filter(|d| !d.is_zero()).unwrap_or(Decimal::int(0))
}

/// A set, non-zero amount (Python's truthy `Decimal`).
fn truthy(amount: Option<Decimal>) -> Option<Decimal> {
    amount.filter(|d| !d.is_zero())
}

/// `sum_contributions`.
pub fn contributions(prices: &Prices, counts: &FamilyCounts) -> Decimal {
    let adult = attr(prices.premium_adult);
    let child = attr(prices.premium_child);
    let base = match truthy(prices.lump_sum) {
        Some(lump_sum) => lump_sum
            .plus(adult.times(counts.extra_adults))
            .plus(child.times(counts.extra_children)),
        None => Decimal::int(0)
            .plus(adult.times(counts.adults))
            .plus(child.times(counts.children)),
    };
    base.plus(adult.times(counts.other_adults))
        .plus(child.times(counts.other_children))
}

/// `sum_general_assemblies`.
pub fn general_assembly(prices: &Prices, counts: &FamilyCounts) -> Decimal {
    truthy(prices.general_assembly_lump_sum)
        .unwrap_or_else(|| attr(prices.general_assembly_fee).times(counts.total))
}

/// `sum_registrations`: new policies only.
pub fn registration(prices: &Prices, counts: &FamilyCounts, stage: Stage) -> Decimal {
    if stage != Stage::New {
        return Decimal::int(0);
    }
    truthy(prices.registration_lump_sum)
        .unwrap_or_else(|| attr(prices.registration_fee).times(counts.total))
}

/// The dates a discount compares.
#[derive(Debug, Clone, Copy)]
pub struct Dates {
    pub enroll: NaiveDate,
    pub start: NaiveDate,
    /// The renewed policy's expiry date (`prevUuid`), for a renewal's discount.
    pub previous_expiry: Option<NaiveDate>,
}

/// `discount`: a new policy of a product with cycles enrolled at least the enrolment discount
/// period before its start; a renewal enrolled at least the renewal discount period before
/// the previous policy's expiry + 1 day. A renewal discount without a previous policy is the
/// original's `AttributeError`.
fn discount(
    value: Decimal,
    prices: &Prices,
    stage: Stage,
    dates: Dates,
) -> Result<Decimal, String> {
    let (perc, limit) = match (stage, prices.enrolment_discount, prices.renewal_discount) {
        (Stage::New, Some((perc, period)), _) if prices.has_cycle => {
            (perc, add_months(dates.start, -period))
        }
        (Stage::Renewed, _, Some((perc, period))) => {
            let expiry = dates
                .previous_expiry
                .ok_or_else(|| "'NoneType' object has no attribute 'expiry_date'".to_owned())?;
            let next = expiry.succ_opt().unwrap_or(expiry);
            (perc, add_months(next, -period))
        }
        _ => return Ok(value),
    };
    Ok(match dates.enroll <= limit {
        true => value.minus(value.times(perc).per_cent()),
        false => value,
    })
}

/// `set_legacy_policy_value`: contributions + general assembly + registration, discounted.
pub fn value(
    prices: &Prices,
    counts: &FamilyCounts,
    stage: Stage,
    dates: Dates,
) -> Result<Decimal, String> {
    let total = contributions(prices, counts)
        .plus(general_assembly(prices, counts))
        .plus(registration(prices, counts, stage));
    discount(total, prices, stage, dates)
}

#[cfg(test)]
mod tests;
