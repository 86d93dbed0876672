//! The original's `contribution_PremiumMutation` link rows: one for the premium
//! `createPremium` saved (`PremiumMutation.object_mutated`, when the input carries a
//! `clientMutationId`), and, as the before-mutating signal `on_premium_mutation` writes them,
//! one for every premium the input's `uuids` (else its `uuid`) name, any validity, whatever the
//! mutation's outcome. Read back (the SDK's `mutation_link`) as `PremiumGQLType.mutations`, its
//! pending `clientMutationId` and `MutationLogGQLType.premiums`.

use crate::specs::PREMIUM;
use openimis_sdk::db::DbConnection;
use openimis_sdk::mutation_link::{self, LinkTable};
use openimis_sdk::ModuleError;
use serde_json::{Map, Value};

pub const TABLE: LinkTable = ("contribution_PremiumMutation", "premium_id");

/// Links premium `pk` to mutation log `log`, unless it is linked to it already (the signal's
/// `update_or_create`).
pub fn link(conn: &mut DbConnection, pk: i64, log: &str) -> Result<(), ModuleError> {
    mutation_link::link_once(conn, TABLE, pk, log)
}

/// `on_premium_mutation`: links every premium the input's `uuids` (else `uuid`) name to `log`.
pub fn link_named(
    conn: &mut DbConnection,
    input: &Map<String, Value>,
    log: &str,
) -> Result<(), ModuleError> {
    let mut uuids = mutation_link::named_uuids(input);
    if uuids.is_empty() {
        let uuid = input.get("uuid").and_then(Value::as_str);
        uuids.extend(uuid.filter(|u| !u.is_empty()));
    }
    for pk in mutation_link::rows_named(conn, &PREMIUM, &uuids)? {
        link(conn, pk, log)?;
    }
    Ok(())
}
