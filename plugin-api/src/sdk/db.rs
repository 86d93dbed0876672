//! The module's own database access (feature `db`): one diesel connection type over PostgreSQL
//! or SQLite, and an r2d2 pool of the size the host budgets, built from `Host::database()`.

use crate::abi::{DatabaseInfo, ModuleError};
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection, SqliteConnection};
use std::time::Duration;

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
        match self.backend.as_str() {
            "postgresql" => PgConnection::establish(&self.url).map(DbConnection::Postgresql),
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

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1")
            .map_err(|e| diesel::ConnectionError::BadConnection(e.to_string()))
    }

    fn has_broken(&self, _conn: &mut DbConnection) -> bool {
        false
    }
}

/// The module's pool.
pub type DbPool = r2d2::Pool<Manager>;

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
    Ok(r2d2::Pool::builder()
        .max_size(info.pool_size.max(1))
        .min_idle(Some(0))
        .connection_timeout(Duration::from_secs(5))
        .build_unchecked(manager))
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
