//! `isPaid` on a new policy: the original's `create_policy` then calls contribution's
//! `premium_action` (pay type C, the policy's value, the enrolment date, the receipt given or
//! generated, the optional payer), which saves the premium and activates the policy.
//!
//! Here that is contribution's service `premiums.create`, called once the policy's own
//! transaction has committed: a service runs on its module's own connection, which inside this
//! transaction could neither see the new policy (PostgreSQL) nor write while it holds the lock
//! (SQLite). If contribution refuses, the new policy is removed again (its log links, coverage
//! rows and row, in a second transaction) and the log records the refusal, so a failed
//! mutation still leaves no policy; a renewal's withdrawn renewal proposals stay withdrawn.
//! Without the contribution module the mutation fails before anything is written.

use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::input::failure;
use openimis_sdk::mutation::MutationError;
use openimis_sdk::transaction::in_transaction;
use openimis_sdk::{HostHandle, ModuleError};
use serde_json::{json, Value};

type Errors = Vec<MutationError>;

/// The premium a new policy saved with `isPaid` is to get.
#[derive(Debug, Clone)]
pub struct Paid {
    pub policy: i64,
    pub uuid: String,
    pub value: String,
    pub receipt: String,
    pub enroll: String,
    pub payer: Option<String>,
    pub audit: i64,
}

/// The failure's detail when contribution is not running.
pub fn unavailable(paid: &Paid) -> String {
    let payer = match &paid.payer {
        Some(payer) => format!(", payer {payer}"),
        None => String::new(),
    };
    format!(
        "isPaid: the premium (receipt {}, amount {}{payer}) is created by the contribution module, which is not installed; save the policy without isPaid",
        paid.receipt, paid.value
    )
}

/// Removes policy `pk`, just created, with what its save wrote.
fn remove(conn: &mut DbConnection, pk: i64) -> Result<(), ModuleError> {
    for (table, column) in [
        ("policy_PolicyMutation", "policy_id"),
        ("tblInsureePolicy", "PolicyId"),
        ("tblPolicy", "PolicyID"),
    ] {
        let sql = format!(r#"DELETE FROM "{table}" WHERE "{column}" = ?"#);
        db::execute(conn, &sql, &[Bind::BigInt(Some(pk))])?;
    }
    Ok(())
}

/// Has contribution create the premium of `paid`'s committed policy; on a refusal the policy
/// is removed and the mutation fails under `message` with contribution's reason.
pub fn settle(
    host: &HostHandle,
    conn: &mut DbConnection,
    paid: &Paid,
    message: &str,
) -> Result<(), Errors> {
    let mut premium = json!({
        "policyUuid": paid.uuid, "amount": paid.value, "receipt": paid.receipt,
        "payDate": paid.enroll, "payType": "C", "auditUserId": paid.audit,
    });
    if let Some(payer) = &paid.payer {
        premium["payerUuid"] = json!(payer);
    }
    let refused = match host.call::<_, Value>("contribution", "premiums.create", &premium) {
        Ok(_) => return Ok(()),
        Err(e) => e.message.to_string(),
    };
    in_transaction(conn, |conn| {
        remove(conn, paid.policy).map_err(|e| failure(message, e.message.to_string()))
    })?;
    Err(failure(message, refused))
}
