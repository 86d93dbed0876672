//! policy's five mutations under core's mutation log (`run_logged`: answered at once, queued
//! in MODE=PROD), each in one transaction: a failure rolls everything back, and the log
//! records the original's messages (`policy.mutation.failed_to_<verb>_policy` with the reason
//! as detail, per-policy refusals for suspend and delete).
//! - Rights (policy.md §1): 101202 create, 101203 update and suspend, 101204 delete, 101205
//!   renew. Create, update, renew and suspend first need a login
//!   (`mutation.authentication_required`); delete checks only its right, as the original.
//! - `suspendPolicies`/`deletePolicies` link the policies they name when logged, before they
//!   run (`links::link_named`, the original's validation signal); create, update and renew
//!   link the policy they saved (`policy_save.rs`).

use crate::config::Config;
use crate::inputs::{PolicyInput, UuidsInput};
use crate::links::link_named;
use crate::manifest::{CREATE, DELETE, EDIT, RENEW};
use crate::paid::settle;
use crate::policy_save::{save, Kind, Saving};
use crate::status::{self, DELETE_FAILED, SUSPEND_FAILED};
use openimis_sdk::db::DbConnection;
use openimis_sdk::input::{failure, logged_in_input, logged_in_with, parse};
use openimis_sdk::mutation::{run_logged, run_logged_linked, unknown, MutationError};
use openimis_sdk::mutation_link::log_to_link;
use openimis_sdk::transaction::in_transaction;
use openimis_sdk::{HostHandle, ModuleError, RequestContext, ResolveRequest};
use serde_json::{Map, Value};

type Errors = Vec<MutationError>;

/// Whether `name` is one of policy's mutations.
pub fn serves(name: &str) -> bool {
    matches!(
        name,
        "createPolicy" | "updatePolicy" | "renewPolicy" | "suspendPolicies" | "deletePolicies"
    )
}

/// Create, update or renew one policy (and have contribution create the premium `isPaid`
/// asks for, once the policy is committed: `paid.rs`).
fn save_one(
    host: &HostHandle,
    conn: &mut DbConnection,
    config: &Config,
    kind: Kind,
    map: &Map<String, Value>,
    context: &RequestContext,
    log: &str,
) -> Result<(), Errors> {
    let message = kind.message();
    let right = match kind {
        Kind::Create => CREATE,
        Kind::Update => EDIT,
        Kind::Renew => RENEW,
    };
    let input: PolicyInput = logged_in_input(context, right, message, map)?;
    let checked = input.checked().map_err(|d| failure(message, d))?;
    let saving = Saving {
        kind,
        input: &checked,
        audit: context.interactive_user_id().unwrap_or_default(),
        receipt_length: config.contribution_receipt_length,
        log: log_to_link(map, log),
        contribution: host.is_loaded("contribution"),
    };
    match in_transaction(conn, |conn| save(conn, &saving))? {
        Some(paid) => settle(host, conn, &paid, message),
        None => Ok(()),
    }
}

/// The `uuids` of a suspend or delete: `data["uuids"]` fails as Python does when absent or
/// null.
fn uuids(map: &Map<String, Value>, message: &str) -> Result<Vec<String>, Errors> {
    match map.get("uuids") {
        None => Err(failure(message, "'uuids'")),
        Some(Value::Null) => Err(failure(message, "'NoneType' object is not iterable")),
        Some(_) => {
            let input: UuidsInput = parse(map).map_err(|d| failure(message, d))?;
            Ok(input.uuids)
        }
    }
}

fn suspend(
    conn: &mut DbConnection,
    map: &Map<String, Value>,
    context: &RequestContext,
) -> Result<(), Errors> {
    logged_in_with(context, EDIT, SUSPEND_FAILED)?;
    let uuids = uuids(map, SUSPEND_FAILED)?;
    let audit = context.interactive_user_id().unwrap_or_default();
    in_transaction(conn, |conn| status::suspend(conn, &uuids, audit))
}

fn delete(
    conn: &mut DbConnection,
    map: &Map<String, Value>,
    context: &RequestContext,
) -> Result<(), Errors> {
    if !context.holds(DELETE) {
        return Err(failure(DELETE_FAILED, "unauthorized"));
    }
    let uuids = uuids(map, DELETE_FAILED)?;
    in_transaction(conn, |conn| status::delete(conn, &uuids))
}

/// Resolves one of policy's mutations.
pub fn resolve(
    host: &HostHandle,
    conn: &mut DbConnection,
    config: &Config,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    let context = &request.context;
    let kind = match request.field.name.as_str() {
        "createPolicy" => Kind::Create,
        "updatePolicy" => Kind::Update,
        "renewPolicy" => Kind::Renew,
        "suspendPolicies" => {
            return run_logged_linked(host, request, conn, link_named, |conn, map, _| {
                suspend(conn, map, context)
            })
        }
        "deletePolicies" => {
            return run_logged_linked(host, request, conn, link_named, |conn, map, _| {
                delete(conn, map, context)
            })
        }
        other => return Err(unknown("policy", other)),
    };
    run_logged(host, request, |map, log| {
        save_one(host, conn, config, kind, map, context, log)
    })
}
