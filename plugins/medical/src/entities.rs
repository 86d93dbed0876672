//! Entities by key: medical's types for relay `node(id:)` and for other modules' stubs (a
//! price-list detail's `service`/`item`, a claim's diagnosis), history rows included.

use crate::reads::access;
use crate::specs;
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity;
use openimis_sdk::{EntitiesRequest, ModuleError};
use serde_json::Value;

/// Resolves `request.selection` on the rows of `request.type_name` named by `request.keys`.
pub fn resolve(
    conn: &mut DbConnection,
    request: &EntitiesRequest,
) -> Result<Vec<Value>, ModuleError> {
    let spec = specs::of_type(&request.type_name)
        .ok_or_else(|| entity::no_entities("medical", &request.type_name))?;
    // As the root lists: diagnoses are open to anyone (`diagnoses`, `diagnosesStr`), items and
    // services need a login.
    if spec.type_name != "DiagnosisGQLType" && !request.context.is_authenticated() {
        return Err(ModuleError::new("UNAUTHORIZED", "unauthorized"));
    }
    entity::by_keys(conn, spec, &request.keys, &request.selection, &access())
}
