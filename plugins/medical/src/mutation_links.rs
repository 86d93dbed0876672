//! `medical_ItemMutation` / `medical_ServiceMutation`: the link between a saved row and the
//! mutation log entry that saved it (the original's `object_mutated`, written when the input
//! carries a `clientMutationId`); `medicalItems(clientMutationId:)` reads it back.

use crate::item_or_service::ItemOrService;
use openimis_sdk::db::DbConnection;
use openimis_sdk::mutation_link;
use openimis_sdk::ModuleError;

/// Links row `id` of `kind` to mutation log `log`.
pub fn link(
    conn: &mut DbConnection,
    kind: &ItemOrService,
    id: i64,
    log: &str,
) -> Result<(), ModuleError> {
    mutation_link::link(conn, (kind.link_table, kind.link_column), id, log)
}
