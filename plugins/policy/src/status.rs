//! `suspendPolicies` and `deletePolicies` on the policies their `uuids` name (any validity, as
//! `Policy.objects.filter(uuid=…).first()`), inside the mutation's transaction.
//! - Suspend: a history copy, then status 4 (suspended) and the audit user
//!   (`PolicyService.set_suspended`).
//! - Delete: `set_deleted` first tests `if policy.claim_ded_rems:`, a Django related manager,
//!   which is always truthy (policy.md §5, checked on the reference database): every policy is
//!   refused with `policy.mutation.policy_is_used_in_claims`, and the deletion after it
//!   (`delete_history()` of its coverage rows and of the policy) never runs. So nothing is
//!   ever deleted here either.
//!
//! Where the code and this module differ:
//! - The original collects each refusal with `errors += {"title": uuid, "list": [...]}`, which
//!   extends the list with the dict's keys, so its log records `["title", "list"]`. The log
//!   here records what was meant: the refusal's message with the uuid as its detail.
//! - The original returns its errors from inside `transaction.atomic()`, which commits the
//!   suspensions that did succeed; here a failed mutation leaves no row (one transaction).

use crate::reads::policy_by_uuid;
use crate::specs::POLICY;
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity;
use openimis_sdk::mutation::MutationError;
use serde_json::json;

type Errors = Vec<MutationError>;

/// `Policy.STATUS_SUSPENDED`.
const SUSPENDED: i64 = 4;

pub const SUSPEND_FAILED: &str = "policy.mutation.failed_to_suspend_policy";
pub const DELETE_FAILED: &str = "policy.mutation.failed_to_delete_policies";

fn refused(message: &str, uuid: &str) -> MutationError {
    MutationError {
        message: message.into(),
        detail: Some(uuid.into()),
    }
}

/// Suspends the policies of `uuids`; any refusal leaves them all as they were.
pub fn suspend(conn: &mut DbConnection, uuids: &[String], audit: i64) -> Result<(), Errors> {
    let failed = entity::failed(SUSPEND_FAILED);
    let mut errors = Vec::new();
    for uuid in uuids {
        let Some(policy) = policy_by_uuid(conn, uuid).map_err(&failed)? else {
            errors.push(refused("policy.mutation.id_does_not_exist", uuid));
            continue;
        };
        let pk = policy["pk"].as_i64().unwrap_or_default();
        entity::copy_to_history(conn, &POLICY, pk).map_err(&failed)?;
        let status = json!({ "status": SUSPENDED });
        entity::update_in_place(conn, &POLICY, pk, &status, Some(audit)).map_err(&failed)?;
    }
    match errors.is_empty() {
        true => Ok(()),
        false => Err(errors),
    }
}

/// Refuses to delete each policy of `uuids` (see above); answers the refusals.
pub fn delete(conn: &mut DbConnection, uuids: &[String]) -> Result<(), Errors> {
    let mut errors = Vec::new();
    for uuid in uuids {
        let found = policy_by_uuid(conn, uuid).map_err(entity::failed(DELETE_FAILED))?;
        errors.push(match found {
            None => refused("policy.validation.id_does_not_exist", uuid),
            Some(_) => refused("policy.mutation.policy_is_used_in_claims", uuid),
        });
    }
    match errors.is_empty() {
        true => Ok(()),
        false => Err(errors),
    }
}
