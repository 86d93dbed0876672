//! `medical_ItemMutation` / `medical_ServiceMutation`: the link between a saved row and the
//! mutation log entry that saved it (the original's `object_mutated`, written when the input
//! carries a `clientMutationId`); `medicalItems(clientMutationId:)` reads it back.

use crate::item_or_service::ItemOrService;
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::ModuleError;

/// Links row `id` of `kind` to mutation log `log`.
pub fn link(
    conn: &mut DbConnection,
    kind: &ItemOrService,
    id: i64,
    log: &str,
) -> Result<(), ModuleError> {
    let uuid = db::uuid_param(conn);
    let sql = format!(
        r#"INSERT INTO "{}" ("id", "{}", "mutation_id") VALUES ({uuid}, ?, {uuid})"#,
        kind.link_table, kind.link_column
    );
    let binds = [
        Bind::text(uuid::Uuid::new_v4().to_string()),
        Bind::BigInt(Some(id)),
        Bind::text(log),
    ];
    db::execute(conn, &sql, &binds).map(drop)
}
