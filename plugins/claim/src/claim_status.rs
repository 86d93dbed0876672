//! `set_claims_status`: the feedback and review status mutations (select 4, skip 2, bypass 16,
//! deliver 8) over the valid claims their `uuids` name. Each claim is copied to history with
//! all its lines, then gets the status; selecting for feedback creates a prompt, skipping or
//! bypassing feedback ends the open one; delivering a review records the reviewer
//! (`AuditUserIDReview`). A claim that fails is `claim.mutation.failed_to_change_status_of_claim`
//! followed by its exception's messages; uuids naming no valid claim are
//! `claim.validation.id_does_not_exist` (the key: its `%(id)s` has no placeholder to fill), with
//! the upper-cased uuids as detail here.

use crate::claim_copy::{claims_named, copy_claim, plain, set_claim, ClaimRow, Lines, VALID};
use crate::feedback::{create_prompt, end_prompt};
use crate::mutation_messages::{ID_DOES_NOT_EXIST, STATUS_FAILED};
use openimis_sdk::db::{Bind, DbConnection};
use openimis_sdk::mutation::MutationError;

/// Which status a mutation sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Feedback,
    Review,
}

impl Field {
    fn column(self) -> &'static str {
        match self {
            Field::Feedback => "FeedbackStatus",
            Field::Review => "ReviewStatus",
        }
    }
}

pub const SELECTED: i32 = 4;
pub const NOT_SELECTED: i32 = 2;
pub const BYPASSED: i32 = 16;
pub const DELIVERED: i32 = 8;

/// The messages recorded for a claim whose status could not change.
fn failed(messages: Vec<String>) -> Vec<MutationError> {
    let mut errors = vec![MutationError::new(STATUS_FAILED)];
    errors.extend(messages.into_iter().map(MutationError::new));
    errors
}

fn one_claim(
    conn: &mut DbConnection,
    claim: &ClaimRow,
    field: Field,
    status: i32,
    reviewer: Option<i32>,
    audit: i32,
) -> Result<(), Vec<String>> {
    let text = |e: openimis_sdk::ModuleError| vec![e.message.to_string()];
    copy_claim(conn, claim.id, Lines::All).map_err(text)?;
    if field == Field::Feedback {
        match status {
            SELECTED => create_prompt(conn, claim, audit)?,
            NOT_SELECTED | BYPASSED => end_prompt(conn, claim.id).map_err(|m| vec![m])?,
            _ => {}
        }
    }
    let mut sets = vec![plain(field.column(), Bind::Int(Some(status)))];
    if let Some(reviewer) = reviewer {
        sets.push(plain("AuditUserIDReview", Bind::Int(Some(reviewer))));
    }
    set_claim(conn, claim.id, sets).map_err(text)
}

/// Sets `field` to `status` on the valid claims of `uuids`; answers the errors to record
/// (none: every claim changed).
pub fn set_claims_status(
    conn: &mut DbConnection,
    uuids: &[String],
    field: Field,
    status: i32,
    reviewer: Option<i32>,
    audit: i32,
) -> Result<Vec<MutationError>, openimis_sdk::ModuleError> {
    let claims = claims_named(conn, uuids, VALID)?;
    let mut remaining: Vec<String> = uuids.iter().map(|u| u.to_uppercase()).collect();
    remaining.sort();
    remaining.dedup();
    let mut errors = Vec::new();
    for claim in &claims {
        remaining.retain(|u| *u != claim.uuid.to_uppercase());
        if let Err(messages) = one_claim(conn, claim, field, status, reviewer, audit) {
            errors.extend(failed(messages));
        }
    }
    if !remaining.is_empty() {
        errors.push(MutationError {
            message: ID_DOES_NOT_EXIST.to_owned(),
            detail: Some(remaining.join(",")),
        });
    }
    Ok(errors)
}
