//! Product assignment (`validate_assign_prod_elt`): among the product lines covering a line,
//! the best co-insurance (C) and fixed-limit (F) ones for the claim's visit type, the cheaper
//! for the insuree of the two, and the policy of its product.

use super::amount::Amount;
use super::context::{Limits, LineState, Policy, ProductLine};
use super::outcome::{python_error, reason, Finding};
use openimis_sdk::ModuleError;

/// The visit type's limit columns: `O` (default), `E`, `R`.
fn visit_index(visit_type: Option<&str>) -> usize {
    match visit_type {
        Some("E") => 1,
        Some("R") => 2,
        _ => 0,
    }
}

fn limit(limits: &Limits, adult: bool) -> Option<Amount> {
    if adult {
        limits.limit_adult
    } else {
        limits.limit_child
    }
}

/// The product line of `kind` (`C`/`F`) with the highest limit (null as 0), the first of equals.
fn best<'a>(
    lines: &[&'a ProductLine],
    v: usize,
    kind: &str,
    adult: bool,
) -> Option<&'a ProductLine> {
    let mut found: Option<(&ProductLine, Amount)> = None;
    for line in lines {
        if line.limits[v].limitation_type.as_deref() != Some(kind) {
            continue;
        }
        let value = limit(&line.limits[v], adult).unwrap_or(Amount::ZERO);
        if found.is_none_or(|(_, max)| value > max) {
            found = Some((line, value));
        }
    }
    found.map(|(line, _)| line)
}

/// Python's truthiness of an optional amount.
fn truthy(value: Option<Amount>) -> Option<Amount> {
    value.filter(|v| !v.is_zero())
}

/// Assigns a product, policy, price origin and limitation to `state`; a finding (3) when no
/// C or F product line covers it. The limitation is C whenever a C line exists, even when the
/// F line's product won (the original keeps its own `product_elt_c`).
pub fn assign(
    state: &mut LineState,
    candidates: &[&ProductLine],
    policies: &[&Policy],
    visit_type: Option<&str>,
    adult: bool,
    uuid: &str,
) -> Result<Option<Finding>, ModuleError> {
    let v = visit_index(visit_type);
    let claim_price = truthy(state.price_approved)
        .or(truthy(state.price_adjusted))
        .or(truthy(Some(state.price_asked)))
        .unwrap_or(Amount::ZERO);
    let c = best(candidates, v, "C", adult);
    let f = best(candidates, v, "F", adult);
    if c.is_none() && f.is_none() {
        state.rejection_reason = Some(reason::NO_PRODUCT_FOUND);
        return Ok(Some(Finding {
            code: reason::NO_PRODUCT_FOUND,
            message: "claim.validation.assign_prod.elt.no_product_code",
            detail: Some(uuid.to_string()),
        }));
    }
    let fixed = f.and_then(|l| limit(&l.limits[v], adult));
    let co_sharing = c.and_then(|l| limit(&l.limits[v], adult));
    let chosen = match (c, f) {
        (Some(c), Some(f)) => {
            let fixed = fixed.ok_or_else(|| {
                python_error(
                    "TypeError",
                    "'>' not supported between 'NoneType' and 'Decimal'",
                )
            })?;
            if fixed.is_zero() || fixed > claim_price {
                f
            } else {
                let co = co_sharing.ok_or_else(|| {
                    python_error(
                        "TypeError",
                        "unsupported operand type(s) for -: 'int' and 'NoneType'",
                    )
                })?;
                if Amount::int(100).minus(co) > Amount::ZERO {
                    let own_f = claim_price.minus(fixed);
                    let own_c = Amount::int(1).minus(co.per_cent()).times(claim_price);
                    if own_c > own_f {
                        f
                    } else {
                        c
                    }
                } else {
                    c
                }
            }
        }
        (Some(c), None) => c,
        (None, Some(f)) => f,
        (None, None) => unreachable!("handled above"),
    };
    state.product_id = Some(chosen.product_id);
    state.policy_id = policies
        .iter()
        .find(|p| p.product_id == chosen.product_id)
        .map(|p| p.id);
    state.price_origin = chosen.price_origin.clone();
    if c.is_some() {
        state.limitation = Some("C".to_string());
        state.limitation_value = co_sharing;
    } else {
        state.limitation = Some("F".to_string());
        state.limitation_value = fixed;
    }
    Ok(None)
}
