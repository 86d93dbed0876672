//! `create{{Pascal}}Item` under core's mutation log, as the original's mutations: the input
//! (with `clientMutationId` and `clientMutationLabel`) is logged, the item created, the log
//! marked 2, or 1 with the errors; the payload answers `clientMutationId` and `internalId`
//! (the log's id) at once.

use openimis_sdk::db::DbConnection;
use openimis_sdk::mutation::run_logged;
use openimis_sdk::{HostHandle, ModuleError, ResolveRequest};
use serde_json::Value;

/// Answers `create{{Pascal}}Item(input: ...)`.
pub fn create_item(
    host: &HostHandle,
    conn: &mut DbConnection,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    let language = &request.context.language;
    run_logged(host, request, |input, _log_id| {
        let code = input.get("code").and_then(Value::as_str).unwrap_or_default();
        let name = input.get("name").and_then(Value::as_str);
{{#business}}
        let created = crate::services::ItemService::new(conn).create(code, name);
{{/business}}
{{#calculation}}
        let created = crate::items::create(conn, code, name);
{{/calculation}}
        created
            .map(drop)
            .map_err(|error| vec![error.logged(language)])
    })
}
