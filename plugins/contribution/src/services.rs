//! The services other modules call (documented in docs/MODULES.md, "## contribution"):
//! `premiums.create`, the original's `premium_action` for policy's `isPaid` (a premium saved
//! and its policy activated, in contribution's own transaction).

use crate::activation::premium_paid_by;
use crate::inputs::PremiumInput;
use crate::premium_save::premium_action;
use openimis_sdk::db::DbConnection;
use openimis_sdk::input::parse_value;
use openimis_sdk::service::{bad_payload, unknown};
use openimis_sdk::transaction::in_transaction;
use openimis_sdk::{HostHandle, ModuleError};
use serde_json::{json, Value};

/// `premiums.create`: the mutation's input fields (`policyUuid`, `amount`, `receipt`,
/// `payDate`, `payType`, `payerUuid`, `isOffline`, `isPhotoFee`, `action`, or `uuid`/`id` of a
/// premium to update) and `auditUserId`; answers `{id, uuid, created}` of the saved premium, or
/// `PREMIUM_REFUSED` with the reason (nothing written).
fn create(
    host: &HostHandle,
    conn: &mut DbConnection,
    payload: Value,
) -> Result<Value, ModuleError> {
    let method = "premiums.create";
    let audit = payload["auditUserId"]
        .as_i64()
        .ok_or_else(|| bad_payload("contribution", method, "`auditUserId` is required"))?;
    let input: PremiumInput =
        parse_value(&payload).map_err(|why| bad_payload("contribution", method, why))?;
    let refused = |why: String| ModuleError::new("PREMIUM_REFUSED", why);
    let checked = input.checked().map_err(refused)?;
    let paid = premium_paid_by(host);
    let saved = in_transaction(conn, |conn| {
        premium_action(conn, &paid, &checked, audit)
            .map_err(|why| vec![openimis_sdk::mutation::MutationError::new(why)])
    })
    .map_err(|errors| {
        let why = errors.into_iter().next().map(|e| match e.detail {
            Some(detail) => format!("{}: {detail}", e.message),
            None => e.message,
        });
        refused(why.unwrap_or_default())
    })?;
    Ok(json!({"id": saved.pk, "uuid": saved.uuid, "created": saved.created}))
}

/// Answers service `method`.
pub fn call(
    host: &HostHandle,
    conn: &mut DbConnection,
    method: &str,
    payload: Value,
) -> Result<Value, ModuleError> {
    match method {
        "premiums.create" => create(host, conn, payload),
        other => Err(unknown("contribution", other)),
    }
}
