//! `changePassword`, `resetPassword` and `setPassword` as the original's plain relay mutations
//! (no mutation log): each answers `{success, error, clientMutationId}`, and a failure is
//! `success: false` with the original's generic text while its cause is only logged.

use crate::lockout::Lockout;
use crate::{passwords, token_keys, Conn};
use openimis_sdk::db::{self, Bind};
use openimis_sdk::input;
use openimis_sdk::log;
use openimis_sdk::project::project;
use openimis_sdk::{HostHandle, ModuleError, ResolveRequest};
use serde::Deserialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::time::{SystemTime, UNIX_EPOCH};

/// `gql_mutation_update_users_perms`: changing someone else's password.
const UPDATE_USERS: u32 = 121_703;
/// Django's `PASSWORD_RESET_TIMEOUT` (3 days): how long a reset token works.
const RESET_TOKEN_SECONDS: i64 = 259_200;

/// What went wrong, for the log; the answer shows only the mutation's generic text, except
/// where the original shows the message itself (`Shown`: the lockout on `setPassword`).
enum Failure {
    Logged(String),
    Shown(String),
}

impl From<ModuleError> for Failure {
    fn from(error: ModuleError) -> Self {
        Failure::Logged(format!("{}: {}", error.code, error.message))
    }
}

/// The input of the three mutations (each reads its own keys).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Input {
    username: Option<String>,
    old_password: Option<String>,
    new_password: Option<String>,
    token: Option<String>,
}

#[derive(diesel::QueryableByName)]
struct InteractiveUser {
    #[diesel(sql_type = diesel::sql_types::Text)]
    username: String,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    i_id: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    stored_password: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    private_key: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    email: Option<String>,
}

/// The valid interactive user behind a `core_User` username (or, with `by_email`, an email).
fn interactive_user(
    conn: &mut Conn,
    value: &str,
    by_email: bool,
) -> Result<Option<InteractiveUser>, ModuleError> {
    let condition = if by_email {
        r#"i."EmailId" = ?"#
    } else {
        r#"u."username" = ?"#
    };
    let rows: Vec<InteractiveUser> = db::load(
        conn,
        &format!(
            r#"SELECT u."username" AS username, i."id" AS i_id, i."StoredPassword" AS stored_password,
                      i."PrivateKey" AS private_key, i."EmailId" AS email
               FROM "core_User" u JOIN "tblUsers" i ON i."id" = u."i_user_id" AND i."ValidityTo" IS NULL
               WHERE {condition} ORDER BY u."username""#
        ),
        &[Bind::text(value)],
    )?;
    Ok(rows.into_iter().next())
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Checks the policy, stores the new argon2id hash with a new `PrivateKey` (so the user's
/// earlier tokens stop working, as the original's) and forgets the user's reset tokens.
fn set_password(
    conn: &mut Conn,
    settings: &Value,
    user: &InteractiveUser,
    raw: &str,
) -> Result<(), Failure> {
    if let Some(problem) = passwords::policy_problem(&settings["password_policy"], raw) {
        return Err(Failure::Logged(problem));
    }
    db::execute(
        conn,
        r#"UPDATE "tblUsers" SET "StoredPassword" = ?, "PrivateKey" = ? WHERE "id" = ?"#,
        &[
            Bind::text(passwords::hash_new(raw)),
            Bind::text(token_keys::new_private_key()),
            Bind::BigInt(Some(user.i_id)),
        ],
    )?;
    db::execute(
        conn,
        r#"DELETE FROM "core_PasswordResetToken" WHERE "username" = ?"#,
        &[Bind::text(&user.username)],
    )?;
    Ok(())
}

/// `changePassword`: yourself with the old password (or when the stored one is `locked`),
/// anyone else with right 121703 and no old password.
fn change(
    conn: &mut Conn,
    settings: &Value,
    request: &ResolveRequest,
    input: &Input,
) -> Result<(), Failure> {
    let me = request.context.user["username"]
        .as_str()
        .ok_or_else(|| Failure::Logged("mutation.authentication_required".into()))?;
    let other = input.username.as_deref().filter(|name| *name != me);
    if other.is_some() && !request.context.holds(UPDATE_USERS) {
        return Err(Failure::Logged("unauthorized".into()));
    }
    let user = interactive_user(conn, other.unwrap_or(me), false)?
        .ok_or_else(|| Failure::Logged("no interactive user".into()))?;
    if other.is_none() {
        let stored = user.stored_password.as_deref().unwrap_or_default();
        let old_matches = input.old_password.as_deref().is_some_and(|old| {
            passwords::verify(stored, user.private_key.as_deref().unwrap_or_default(), old)
        });
        if !old_matches && stored != passwords::LOCKED {
            return Err(Failure::Logged("core.wrong_old_password".into()));
        }
    }
    set_password(
        conn,
        settings,
        &user,
        input.new_password.as_deref().unwrap_or_default(),
    )
}

/// `resetPassword`: a single-use token (only its hash is kept) mailed as
/// `FRONTEND_URL/set_password?token=…`. An unknown username or email succeeds silently.
fn reset(
    host: &HostHandle,
    conn: &mut Conn,
    settings: &Value,
    input: &Input,
) -> Result<(), Failure> {
    let given = input.username.as_deref().unwrap_or_default();
    let user = match interactive_user(conn, given, false)? {
        Some(user) => user,
        None => match interactive_user(conn, given, true)? {
            Some(user) => user,
            None => return Ok(()),
        },
    };
    let Some(email) = user.email.as_deref().filter(|e| !e.trim().is_empty()) else {
        return Err(Failure::Logged(format!(
            "User {} cannot reset password because he has no email address",
            user.username
        )));
    };
    let token = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    db::execute(
        conn,
        r#"INSERT INTO "core_PasswordResetToken" ("token_hash", "username", "expires") VALUES (?, ?, ?)"#,
        &[
            Bind::text(sha256_hex(&token)),
            Bind::text(&user.username),
            Bind::BigInt(Some(now() + RESET_TOKEN_SECONDS)),
        ],
    )?;
    let frontend = settings["frontend_url"].as_str().unwrap_or_default();
    let reset_url = format!("{frontend}/set_password?token={token}");
    let body = format!(
        "Hello {},\n\nYou've recently requested a new password. Please click on this link {reset_url} to set a new password.\n\nRegards,\n",
        user.username
    );
    let _: Value = host.call(
        "host",
        "mail.send",
        &json!({"to": [email], "subject": "[OpenIMIS] Reset Password", "body": body}),
    )?;
    Ok(())
}

/// `setPassword`: a valid, unexpired token of that username sets the password and is used up.
/// In PROD a bad token counts as a failed login, and a locked-out username is told so.
fn set(host: &HostHandle, conn: &mut Conn, settings: &Value, input: &Input) -> Result<(), Failure> {
    let username = input.username.as_deref().unwrap_or_default();
    let lockout = Lockout::from_host(host)?;
    if let Some(lockout) = &lockout {
        lockout
            .attempt(conn, username)
            .map_err(|e| Failure::Shown(e.message.to_string()))?;
    }
    let valid = db::count(
        conn,
        r#"SELECT COUNT(*) AS n FROM "core_PasswordResetToken" WHERE "token_hash" = ? AND "username" = ? AND "expires" > ?"#,
        &[
            Bind::text(sha256_hex(input.token.as_deref().unwrap_or_default())),
            Bind::text(username),
            Bind::BigInt(Some(now())),
        ],
    )? > 0;
    if !valid {
        // Counted as a failure by the attempt.
        return Err(Failure::Logged("Invalid Token".into()));
    }
    if let Some(lockout) = &lockout {
        lockout.release(conn, username)?;
    }
    let user = interactive_user(conn, username, false)?
        .ok_or_else(|| Failure::Logged("no interactive user".into()))?;
    set_password(
        conn,
        settings,
        &user,
        input.new_password.as_deref().unwrap_or_default(),
    )
}

/// `changePassword`, `resetPassword` and `setPassword`, answered as plain relay mutations.
pub fn resolve(
    host: &HostHandle,
    conn: &mut Conn,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    let raw = request.field.arg("input").cloned().unwrap_or(Value::Null);
    let settings: Value = host.call("host", "settings.get", &Value::Null)?;
    let input = input::parse_value::<Input>(&raw).map_err(Failure::Logged);
    let (outcome, generic) = match request.field.name.as_str() {
        "changePassword" => (
            input.and_then(|input| change(conn, &settings, request, &input)),
            "Failed to change user password",
        ),
        "resetPassword" => (
            input.and_then(|input| reset(host, conn, &settings, &input)),
            "Failed to reset password.",
        ),
        "setPassword" => (
            input.and_then(|input| set(host, conn, &settings, &input)),
            "Failed to set password.",
        ),
        other => {
            return Err(ModuleError::new(
                "NOT_SUPPORTED",
                format!("no password field {other}"),
            ))
        }
    };
    let error = match outcome {
        Ok(()) => None,
        Err(Failure::Shown(message)) => Some(message),
        Err(Failure::Logged(cause)) => {
            log::warn!("{}: {cause}", request.field.name);
            Some(generic.to_owned())
        }
    };
    let payload = json!({
        "success": error.is_none(),
        "error": error,
        "clientMutationId": raw["clientMutationId"],
    });
    Ok(project(
        &request.field.selection,
        &payload,
        "clientMutationId",
    ))
}
