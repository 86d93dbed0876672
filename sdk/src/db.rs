//! The module's own database access (feature `db`): one diesel connection type over PostgreSQL
//! or SQLite, and an r2d2 pool of the size the host budgets, built from `Host::database()`.

use super::statement::Statement;
use crate::abi::{DatabaseInfo, ModuleError};
use crate::host::HostHandle;
use diesel::connection::{Instrumentation, InstrumentationEvent, SimpleConnection};
use diesel::{Connection, PgConnection, SqliteConnection};
use std::time::{Duration, Instant};

/// A connection to whichever backend the host runs on; diesel queries work on both.
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

/// Opens connections on the backend the host named (never guessing from the URL, so a failed
/// PostgreSQL connection can not turn into a stray SQLite file).
#[derive(Debug, Clone)]
pub struct Manager {
    backend: String,
    url: String,
}

impl r2d2::ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = diesel::ConnectionError;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        let mut conn = self.open()?;
        conn.set_instrumentation(Health {
            last_ok: Some(Instant::now()),
        });
        Ok(conn)
    }

    /// Checked out again within [`RECENT`] of a statement that succeeded, a connection is taken
    /// as it is; otherwise (idle longer, or its last statement failed) it must answer
    /// `SELECT 1`, and r2d2 replaces it when it does not. Under load that is no round trip per
    /// checkout; after an outage every connection is tested before use.
    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        let health = conn.instrumentation().downcast_ref::<Health>();
        if health
            .and_then(|h| h.last_ok)
            .is_some_and(|t| t.elapsed() < RECENT)
        {
            return Ok(());
        }
        conn.batch_execute("SELECT 1")
            .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

/// How long after a statement that succeeded a connection is taken as alive without a test.
const RECENT: Duration = Duration::from_secs(1);

/// A connection's record of its last statement (diesel calls it after each one): when one last
/// succeeded, `None` once one failed.
struct Health {
    last_ok: Option<Instant>,
}

impl Instrumentation for Health {
    fn on_connection_event(&mut self, event: InstrumentationEvent<'_>) {
        if let InstrumentationEvent::FinishQuery { error, .. } = event {
            self.last_ok = error.is_none().then(Instant::now);
        }
    }
}

impl Manager {
    /// A new connection on the named backend, set up as every statement expects.
    fn open(&self) -> Result<DbConnection, diesel::ConnectionError> {
        match self.backend.as_str() {
            "postgresql" => {
                let mut conn = PgConnection::establish(&self.url)?;
                // Timestamps are naive UTC, as the original keeps them (`USE_TZ = False`).
                conn.batch_execute("SET TIME ZONE 'UTC'")
                    .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))?;
                Ok(DbConnection::Postgresql(conn))
            }
            "sqlite" => {
                let mut conn = SqliteConnection::establish(&self.url)?;
                // Several connections (and modules) share the file: wait instead of failing.
                conn.batch_execute("PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;")
                    .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))?;
                Ok(DbConnection::Sqlite(conn))
            }
            other => Err(diesel::ConnectionError::BadConnection(format!(
                "unknown database backend {other:?}"
            ))),
        }
    }
}

/// The module's pool.
pub type DbPool = r2d2::Pool<Manager>;

/// What `ready` does for a module with tables: its pool on the host's database and the host's
/// settings (`settings.get`); with `DEMO_DATASET=True`, `seed` runs first on one of the pool's
/// connections. Answers both.
pub fn ready_pool(
    host: &HostHandle,
    seed: impl FnOnce(&mut DbConnection) -> Result<(), ModuleError>,
) -> Result<(DbPool, serde_json::Value), ModuleError> {
    let pool = pool(&host.database())?;
    let settings: serde_json::Value =
        host.call("host", "settings.get", &serde_json::Value::Null)?;
    if settings["demo_dataset"] == true {
        seed(&mut *connection(&pool)?)?;
    }
    Ok((pool, settings))
}

/// Builds the pool the host budgets for this module. It connects lazily: a database that is
/// down fails the queries (with a clear error), not the module's start.
pub fn pool(info: &DatabaseInfo) -> Result<DbPool, ModuleError> {
    if info.backend.is_empty() {
        return Err(ModuleError::new(
            "NO_DATABASE",
            "the host runs without a database",
        ));
    }
    let manager = Manager {
        backend: info.backend.to_string(),
        url: info.url.to_string(),
    };
    let pool = r2d2::Pool::builder()
        .max_size(info.pool_size.max(1))
        .min_idle(Some(0))
        .connection_timeout(Duration::from_secs(5))
        .build_unchecked(manager);
    let probe = pool.clone();
    super::pool_state::register(move || {
        let state = probe.state();
        super::pool_state::PoolState {
            connections: state.connections,
            idle: state.idle_connections,
            max: probe.max_size(),
        }
    });
    Ok(pool)
}

/// A connection from the pool, or the error every caller reports the same way.
pub fn connection(pool: &DbPool) -> Result<r2d2::PooledConnection<Manager>, ModuleError> {
    pool.get().map_err(|e| {
        ModuleError::new(
            "DATABASE_UNAVAILABLE",
            format!("cannot reach the database: {e}"),
        )
        .with_status(503)
    })
}

/// A diesel error as a module error.
pub fn query_error(error: diesel::result::Error) -> ModuleError {
    ModuleError::new("DATABASE_ERROR", error.to_string())
}

pub use crate::bind::Bind;

/// Runs a portable statement (`?` placeholders, types both backends share; `CAST(x AS TEXT)`
/// for uuids and timestamps) and reads the rows by column name.
pub fn load<R>(conn: &mut DbConnection, sql: &str, binds: &[Bind]) -> Result<Vec<R>, ModuleError>
where
    R: diesel::QueryableByName<diesel::pg::Pg>
        + diesel::QueryableByName<diesel::sqlite::Sqlite>
        + 'static,
{
    use diesel::RunQueryDsl;
    super::query_log::statement(sql);
    let statement = Statement::new(sql, binds);
    super::profile::timed(sql, || match conn {
        DbConnection::Postgresql(c) => statement.load(c),
        DbConnection::Sqlite(c) => statement.load(c),
    })
    .map_err(query_error)
}

/// Runs a portable statement that returns no rows; answers the affected row count.
pub fn execute(conn: &mut DbConnection, sql: &str, binds: &[Bind]) -> Result<usize, ModuleError> {
    use diesel::RunQueryDsl;
    super::query_log::statement(sql);
    let statement = Statement::new(sql, binds);
    super::profile::timed(sql, || match conn {
        DbConnection::Postgresql(c) => statement.execute(c),
        DbConnection::Sqlite(c) => statement.execute(c),
    })
    .map_err(query_error)
}

/// `"postgresql"` or `"sqlite"`: for the rare statement that must differ.
pub fn backend(conn: &DbConnection) -> &'static str {
    match conn {
        DbConnection::Postgresql(_) => "postgresql",
        DbConnection::Sqlite(_) => "sqlite",
    }
}

/// The placeholder for a timestamp column: `CAST(? AS timestamptz)` on PostgreSQL, `?` on
/// SQLite (text there; a cast would give it numeric affinity and keep only the year).
pub fn timestamp_param(conn: &DbConnection) -> &'static str {
    match conn {
        DbConnection::Postgresql(_) => "CAST(? AS timestamptz)",
        DbConnection::Sqlite(_) => "?",
    }
}

#[derive(diesel::QueryableByName)]
struct CountRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Runs a portable `SELECT COUNT(*) AS n ...` and answers `n`.
pub fn count(conn: &mut DbConnection, sql: &str, binds: &[Bind]) -> Result<i64, ModuleError> {
    let rows: Vec<CountRow> = load(conn, sql, binds)?;
    Ok(rows.first().map_or(0, |r| r.n))
}

/// A connection borrowed from the module's pool.
pub type PooledConnection = r2d2::PooledConnection<Manager>;

/// The placeholder for a uuid column: `CAST(? AS uuid)` on PostgreSQL, `?` on SQLite (which
/// stores uuids as text and must not see the cast: its numeric affinity would mangle them).
pub fn uuid_param(conn: &DbConnection) -> &'static str {
    match conn {
        DbConnection::Postgresql(_) => "CAST(? AS uuid)",
        DbConnection::Sqlite(_) => "?",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(diesel::QueryableByName, Debug, PartialEq)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
        #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
        n: Option<i32>,
    }

    #[test]
    fn portable_statements_run_on_sqlite() {
        let info = DatabaseInfo {
            url: ":memory:".into(),
            backend: "sqlite".into(),
            pool_size: 1,
        };
        let pool = pool(&info).unwrap();
        let mut conn = connection(&pool).unwrap();
        execute(
            &mut conn,
            "CREATE TABLE t (name TEXT NOT NULL, n INTEGER)",
            &[],
        )
        .unwrap();
        assert_eq!(
            execute(
                &mut conn,
                "INSERT INTO t (name, n) VALUES (?, ?)",
                &[Bind::text("a"), Bind::Int(Some(3))]
            )
            .unwrap(),
            1
        );
        let rows: Vec<Row> = load(
            &mut conn,
            "SELECT name, n FROM t WHERE name = ?",
            &[Bind::text("a")],
        )
        .unwrap();
        assert_eq!(
            rows,
            vec![Row {
                name: "a".into(),
                n: Some(3)
            }]
        );
    }

    /// A connection records when its last statement succeeded, and forgets it when one fails:
    /// checked out again at once it is taken as it is, after a failure it is tested first.
    #[test]
    fn a_connection_is_tested_again_only_after_idling_or_failing() {
        use r2d2::ManageConnection;
        let manager = Manager {
            backend: "sqlite".into(),
            url: ":memory:".into(),
        };
        let mut conn = manager.connect().unwrap();
        let last_ok = |conn: &mut DbConnection| {
            conn.instrumentation()
                .downcast_ref::<Health>()
                .expect("every connection carries its health")
                .last_ok
        };
        let opened = last_ok(&mut conn).expect("a new connection is alive");
        assert!(opened.elapsed() < RECENT);
        conn.batch_execute("SELECT 1").unwrap();
        assert!(last_ok(&mut conn).unwrap() >= opened);
        assert!(conn.batch_execute("SELECT * FROM missing").is_err());
        assert_eq!(last_ok(&mut conn), None, "a failed statement forgets it");
        // The test itself is a statement: passing it makes the connection recent again.
        manager.is_valid(&mut conn).unwrap();
        assert!(last_ok(&mut conn).is_some());
    }
}
