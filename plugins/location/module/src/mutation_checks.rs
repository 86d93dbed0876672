//! Checks both location's and the facilities' mutations make: the caller's login and right,
//! and whether a code is free among the valid rows of a table.

use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::{ModuleError, RequestContext};

/// The original's `str(ValidationError("x"))`.
pub fn validation(key: &str) -> String {
    format!("['{key}']")
}

/// A login holding right `code`, or the original's refusal (its text as the message).
pub fn allowed(context: &RequestContext, code: u32) -> Result<(), ModuleError> {
    let refused = |text: String| Err(ModuleError::new("UNAUTHORIZED", text));
    match (context.is_authenticated(), context.holds(code)) {
        (false, _) => refused(validation("mutation.authentication_required")),
        (_, false) => refused("unauthorized".into()),
        _ => Ok(()),
    }
}

/// Whether no valid row of `table` has `code` in `column`.
pub fn code_free(
    conn: &mut Conn,
    table: &str,
    column: &str,
    code: &str,
) -> Result<bool, ModuleError> {
    let sql = format!(
        r#"SELECT COUNT(*) AS n FROM "{table}" WHERE "ValidityTo" IS NULL AND "{column}" = ?"#
    );
    Ok(db::count(conn, &sql, &[Bind::text(code)])? == 0)
}
