//! The pure `process_dedrem` (claim.md §5 step 8): per policy of the claim's lines (in
//! CPython's `set` order), its deductible and ceiling, then every passed line of the claim
//! valued against them (fixed limit, deductible, co-insurance, category ceiling, ceiling or
//! its exclusion), one `tblClaimDedRem` row per policy, and the claim valuated when processing.

use super::amount::Amount;
use super::ceilings::{ledger, Ledger};
use super::context::{Kind, Line, LineState, Policy, Product, ProductLine};
use super::coverage::Coverages;
use super::outcome::{python_error, reason, status, DedRem, DedRemRow, Finding, Processed, Run};
use super::pyset::set_order;
use super::state::State;
use openimis_sdk::ModuleError;

/// What the validation hands to ded/rem (the original's in-memory lists and lookups).
pub struct Prepared<'a> {
    /// The lines fetched at the start (valid, not rejected), by `ctx.lines` index.
    pub fetched: Vec<usize>,
    pub policies: Vec<&'a Policy>,
    pub coverages: &'a Coverages<'a>,
    /// The claim's category (from its price-listed services).
    pub category: String,
}

/// One line's amounts (`process_claim_detail`).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Valued {
    pub deducted: Amount,
    pub approved: Amount,
    pub remunerated: Amount,
    pub exceed_ceiling: Amount,
}

fn truthy(value: Option<Amount>) -> Option<Amount> {
    value.filter(|v| !v.is_zero())
}

/// The product's amount ceiling of `category` and the ledger's counter for it.
fn category_ceiling<'l>(
    product: &Product,
    category: &str,
    ledger: &'l mut Ledger,
) -> Option<(Option<Amount>, &'l mut Amount)> {
    Some(match category {
        "S" => (product.max_amount_surgery, &mut ledger.rem_surgery),
        "D" => (product.max_amount_delivery, &mut ledger.rem_delivery),
        "A" => (product.max_amount_antenatal, &mut ledger.rem_antenatal),
        "H" => (
            product.max_amount_hospitalization,
            &mut ledger.rem_hospitalization,
        ),
        "C" => (product.max_amount_consultation, &mut ledger.rem_consult),
        _ => return None,
    })
}

/// Values one passed line at `price` × `quantity` against the policy's `ledger`.
#[allow(clippy::too_many_arguments)]
pub fn value_line(
    ledger: &mut Ledger,
    product: &Product,
    category: &str,
    hospital_visit: bool,
    product_line: &ProductLine,
    state: &LineState,
    price: Amount,
    quantity: Amount,
) -> Valued {
    let mut out = Valued::default();
    // int(): the fraction of a line's value is dropped.
    let mut work = quantity.times(price).truncated();
    let limitation = state.limitation.as_deref();
    if let (Some("F"), Some(value)) = (limitation, truthy(state.limitation_value)) {
        if quantity.times(value) < work {
            work = quantity.times(value);
        }
    }
    if let Some(ded) = ledger.deductible {
        let prev = ledger.prev_deductible.unwrap_or(Amount::ZERO);
        if ded.amount.minus(prev).minus(ledger.deducted) > Amount::ZERO {
            let left = ded.amount.minus(ded.prev).minus(ledger.deducted);
            if left >= work {
                // As the original: the line is deducted in full yet keeps its value.
                out.deducted = work;
                ledger.deducted = ledger.deducted.plus(work);
            } else {
                out.deducted = left;
                work = work.minus(left);
                ledger.deducted = ledger.deducted.plus(left);
            }
        }
    }
    if let (Some("C"), Some(value)) = (limitation, truthy(state.limitation_value)) {
        work = value.per_cent().times(work);
    }
    if let Some((Some(max), counter)) = category_ceiling(product, category, ledger) {
        if !max.is_zero() {
            let total = work.plus(*counter);
            if total <= max {
                *counter = counter.plus(work);
            } else if *counter >= max {
                work = Amount::ZERO;
            } else {
                work = work.minus(total.minus(max));
                *counter = counter.plus(work);
            }
        }
    }
    // `claim.insuree.is_adult` is the method, never called: always the adult's exclusion.
    let exclusion = product_line.ceiling_exclusion_adult.as_deref();
    let excluded = if hospital_visit {
        matches!(exclusion, Some("B" | "H"))
    } else {
        matches!(exclusion, Some("B" | "N"))
    };
    out.approved = work;
    out.remunerated = work;
    if excluded {
        return out;
    }
    match ledger.ceiling.filter(|c| c.amount > Amount::ZERO) {
        Some(ceiling) => {
            let left = ceiling
                .amount
                .minus(ledger.prev_remunerated)
                .minus(ledger.remunerated);
            if left > Amount::ZERO {
                if left >= work {
                    ledger.remunerated = ledger.remunerated.plus(work);
                } else {
                    out.exceed_ceiling = work.minus(left);
                    out.approved = left;
                    out.remunerated = left;
                    ledger.remunerated = ledger.remunerated.plus(left);
                }
            } else {
                out.exceed_ceiling = work;
                out.approved = Amount::ZERO;
                out.remunerated = Amount::ZERO;
            }
        }
        None => ledger.remunerated = ledger.remunerated.plus(work),
    }
    out
}

/// `calculate_price_adjusted`: the approved price, else the asked one for a claim-priced
/// line, else the price list's overrule or the item/service's price. (`verify_quantities`,
/// off by default, is not applied.)
fn unit_price(line: &Line, state: &LineState, overrule: Option<Amount>) -> Amount {
    if let Some(approved) = state.price_approved {
        return approved;
    }
    if state.price_origin.as_deref() == Some("O") {
        return state.price_asked;
    }
    truthy(overrule).unwrap_or(line.medical.price)
}

/// The ledgers summed over the policies (`merge_deductible`): amounts add up, the relative
/// price flags AND; a policy with a deductible next to one without raises in the original.
#[derive(Debug, Default)]
struct Merged {
    deducted: Amount,
    remunerated: Amount,
    relative_prices: bool,
    with_deductible: bool,
}

fn merge(merged: &mut Option<Merged>, ledger: &Ledger) -> Result<(), ModuleError> {
    let with = ledger.prev_deductible.is_some();
    match merged {
        None => {
            *merged = Some(Merged {
                deducted: ledger.deducted,
                remunerated: ledger.remunerated,
                relative_prices: ledger.relative_prices,
                with_deductible: with,
            })
        }
        Some(m) => {
            if m.with_deductible && !with {
                return Err(python_error(
                    "AttributeError",
                    "'Decimal' object has no attribute 'append'",
                ));
            }
            if !m.with_deductible && with {
                return Err(python_error(
                    "TypeError",
                    "can only concatenate list (not \"Decimal\") to list",
                ));
            }
            m.deducted = m.deducted.plus(ledger.deducted);
            m.remunerated = m.remunerated.plus(ledger.remunerated);
            m.relative_prices &= ledger.relative_prices;
        }
    }
    Ok(())
}

/// Runs ded/rem on the state the validation left; the findings and what was done (present
/// whenever it ran: the claim's earlier rows are then ended).
pub fn dedrem(
    st: &mut State,
    prep: &Prepared,
    run: Run,
) -> Result<(Vec<Finding>, Option<DedRem>), ModuleError> {
    let ctx = st.ctx;
    let claim = &ctx.claim;
    let target = claim.target_date();
    let hospitalization = claim.date_from != target;
    let mut done = DedRem {
        relative_prices: false,
        remunerated: Amount::ZERO.to_decimal(0),
        rows: Vec::new(),
    };
    if prep.policies.is_empty() {
        st.claim.status = status::REJECTED;
        st.claim.rejection_reason = Some(reason::NO_COVERAGE);
        let finding = st.finding(reason::NO_COVERAGE, "claim.validation.family.no_policy");
        return Ok((vec![finding], Some(done)));
    }
    let items = prep
        .fetched
        .iter()
        .copied()
        .filter(|&i| ctx.lines[i].kind == Kind::Item);
    let services = prep
        .fetched
        .iter()
        .copied()
        .filter(|&i| ctx.lines[i].kind == Kind::Service);
    let order: Vec<usize> = items.clone().chain(services.clone()).collect();
    let of = |pick: fn(&LineState) -> Option<i32>| -> Vec<i64> {
        let ids: Vec<i64> = services
            .clone()
            .chain(items.clone())
            .filter_map(|i| pick(&st.mem[i]).map(i64::from))
            .collect();
        set_order(&ids)
    };
    let mut policy_ids = of(|s| s.policy_id);
    let mut product_ids = of(|s| s.product_id);
    if policy_ids.is_empty() {
        policy_ids = prep.policies.iter().map(|p| i64::from(p.id)).collect();
        product_ids = prep
            .policies
            .iter()
            .map(|p| i64::from(p.product_id))
            .collect();
    }
    let mut merged: Option<Merged> = None;
    for policy_id in policy_ids {
        let Some(policy) = prep.policies.iter().find(|p| i64::from(p.id) == policy_id) else {
            continue;
        };
        let product = ctx.products.get(&policy.product_id).ok_or_else(|| {
            python_error("Product.DoesNotExist", "the policy's product is missing")
        })?;
        let interpretation = product.ceiling_interpretation.as_deref();
        let hospital_visit = (interpretation == Some("I") && hospitalization)
            || (interpretation == Some("H") && ctx.facility.level.as_deref() == Some("H"));
        let members = ctx.policy_rows.get(&policy.id).copied().unwrap_or(0);
        let rows: Vec<_> = ctx
            .earlier_dedrems
            .iter()
            .filter(|r| r.policy_id == policy.id)
            .collect();
        let mut ledger = ledger(product, ctx.insuree.id, &rows, hospital_visit, members)?;
        for &i in &order {
            if st.mem[i].status != status::PASSED {
                continue;
            }
            let line = &ctx.lines[i];
            let state = st.mem[i].clone();
            let quantity = truthy(state.qty_approved).unwrap_or(state.qty_provided);
            let overrule = ctx
                .price_overrule
                .get(&(line.kind, line.medical_id))
                .ok_or_else(|| {
                    python_error(
                        "AttributeError",
                        "'NoneType' object has no attribute 'price_overrule'",
                    )
                })?;
            let product_line = state
                .product_id
                .and_then(|p| {
                    prep.coverages
                        .by_product
                        .get(&(line.kind, p, line.medical_id))
                })
                .ok_or_else(|| {
                    let what = match line.kind {
                        Kind::Item => "Product Item not found",
                        Kind::Service => "Product Service not found",
                    };
                    python_error("ValueError", what)
                })?;
            let price = unit_price(line, &state, *overrule);
            let category = prep.category.as_str();
            let valued = value_line(
                &mut ledger,
                product,
                category,
                hospital_visit,
                product_line,
                &state,
                price,
                quantity,
            );
            let mem = &mut st.mem[i];
            if mem.price_approved.is_none() {
                mem.price_adjusted = Some(price);
            }
            if run.is_process {
                mem.deductable_amount = Some(valued.deducted);
                mem.exceed_ceiling_amount = Some(valued.exceed_ceiling);
                if mem.price_origin.as_deref() == Some("R") {
                    mem.price_valuated = None;
                    ledger.relative_prices = true;
                } else {
                    mem.price_valuated = Some(valued.approved);
                    mem.remunerated_amount = Some(valued.remunerated);
                }
            }
            st.save(i);
        }
        let (ip, op) = if hospital_visit {
            (
                (Some(ledger.deducted), Some(ledger.remunerated)),
                (None, None),
            )
        } else {
            (
                (None, None),
                (Some(ledger.deducted), Some(ledger.remunerated)),
            )
        };
        done.rows.push(DedRemRow {
            policy_id: policy.id,
            ded_g: ledger.deducted,
            rem_g: ledger.remunerated,
            ded_ip: ip.0,
            rem_ip: ip.1,
            ded_op: op.0,
            rem_op: op.1,
            rem_consult: ledger.rem_consult,
            rem_surgery: ledger.rem_surgery,
            rem_delivery: ledger.rem_delivery,
            rem_hospitalization: ledger.rem_hospitalization,
            rem_antenatal: ledger.rem_antenatal,
        });
        merge(&mut merged, &ledger)?;
    }
    let findings = claim_status(st, merged.as_ref(), &product_ids, run);
    if let Some(m) = &merged {
        done.relative_prices = m.relative_prices;
        done.remunerated = m.remunerated.to_decimal(2);
    }
    Ok((findings, Some(done)))
}

/// `update_claim_status`: no policy processed, or no product at all, rejects the claim;
/// a processing run valuates it (or leaves it processed for relative prices).
fn claim_status(
    st: &mut State,
    merged: Option<&Merged>,
    product_ids: &[i64],
    run: Run,
) -> Vec<Finding> {
    let Some(merged) = merged else {
        st.claim.status = status::REJECTED;
        return vec![st.finding(
            reason::NO_PRODUCT_FOUND,
            "claim.validation.assign_prod.elt.no_product_code",
        )];
    };
    if run.is_process {
        let claim = &st.ctx.claim;
        let relative = merged.relative_prices;
        st.claim.status = if relative {
            status::PROCESSED
        } else {
            status::VALUATED
        };
        let bypass = |s: Option<i16>| if s == Some(4) { Some(16) } else { s };
        st.claim.processed = Some(Processed {
            approved: merged.remunerated,
            remunerated: (!relative).then_some(merged.remunerated),
            feedback_status: bypass(claim.feedback_status),
            review_status: bypass(claim.review_status),
        });
    }
    if product_ids.is_empty() {
        st.claim.status = status::REJECTED;
        return vec![st.finding(
            reason::NO_PRODUCT_FOUND,
            "claim.validation.product_family.no_item_or_service",
        )];
    }
    Vec::new()
}
