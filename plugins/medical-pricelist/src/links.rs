//! The original's link rows between a list and core's mutation log
//! (`medical_ServicesPricelistMutation`, `medical_ItemsPricelistMutation`): written when a
//! create or update that names its mutation (`clientMutationId`) succeeds.

use crate::specs::Pricelist;
use openimis_sdk::db::DbConnection;
use openimis_sdk::mutation_link;
use openimis_sdk::ModuleError;

/// Links list `list` of the kind to mutation log `log`.
pub fn link(
    conn: &mut DbConnection,
    kind: &Pricelist,
    list: i64,
    log: &str,
) -> Result<(), ModuleError> {
    mutation_link::link(conn, (kind.links, "pricelist_id"), list, log)
}
