//! A test's rows read and written directly, on whichever database its server runs: the SQLite
//! file of its modules directory, or its fresh PostgreSQL database (`postgres_db`).

use crate::{sqlite_count, sqlite_execute, ModulesDir};
use std::path::PathBuf;

/// Where a test's rows are.
pub enum TestRows {
    Sqlite(PathBuf),
    Postgres(String),
}

#[derive(diesel::QueryableByName)]
struct Number {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

impl TestRows {
    /// The database of a server started in `dir` with `vars` (PostgreSQL when they name one).
    pub fn of(dir: &ModulesDir, vars: &[(String, String)]) -> Self {
        match vars.iter().any(|(k, _)| k == "DB_NAME") {
            false => TestRows::Sqlite(dir.path().join("test.sqlite3")),
            true => TestRows::Postgres(crate::postgres_db::url(vars)),
        }
    }

    /// The `n` of `SELECT … AS n` (a BIGINT), from its first row.
    pub fn number(&self, sql: &str) -> i64 {
        use diesel::{Connection, RunQueryDsl};
        match self {
            TestRows::Sqlite(path) => sqlite_count(path, sql),
            TestRows::Postgres(url) => {
                let mut conn = diesel::PgConnection::establish(url).expect("connect");
                let rows: Vec<Number> = diesel::sql_query(sql)
                    .load(&mut conn)
                    .unwrap_or_else(|e| panic!("{sql}: {e}"));
                rows[0].n
            }
        }
    }

    /// Runs `sql` (setting rows up, reading nothing).
    pub fn execute(&self, sql: &str) {
        use diesel::{Connection, RunQueryDsl};
        match self {
            TestRows::Sqlite(path) => sqlite_execute(path, sql),
            TestRows::Postgres(url) => {
                let mut conn = diesel::PgConnection::establish(url).expect("connect");
                diesel::sql_query(sql)
                    .execute(&mut conn)
                    .unwrap_or_else(|e| panic!("{sql}: {e}"));
            }
        }
    }
    /// The number of rows of each of `tables`.
    pub fn counts<const N: usize>(&self, tables: [&str; N]) -> [i64; N] {
        tables.map(|t| self.number(&format!(r#"SELECT COUNT(*) AS n FROM "{t}""#)))
    }

    /// How many rows of `table` match `condition` (SQL).
    pub fn count(&self, table: &str, condition: &str) -> i64 {
        self.number(&format!(
            r#"SELECT COUNT(*) AS n FROM "{table}" WHERE {condition}"#
        ))
    }

    /// The integer `key` of the row of `table` whose `uuid_column` is `uuid`.
    pub fn pk(&self, table: &str, key: &str, uuid_column: &str, uuid: &str) -> i64 {
        self.number(&format!(
            r#"SELECT CAST("{key}" AS BIGINT) AS n FROM "{table}" WHERE CAST("{uuid_column}" AS TEXT) = '{uuid}'"#
        ))
    }

    /// How many rows of the link table `(table, column)` (`policy_PolicyMutation`,
    /// `policy_id`) tie row `pk` to the mutation log of `client_id`.
    pub fn links(&self, (table, column): (&str, &str), pk: i64, client_id: &str) -> i64 {
        self.number(&format!(
            r#"SELECT COUNT(*) AS n FROM "{table}" l JOIN "core_Mutation_Log" m
               ON CAST(m."id" AS TEXT) = CAST(l."mutation_id" AS TEXT)
               WHERE l."{column}" = {pk} AND m."client_mutation_id" = '{client_id}'"#
        ))
    }
}
