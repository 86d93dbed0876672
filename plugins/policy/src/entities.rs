//! Entities by key: policy's types for relay `node(id:)` and other modules' stubs, and the
//! reverse relations policy adds to insuree's, product's and core's types (one statement per
//! batch of parents).

use crate::computed::access;
use crate::specs;
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity;
use openimis_sdk::{EntitiesRequest, ModuleError};
use serde_json::Value;

/// Resolves `request.selection` on the objects of `request.type_name` named by `request.keys`.
pub fn resolve(
    conn: &mut DbConnection,
    request: &EntitiesRequest,
) -> Result<Vec<Value>, ModuleError> {
    // As the root lists and `Policy.get_queryset`: a login.
    entity::logged_in(&request.context)?;
    let (sel, keys) = (&request.selection, &request.keys);
    if let Some(spec) = specs::of_type(&request.type_name) {
        return entity::by_keys(conn, spec, keys, sel, &access());
    }
    let Some(parent) = specs::extended(&request.type_name) else {
        return Err(entity::no_entities("policy", &request.type_name));
    };
    if std::ptr::eq(parent, &specs::INSUREE_POLICY) {
        // A `one` relation reads the parent's foreign key: the coverage rows themselves.
        return entity::by_keys(conn, parent, keys, sel, &access());
    }
    entity::extended_by_keys(conn, parent, keys, sel, &access())
}
