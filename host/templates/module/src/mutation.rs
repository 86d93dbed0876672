//! `create{{Pascal}}Item`, `update{{Pascal}}Item` and `delete{{Pascal}}Item` under core's
//! mutation log, as the original's mutations: the input (with `clientMutationId` and
//! `clientMutationLabel`) is logged, read into [`ItemInput`], written in one transaction, the
//! log marked 2, or 1 with the errors; the payload answers `clientMutationId` and `internalId`
//! (the log's id) at once. This is the GraphQL layer only: the rules and writes are `items.rs`'s.

use crate::items::ItemInput;
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity;
use openimis_sdk::mutation::run_logged;
use openimis_sdk::transaction::in_transaction;
use openimis_sdk::{HostHandle, ModuleError, ResolveRequest};
use serde_json::Value;

pub const CREATE: &str = "create{{Pascal}}Item";
pub const UPDATE: &str = "update{{Pascal}}Item";
pub const DELETE: &str = "delete{{Pascal}}Item";

/// Answers the item mutation `request` names.
pub fn mutate(
    host: &HostHandle,
    conn: &mut DbConnection,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    let language = request.context.language.as_str();
    let audit_user_id = request.context.interactive_user_id().unwrap_or(0);
    let action = request.field.name.as_str();
    run_logged(host, request, |input, _log_id| {
        let item: ItemInput = entity::input(input).map_err(|e| vec![e])?;
        in_transaction(conn, |conn| {
{{#business}}
            let mut service = crate::services::ItemService::new(conn, audit_user_id);
            let done = match action {
                CREATE => service.create(item).map(drop),
                UPDATE => service.update(item),
                _ => service.delete(item),
            };
{{/business}}
{{#calculation}}
            let done = match action {
                CREATE => crate::items::create(conn, &item, audit_user_id).map(drop),
                UPDATE => crate::items::update(conn, &item, audit_user_id),
                _ => crate::items::delete(conn, &item),
            };
{{/calculation}}
            done.map_err(|error| vec![error.logged(language)])
        })
    })
}
