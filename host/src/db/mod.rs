//! The host's own database access: a small pool for health checks and the migration runner.
//! Modules open their own pools from `Host::database()`; the host never touches their tables.

pub mod migrate;

use crate::settings::Database;
use diesel::{
    pg::PgConnection, r2d2::ConnectionManager, sqlite::SqliteConnection, Connection, RunQueryDsl,
};
use r2d2::Pool;
use std::time::Duration;

/// A pool on whichever backend the settings name.
#[derive(Clone)]
pub enum HostDb {
    Postgres(Pool<ConnectionManager<PgConnection>>),
    Sqlite(Pool<ConnectionManager<SqliteConnection>>),
}

/// A database problem, as text that says what and where.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct DbError(pub String);

impl HostDb {
    /// A lazily connecting pool (startup does not fail when the database is down).
    pub fn new(database: &Database) -> Self {
        let timeout = Duration::from_secs(3);
        match database {
            Database::Postgres { url } => HostDb::Postgres(
                Pool::builder()
                    .max_size(2)
                    .min_idle(Some(0))
                    .connection_timeout(timeout)
                    .build_unchecked(ConnectionManager::new(url)),
            ),
            // One connection, kept open for the life of the process (its locks are dot-files,
            // see `sqlite_uri`, so this is no longer a matter of correctness, only of cost).
            Database::Sqlite { path } => {
                warn_about_a_held_lock(path);
                HostDb::Sqlite(
                    Pool::builder()
                        .max_size(1)
                        .min_idle(Some(1))
                        .idle_timeout(None)
                        .max_lifetime(None)
                        .connection_timeout(timeout)
                        .build_unchecked(ConnectionManager::new(database.url())),
                )
            }
        }
    }

    /// `SELECT 1`; the error says why the database cannot be used.
    pub fn ping(&self) -> Result<(), DbError> {
        let query = diesel::sql_query("SELECT 1");
        match self {
            HostDb::Postgres(pool) => pool
                .get()
                .map_err(pool_error)
                .and_then(|mut c| query.execute(&mut c).map(drop).map_err(query_error)),
            HostDb::Sqlite(pool) => pool
                .get()
                .map_err(pool_error)
                .and_then(|mut c| query.execute(&mut c).map(drop).map_err(query_error)),
        }
    }
}

/// A dot-file lock left at startup means another process is using the SQLite file, or one
/// stopped in the middle of a transaction; every statement waits for it, so say which.
fn warn_about_a_held_lock(path: &std::path::Path) {
    let lock = openimis_sdk::sqlite_uri::sqlite_lock_dir(path);
    if lock.exists() {
        log::warn!(
            target: "openimis",
            "the SQLite lock {} exists: another process is using {}, or one stopped mid-transaction; if no openimis process is running, delete that directory",
            lock.display(),
            path.display()
        );
    }
}

fn pool_error(e: r2d2::Error) -> DbError {
    DbError(format!("cannot connect to the database: {e}"))
}

fn query_error(e: diesel::result::Error) -> DbError {
    DbError(format!("database query failed: {e}"))
}

/// Opens one direct connection (for migrations): PostgreSQL or SQLite.
pub fn connect_pg(url: &str) -> Result<PgConnection, DbError> {
    PgConnection::establish(url).map_err(|e| DbError(format!("cannot connect to PostgreSQL: {e}")))
}

pub fn connect_sqlite(path: &std::path::Path) -> Result<SqliteConnection, DbError> {
    let uri = openimis_sdk::sqlite_uri::sqlite_uri(path);
    SqliteConnection::establish(&uri).map_err(|e| {
        DbError(format!(
            "cannot open SQLite database {}: {e}",
            path.display()
        ))
    })
}
