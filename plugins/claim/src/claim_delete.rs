//! `deleteClaims`: `delete_history()` of each claim its `uuids` name, any validity (a history
//! copy with its valid lines, then the claim ended with `ValidityFrom = ValidityTo = now`; its
//! lines stay as they are, as the original leaves them). A uuid naming no claim is
//! `claim.validation.id_does_not_exist` with the uuid as detail; the original's `errors += {…}`
//! adds the dict's keys (`"title"`, `"list"`) as the log's errors, and keeps the other
//! deletions: here one transaction, so a refused mutation deletes nothing.

use crate::claim_copy::{claim_named, delete_claim, Lines, ANY};
use crate::mutation_messages::ID_DOES_NOT_EXIST;
use openimis_sdk::db::DbConnection;
use openimis_sdk::mutation::MutationError;
use openimis_sdk::ModuleError;

/// Deletes the claims of `uuids`; answers the errors to record.
pub fn delete_claims(
    conn: &mut DbConnection,
    uuids: &[String],
) -> Result<Vec<MutationError>, ModuleError> {
    let mut errors = Vec::new();
    for uuid in uuids {
        match claim_named(conn, uuid, ANY)? {
            Some(claim) => delete_claim(conn, claim.id, Lines::Valid)?,
            None => errors.push(MutationError {
                message: ID_DOES_NOT_EXIST.to_owned(),
                detail: Some(uuid.clone()),
            }),
        }
    }
    Ok(errors)
}
