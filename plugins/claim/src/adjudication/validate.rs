//! The pure `validate_claim` (claim.md §5 steps 1–7, then 8 through `dedrem`) over a loaded
//! [`Context`], in the order of the original that runs (openimis-be-claim 1.11.0, the PyPI
//! wheel; its git `develop` differs): target date, insuree and coverage, category maximums
//! per policy, each line's checks, product assignment, rejected lines, "all rejected".

use super::assign::assign;
use super::category::{claim_category, over_maximum};
use super::context::{Context, Kind, Policy};
use super::coverage::Coverages;
use super::dedrem::{dedrem, Prepared};
use super::outcome::{python_error, reason, status, Finding, Run, Validation};
use super::rules::{Checks, History};
use super::state::{rejected, State};
use openimis_sdk::ModuleError;

/// Runs the validation of `ctx` as `run` asks.
pub fn validate(ctx: &Context, run: Run) -> Result<Validation, ModuleError> {
    let mut st = State::new(ctx);
    let claim = &ctx.claim;
    let mut errors: Vec<Finding> = Vec::new();
    let target = claim.target_date();
    let mut policies: Vec<&Policy> = ctx.policies.iter().collect();
    let mut fetched = Vec::new();
    if claim.date_claimed < claim.date_from {
        // Code over spec: the lines get 9, the claim 21 (the branch below), not 9.
        st.reject_lines(reason::TARGET_DATE);
        errors.push(st.finding(reason::TARGET_DATE, "claim.validation.target_date"));
    } else {
        fetched = st.fetch();
        let insuree = &ctx.insuree;
        if !insuree.valid {
            errors.push(st.finding(reason::FAMILY, "claim.validation.family.insuree_validity"));
        }
        if !insuree.family_valid {
            errors.push(st.finding(reason::FAMILY, "claim.validation.family.family_validity"));
        }
        if policies.is_empty() {
            errors.push(st.finding(reason::NO_COVERAGE, "claim.validation.family.no_policy"));
        }
        if !errors.is_empty() {
            st.reject_lines(reason::FAMILY);
        }
    }
    let fetched_services = |st: &State| -> Vec<usize> {
        fetched
            .iter()
            .copied()
            .filter(|&i| st.ctx.lines[i].kind == Kind::Service)
            .collect()
    };
    // The category from the services with a price-list entry at the target date.
    let root: Vec<&str> = fetched_services(&st)
        .into_iter()
        .filter_map(|i| {
            ctx.price_listed
                .get(&(Kind::Service, ctx.lines[i].medical_id))
        })
        .filter_map(|c| c.as_deref())
        .collect();
    let category = claim_category(claim, root);
    if !errors.is_empty() {
        st.claim.status = status::REJECTED;
        st.claim.rejection_reason = Some(reason::NO_COVERAGE);
        return Ok(finish(st, errors, None));
    }
    check_maximums(&mut st, &mut policies, &category, run, &mut errors)?;
    if !errors.is_empty() {
        return Ok(finish(st, errors, None));
    }
    let adult = ctx.insuree.is_adult(target, ctx.age_of_majority);
    let medical: Vec<(Kind, i32)> = fetched
        .iter()
        .map(|&i| (ctx.lines[i].kind, ctx.lines[i].medical_id))
        .collect();
    let coverages = Coverages::build(ctx, &policies, &medical, adult);
    let history = history(&st, &fetched, &policies, &coverages);
    let checks = Checks {
        ctx,
        target,
        adult,
        coverages: &coverages,
        history: &history,
    };
    let mut detail_errors = Vec::new();
    for &i in &fetched {
        let mut state = st.mem[i].clone();
        detail_errors.extend(checks.check(&ctx.lines[i], &mut state)?);
        st.mem[i] = state;
    }
    for &i in &fetched {
        if rejected(st.mem[i].rejection_reason) {
            continue;
        }
        let line = &ctx.lines[i];
        let candidates = coverages
            .lines
            .get(&(line.kind, line.medical_id))
            .map_or(&[][..], Vec::as_slice);
        let visit = claim.visit_type.as_deref();
        let mut state = st.mem[i].clone();
        let finding = assign(&mut state, candidates, &policies, visit, adult, &claim.uuid)?;
        errors.extend(finding);
        st.mem[i] = state;
        st.save(i);
    }
    if errors.is_empty() && run.check_max {
        for &i in &fetched {
            let state = &mut st.mem[i];
            if rejected(state.rejection_reason) {
                state.status = status::LINE_REJECTED;
                state.qty_approved = Some(super::amount::Amount::ZERO);
            } else {
                state.status = status::PASSED;
            }
            st.save(i);
        }
    }
    if st.db.iter().all(|l| l.status == status::LINE_REJECTED) {
        errors.push(st.finding(
            reason::INVALID_ITEM_OR_SERVICE,
            "claim.validation.all_items_and_services_rejected",
        ));
        errors.extend(detail_errors);
        st.claim.status = status::REJECTED;
        st.claim.rejection_reason = Some(reason::INVALID_ITEM_OR_SERVICE);
    }
    let mut dedrem_outcome = None;
    if run.dedrem && errors.is_empty() {
        let prepared = Prepared {
            fetched,
            policies,
            coverages: &coverages,
            category,
        };
        let (findings, outcome) = dedrem(&mut st, &prepared, run)?;
        errors.extend(findings);
        dedrem_outcome = outcome;
    }
    Ok(finish(st, errors, dedrem_outcome))
}

/// The category maximums, policy by policy as the original iterates its list while removing
/// from it (a removal skips the next policy). A policy over its maximum is dropped; the error
/// counts only when it was the last one. With `processing_claim`'s QuerySet the removal
/// raises instead.
fn check_maximums(
    st: &mut State,
    policies: &mut Vec<&Policy>,
    category: &str,
    run: Run,
    errors: &mut Vec<Finding>,
) -> Result<(), ModuleError> {
    let ctx = st.ctx;
    let mut i = 0;
    while i < policies.len() {
        let policy = policies[i];
        let product = ctx.products.get(&policy.product_id).ok_or_else(|| {
            python_error("Product.DoesNotExist", "the policy's product is missing")
        })?;
        let over = over_maximum(
            category,
            product,
            policy.effective_date,
            policy.expiry_date,
            &ctx.earlier_claims,
        );
        if let Some((code, message)) = over {
            st.claim.rejection_reason = Some(code);
            if run.policies_queryset {
                return Err(python_error(
                    "AttributeError",
                    "'QuerySet' object has no attribute 'remove'",
                ));
            }
            if policies.len() == 1 {
                errors.push(st.finding(code, message));
            }
            policies.remove(i);
        }
        i += 1;
    }
    Ok(())
}

/// The earlier quantities of the items/services that have a waiting period, a quantity limit
/// or a frequency through a covering product line, between the policies' first effective date
/// and last expiry date.
fn history(st: &State, fetched: &[usize], policies: &[&Policy], coverages: &Coverages) -> History {
    let ctx = st.ctx;
    let target = ctx.claim.target_date();
    let from = policies
        .iter()
        .filter_map(|p| p.effective_date)
        .min()
        .unwrap_or(target);
    let to = policies
        .iter()
        .filter_map(|p| p.expiry_date)
        .max()
        .unwrap_or(target);
    let mut wanted = Vec::new();
    for &i in fetched {
        let line = &ctx.lines[i];
        let limited = coverages
            .lines
            .get(&(line.kind, line.medical_id))
            .is_some_and(|pls| {
                pls.iter().any(|pl| {
                    pl.waiting_period_adult.is_some_and(|w| w != 0)
                        || pl.waiting_period_child.is_some_and(|w| w != 0)
                        || pl.limit_no_adult.is_some()
                        || pl.limit_no_child.is_some()
                        || line.medical.frequency.is_some_and(|f| f != 0)
                })
            });
        if limited {
            wanted.push((line.kind, line.medical_id));
        }
    }
    let mut out = History::new();
    for p in &ctx.provided {
        if wanted.contains(&(p.kind, p.medical_id)) && from <= p.target_date && p.target_date <= to
        {
            out.entry((p.kind, p.medical_id))
                .or_default()
                .push((p.target_date, p.qty));
        }
    }
    out
}

/// The outcome: errors, the claim's columns, the lines written, the counts.
fn finish(st: State, errors: Vec<Finding>, dedrem: Option<super::outcome::DedRem>) -> Validation {
    let passed = st.db.iter().filter(|l| l.status == status::PASSED).count() as u32;
    let rejected = st
        .db
        .iter()
        .filter(|l| l.status == status::LINE_REJECTED)
        .count() as u32;
    Validation {
        errors,
        rejection_reason: st.claim.rejection_reason,
        status: st.claim.status,
        lines_passed: passed,
        lines_rejected: rejected,
        dedrem,
        lines: st.writes(),
        claim: st.claim.clone(),
    }
}

/// The original's `process_dedrem(claim, user, is_process)` called by itself: the lines as
/// stored (valid, not rejected), every valid policy, the category from the claim's services.
pub fn dedrem_alone(ctx: &Context, run: Run) -> Result<Validation, ModuleError> {
    let mut st = State::new(ctx);
    let fetched = st.fetch();
    let policies: Vec<&Policy> = ctx.policies.iter().collect();
    let target = ctx.claim.target_date();
    let adult = ctx.insuree.is_adult(target, ctx.age_of_majority);
    let medical: Vec<(Kind, i32)> = fetched
        .iter()
        .map(|&i| (ctx.lines[i].kind, ctx.lines[i].medical_id))
        .collect();
    let coverages = Coverages::build(ctx, &policies, &medical, adult);
    let category = claim_category(&ctx.claim, ctx.category_services.iter().map(String::as_str));
    let prepared = Prepared {
        fetched,
        policies,
        coverages: &coverages,
        category,
    };
    let (errors, done) = dedrem(&mut st, &prepared, run)?;
    Ok(finish(st, errors, done))
}
