//! Entities by key: payer's types for relay `node(id:)` and other modules' stubs (contribution's
//! `PremiumGQLType.payer`), and the reverse relations payer adds to product's `ProductGQLType`
//! (`fundings`) and core's `UserGQLType` (`fundingUserCreated`, `fundingUserUpdated`; its keys
//! are uuids): the parents are not read, one statement per relation for all keys.

use crate::access::with_access;
use crate::fundings::{self, Relation, CREATED_BY, OF_PRODUCT, UPDATED_BY};
use crate::specs::PAYER;
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity::{self, Access};
use openimis_sdk::project::project;
use openimis_sdk::{EntitiesRequest, ModuleError, SelectionField};
use serde_json::{json, Value};

/// Resolves `request.selection` on the objects of `request.type_name` named by `request.keys`.
pub fn resolve(
    conn: &mut DbConnection,
    request: &EntitiesRequest,
) -> Result<Vec<Value>, ModuleError> {
    // As the root lists: a login (their rights are the host's field rights).
    entity::logged_in(&request.context)?;
    let (sel, keys) = (&request.selection, &request.keys);
    with_access(&request.context, |access| {
        match request.type_name.as_str() {
            "PayerGQLType" => entity::by_keys(conn, &PAYER, keys, sel, access),
            "FundingGQLType" => fundings::by_keys(conn, keys, sel, access),
            "ProductGQLType" => extended(conn, &[&OF_PRODUCT], keys, sel, access),
            "UserGQLType" => extended(conn, &[&CREATED_BY, &UPDATED_BY], keys, sel, access),
            other => Err(entity::no_entities("payer", other)),
        }
    })
}

/// Another module's objects `keys`, answered with the fundings relations payer adds to them.
fn extended(
    conn: &mut DbConnection,
    relations: &[&Relation],
    keys: &[Value],
    sel: &[SelectionField],
    access: &Access,
) -> Result<Vec<Value>, ModuleError> {
    let mut rows: Vec<Value> = keys.iter().map(|key| json!({ "pk": key })).collect();
    for relation in relations {
        fundings::fill(conn, relation, &mut rows, sel, access)?;
    }
    Ok(rows.iter().map(|row| project(sel, row, "pk")).collect())
}
