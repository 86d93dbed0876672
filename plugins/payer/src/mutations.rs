//! payer's four mutations under core's mutation log (`run_logged`: answered at once, queued in
//! MODE=PROD), each in one transaction: a failure rolls everything back, and the log records
//! the original's messages (payer.md §5).
//! - The custom scalars of the input (`UUID`, `Date`, `Decimal`) are parsed first: one that
//!   does not parse is a `BAD_ARGUMENT` error and nothing is logged (`inputs.rs`).
//! - `createPayer` (121802) and `updatePayer` (122103) need a login
//!   (`['mutation.authentication_required']`) and the right (`unauthorized`), both logged under
//!   `payer.mutation.failed_to_<verb>_payer` with the save's failure as detail; a saved payer
//!   is linked to the log (`payer_PayerMutation`) when the input has a `clientMutationId`.
//! - `deletePayer` (121804) and `addFunding` (122103, the original's odd code) check the right
//!   outside the original's `try`: refused, the log records the uncaught `PermissionDenied`.

use crate::funding_add;
use crate::inputs::{self, FundingInput, PayerInput};
use crate::manifest::{ADD, DELETE, UPDATE};
use crate::messages::{CREATE_FAILED, UPDATE_FAILED};
use crate::payer_delete;
use crate::payer_save::{save, Saving};
use openimis_sdk::db::DbConnection;
use openimis_sdk::input::{failure, logged_in_input, parse, permitted_or_denied};
use openimis_sdk::mutation::{
    input_of, run_logged, threw, unknown, MutationError, PERMISSION_DENIED,
};
use openimis_sdk::mutation_link::log_to_link;
use openimis_sdk::transaction::in_transaction;
use openimis_sdk::{HostHandle, ModuleError, RequestContext, ResolveRequest};
use serde_json::{Map, Value};

type Errors = Vec<MutationError>;

/// Whether `name` is one of payer's mutations.
pub fn serves(name: &str) -> bool {
    matches!(
        name,
        "createPayer" | "updatePayer" | "deletePayer" | "addFunding"
    )
}

/// `CreateOrUpdatePayerMutation.do_mutate`, then `create_or_update_payer`.
fn create_or_update(
    conn: &mut DbConnection,
    update: bool,
    map: &Map<String, Value>,
    context: &RequestContext,
    log: &str,
) -> Result<(), Errors> {
    let (message, right) = match update {
        true => (UPDATE_FAILED, UPDATE),
        false => (CREATE_FAILED, ADD),
    };
    let input: PayerInput = logged_in_input(context, right, message, map)?;
    let linked = log_to_link(map, log);
    let saving = Saving {
        input: &input,
        raw: map,
        audit: context.interactive_user_id().unwrap_or_default(),
        log: linked,
    };
    in_transaction(conn, |conn| {
        save(conn, &saving)
            .map(drop)
            .map_err(|d| failure(message, d))
    })
}

/// `DeletePayerMutation.async_mutate`.
fn delete(
    conn: &mut DbConnection,
    map: &Map<String, Value>,
    context: &RequestContext,
) -> Result<(), Errors> {
    permitted_or_denied(context, DELETE)?;
    // `for uuid in data["uuids"]`: absent is a `KeyError`, null a `TypeError`.
    let uuids = match inputs::uuids(map) {
        Ok(Some(Some(uuids))) => uuids,
        Ok(Some(None)) => return Err(vec![threw("TypeError")]),
        Ok(None) => return Err(vec![threw("KeyError")]),
        Err(detail) => return Err(vec![MutationError::new(detail)]),
    };
    in_transaction(conn, |conn| payer_delete::delete(conn, &uuids))
}

/// `AddFundingMutation.async_mutate`.
fn add_funding(
    conn: &mut DbConnection,
    map: &Map<String, Value>,
    context: &RequestContext,
) -> Result<(), Errors> {
    let user = context.user_id().filter(|_| context.holds(UPDATE));
    let Some(user) = user else {
        return Err(vec![threw(PERMISSION_DENIED)]);
    };
    let input: FundingInput = parse(map).map_err(|d| vec![MutationError::new(d)])?;
    in_transaction(conn, |conn| funding_add::add(conn, &input, user))
}

/// Resolves one of payer's mutations.
pub fn resolve(
    host: &HostHandle,
    conn: &mut DbConnection,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    let context = &request.context;
    let input = input_of(request);
    match request.field.name.as_str() {
        "createPayer" | "updatePayer" => {
            let update = request.field.name == "updatePayer";
            inputs::check_payer(&input, update)?;
            run_logged(host, request, |map, log| {
                create_or_update(conn, update, map, context, log)
            })
        }
        "deletePayer" => run_logged(host, request, |map, _| delete(conn, map, context)),
        "addFunding" => {
            inputs::check_funding(&input)?;
            run_logged(host, request, |map, _| add_funding(conn, map, context))
        }
        other => Err(unknown("payer", other)),
    }
}
