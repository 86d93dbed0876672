//! The original's `policy_PolicyMutation` link rows: one for the policy a create, update or
//! renew saved (`PolicyMutation.object_mutated`, when the input carries a
//! `clientMutationId`), and, as the validation signal `on_policy_mutation` writes them when
//! the mutation is logged, one for every policy the `uuids` of `suspendPolicies` and
//! `deletePolicies` name (any validity, whatever the mutation's outcome).

use crate::specs::POLICY;
use openimis_sdk::db::DbConnection;
use openimis_sdk::mutation_link::{self, LinkTable};
use openimis_sdk::ModuleError;
use serde_json::{Map, Value};

const TABLE: LinkTable = ("policy_PolicyMutation", "policy_id");

/// Links policy `pk` to mutation log `log`.
pub fn link(conn: &mut DbConnection, pk: i64, log: &str) -> Result<(), ModuleError> {
    mutation_link::link(conn, TABLE, pk, log)
}

/// `on_policy_mutation`: links every policy whose uuid the input's `uuids` name to `log`.
pub fn link_named(
    conn: &mut DbConnection,
    input: &Map<String, Value>,
    log: &str,
) -> Result<(), ModuleError> {
    let uuids = mutation_link::named_uuids(input);
    for pk in mutation_link::rows_named(conn, &POLICY, &uuids)? {
        link(conn, pk, log)?;
    }
    Ok(())
}
