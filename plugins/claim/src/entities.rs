//! Entities by key: claim's types for relay `node(id:)` and other modules' stubs, and the
//! reverse relations claim adds to other modules' types (`extensions.rs`), one statement per
//! relation for all keys.

use crate::access::Rules;
use crate::attachments;
use crate::extensions::{
    CLAIM_ADMIN, DIAGNOSIS, FACILITY, INSUREE, INTERACTIVE_USER, ITEM, POLICY, PRODUCT, SERVICE,
};
use crate::specs::{
    ATTACHMENT_TYPE, CLAIM, CLAIM_ITEM, CLAIM_SERVICE, DEDREM, FEEDBACK, SERVICE_ITEM,
    SERVICE_SERVICE,
};
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity::{self, EntitySpec, Hooks};
use openimis_sdk::{EntitiesRequest, HostHandle, ModuleError};
use serde_json::Value;

/// claim's own types.
const OWN: [&EntitySpec; 8] = [
    &CLAIM,
    &CLAIM_ITEM,
    &CLAIM_SERVICE,
    &SERVICE_ITEM,
    &SERVICE_SERVICE,
    &FEEDBACK,
    &DEDREM,
    &ATTACHMENT_TYPE,
];

/// Other modules' types claim adds fields to.
const EXTENDED: [&EntitySpec; 9] = [
    &CLAIM_ADMIN,
    &INTERACTIVE_USER,
    &DIAGNOSIS,
    &FACILITY,
    &INSUREE,
    &ITEM,
    &SERVICE,
    &POLICY,
    &PRODUCT,
];

/// Resolves `request.selection` on the objects of `request.type_name` named by `request.keys`.
pub fn resolve(
    host: &HostHandle,
    conn: &mut DbConnection,
    request: &EntitiesRequest,
) -> Result<Vec<Value>, ModuleError> {
    let (sel, keys, name) = (
        &request.selection,
        &request.keys,
        request.type_name.as_str(),
    );
    // The attachment types are readable anonymously; everything else as the root lists.
    if name != ATTACHMENT_TYPE.type_name {
        entity::logged_in(&request.context)?;
    }
    let rules = Rules::new(host, &request.context);
    if name == "ClaimAttachmentGQLType" {
        return rules.apply(|a| attachments::by_keys(conn, keys, sel, a));
    }
    if let Some(spec) = OWN.iter().find(|s| s.type_name == name) {
        return rules.apply(|a| entity::by_keys(conn, spec, keys, sel, a));
    }
    if let Some(spec) = EXTENDED.iter().find(|s| s.type_name == name) {
        return rules.apply(|a| entity::extended_by_keys(conn, spec, keys, sel, a));
    }
    Err(entity::no_entities("claim", name))
}
