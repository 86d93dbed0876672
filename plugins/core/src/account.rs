//! Account settings the frontend reads and sets: `passwordPolicy` (anonymous), `usernameLength`,
//! `validateUsername`/`validateUserEmail`, and `changeUserLanguage` through the mutation log.

use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::input::{self, failure, str_arg};
use openimis_sdk::mutation::{run_logged, MutationError};
use openimis_sdk::{HostHandle, ModuleError, ResolveRequest};
use serde::Deserialize;
use serde_json::{json, Value};

/// `username_code_length` of core's `DEFAULT_CFG`.
pub const USERNAME_LENGTH: i32 = 12;

fn none_found(conn: &mut Conn, sql: &str, value: &str) -> Result<bool, ModuleError> {
    Ok(db::count(conn, sql, &[Bind::text(value)])? == 0)
}

/// The policy as the original serializes it (Python's `json.dumps` separators).
fn password_policy(host: &HostHandle) -> Result<Value, ModuleError> {
    let settings: Value = host.call("host", "settings.get", &Value::Null)?;
    let p = &settings["password_policy"];
    Ok(json!(format!(
        r#"{{"min_length": {}, "require_upper_case": {}, "require_lower_case": {}, "require_numbers": {}, "require_special_characters": {}}}"#,
        p["min_length"], p["uppercase"], p["lowercase"], p["digits"], p["symbols"]
    )))
}

/// `changeUserLanguage`'s input.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct LanguageInput {
    language_id: Option<String>,
}

/// `changeUserLanguage`: the caller's own language, through the mutation log.
fn change_language(
    host: &HostHandle,
    conn: &mut Conn,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    const FAILED: &str = "core.mutation.failed_to_update_user_language";
    run_logged(host, request, |input, _log| {
        let Some(i_user) = request.context.interactive_user_id() else {
            return Err(vec![MutationError::new("mutation.authentication_required")]);
        };
        let input: LanguageInput = input::parse(input).map_err(|e| failure(FAILED, e))?;
        let language = input.language_id.unwrap_or_default();
        match db::execute(
            conn,
            r#"UPDATE "tblUsers" SET "LanguageID" = ? WHERE "id" = ? AND EXISTS (SELECT 1 FROM "tblLanguages" WHERE "LanguageCode" = ?)"#,
            &[
                Bind::text(&language),
                Bind::BigInt(Some(i_user)),
                Bind::text(&language),
            ],
        ) {
            Ok(1) => {
                // The language is part of the host's cached user context.
                openimis_sdk::cache::forget_user_contexts(host);
                Ok(())
            }
            _ => Err(vec![MutationError {
                message: FAILED.into(),
                detail: request.context.user_id().map(str::to_owned),
            }]),
        }
    })
}

/// The account fields: the password policy, the username's length and whether a username or
/// an e-mail is free, and `changeUserLanguage`.
pub fn resolve(
    host: &HostHandle,
    conn: &mut Conn,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    let arg = |name: &str| str_arg(&request.field, name);
    match request.field.name.as_str() {
        "passwordPolicy" => password_policy(host),
        "usernameLength" => Ok(json!(USERNAME_LENGTH)),
        "validateUsername" => Ok(json!(none_found(
            conn,
            r#"SELECT COUNT(*) AS n FROM "core_User" WHERE "username" = ?"#,
            arg("username")
        )?)),
        "validateUserEmail" => Ok(json!(none_found(
            conn,
            r#"SELECT COUNT(*) AS n FROM "tblUsers" WHERE "ValidityTo" IS NULL AND "EmailId" = ?"#,
            arg("userEmail")
        )?)),
        "changeUserLanguage" => change_language(host, conn, request),
        other => Err(ModuleError::new(
            "NOT_SUPPORTED",
            format!("no account field {other}"),
        )),
    }
}
