//! Login lockout as the original's django-axes in MODE=PROD: after `LOGIN_LOCKOUT_FAILURE_LIMIT`
//! failures (5), a username is refused for `LOGIN_LOCKOUT_COOLOFF_TIME` minutes (5) after its last
//! failure. Failures older than the cool-off no longer count. Axes counts per IP address by
//! default; here a username is the unit, as issue 3 asks, so one client cannot lock out others.

use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::{HostHandle, ModuleError};
use serde_json::Value;
use std::time::{SystemTime, UNIX_EPOCH};

/// The lockout in force (only in PROD).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lockout {
    failure_limit: i64,
    cooloff_ms: i64,
}

#[derive(diesel::QueryableByName)]
struct Counted {
    #[allow(dead_code)] // read by diesel; only whether a row came back matters
    #[diesel(sql_type = diesel::sql_types::Integer)]
    failures: i32,
}

#[derive(diesel::QueryableByName)]
struct FailureRow {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    failures: i32,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    last_failure: i64,
}

/// Unix milliseconds: the remaining minutes are whole minutes rounded down, as the original's.
fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

/// Failures are counted per username without case (login names match without case too).
fn key(username: &str) -> String {
    username.to_lowercase()
}

impl Lockout {
    /// The lockout the host's settings ask for: none in DEV (axes is off there).
    pub fn from_settings(settings: &Value) -> Option<Self> {
        if settings["mode"] != "PROD" {
            return None;
        }
        let config = &settings["login_lockout"];
        Some(Self {
            failure_limit: config["failure_limit"].as_i64().unwrap_or(5),
            cooloff_ms: config["cooloff_minutes"].as_i64().unwrap_or(5) * 60_000,
        })
    }

    pub fn from_host(host: &HostHandle) -> Result<Option<Self>, ModuleError> {
        let settings: Value = host.call("host", "settings.get", &Value::Null)?;
        Ok(Self::from_settings(&settings))
    }

    /// Refuses a locked-out username with the original's text (`check_lockout`, whose two
    /// f-strings join without a space).
    pub fn check(&self, conn: &mut Conn, username: &str) -> Result<(), ModuleError> {
        let rows: Vec<FailureRow> = db::load(
            conn,
            r#"SELECT "failures" AS failures, "last_failure" AS last_failure FROM "core_LoginFailure" WHERE "username" = ?"#,
            &[Bind::text(key(username))],
        )?;
        let Some(row) = rows.into_iter().next() else {
            return Ok(());
        };
        let remaining_ms = self.cooloff_ms - (now_ms() - row.last_failure);
        if i64::from(row.failures) >= self.failure_limit && remaining_ms > 0 {
            return Err(ModuleError::new(
                "TOO_MANY_FAILED_ATTEMPTS",
                format!(
                    "Too many failed attempts.Try again in {} minutes.",
                    remaining_ms / 60_000
                ),
            ));
        }
        Ok(())
    }

    /// Claims one attempt for `username` before its credentials are verified: the attempt is
    /// counted as a failure at once, in one statement, so parallel attempts cannot all pass
    /// the check before any of them is counted; `clear` (right credentials) or `release` (no
    /// verdict) takes it back. A failure after a full cool-off starts the count again. A
    /// locked-out username is refused with the original's text.
    pub fn attempt(&self, conn: &mut Conn, username: &str) -> Result<(), ModuleError> {
        let now = now_ms();
        let cooled = now - self.cooloff_ms;
        let counted: Vec<Counted> = db::load(
            conn,
            r#"INSERT INTO "core_LoginFailure" ("username", "failures", "last_failure") VALUES (?, 1, ?)
               ON CONFLICT ("username") DO UPDATE SET
                 "failures" = CASE WHEN "core_LoginFailure"."last_failure" <= ? THEN 1
                                   ELSE "core_LoginFailure"."failures" + 1 END,
                 "last_failure" = ?
               WHERE "core_LoginFailure"."failures" < ? OR "core_LoginFailure"."last_failure" <= ?
               RETURNING "failures" AS failures"#,
            &[
                Bind::text(key(username)),
                Bind::BigInt(Some(now)),
                Bind::BigInt(Some(cooled)),
                Bind::BigInt(Some(now)),
                Bind::BigInt(Some(self.failure_limit)),
                Bind::BigInt(Some(cooled)),
            ],
        )?;
        if counted.is_empty() {
            // Locked out: the claim was refused; `check` says for how long.
            self.check(conn, username)?;
            return Err(ModuleError::new(
                "TOO_MANY_FAILED_ATTEMPTS",
                format!(
                    "Too many failed attempts.Try again in {} minutes.",
                    self.cooloff_ms / 60_000
                ),
            ));
        }
        Ok(())
    }

    /// Takes back an attempt that reached no verdict on the credentials.
    pub fn release(&self, conn: &mut Conn, username: &str) -> Result<(), ModuleError> {
        db::execute(
            conn,
            r#"UPDATE "core_LoginFailure" SET "failures" = "failures" - 1 WHERE "username" = ? AND "failures" > 0"#,
            &[Bind::text(key(username))],
        )?;
        Ok(())
    }

    /// Forgets a username's failures (after a successful login).
    pub fn clear(&self, conn: &mut Conn, username: &str) -> Result<(), ModuleError> {
        db::execute(
            conn,
            r#"DELETE FROM "core_LoginFailure" WHERE "username" = ?"#,
            &[Bind::text(key(username))],
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn only_prod_locks_out_with_the_configured_numbers() {
        assert_eq!(Lockout::from_settings(&json!({"mode": "DEV"})), None);
        assert_eq!(
            Lockout::from_settings(&json!({"mode": "PROD",
                "login_lockout": {"failure_limit": 3, "cooloff_minutes": 2}})),
            Some(Lockout {
                failure_limit: 3,
                cooloff_ms: 120_000
            })
        );
    }
}
