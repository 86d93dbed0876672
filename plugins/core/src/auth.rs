//! Login as the original: `tokenAuth` against `tblUsers`' stored password (argon2id, or the
//! legacy scheme: see `passwords`), auto-provisioning `core_User`, the login lockout in PROD
//! (see `lockout`), the JWT cookie, and `refreshToken`/`verifyToken`/`revokeToken`/cookie
//! deletion/CSRF token.

use crate::lockout::Lockout;
use crate::{passwords, token_keys, Conn};
use openimis_sdk::db::{self, Bind};
use openimis_sdk::input::str_arg;
use openimis_sdk::project::project;
use openimis_sdk::{HostHandle, ModuleError, ResolveRequest};
use serde_json::{json, Value};

/// Kept here for callers that still import it from `auth` (the demo seed).
pub use crate::passwords::legacy_hash;

/// The JWT cookie lives as long as the token (`Max-Age=86400`).
const COOKIE_AGE: i64 = 86_400;

#[derive(diesel::QueryableByName)]
struct LoginRow {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    username: Option<String>,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    i_id: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    login_name: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    private_key: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    stored_password: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    active: bool,
}

fn incorrect_credentials() -> ModuleError {
    ModuleError::new("INCORRECT_CREDENTIALS", "INCORRECT_CREDENTIALS")
}

/// Who logged in: the `core_User` username and the fingerprint of the user's key.
struct LoggedIn {
    username: String,
    key_fingerprint: Option<String>,
}

/// Checks the password of the interactive user behind `username`, provisioning its `core_User`
/// when only the legacy `tblUsers` row exists (case-insensitive login name, as the original).
fn authenticate(conn: &mut Conn, username: &str, password: &str) -> Result<LoggedIn, ModuleError> {
    let rows: Vec<LoginRow> = db::load(
        conn,
        r#"SELECT u."username" AS username, i."id" AS i_id, i."LoginName" AS login_name, i."PrivateKey" AS private_key,
                  i."StoredPassword" AS stored_password, i."active" AS active
           FROM "tblUsers" i LEFT JOIN "core_User" u ON u."i_user_id" = i."id"
           WHERE i."ValidityTo" IS NULL AND (u."username" = ? OR LOWER(i."LoginName") = LOWER(?))
           ORDER BY CASE WHEN u."username" = ? THEN 0 ELSE 1 END"#,
        &[
            Bind::text(username),
            Bind::text(username),
            Bind::text(username),
        ],
    )?;
    let row = rows.into_iter().next().ok_or_else(incorrect_credentials)?;
    let expected = row.stored_password.unwrap_or_default();
    let valid = row.active
        && passwords::verify(
            &expected,
            row.private_key.as_deref().unwrap_or_default(),
            password,
        );
    if !valid {
        return Err(incorrect_credentials());
    }
    let username = match row.username {
        Some(name) => name,
        None => {
            let sql = format!(
                r#"INSERT INTO "core_User" ("id", "version", "username", "i_user_id") VALUES ({}, 1, ?, ?)"#,
                db::uuid_param(conn)
            );
            db::execute(
                conn,
                &sql,
                &[
                    Bind::text(uuid::Uuid::new_v4().to_string()),
                    Bind::text(&row.login_name),
                    Bind::BigInt(Some(row.i_id)),
                ],
            )?;
            row.login_name
        }
    };
    db::execute(
        conn,
        r#"UPDATE "tblUsers" SET "LastLogin" = CURRENT_TIMESTAMP WHERE "id" = ?"#,
        &[Bind::BigInt(Some(row.i_id))],
    )?;
    Ok(LoggedIn {
        username,
        key_fingerprint: token_keys::fingerprint(row.private_key.as_deref()),
    })
}

/// Issues a token carrying the fingerprint of the user's key (a refresh keeps `orig_iat`), sets
/// the JWT cookie as the original's `jwt_cookie` decorator does, and answers the token fields
/// selected.
fn issue_with_cookie(
    host: &HostHandle,
    request: &ResolveRequest,
    user: &LoggedIn,
    orig_iat: Option<u64>,
) -> Result<Value, ModuleError> {
    let issued: Value = host.call(
        "host",
        "jwt.issue",
        &json!({"username": user.username, "origIat": orig_iat, "keyFingerprint": user.key_fingerprint}),
    )?;
    host.set_cookie(
        &request.context,
        "JWT",
        issued["token"].as_str().unwrap_or_default(),
        Some(COOKIE_AGE),
    )?;
    Ok(project(&request.field.selection, &issued, "token"))
}

/// The token a refresh or verification is about: the argument, else the request's own; one
/// issued under an older key of its user (a password set since) is refused.
fn given_token_claims(
    host: &HostHandle,
    conn: &mut Conn,
    request: &ResolveRequest,
    arg: &str,
) -> Result<Value, ModuleError> {
    let claims = match request.field.arg(arg).and_then(Value::as_str) {
        Some(token) => host.verify_token(token)?,
        None if !request.context.auth.is_null() => request.context.auth.clone(),
        None => return Err(ModuleError::new("JWT_REQUIRED", "Token is required").with_status(401)),
    };
    token_keys::ensure_current(conn, &claims)?;
    Ok(claims)
}

/// `tokenAuth`: the credentials checked (behind the lockout in PROD), then a token and its
/// cookie.
fn token_auth(
    host: &HostHandle,
    conn: &mut Conn,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    let username = str_arg(&request.field, "username");
    let password = str_arg(&request.field, "password");
    if username.is_empty() || password.is_empty() {
        return Err(ModuleError::new(
            "MISSING_CREDENTIALS",
            "Missing username or password",
        ));
    }
    let lockout = Lockout::from_host(host)?;
    if let Some(lockout) = &lockout {
        lockout.attempt(conn, username)?;
    }
    let authenticated = authenticate(conn, username, password);
    if let Some(lockout) = &lockout {
        match &authenticated {
            Ok(_) => lockout.clear(conn, username)?,
            Err(e) if e.code == "INCORRECT_CREDENTIALS" => {} // counted by the attempt
            Err(_) => lockout.release(conn, username)?,
        }
    }
    issue_with_cookie(host, request, &authenticated?, None)
}

/// Login, tokens and their cookies, and the CSRF token.
pub fn resolve(
    host: &HostHandle,
    conn: &mut Conn,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    let selection = &request.field.selection;
    match request.field.name.as_str() {
        "tokenAuth" => token_auth(host, conn, request),
        "refreshToken" => {
            let claims = given_token_claims(host, conn, request, "token")?;
            let user = LoggedIn {
                username: claims["username"].as_str().unwrap_or_default().to_owned(),
                key_fingerprint: claims["keyFingerprint"].as_str().map(str::to_owned),
            };
            issue_with_cookie(host, request, &user, claims["origIat"].as_u64())
        }
        "verifyToken" => {
            let claims = given_token_claims(host, conn, request, "token")?;
            Ok(project(selection, &json!({"payload": claims}), "payload"))
        }
        // Long-running refresh tokens are off in the original, so there is nothing to revoke.
        "revokeToken" => Err(ModuleError::new(
            "INVALID_REFRESH_TOKEN",
            "Invalid refresh token",
        )),
        "deleteTokenCookie" => {
            host.delete_cookie(&request.context, "JWT")?;
            Ok(project(
                selection,
                &json!({"deleted": !request.context.auth.is_null()}),
                "deleted",
            ))
        }
        "deleteRefreshTokenCookie" => {
            host.delete_cookie(&request.context, "JWT-refresh-token")?;
            Ok(project(selection, &json!({"deleted": false}), "deleted"))
        }
        "getCsrfToken" => {
            if request.context.user.is_null() {
                return Err(ModuleError::new(
                    "UNAUTHORIZED",
                    "You do not have permission to perform this action",
                ));
            }
            let token = uuid::Uuid::new_v4().simple().to_string();
            host.set_cookie(&request.context, "csrftoken", &token, Some(31_449_600))?;
            Ok(project(
                selection,
                &json!({"csrfToken": token}),
                "csrfToken",
            ))
        }
        other => Err(ModuleError::new(
            "NOT_SUPPORTED",
            format!("no auth field {other}"),
        )),
    }
}
