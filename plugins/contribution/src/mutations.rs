//! contribution's three mutations under core's mutation log (`run_logged_linked`: answered at
//! once, queued in MODE=PROD), each in one transaction: a failure rolls everything back.
//! - `createPremium` (101302) / `updatePremium` (101303): the original's `premium_action`
//!   (`premium_save.rs`) inside its `try`: a login first
//!   (`['mutation.authentication_required']`), then the right (`unauthorized`), every failure
//!   recorded as `contribution.mutation.failed_to_<create|update>_premium` with the reason as
//!   detail. createPremium links the premium it saved (`object_mutated`).
//! - `deletePremium` (101304): the right is checked outside any `try`, so the original records
//!   its uncaught `PermissionDenied`; each named premium (any validity) gets `delete_history()`,
//!   an unknown uuid is `contribution.validation.id_does_not_exist` with the uuid as detail (the
//!   original's single error carries no detail, several are `{title, list}`); the policy's
//!   status is not recomputed. The original commits the deletions that succeeded beside a
//!   refusal; here a refused mutation leaves no row.
//! - Every mutation links the premiums its `uuids` (else `uuid`) name when it is logged
//!   (`on_premium_mutation`, `links.rs`).

use crate::activation::premium_paid_by;
use crate::inputs::PremiumInput;
use crate::links::{link, link_named};
use crate::manifest::{CREATE, DELETE, UPDATE};
use crate::premium_save::premium_action;
use crate::specs::PREMIUM;
use openimis_sdk::db::{Bind, DbConnection};
use openimis_sdk::entity;
use openimis_sdk::input::{failure, logged_in_input, permitted_or_denied};
use openimis_sdk::mutation::{run_logged_linked, threw, unknown, MutationError};
use openimis_sdk::mutation_link::log_to_link;
use openimis_sdk::transaction::in_transaction;
use openimis_sdk::{HostHandle, ModuleError, RequestContext, ResolveRequest};
use serde_json::{Map, Value};

type Errors = Vec<MutationError>;

pub const CREATE_FAILED: &str = "contribution.mutation.failed_to_create_premium";
pub const UPDATE_FAILED: &str = "contribution.mutation.failed_to_update_premium";

/// Whether `name` is one of contribution's mutations.
pub fn serves(name: &str) -> bool {
    matches!(name, "createPremium" | "updatePremium" | "deletePremium")
}

/// Create or update one premium.
fn save(
    host: &HostHandle,
    conn: &mut DbConnection,
    create: bool,
    map: &Map<String, Value>,
    context: &RequestContext,
    log: &str,
) -> Result<(), Errors> {
    let (message, right) = match create {
        true => (CREATE_FAILED, CREATE),
        false => (UPDATE_FAILED, UPDATE),
    };
    let input: PremiumInput = logged_in_input(context, right, message, map)?;
    let checked = input.checked().map_err(|d| failure(message, d))?;
    let audit = context.interactive_user_id().unwrap_or_default();
    let paid = premium_paid_by(host);
    let link_to = if create { log_to_link(map, log) } else { None };
    in_transaction(conn, |conn| {
        let saved =
            premium_action(conn, &paid, &checked, audit).map_err(|d| failure(message, d))?;
        if let Some(log) = link_to {
            link(conn, saved.pk, log).map_err(entity::failed(message))?;
        }
        Ok(())
    })
}

/// The premium with `uuid`, any validity (`Premium.objects.filter(uuid=…).first()`).
fn premium_by_uuid(conn: &mut DbConnection, uuid: &str) -> Result<Option<i64>, ModuleError> {
    let sql = r#"SELECT "PremiumId" AS id FROM "tblPremium" WHERE CAST("PremiumUUID" AS TEXT) = ?"#;
    Ok(entity::ids(conn, sql, &[Bind::text(uuid)])?
        .first()
        .copied())
}

fn delete(
    conn: &mut DbConnection,
    map: &Map<String, Value>,
    context: &RequestContext,
) -> Result<(), Errors> {
    permitted_or_denied(context, DELETE)?;
    // `for premium_uuid in data["uuids"]`.
    let uuids: Vec<String> = match map.get("uuids") {
        None => return Err(vec![threw("KeyError")]),
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|u| u.as_str().map(str::to_owned))
            .collect(),
        Some(_) => return Err(vec![threw("TypeError")]),
    };
    in_transaction(conn, |conn| {
        let failed = entity::failed("contribution.mutation.failed_to_delete_premium");
        let mut errors = Vec::new();
        for uuid in &uuids {
            match premium_by_uuid(conn, uuid).map_err(&failed)? {
                Some(pk) => entity::delete_history(conn, &PREMIUM, pk).map_err(&failed)?,
                None => errors.push(MutationError {
                    message: "contribution.validation.id_does_not_exist".into(),
                    detail: Some(uuid.clone()),
                }),
            }
        }
        match errors.is_empty() {
            true => Ok(()),
            false => Err(errors),
        }
    })
}

/// Resolves one of contribution's mutations.
pub fn resolve(
    host: &HostHandle,
    conn: &mut DbConnection,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    let context = &request.context;
    let create = match request.field.name.as_str() {
        "createPremium" => true,
        "updatePremium" => false,
        "deletePremium" => {
            return run_logged_linked(host, request, conn, link_named, |conn, map, _| {
                delete(conn, map, context)
            })
        }
        other => return Err(unknown("contribution", other)),
    };
    run_logged_linked(host, request, conn, link_named, |conn, map, log| {
        save(host, conn, create, map, context, log)
    })
}
