//! At startup, the mutation logs a stopped process left at status 0 are finished as failed
//! (core's `mutation_log.fail_received`), so an acknowledged mutation never stays "received"
//! across a restart. Only where no one else can still run them:
//! - not with RabbitMQ (`CELERY_BROKER_URL`): those jobs wait in the broker and run later;
//! - on PostgreSQL only when no other openIMIS process serves the database. Every serving
//!   process holds a shared advisory lock for its life on a connection of its own (the server
//!   drops it when the process dies); a starting process that gets the exclusive lock is
//!   alone, finishes the logs while holding it (another starting process waits, so it cannot
//!   log anything meanwhile), then keeps a shared one like the others. When another process
//!   serves, the logs are left alone (they may be its queue) and finished by the next process
//!   that starts alone.
//! - SQLite is the embedded database of one process: its logs at 0 are finished at startup.

use crate::settings::Database;
use diesel::{pg::PgConnection, sql_types::Bool, Connection, RunQueryDsl};
use std::sync::Mutex;

/// The failure recorded on a log a stopped process left at status 0.
pub const STOPPED: &str = "The server stopped before the outcome of this mutation was recorded; check whether it was applied before retrying it.";

/// The advisory lock every serving process holds shared (`'oi'`, 1).
const LOCK: (i32, i32) = (0x6f69, 1);

/// This process's mark on the database (the shared lock's connection), held while it lives.
#[derive(Default)]
pub struct Presence {
    _connection: Option<Mutex<PgConnection>>,
}

#[derive(diesel::QueryableByName)]
struct Got {
    #[diesel(sql_type = Bool)]
    got: bool,
}

/// Marks this process present on `database` and runs `sweep` first when no other process is:
/// see the module documentation.
pub fn join(database: &Database, sweep: impl FnOnce()) -> Presence {
    let url = match database {
        Database::Sqlite { .. } => {
            sweep();
            return Presence::default();
        }
        Database::Postgres { url } => url,
    };
    let mut connection = match PgConnection::establish(url) {
        Ok(connection) => connection,
        Err(e) => {
            log::warn!(target: "openimis", "mutation logs left at status 0 by a stopped process are not checked: {e}");
            return Presence::default();
        }
    };
    let (class, id) = LOCK;
    let alone = diesel::sql_query(format!("SELECT pg_try_advisory_lock({class}, {id}) AS got"))
        .get_result::<Got>(&mut connection)
        .is_ok_and(|row| row.got);
    if alone {
        sweep();
    } else {
        log::info!(target: "openimis", "another openIMIS process serves this database: mutation logs left at status 0 are left to it");
    }
    let shared = diesel::sql_query(format!("SELECT pg_advisory_lock_shared({class}, {id})"))
        .execute(&mut connection);
    if alone {
        let _ = diesel::sql_query(format!("SELECT pg_advisory_unlock({class}, {id})"))
            .execute(&mut connection);
    }
    if let Err(e) = shared {
        log::warn!(target: "openimis", "could not mark this process present on the database: {e}");
        return Presence::default();
    }
    Presence {
        _connection: Some(Mutex::new(connection)),
    }
}
