//! The SQL statement log: every statement `sdk::db` runs is a `debug` record of target
//! [`TARGET`], which the host writes to its DB query log (`DJANGO_DB_LOG_HANDLER`,
//! `DB_QUERIES_LOG_FILE`), as the original logs `django.db.backends`.

/// The records' target (the host's `logging::DB_QUERY_TARGET`).
pub const TARGET: &str = "db.query";

/// Logs one statement (a no-op unless the host's level is DEBUG).
pub fn statement(sql: &str) {
    log::debug!(target: TARGET, "{}", sql.trim());
}
