//! `createUser`, `updateUser`, `deleteUser` through the mutation log, each in one transaction
//! (a failure leaves no rows), with the original's checks, order and messages. Districts and
//! villages belong to location: they are replaced (all or none) once core's rows are
//! committed, and when location refuses them core's commit is undone and the mutation fails.

use crate::location_link::{self, UserLocations};
use crate::user_history;
use crate::user_writes::{self, Caller, Fail, Written};
use crate::{users, Conn};
use openimis_sdk::db::{self, Bind};
use openimis_sdk::log;
use openimis_sdk::mutation::{run_logged, MutationError};
use openimis_sdk::sql_filter::{int_of, ints_of};
use openimis_sdk::transaction::in_transaction;
use openimis_sdk::{HostHandle, ModuleError, ResolveRequest};
use serde_json::{Map, Value};

const CREATE_USERS: u32 = 121_702;
const UPDATE_USERS: u32 = 121_703;
const DELETE_USERS: u32 = 121_704;

fn failure(message: &str, detail: impl Into<String>) -> Vec<MutationError> {
    vec![MutationError {
        message: message.to_owned(),
        detail: Some(detail.into()),
    }]
}

/// The original's `str(ValidationError("x"))`: `['x']`.
fn validation(text: &str) -> String {
    format!("['{text}']")
}

fn caller<'r>(conn: &mut Conn, request: &'r ResolveRequest) -> Result<Caller<'r>, ModuleError> {
    let username = request
        .context
        .user
        .get("username")
        .and_then(Value::as_str)
        .unwrap_or_default();
    Ok(Caller {
        user_id: request.context.user_id(),
        audit: request.context.interactive_user_id().unwrap_or(-1),
        is_admin: !username.is_empty() && users::is_imis_admin(conn, username)?,
    })
}

/// Tells location about the districts and villages of what was written; when it refuses,
/// undoes core's committed rows (a new user is gone, a changed one is as it was).
fn after_commit(
    host: &HostHandle,
    conn: &mut Conn,
    input: &Map<String, Value>,
    written: &Written,
    audit: i64,
) -> Result<(), Fail> {
    let locations = UserLocations {
        user_id: written.interactive,
        district_ids: ints_of(input.get("districts")),
        officer_id: written.officer,
        village_ids: ints_of(input.get("villageIds")).filter(|v| !v.is_empty()),
    };
    let Err(refused) = location_link::replace_user_locations(host, &locations, audit) else {
        return Ok(());
    };
    let refused = format!(
        "location refused the user's districts or villages ({}: {})",
        refused.code, refused.message
    );
    let undone = in_transaction(conn, |tx| {
        written.undo.apply(tx).map_err(|e| {
            vec![MutationError {
                message: e.code.to_string(),
                detail: Some(e.message.to_string()),
            }]
        })
    });
    Err(Fail::Other(match undone {
        Ok(()) => format!("{refused}; the user was not saved"),
        Err(errors) => {
            let why = errors
                .iter()
                .map(|e| e.detail.clone().unwrap_or_else(|| e.message.clone()))
                .collect::<Vec<_>>()
                .join("; ");
            log::error!("undoing user {} failed: {why}", written.core_user);
            format!("{refused}; undoing the user's rows failed too ({why})")
        }
    }))
}

fn save(
    host: &HostHandle,
    conn: &mut Conn,
    request: &ResolveRequest,
    input: &Map<String, Value>,
    log: &str,
    on_fail: impl Fn(Fail) -> Vec<MutationError>,
) -> Result<(), Vec<MutationError>> {
    let who = caller(conn, request).map_err(|e| on_fail(e.into()))?;
    // An officer works where its health facility is, when one is given.
    let mut input = input.clone();
    if let Some(hf) = input.get("healthFacilityId").and_then(int_of) {
        if let Some(location) =
            location_link::health_facility_location(host, hf).map_err(|e| on_fail(e.into()))?
        {
            input.insert("locationId".into(), location.into());
        }
    }
    let input = &input;
    let written = in_transaction(conn, |tx| {
        user_writes::upsert(tx, &who, input, log).map_err(&on_fail)
    })?;
    after_commit(host, conn, input, &written, who.audit).map_err(on_fail)
}

fn create(
    host: &HostHandle,
    conn: &mut Conn,
    request: &ResolveRequest,
    input: &Map<String, Value>,
    log: &str,
) -> Result<(), Vec<MutationError>> {
    let failed = |detail: String| failure("core.mutation.failed_to_create_user", detail);
    let invalid = |detail: String| failure("core.mutation.validation_error", validation(&detail));
    if !request.context.is_authenticated() {
        return Err(failed("mutation.authentication_required".into()));
    }
    let username = input
        .get("username")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if user_writes::username_taken(conn, username).map_err(|e| failed(e.message.to_string()))? {
        return Err(invalid("User with this user name already exists.".into()));
    }
    if !request.context.holds(CREATE_USERS) {
        return Err(failed("unauthorized".into()));
    }
    save(host, conn, request, input, log, |fail| match fail {
        Fail::Validation(text) => invalid(text),
        Fail::Other(text) => failed(text),
    })
}

fn update(
    host: &HostHandle,
    conn: &mut Conn,
    request: &ResolveRequest,
    input: &Map<String, Value>,
    log: &str,
) -> Result<(), Vec<MutationError>> {
    let failed = |detail: String| failure("core.mutation.failed_to_update_user", detail);
    if !request.context.is_authenticated() {
        return Err(failed("mutation.authentication_required".into()));
    }
    if !request.context.holds(UPDATE_USERS) {
        return Err(failed("unauthorized".into()));
    }
    save(host, conn, request, input, log, |fail| match fail {
        Fail::Validation(text) => failed(validation(&text)),
        Fail::Other(text) => failed(text),
    })
}

#[derive(diesel::QueryableByName)]
struct SubUsers {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    officer_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    claim_admin_id: Option<i64>,
}

/// `deleteUser(uuids)`: as the original's `delete_history` in 1.11.0, officers and claim
/// admins are end-dated (with a history copy); interactive and core users are left as they are.
fn delete(
    conn: &mut Conn,
    request: &ResolveRequest,
    input: &Map<String, Value>,
) -> Result<(), Vec<MutationError>> {
    if !request.context.holds(DELETE_USERS) {
        return Err(vec![MutationError::new("unauthorized")]);
    }
    let uuids: Vec<String> = input
        .get("uuids")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_lowercase)
        .collect();
    in_transaction(conn, |tx| {
        let mut errors = Vec::new();
        for uuid in &uuids {
            let found: Vec<SubUsers> = db::load(
                tx,
                r#"SELECT CAST(u."officer_id" AS BIGINT) AS officer_id, CAST(u."claim_admin_id" AS BIGINT) AS claim_admin_id
                   FROM "core_User" u WHERE LOWER(CAST(u."id" AS TEXT)) = ?"#,
                &[Bind::text(uuid)],
            )
            .map_err(|e| failure("role.mutation.failed_to_change_status_of_user", e.message.to_string()))?;
            let Some(user) = found.first() else {
                errors.push(MutationError::new("user.validation.id_does_not_exist"));
                continue;
            };
            let ended = |tx: &mut Conn| -> Result<(), ModuleError> {
                if let Some(id) = user.officer_id {
                    user_history::end_date(tx, "tblOfficer", "OfficerID", id)?;
                }
                if let Some(id) = user.claim_admin_id {
                    user_history::end_date(tx, "tblClaimAdmin", "ClaimAdminId", id)?;
                }
                Ok(())
            };
            ended(tx).map_err(|e| {
                failure(
                    "role.mutation.failed_to_change_status_of_user",
                    e.message.to_string(),
                )
            })?;
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    })
}

pub fn resolve(
    host: &HostHandle,
    conn: &mut Conn,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    match request.field.name.as_str() {
        "createUser" => run_logged(host, request, |input, log| {
            create(host, conn, request, input, log)
        }),
        "updateUser" => run_logged(host, request, |input, log| {
            update(host, conn, request, input, log)
        }),
        "deleteUser" => run_logged(host, request, |input, _log| delete(conn, request, input)),
        other => Err(ModuleError::new(
            "NOT_SUPPORTED",
            format!("no user mutation {other}"),
        )),
    }
}
