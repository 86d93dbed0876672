//! `deleteProduct`: `delete_history()` of the product of each uuid (any validity, as the
//! original's `filter(uuid=…).first()`); its details stay as they are.
//!
//! The spec speaks of the usual per-uuid error list; the original's code builds the missing
//! uuid's message with `_("product.validation.id_does_not_exist") % {"id", uuid}` (a set, not a
//! dict), which raises a `TypeError`: the mutation fails as that uncaught exception. The code
//! wins, and the transaction leaves nothing deleted.

use crate::reads::pk_by_uuid_any;
use crate::specs::PRODUCT;
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity;
use openimis_sdk::mutation::{threw, MutationError};

/// Deletes the products of `uuids`; answers the log's errors.
pub fn delete(conn: &mut DbConnection, uuids: &[String]) -> Vec<MutationError> {
    let mut errors = Vec::new();
    for uuid in uuids {
        let pk = match pk_by_uuid_any(conn, uuid) {
            Ok(Some(pk)) => pk,
            Ok(None) => return vec![threw("TypeError")],
            Err(e) => return vec![failed(uuid, &e.message)],
        };
        if let Err(e) = entity::delete_history(conn, &PRODUCT, pk) {
            errors.push(failed(uuid, &e.message));
        }
    }
    errors
}

fn failed(uuid: &str, why: &str) -> MutationError {
    MutationError {
        message: "product.mutation.failed_to_delete_product".into(),
        detail: Some(format!("{uuid}: {why}")),
    }
}
