//! Account settings the frontend reads and sets: `passwordPolicy` (anonymous), `usernameLength`,
//! `validateUsername`/`validateUserEmail`, and `changeUserLanguage` through the mutation log.

use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::mutation::{run_logged, MutationError};
use openimis_sdk::{HostHandle, ModuleError, ResolveRequest};
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

pub fn resolve(
    host: &HostHandle,
    conn: &mut Conn,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    let field = &request.field;
    let arg = |name: &str| {
        field
            .arg(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    match field.name.as_str() {
        "passwordPolicy" => password_policy(host),
        "usernameLength" => Ok(json!(USERNAME_LENGTH)),
        "validateUsername" => Ok(json!(none_found(
            conn,
            r#"SELECT COUNT(*) AS n FROM "core_User" WHERE "username" = ?"#,
            &arg("username")
        )?)),
        "validateUserEmail" => Ok(json!(none_found(
            conn,
            r#"SELECT COUNT(*) AS n FROM "tblUsers" WHERE "ValidityTo" IS NULL AND "EmailId" = ?"#,
            &arg("userEmail")
        )?)),
        "changeUserLanguage" => {
            let i_user = request.context.interactive_user_id();
            let user_id = request.context.user_id().map(str::to_owned);
            run_logged(host, request, |input, _log| {
                let failed = || {
                    vec![MutationError {
                        message: "core.mutation.failed_to_update_user_language".into(),
                        detail: user_id.clone(),
                    }]
                };
                let Some(i_user) = i_user else {
                    return Err(vec![MutationError::new("mutation.authentication_required")]);
                };
                let language = input
                    .get("languageId")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                match db::execute(
                    conn,
                    r#"UPDATE "tblUsers" SET "LanguageID" = ? WHERE "id" = ? AND EXISTS (SELECT 1 FROM "tblLanguages" WHERE "LanguageCode" = ?)"#,
                    &[
                        Bind::text(language),
                        Bind::BigInt(Some(i_user)),
                        Bind::text(language),
                    ],
                ) {
                    Ok(1) => {
                        // The language is part of the host's cached user context.
                        openimis_sdk::cache::forget_user_contexts(host);
                        Ok(())
                    }
                    _ => Err(failed()),
                }
            })
        }
        other => Err(ModuleError::new(
            "NOT_SUPPORTED",
            format!("no account field {other}"),
        )),
    }
}
