//! `deleteItem` / `deleteService` (`set_item_or_service_deleted` per uuid): a history copy of
//! the row, then the row ends; its valid price-list details end the same way.

use crate::item_or_service::ItemOrService;
use crate::pricelist_details::end_details;
use openimis_sdk::db::{Bind, DbConnection};
use openimis_sdk::entity;
use openimis_sdk::entity::delete_history as end;
use openimis_sdk::mutation::MutationError;
use openimis_sdk::sql_filter::Where;
use openimis_sdk::HostHandle;

/// Deletes the rows of `uuids` (any validity, as the original's `filter(uuid=…).first()`).
/// Answers the original's errors: one per uuid without a row
/// (`item.validation.id_does_not_exist`) or whose deletion failed
/// (`medical.mutation.failed_to_delete_item`, the uuid as detail). A single error is the
/// original's flattened list; several name their uuid in `detail` (the original's
/// `{title, list}` entries, which the log's error shape cannot carry).
pub fn delete(
    host: &HostHandle,
    conn: &mut DbConnection,
    kind: &ItemOrService,
    uuids: &[String],
) -> Vec<MutationError> {
    let mut errors: Vec<(String, MutationError)> = Vec::new();
    for uuid in uuids {
        let mut w = Where::new();
        let column = kind.spec.uuid.unwrap_or_default();
        w.and(
            &format!("{} = ?", kind.spec.col(column)),
            [Bind::text(uuid)],
        );
        let found = entity::find(conn, kind.spec, &w, "");
        let pk = found
            .ok()
            .and_then(|rows| rows.first().and_then(|r| r["pk"].as_i64()));
        let Some(pk) = pk else {
            let message = format!("{}.validation.id_does_not_exist", kind.noun);
            errors.push((uuid.clone(), MutationError::new(message)));
            continue;
        };
        let ended = end(conn, kind.spec, pk).and_then(|_| end_details(host, conn, kind, pk));
        if ended.is_err() {
            let error = MutationError {
                message: format!("medical.mutation.failed_to_delete_{}", kind.noun),
                detail: Some(uuid.clone()),
            };
            errors.push((uuid.clone(), error));
        }
    }
    match errors.len() {
        1 => errors.into_iter().map(|(_, e)| e).collect(),
        _ => errors
            .into_iter()
            .map(|(uuid, mut e)| {
                e.detail = Some(uuid);
                e
            })
            .collect(),
    }
}
