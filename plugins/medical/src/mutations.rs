//! The six mutations under core's mutation log (`run_logged`: answered at once, queued in
//! MODE=PROD), each in one transaction: any error rolls everything back and the log records
//! the original's message (`item.mutation.failed_to_create_item`, ...) with its detail.

use crate::delete::delete;
use crate::inputs::{DeleteInput, ItemInput, ItemOrServiceInput, ServiceInput};
use crate::item_or_service::{ItemOrService, ITEMS, SERVICES};
use crate::save::{save, Saved};
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity;
use openimis_sdk::input::{failure, logged_in_with, permitted_or_denied};
use openimis_sdk::mutation::{run_logged, unknown, MutationError};
use openimis_sdk::mutation_link::log_to_link;
use openimis_sdk::transaction::in_transaction;
use openimis_sdk::{HostHandle, ModuleError, RequestContext, ResolveRequest};
use serde_json::{Map, Value};

type Errors = Vec<MutationError>;

/// `CreateOrUpdateItemOrServiceMutation.do_mutate`: login, right, patient category, then the
/// save. Every failure is the mutation's message with the reason as detail.
fn create_or_update(
    conn: &mut DbConnection,
    kind: &ItemOrService,
    map: &Map<String, Value>,
    context: &RequestContext,
    log: &str,
    creating: bool,
) -> Result<(), Errors> {
    let verb = if creating { "create" } else { "update" };
    let message = format!("{noun}.mutation.failed_to_{verb}_{noun}", noun = kind.noun);
    let fail = |detail: String| failure(&message, detail);
    let right = if creating {
        kind.add_right
    } else {
        kind.update_right
    };
    logged_in_with(context, right, &message)?;
    // `id_for_audit`: the interactive user's `tblUsers` id (0 for another kind of user).
    let audit = context.interactive_user_id().unwrap_or_default();
    let is_item = std::ptr::eq(kind, &ITEMS);
    let (item, service);
    let saved = if is_item {
        item = entity::input::<ItemInput>(map).map_err(|e| vec![e])?;
        Saved::item(&item)
    } else {
        service = entity::input::<ServiceInput>(map).map_err(|e| vec![e])?;
        Saved::service(&service)
    }
    .map_err(fail)?;
    let linked = log_to_link(map, log);
    in_transaction(conn, |conn| {
        save(conn, kind, &saved, audit, linked)
            .map(drop)
            .map_err(fail)
    })
}

fn delete_all(
    host: &HostHandle,
    conn: &mut DbConnection,
    kind: &ItemOrService,
    map: &Map<String, Value>,
    context: &RequestContext,
) -> Result<(), Errors> {
    permitted_or_denied(context, kind.delete_right)?;
    let input: DeleteInput = entity::input(map).map_err(|e| vec![e])?;
    in_transaction(conn, |conn| {
        let errors = delete(host, conn, kind, &input.uuids);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    })
}

/// The ServiceCodeInputType scalar refuses a code over 6 characters before anything runs (a
/// GraphQL error, no log entry), as the original's scalar parsing does.
fn code_scalar(request: &ResolveRequest) -> Result<(), ModuleError> {
    let input = request.field.arg("input").cloned().unwrap_or(Value::Null);
    let Ok(common) = serde_json::from_value::<ItemOrServiceInput>(input) else {
        return Ok(()); // a malformed input is the mutation's to report
    };
    match common.code_fits() {
        true => Ok(()),
        false => Err(ModuleError::new(
            "BAD_ARGUMENT",
            "core.string.over_max_length",
        )),
    }
}

/// Resolves one of medical's mutations.
pub fn resolve(
    host: &HostHandle,
    conn: &mut DbConnection,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    let context = &request.context;
    let (kind, action) = match request.field.name.as_str() {
        "createItem" => (&ITEMS, "create"),
        "updateItem" => (&ITEMS, "update"),
        "deleteItem" => (&ITEMS, "delete"),
        "createService" => (&SERVICES, "create"),
        "updateService" => (&SERVICES, "update"),
        "deleteService" => (&SERVICES, "delete"),
        other => return Err(unknown("medical", other)),
    };
    if action != "delete" {
        code_scalar(request)?;
    }
    run_logged(host, request, |map, log| match action {
        "delete" => delete_all(host, conn, kind, map, context),
        verb => create_or_update(conn, kind, map, context, log, verb == "create"),
    })
}
