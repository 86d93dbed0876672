//! Entities by key: product's types for relay `node(id:)` and other modules' stubs, and the
//! reverse relations product adds to medical's `ItemGQLType.items` / `ServiceGQLType.services`
//! and location's `LocationGQLType.productSet` (one statement per batch of parents).

use crate::computed::access;
use crate::specs::{self, LOCATION, MEDICAL_ITEM, MEDICAL_SERVICE};
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity;
use openimis_sdk::{EntitiesRequest, ModuleError};
use serde_json::Value;

/// Resolves `request.selection` on the objects of `request.type_name` named by `request.keys`.
pub fn resolve(
    conn: &mut DbConnection,
    request: &EntitiesRequest,
) -> Result<Vec<Value>, ModuleError> {
    // As the root lists: a login (their right is the host's field right).
    entity::logged_in(&request.context)?;
    let (sel, keys) = (&request.selection, &request.keys);
    if let Some(spec) = specs::of_type(&request.type_name) {
        return entity::by_keys(conn, spec, keys, sel, &access());
    }
    let parent = match request.type_name.as_str() {
        "ItemGQLType" => &MEDICAL_ITEM,
        "ServiceGQLType" => &MEDICAL_SERVICE,
        "LocationGQLType" => &LOCATION,
        other => return Err(entity::no_entities("product", other)),
    };
    entity::extended_by_keys(conn, parent, keys, sel, &access())
}
