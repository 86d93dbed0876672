//! `processing_claim` (shared by submit, review delivery and processing) and `processClaims`.
//! - `processing_claim` is adjudication's (the original's `processing_claim`: a claim not yet
//!   checked is validated with ded/rem; on errors its ded/rem rows go; when processing, it ends
//!   rejected, processed (8) or valuated (16)); its findings become the log's entries
//!   (`{message, detail: uuid}`; the original's `code` has no place in them). The rules are
//!   adjudication's, called, never repeated here.
//! - `processClaims`: each claim its `uuids` name (any validity) is copied to history with its
//!   valid lines, gets its processing user, and is processed. The original nests several
//!   claims' lists under `{title, list}`, which the log's entries do not carry: they are listed
//!   one after the other. The stats go into the log's `JsonExt` (the mutation's).

use crate::adjudication;
use crate::claim_copy::{copy_claim, plain, set_claim, ClaimRow, Lines};
use openimis_sdk::db::{Bind, DbConnection};
use openimis_sdk::mutation::MutationError;
use openimis_sdk::ModuleError;

/// Who adjudicates, and how: the audit user, and `default_validations_disabled` (the module's
/// config: nothing is validated).
#[derive(Debug, Clone, Copy)]
pub struct Adjudicating {
    pub audit: i32,
    pub unvalidated: bool,
}

/// `processing_claim(claim, user, is_process)`: the findings (none: the claim is valid).
pub fn processing_claim(
    conn: &mut DbConnection,
    claim: &ClaimRow,
    is_process: bool,
    who: Adjudicating,
) -> Result<Vec<MutationError>, ModuleError> {
    let validation =
        adjudication::processing_claim(conn, claim.id, is_process, who.audit, who.unvalidated)?;
    Ok(validation
        .errors
        .into_iter()
        .map(|f| MutationError {
            message: f.message.to_owned(),
            detail: f.detail,
        })
        .collect())
}

/// `ProcessClaimsMutation` over the claims found: each copied, given its processing user and
/// processed; answers the findings to record.
pub fn process_claims(
    conn: &mut DbConnection,
    claims: &[ClaimRow],
    who: Adjudicating,
) -> Result<Vec<MutationError>, ModuleError> {
    let audit = who.audit;
    let mut errors = Vec::new();
    for claim in claims {
        copy_claim(conn, claim.id, Lines::Valid)?;
        let user = plain("AuditUserIDProcess", Bind::Int(Some(audit)));
        set_claim(conn, claim.id, vec![user])?;
        errors.extend(processing_claim(conn, claim, true, who)?);
    }
    Ok(errors)
}
