//! Entities by key: premiums for relay `node(id:)` and other modules' stubs, and the reverse
//! relations contribution adds to policy's `PolicyGQLType` (`premiums`: every premium of the
//! policy, history rows included, as the original's reverse relation has no validity filter)
//! and core's `MutationLogGQLType` (`premiums`: the link rows of each log).

use crate::computed::Reads;
use crate::links;
use crate::specs::{self, POLICY, PREMIUM};
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity::{self, Hooks};
use openimis_sdk::mutation_link::{self, LogField};
use openimis_sdk::{EntitiesRequest, HostHandle, ModuleError, SelectionField};
use serde_json::{json, Value};

/// Resolves `request.selection` on the objects of `request.type_name` named by `request.keys`.
pub fn resolve(
    host: &HostHandle,
    conn: &mut DbConnection,
    request: &EntitiesRequest,
) -> Result<Vec<Value>, ModuleError> {
    // As the root lists: a login.
    entity::logged_in(&request.context)?;
    let (sel, keys) = (&request.selection, &request.keys);
    let reads = Reads {
        host: Some(host),
        annotated: false,
    };
    if let Some(spec) = specs::of_type(&request.type_name) {
        return reads.apply(|access| entity::by_keys(conn, spec, keys, sel, access));
    }
    match request.type_name.as_str() {
        "PolicyGQLType" => {
            let sel: Vec<SelectionField> = sel.iter().map(with_history).collect();
            reads.apply(|access| entity::extended_by_keys(conn, &POLICY, keys, &sel, access))
        }
        "MutationLogGQLType" => reads.apply(|access| {
            let premiums = LogField {
                field: "premiums",
                inner: "premium",
                table: links::TABLE,
                spec: &PREMIUM,
            };
            mutation_link::mutation_logs(conn, keys, sel, access, &[premiums])
        }),
        other => Err(entity::no_entities("contribution", other)),
    }
}

/// `premiums` with its history rows.
fn with_history(field: &SelectionField) -> SelectionField {
    match field.name == "premiums" {
        true => entity::with_args(field, &[("showHistory", json!(true))]),
        false => field.clone(),
    }
}
