//! `createUser`, `updateUser`, `deleteUser` through the mutation log, each in one transaction
//! (a failure leaves no rows), with the original's checks, order and messages. Districts and
//! villages belong to location: they are replaced (all or none) once core's rows are
//! committed, and when location refuses them core's commit is undone and the mutation fails.

use crate::location_link::{self, UserLocations};
use crate::user_history;
use crate::user_writes::{self, Caller, Fail, Legacy, UserInput, Written};
use crate::{users, Conn};
use openimis_sdk::db::{self, Bind};
use openimis_sdk::input::{self, authenticated, failure, permitted, validation};
use openimis_sdk::log;
use openimis_sdk::mutation::{run_logged, MutationError};
use openimis_sdk::transaction::in_transaction;
use openimis_sdk::{HostHandle, ModuleError, ResolveRequest};
use serde::Deserialize;
use serde_json::{Map, Value};

const CREATE_USERS: u32 = 121_702;
const UPDATE_USERS: u32 = 121_703;
const DELETE_USERS: u32 = 121_704;

fn caller<'r>(conn: &mut Conn, request: &'r ResolveRequest) -> Result<Caller<'r>, ModuleError> {
    Ok(Caller {
        user_id: request.context.user_id(),
        audit: request.context.interactive_user_id().unwrap_or(-1),
        is_admin: users::requester_is_imis_admin(conn, &request.context)?,
    })
}

/// Tells location about the districts and villages of what was written; when it refuses,
/// undoes core's committed rows (a new user is gone, a changed one is as it was).
fn after_commit(
    host: &HostHandle,
    conn: &mut Conn,
    input: UserInput,
    written: &Written,
    audit: i64,
) -> Result<(), Fail> {
    let locations = UserLocations {
        user_id: written.interactive,
        district_ids: input.districts,
        officer_id: written.officer,
        village_ids: input.village_ids.filter(|v| !v.is_empty()),
    };
    let Err(refused) = location_link::replace_user_locations(host, &locations, audit) else {
        return Ok(());
    };
    let refused = format!(
        "location refused the user's districts or villages ({}: {})",
        refused.code, refused.message
    );
    let undone = in_transaction(conn, |tx| {
        written
            .undo
            .apply(tx)
            .map_err(|e| failure(&e.code, e.message.to_string()))
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
    mut input: UserInput,
    log: &str,
    on_fail: impl Fn(Fail) -> Vec<MutationError>,
) -> Result<(), Vec<MutationError>> {
    let who = caller(conn, request).map_err(|e| on_fail(e.into()))?;
    // An officer works where its health facility is, when one is given.
    if let Some(hf) = input.health_facility_id {
        if let Some(location) =
            location_link::health_facility_location(host, hf).map_err(|e| on_fail(e.into()))?
        {
            input.location_id = Some(location);
        }
    }
    let written = in_transaction(conn, |tx| {
        user_writes::upsert(tx, &who, &input, log).map_err(&on_fail)
    })?;
    after_commit(host, conn, input, &written, who.audit).map_err(on_fail)
}

/// `createUser` (`creating`) or `updateUser`, with the original's checks in its order.
fn create_or_update(
    host: &HostHandle,
    conn: &mut Conn,
    request: &ResolveRequest,
    (input, log): (&Map<String, Value>, &str),
    creating: bool,
) -> Result<(), Vec<MutationError>> {
    let (action, right) = if creating {
        ("create", CREATE_USERS)
    } else {
        ("update", UPDATE_USERS)
    };
    let failed =
        |detail: String| failure(&format!("core.mutation.failed_to_{action}_user"), detail);
    authenticated(&request.context, failed)?;
    let input: UserInput = input::parse(input).map_err(failed)?;
    if creating {
        let username = input.username.as_deref().unwrap_or_default();
        if user_writes::username_taken(conn, username).map_err(|e| failed(e.message.to_string()))? {
            return Err(invalid("User with this user name already exists."));
        }
    }
    permitted(&request.context, right, failed)?;
    save(host, conn, request, input, log, |fail| match fail {
        Fail::Validation(text) if creating => invalid(&text),
        Fail::Validation(text) => failed(validation(&text)),
        Fail::Other(text) => failed(text),
    })
}

/// createUser's validation error.
fn invalid(text: &str) -> Vec<MutationError> {
    failure("core.mutation.validation_error", validation(text))
}

#[derive(diesel::QueryableByName)]
struct SubUsers {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    officer_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    claim_admin_id: Option<i64>,
}

/// `deleteUser`'s input.
#[derive(Deserialize)]
struct Uuids {
    #[serde(default, deserialize_with = "input::strings")]
    uuids: Vec<String>,
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
    let uuids = match input::parse::<Uuids>(input) {
        Ok(given) => given.uuids,
        Err(malformed) => return Err(vec![MutationError::new(malformed)]),
    };
    let failed =
        |e: ModuleError| failure("role.mutation.failed_to_change_status_of_user", e.message);
    in_transaction(conn, |tx| {
        let mut errors = Vec::new();
        for uuid in uuids.iter().map(|u| u.to_lowercase()) {
            let found: Vec<SubUsers> = db::load(
                tx,
                r#"SELECT CAST(u."officer_id" AS BIGINT) AS officer_id, CAST(u."claim_admin_id" AS BIGINT) AS claim_admin_id
                   FROM "core_User" u WHERE LOWER(CAST(u."id" AS TEXT)) = ?"#,
                &[Bind::text(uuid)],
            )
            .map_err(failed)?;
            let Some(user) = found.first() else {
                errors.push(MutationError::new("user.validation.id_does_not_exist"));
                continue;
            };
            for (kind, id) in Legacy::BOTH
                .into_iter()
                .zip([user.officer_id, user.claim_admin_id])
            {
                if let Some(id) = id {
                    user_history::end_date(tx, kind, id).map_err(failed)?;
                }
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    })
}

/// `createUser`, `updateUser` and `deleteUser`, each through the mutation log.
pub fn resolve(
    host: &HostHandle,
    conn: &mut Conn,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    match request.field.name.as_str() {
        name @ ("createUser" | "updateUser") => run_logged(host, request, |input, log| {
            create_or_update(host, conn, request, (input, log), name == "createUser")
        }),
        "deleteUser" => run_logged(host, request, |input, _log| delete(conn, request, input)),
        other => Err(ModuleError::new(
            "NOT_SUPPORTED",
            format!("no user mutation {other}"),
        )),
    }
}
