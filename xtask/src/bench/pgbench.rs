//! The database's own rate for a request's SQL: the statements one request runs, read from the
//! server's `?prof=True` answer, replayed by `pgbench` on the same database with as many
//! clients as the load generator has connections. A scenario's req/s over that rate says how
//! close the server comes to the cost of its SQL.

use anyhow::{bail, Context, Result};
use std::path::Path;
use std::process::Command;

/// The SQL statements one `body` request runs (the server's `?prof=True` profile).
pub fn statements(address: &str, body: &str, headers: &str) -> Result<Vec<String>> {
    let profile = crate::load::post_json(address, "/api/graphql?prof=True", body, headers)?;
    let sql = profile["profile"]["sql"]
        .as_array()
        .with_context(|| format!("no profile in {profile}"))?;
    Ok(sql
        .iter()
        .filter_map(|s| s["statement"].as_str().map(str::to_owned))
        .collect())
}

/// Whether a statement has bound parameters (their values are not in the profile).
fn has_parameters(statement: &str) -> bool {
    let bytes = statement.as_bytes();
    bytes.iter().enumerate().any(|(i, b)| {
        *b == b'?' || (*b == b'$' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
    })
}

/// Transactions per second of pgbench running `statements` as one transaction per request,
/// 8 clients for `seconds`, on the database `psql_args` names (`-h -p -U -d`); `None` when a
/// statement has bound parameters.
pub fn rate(
    statements: &[String],
    psql_args: &[&str],
    seconds: u64,
    dir: &Path,
) -> Result<Option<f64>> {
    if statements.is_empty() || statements.iter().any(|s| has_parameters(s)) {
        return Ok(None);
    }
    let script = dir.join("request.sql");
    let text: String = statements
        .iter()
        .map(|s| format!("{};\n", s.trim().trim_end_matches(';')))
        .collect();
    std::fs::write(&script, text)?;
    let out = Command::new("pgbench")
        .args(["-n", "-c", "8", "-j", "2", "-T", &seconds.to_string(), "-f"])
        .arg(&script)
        .args(psql_args)
        .output()
        .context("running pgbench (PostgreSQL's client tools)")?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        bail!("pgbench failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let tps = stdout
        .lines()
        .find_map(|l| l.strip_prefix("tps = "))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .with_context(|| format!("no tps in pgbench's output: {stdout}"))?;
    Ok(Some(tps))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_with_bound_values_are_not_replayed() {
        assert!(has_parameters(r#"SELECT 1 FROM "t" WHERE "a" = ?"#));
        assert!(has_parameters(r#"SELECT 1 FROM "t" WHERE "a" = $1"#));
        assert!(!has_parameters(
            r#"SELECT 1 FROM "t" WHERE "a" IN (1, 2) LIMIT 11"#
        ));
    }
}
