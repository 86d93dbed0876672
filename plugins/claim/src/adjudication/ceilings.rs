//! A policy's deductible and ceiling for one claim (`calculate_deductibles_and_ceilings`):
//! general first (per treatment, else per insuree, else per policy, less what earlier claims
//! used), then the policy ceiling with its extra-member and cap rules, then in-patient or
//! out-patient ones when no general one applies.

use super::amount::Amount;
use super::context::{EarlierDedRem, Product};
use super::outcome::python_error;
use openimis_sdk::ModuleError;

/// A deductible or ceiling: its amount and what earlier claims already used.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Limit {
    pub amount: Amount,
    pub prev: Amount,
}

/// The original's `deductibles` dict for one policy, updated line by line.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Ledger {
    pub deductible: Option<Limit>,
    pub ceiling: Option<Limit>,
    pub prev_deductible: Option<Amount>,
    pub prev_remunerated: Amount,
    pub rem_consult: Amount,
    pub rem_surgery: Amount,
    pub rem_hospitalization: Amount,
    pub rem_delivery: Amount,
    pub rem_antenatal: Amount,
    pub relative_prices: bool,
    pub deducted: Amount,
    pub remunerated: Amount,
}

/// Which family of product columns and ded/rem column `_get_dedrem` reads.
#[derive(Debug, Clone, Copy)]
enum Family {
    DedG,
    DedIp,
    DedOp,
    MaxG,
    MaxIp,
    MaxOp,
}

fn truthy(value: Option<Amount>) -> Option<Amount> {
    value.filter(|v| !v.is_zero())
}

/// The product's (treatment, insuree, policy) columns and the earlier rows' column.
fn columns(p: &Product, family: Family) -> [Option<Amount>; 3] {
    match family {
        Family::DedG => [p.ded_treatment, p.ded_insuree, p.ded_policy],
        Family::DedIp => [p.ded_ip_treatment, p.ded_ip_insuree, p.ded_ip_policy],
        Family::DedOp => [p.ded_op_treatment, p.ded_op_insuree, p.ded_op_policy],
        Family::MaxG => [p.max_treatment, p.max_insuree, p.max_policy],
        Family::MaxIp => [p.max_ip_treatment, p.max_ip_insuree, p.max_ip_policy],
        Family::MaxOp => [p.max_op_treatment, p.max_op_insuree, p.max_op_policy],
    }
}

fn used(row: &EarlierDedRem, family: Family) -> Option<Amount> {
    match family {
        Family::DedG => row.ded_g,
        Family::DedIp => row.ded_ip,
        Family::DedOp => row.ded_op,
        Family::MaxG => row.rem_g,
        Family::MaxIp => row.rem_ip,
        Family::MaxOp => row.rem_op,
    }
}

/// `_get_dedrem`: per treatment (nothing used before), else per insuree (what the insuree's
/// earlier rows used), else per policy (what every earlier row used). A null among the
/// summed columns raises, as Python's `sum` does.
fn get(
    product: &Product,
    family: Family,
    insuree_id: i32,
    rows: &[&EarlierDedRem],
) -> Result<Option<Limit>, ModuleError> {
    let [treatment, insuree, policy] = columns(product, family);
    let sum = |rows: Vec<&&EarlierDedRem>| -> Result<Amount, ModuleError> {
        rows.iter().try_fold(Amount::ZERO, |total, row| {
            used(row, family).map(|v| total.plus(v)).ok_or_else(|| {
                python_error(
                    "TypeError",
                    "unsupported operand type(s) for +: 'int' and 'NoneType'",
                )
            })
        })
    };
    if let Some(amount) = truthy(treatment) {
        return Ok(Some(Limit {
            amount,
            prev: Amount::ZERO,
        }));
    }
    if let Some(amount) = truthy(insuree) {
        let prev = sum(rows
            .iter()
            .filter(|r| r.insuree_id == Some(insuree_id))
            .collect())?;
        return Ok(Some(Limit { amount, prev }));
    }
    if let Some(amount) = truthy(policy) {
        let prev = sum(rows.iter().collect())?;
        return Ok(Some(Limit { amount, prev }));
    }
    Ok(None)
}

/// `members > threshold`, which raises on a null threshold.
fn beyond(members: i64, threshold: Option<i32>) -> Result<bool, ModuleError> {
    let threshold = threshold.ok_or_else(|| {
        python_error(
            "TypeError",
            "'>' not supported between instances of 'int' and 'NoneType'",
        )
    })?;
    Ok(members > i64::from(threshold))
}

/// The policy ceiling: `max + (members - threshold) × extra` beyond the threshold (capped),
/// else `max`; the type and earlier use stay the current ceiling's.
fn policy_ceiling(
    ceiling: Option<Limit>,
    max: Amount,
    members_over: Option<i64>,
    extra: Option<Amount>,
    cap: Option<Amount>,
) -> Result<Option<Limit>, ModuleError> {
    let current = ceiling.ok_or_else(|| {
        python_error(
            "AttributeError",
            "'NoneType' object has no attribute 'type'",
        )
    })?;
    let Some(over) = members_over else {
        return Ok(Some(Limit {
            amount: max,
            prev: current.prev,
        }));
    };
    let mut out = current;
    if let Some(extra) = truthy(extra) {
        out = Limit {
            amount: max.plus(extra.times_int(over)),
            prev: current.prev,
        };
    }
    if let Some(cap) = truthy(cap) {
        if out.amount > cap {
            out = Limit {
                amount: cap,
                prev: current.prev,
            };
        }
    }
    Ok(Some(out))
}

/// The ledger of a policy before its claim's lines.
pub fn ledger(
    product: &Product,
    insuree_id: i32,
    rows: &[&EarlierDedRem],
    hospital_visit: bool,
    members: i64,
) -> Result<Ledger, ModuleError> {
    let mut out = Ledger::default();
    if let Some(ded) = get(product, Family::DedG, insuree_id, rows)? {
        out.deductible = Some(ded);
        out.prev_deductible = Some(ded.prev);
    }
    if let Some(max) = get(product, Family::MaxG, insuree_id, rows)? {
        out.ceiling = Some(max);
        out.prev_remunerated = max.prev;
    }
    if let Some(max_policy) = truthy(product.max_policy) {
        let over = beyond(members, product.threshold)?;
        let threshold = i64::from(product.threshold.unwrap_or(0));
        out.ceiling = policy_ceiling(
            out.ceiling,
            max_policy,
            over.then_some(members - threshold),
            product.max_policy_extra_member,
            product.max_ceiling_policy,
        )?;
    }
    if out.deductible.is_none() {
        let family = if hospital_visit {
            Family::DedIp
        } else {
            Family::DedOp
        };
        if let Some(ded) = get(product, family, insuree_id, rows)? {
            out.deductible = Some(ded);
            out.prev_deductible = Some(ded.prev);
        }
    }
    if out.ceiling.is_none() {
        let (family, max, extra, cap) = if hospital_visit {
            let p = product;
            (
                Family::MaxIp,
                p.max_ip_policy,
                p.max_policy_extra_member_ip,
                p.max_ceiling_policy_ip,
            )
        } else {
            let p = product;
            (
                Family::MaxOp,
                p.max_op_policy,
                p.max_policy_extra_member_op,
                p.max_ceiling_policy_op,
            )
        };
        if let Some(max) = get(product, family, insuree_id, rows)? {
            out.ceiling = Some(max);
            out.prev_remunerated = max.prev;
        }
        if let Some(max) = truthy(max) {
            // In-patient compares with the threshold as is (a null one raises); out-patient
            // only with a threshold set and not 0.
            let over = if hospital_visit {
                beyond(members, product.threshold)?
            } else {
                product
                    .threshold
                    .is_some_and(|t| t != 0 && members > i64::from(t))
            };
            let threshold = i64::from(product.threshold.unwrap_or(0));
            out.ceiling = policy_ceiling(
                out.ceiling,
                max,
                over.then_some(members - threshold),
                extra,
                cap,
            )?;
        }
    }
    Ok(out)
}
