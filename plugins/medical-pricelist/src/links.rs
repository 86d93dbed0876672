//! The original's link rows between a list and core's mutation log
//! (`medical_ServicesPricelistMutation`, `medical_ItemsPricelistMutation`): written when a
//! create or update that names its mutation (`clientMutationId`) succeeds.

use crate::specs::Pricelist;
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::ModuleError;

/// Links list `list` of the kind to mutation log `log`.
pub fn link(
    conn: &mut DbConnection,
    kind: &Pricelist,
    list: i64,
    log: &str,
) -> Result<(), ModuleError> {
    let uuid = db::uuid_param(conn);
    let sql = format!(
        r#"INSERT INTO "{}" ("id", "mutation_id", "pricelist_id") VALUES ({uuid}, {uuid}, ?)"#,
        kind.links
    );
    let id = uuid::Uuid::new_v4().to_string();
    let binds = [Bind::text(id), Bind::text(log), Bind::BigInt(Some(list))];
    db::execute(conn, &sql, &binds).map(drop)
}
