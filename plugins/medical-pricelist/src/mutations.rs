//! The six mutations, written once for both kinds (`create`, `update`, `delete` +
//! `ServicesPricelist` / `ItemsPricelist`), each under core's mutation log and in one
//! transaction, so a refused input leaves nothing written.
//! - create and update check the login, then the kind's right, then the input
//!   ([`list_save`]); a refusal is logged under `pricelist.mutation.failed_to_create_pricelist`
//!   (`..._update_...`) with the reason as detail, and a list that names its mutation
//!   (`clientMutationId`) is linked to the log ([`links`]);
//! - delete refuses a caller without the right as the original's raised `PermissionDenied`,
//!   then ends every list named (`delete_history`); a uuid no valid list has refuses the whole
//!   input with `pricelist.validation.id_does_not_exist` (detail: the uuid).

use crate::links;
use crate::list_save;
use crate::pricelist_input::{DeleteInput, PricelistInput};
use crate::references;
use crate::refusal::Refused;
use crate::specs::{Pricelist, ALL};
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity;
use openimis_sdk::entity::delete_history;
use openimis_sdk::input::{failure, logged_in_input, permitted_or_denied};
use openimis_sdk::mutation::{run_logged, unknown, MutationError};
use openimis_sdk::transaction::in_transaction;
use openimis_sdk::{HostHandle, ModuleError, RequestContext, ResolveRequest};
use serde_json::{Map, Value};

const CREATE_FAILED: &str = "pricelist.mutation.failed_to_create_pricelist";
const UPDATE_FAILED: &str = "pricelist.mutation.failed_to_update_pricelist";
const DELETE_FAILED: &str = "pricelist.mutation.failed_to_delete_pricelist";
const NO_SUCH_LIST: &str = "pricelist.validation.id_does_not_exist";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Create,
    Update,
    Delete,
}

/// The kind and action of a root field (`updateItemsPricelist`).
fn named(field: &str) -> Option<(&'static Pricelist, Action)> {
    ALL.into_iter().find_map(|kind| {
        let verb = field.strip_suffix("Pricelist")?.strip_suffix(kind.kind)?;
        let action = match verb {
            "create" => Action::Create,
            "update" => Action::Update,
            "delete" => Action::Delete,
            _ => return None,
        };
        Some((kind, action))
    })
}

/// Whether `field` is one of the module's mutations.
pub fn serves(field: &str) -> bool {
    named(field).is_some()
}

/// Creates or updates a list (`creating`) from `map`, linking it to log `log`.
fn save(
    conn: &mut DbConnection,
    (kind, creating): (&Pricelist, bool),
    map: &Map<String, Value>,
    context: &RequestContext,
    log: &str,
) -> Result<(), Vec<MutationError>> {
    let message = if creating {
        CREATE_FAILED
    } else {
        UPDATE_FAILED
    };
    let right = kind.writes[usize::from(!creating)];
    let input: PricelistInput = logged_in_input(context, right, message, map)?;
    if let Some(refusal) = input.date_refusal() {
        return Err(failure(message, refusal));
    }
    let audit = context.interactive_user_id().unwrap_or_default();
    in_transaction(conn, |conn| {
        let id = list_save::save(conn, kind, &input, audit, creating)
            .map_err(|refused| refused.logged(message))?;
        if input.names_its_mutation() {
            links::link(conn, kind, id, log).map_err(|e| Refused::from(e).logged(message))?;
        }
        Ok(())
    })
}

/// Ends the lists `map` names.
fn delete(
    conn: &mut DbConnection,
    kind: &Pricelist,
    map: &Map<String, Value>,
    context: &RequestContext,
) -> Result<(), Vec<MutationError>> {
    permitted_or_denied(context, kind.writes[2])?;
    let input: DeleteInput = entity::input(map).map_err(|e| vec![e])?;
    in_transaction(conn, |conn| {
        let failed = |e: ModuleError| Refused::from(e).logged(DELETE_FAILED);
        let mut missing = Vec::new();
        for uuid in &input.uuids {
            let list = references::list(conn, kind, uuid).map_err(failed)?;
            let valid = list.filter(|list| list["validityTo"].is_null());
            match valid.and_then(|list| list["pk"].as_i64()) {
                Some(pk) => delete_history(conn, kind.list, pk).map_err(failed)?,
                None => missing.push(MutationError {
                    message: NO_SUCH_LIST.into(),
                    detail: Some(uuid.clone()),
                }),
            }
        }
        match missing.is_empty() {
            true => Ok(()),
            false => Err(missing),
        }
    })
}

/// Runs one of the six mutations under the mutation log.
pub fn resolve(
    host: &HostHandle,
    conn: &mut DbConnection,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    let name = request.field.name.as_str();
    let Some((kind, action)) = named(name) else {
        return Err(unknown("medical_pricelist", name));
    };
    let context = &request.context;
    run_logged(host, request, |map, log| match action {
        Action::Delete => delete(conn, kind, map, context),
        _ => save(conn, (kind, action == Action::Create), map, context, log),
    })
}
