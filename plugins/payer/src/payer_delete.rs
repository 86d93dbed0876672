//! `deletePayer` (payer.md §5): `delete_history()` of the payer of each uuid, whatever its
//! validity (`Payer.objects.filter(uuid=…).first()`), in the input's order.
//!
//! The spec speaks of a per-uuid error list; the original's code words a missing uuid's error
//! as `_("payer.validation.id_does_not_exist") % {"id", uuid}` (a set, not a dict), which
//! raises a `TypeError` outside its `try`: the mutation fails as that uncaught exception. The
//! code wins. One transaction: a failure leaves nothing deleted (the original keeps the
//! deletes made before it).

use crate::messages::DELETE_FAILED;
use crate::reads::payer_by_uuid;
use crate::specs::PAYER;
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity;
use openimis_sdk::mutation::threw;
use openimis_sdk::mutation::MutationError;

/// Deletes the payers of `uuids` (a null item names no payer).
pub fn delete(conn: &mut DbConnection, uuids: &[Option<String>]) -> Result<(), Vec<MutationError>> {
    let mut failed: Vec<(&str, String)> = Vec::new();
    for uuid in uuids {
        let found = match uuid {
            Some(uuid) => payer_by_uuid(conn, uuid).map_err(|e| {
                let detail = format!("{uuid}: {}", e.message);
                vec![failure(detail)]
            })?,
            None => None,
        };
        let (Some(uuid), Some(pk)) = (uuid, found) else {
            return Err(vec![threw("TypeError")]);
        };
        if let Err(e) = entity::delete_history(conn, &PAYER, pk) {
            failed.push((uuid, e.message.to_string()));
        }
    }
    match failed.as_slice() {
        [] => Ok(()),
        // One failure: the original flattens its `{title, list}` to the list.
        [(_, detail)] => Err(vec![failure(detail.clone())]),
        // Several: one error each, the uuid in the detail (the log's errors carry no title).
        many => Err(many
            .iter()
            .map(|(uuid, detail)| failure(format!("{uuid}: {detail}")))
            .collect()),
    }
}

fn failure(detail: String) -> MutationError {
    MutationError {
        message: DELETE_FAILED.into(),
        detail: Some(detail),
    }
}
