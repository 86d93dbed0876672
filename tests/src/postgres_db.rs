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
