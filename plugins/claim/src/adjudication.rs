//! Adjudication of a claim (claim.md §5 `validate_claim` and `process_dedrem`), as the
//! original that runs does it: openimis-be-claim 1.11.0 from PyPI, whose `validations.py`
//! differs from git `develop` (validation, product assignment and ded/rem in one call, history
//! quantities read once). Where claim.md and that code differ, the code wins:
//! - a target-date (9) or insuree/coverage (7, 21) failure puts 9 or 7 on the lines and 21 on
//!   the claim;
//! - category maximums (11–15, 19) are checked per policy before the lines; under
//!   `processing_claim` (every mutation) a policy over its maximum raises `AttributeError`
//!   (`policies.remove` on a QuerySet), with a list (the original's tests) it is dropped;
//! - the waiting period applies to new policies only (stage N: the original passes the
//!   policy's effective date as the insuree-policy's);
//! - a line fully covered by the deductible keeps its value; the child's ceiling exclusion is
//!   never read; every policy values every passed line, the last one's amounts stay;
//! - `approved_amount` counts the items × the services' rows (one query, two joins);
//! - a checked claim is not re-validated by `processing_claim` (processed at its approved total).
//!
//! The rules are pure (`adjudication/validate.rs`, `rules.rs`, `assign.rs`, `dedrem.rs`,
//! `ceilings.rs` over a loaded `context::Context`, with the original's in-memory and stored
//! copies of each line in `state.rs`); `loader.rs` reads the context, `writer.rs` and
//! `processed.rs` write. Table-driven tests in `adjudication/tests/`; the database suite is
//! `tests/tests/claim_adjudication.rs`.
//!
//! **Contract, as the original's code shapes it** (changed from the first draft):
//! - [`processing_claim`] is the original's `processing_claim` (submit, review delivery and
//!   processing all go through it); [`validate_claim`] takes a [`Run`] (`check_max`,
//!   `process_dedrem_opt`, `is_process`, the user, QuerySet or list): the original's
//!   `validate_claim` assigns the products and runs ded/rem itself, on its in-memory lines.
//! - [`Validation::errors`] are the original's `{code, message, detail}` dicts
//!   ([`Finding::to_json`]), not bare strings; messages are the gettext keys.
//! - A rule the original answers with a Python exception is an `Err` with code
//!   [`PYTHON_EXCEPTION`] and the mutation log's exact text; nothing is written then.
//! - [`process_dedrem`] alone is the original's `process_dedrem(claim, user, is_process)`
//!   called by itself (its tests do): it reads the lines from the database.
//! - `default_validations_disabled` (the module's config) makes `processing_claim` find nothing
//!   and write no line decision, as the original's `validate_claim` returning `[]`;
//!   `verify_quantities` (off by default) is not carried.

mod amount;
mod approved;
mod assign;
mod category;
mod ceilings;
mod context;
mod coverage;
mod day;
mod dedrem;
mod loader;
mod outcome;
mod processed;
mod pyset;
mod rows;
mod rules;
mod state;
mod validate;
mod writer;

pub use outcome::{
    python_error, reason, status, ClaimWrite, DedRem, DedRemRow, Finding, LineWrite, Processed,
    Run, Validation, PYTHON_EXCEPTION,
};

use openimis_sdk::db::DbConnection;
use openimis_sdk::decimal::Decimal;
use openimis_sdk::ModuleError;

/// The original's `validate_claim(claim, run.check_max, run.dedrem, …)` on claim `claim_id`
/// (`tblClaim.ClaimID`): reads the claim, its valid lines and what they depend on; writes each
/// line's status, rejection reason, approved quantity, product, policy, price origin,
/// limitation, the ded/rem rows and amounts, and the claim's status and rejection reason as
/// the run leaves them (and the processing columns when `run.is_process` valuated it).
pub fn validate_claim(
    conn: &mut DbConnection,
    claim_id: i32,
    run: Run,
) -> Result<Validation, ModuleError> {
    let ctx = loader::load(conn, claim_id)?;
    let outcome = validate::validate(&ctx, run)?;
    writer::write(conn, claim_id, ctx.insuree.id, run, &outcome)?;
    Ok(outcome)
}

/// The original's `processing_claim(claim, user, is_process)`: unless the claim is already
/// checked, [`validate_claim`] with [`Run::processing`]; on errors every ded/rem row of the
/// claim is deleted; when processing, `set_claim_processed_or_valuated`: rejected (1) on
/// errors, else a checked claim gets its approved total and goes processed (8, with the
/// processing date) when a passed line has a relative price, else valuated (16, valuated =
/// approved), with the processing user and stamp. The history copy and the submit's own
/// columns stay the mutation's. A checked claim is not re-validated (nor its ded/rem redone).
pub fn processing_claim(
    conn: &mut DbConnection,
    claim_id: i32,
    is_process: bool,
    audit_user_id: i32,
    validations_disabled: bool,
) -> Result<Validation, ModuleError> {
    let (claim, _, _) = loader::claim(conn, claim_id)?;
    let mut outcome = if claim.status != status::CHECKED && !validations_disabled {
        validate_claim(conn, claim_id, Run::processing(is_process, audit_user_id))?
    } else {
        Validation::untouched(claim.status, claim.rejection_reason)
    };
    if !outcome.errors.is_empty() {
        writer::delete_dedrems(conn, claim_id)?;
    }
    if is_process {
        processed::set_processed_or_valuated(conn, claim_id, &mut outcome, audit_user_id)?;
    }
    Ok(outcome)
}

/// The original's `process_dedrem(claim, user, is_process)` called by itself (as its tests
/// do after `validate_claim`): the stored lines, ded/rem rows, line amounts, claim columns.
pub fn process_dedrem(
    conn: &mut DbConnection,
    claim_id: i32,
    run: Run,
) -> Result<Validation, ModuleError> {
    let ctx = loader::load(conn, claim_id)?;
    let outcome = validate::dedrem_alone(&ctx, run)?;
    writer::write(conn, claim_id, ctx.insuree.id, run, &outcome)?;
    Ok(outcome)
}

/// `approved_amount(claim)`: 0 for a rejected claim, else Σ (priceApproved ?? priceAdjusted ??
/// priceAsked) × (qtyApproved ?? qtyProvided) over the claim's lines, as the original's
/// double join counts it (see `approved::approved_amount`).
pub fn approved_total(conn: &mut DbConnection, claim_id: i32) -> Result<Decimal, ModuleError> {
    Ok(approved::approved_amount(conn, claim_id)?.to_decimal(2))
}

/// `get_claim_category(claim)`: the claim's category if it has one, else from the services of
/// its lines valid at the target date (S, D, A, H, C, O, V; H when dateFrom ≠ dateTo; else V).
pub fn claim_category(conn: &mut DbConnection, claim_id: i32) -> Result<String, ModuleError> {
    let (claim, _, _) = loader::claim(conn, claim_id)?;
    let services = loader::category_services(conn, claim_id, claim.target_date())?;
    Ok(category::claim_category(
        &claim,
        services.iter().map(String::as_str),
    ))
}

#[cfg(test)]
#[path = "adjudication/tests/mod.rs"]
mod tests;
