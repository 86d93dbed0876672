//! A fresh PostgreSQL database per test for the `postgres` feature's suites, created on the
//! server `OPENIMIS_TEST_POSTGRES_URL` names (e.g. postgres://postgres@127.0.0.1:5432/postgres).

use diesel::{Connection, RunQueryDsl};

/// Creates `openimis_test_<pid>_<tag>` (dropping a leftover) and returns its DB_* variables.
pub fn fresh_database(tag: &str) -> Vec<(String, String)> {
    let url = std::env::var("OPENIMIS_TEST_POSTGRES_URL")
        .expect("the postgres feature needs OPENIMIS_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/postgres)");
    let name = format!("openimis_test_{}_{tag}", std::process::id());
    let mut admin =
        diesel::PgConnection::establish(&url).expect("connect to the PostgreSQL server");
    diesel::sql_query(format!("DROP DATABASE IF EXISTS {name}"))
        .execute(&mut admin)
        .unwrap();
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .unwrap();
    let parsed = url
        .trim_start_matches("postgres://")
        .trim_start_matches("postgresql://");
    let (auth, rest) = parsed.split_once('@').unwrap_or(("postgres", parsed));
    let (user, password) = auth.split_once(':').unwrap_or((auth, ""));
    let host_port = rest.split('/').next().unwrap();
    let (host, port) = host_port.split_once(':').unwrap_or((host_port, "5432"));
    let mut vars = vec![
        ("NO_DATABASE".to_owned(), "False".to_owned()),
        ("DB_HOST".to_owned(), host.to_owned()),
        ("DB_PORT".to_owned(), port.to_owned()),
        ("DB_NAME".to_owned(), name),
        ("DB_USER".to_owned(), user.to_owned()),
    ];
    if !password.is_empty() {
        vars.push(("DB_PASSWORD".to_owned(), password.to_owned()));
    }
    vars
}

/// The value of `name` among a database's DB_* variables.
fn var<'v>(vars: &'v [(String, String)], name: &str) -> &'v str {
    vars.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// The connection URL of a database given by its DB_* variables.
pub fn url(vars: &[(String, String)]) -> String {
    let auth = match var(vars, "DB_PASSWORD") {
        "" => var(vars, "DB_USER").to_owned(),
        password => format!("{}:{password}", var(vars, "DB_USER")),
    };
    let (host, port, name) = (
        var(vars, "DB_HOST"),
        var(vars, "DB_PORT"),
        var(vars, "DB_NAME"),
    );
    format!("postgres://{auth}@{host}:{port}/{name}")
}

/// Loads a gzipped plain-SQL dump (`../shared/openimis/database/*.sql.gz`) into the database of
/// `vars` with `psql`, as an operator would, stopping at the first error.
pub fn load_dump(vars: &[(String, String)], dump: &std::path::Path) {
    use std::process::{Command, Stdio};
    let mut gunzip = Command::new("gzip")
        .args(["-dc"])
        .arg(dump)
        .stdout(Stdio::piped())
        .spawn()
        .expect("gzip runs");
    let psql = Command::new("psql")
        .args(["-q", "-v", "ON_ERROR_STOP=1", "-d", &url(vars)])
        .stdin(gunzip.stdout.take().expect("piped"))
        .stdout(Stdio::null())
        .output()
        .expect("psql runs (the PostgreSQL client is needed for the dump suites)");
    assert!(
        gunzip.wait().is_ok_and(|s| s.success()),
        "gzip -dc {}",
        dump.display()
    );
    assert!(
        psql.status.success(),
        "loading {} failed: {}",
        dump.display(),
        String::from_utf8_lossy(&psql.stderr)
    );
}

#[derive(diesel::QueryableByName)]
struct TableColumn {
    #[diesel(sql_type = diesel::sql_types::Text)]
    table_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    column: String,
}

/// Every table of the public schema with its columns (`name type null default`), in order.
pub fn table_columns(vars: &[(String, String)]) -> std::collections::BTreeMap<String, Vec<String>> {
    let mut conn = diesel::PgConnection::establish(&url(vars)).expect("connect to the database");
    let rows: Vec<TableColumn> = diesel::sql_query(
        "SELECT table_name::text AS table_name,
                column_name || ' ' || data_type || ' ' || is_nullable || ' ' || COALESCE(column_default, '') AS column
         FROM information_schema.columns WHERE table_schema = 'public'
         ORDER BY table_name, ordinal_position",
    )
    .load(&mut conn)
    .expect("read information_schema");
    let mut tables = std::collections::BTreeMap::<String, Vec<String>>::new();
    for row in rows {
        tables.entry(row.table_name).or_default().push(row.column);
    }
    tables
}
