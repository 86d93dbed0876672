//! Which process runs a job's due instant when several hosts share one database: the first to
//! insert the row `(module, job, due_at)` into the host table `openimis_scheduler_claim`
//! (`ON CONFLICT DO NOTHING`, the primary key decides), the others see it taken and skip.
//!
//! The table is the host's own (not the original openIMIS schema's): created `IF NOT EXISTS`
//! at the first claim, so only a process that actually runs jobs (`SCHEDULER_AUTOSTART=True`,
//! or a test driving `tick`) creates it. A claim is kept for a week, then deleted by later
//! claims of the same job. `claimed_by` says which host and process ran it (for operators).

use crate::db::HostDb;
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use diesel::connection::SimpleConnection;
use diesel::sql_types::Text;
use diesel::{Connection, RunQueryDsl};
use std::sync::atomic::{AtomicBool, Ordering};

/// Decides whether this process runs a job's due instant.
pub trait Claims: Send + Sync {
    /// `Ok(true)`: this process runs `module.job` due at `due`, and no other will;
    /// `Ok(false)`: another process already took it; `Err`: nobody could be asked (the
    /// database does not answer), so the run is skipped.
    fn claim(&self, module: &str, job: &str, due: DateTime<Utc>) -> Result<bool, String>;
}

/// One process alone: every due instant is its own ([`super::Scheduler::new`]'s default).
pub struct ThisProcessOnly;

impl Claims for ThisProcessOnly {
    fn claim(&self, _: &str, _: &str, _: DateTime<Utc>) -> Result<bool, String> {
        Ok(true)
    }
}

/// The host table of claims.
pub const TABLE: &str = "openimis_scheduler_claim";

const CREATE: &str = "CREATE TABLE IF NOT EXISTS openimis_scheduler_claim (
    module VARCHAR(255) NOT NULL,
    job VARCHAR(255) NOT NULL,
    due_at VARCHAR(20) NOT NULL,
    claimed_at VARCHAR(40) NOT NULL,
    claimed_by VARCHAR(255) NOT NULL,
    PRIMARY KEY (module, job, due_at)
)";

/// How long a claim is kept: far longer than any host's tick can lag behind another's.
const KEEP_DAYS: i64 = 7;

/// Serializes the table's creation on PostgreSQL (two `CREATE TABLE IF NOT EXISTS` racing can
/// both try to create it); the class is the recovery lock's `'oi'`.
const CREATE_LOCK: (i32, i32) = (0x6f69, 2);

/// Claims recorded in the database every host of the cluster shares.
pub struct DbClaims {
    db: HostDb,
    /// Whether this process has made sure the table exists.
    created: AtomicBool,
    by: String,
}

impl DbClaims {
    pub fn new(db: HostDb) -> Self {
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .ok()
            .or_else(|| std::env::var("HOSTNAME").ok())
            .map(|h| h.trim().to_owned())
            .filter(|h| !h.is_empty())
            .unwrap_or_else(|| "unknown host".into());
        Self {
            db,
            created: AtomicBool::new(false),
            by: format!("{host} pid {}", std::process::id()),
        }
    }
}

/// An instant as the table stores it: whole seconds, UTC, fixed width (so text order is time
/// order).
fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The statements a claim runs, with the placeholders of one backend.
struct Statements {
    insert: &'static str,
    prune: &'static str,
}

const POSTGRES: Statements = Statements {
    insert: "INSERT INTO openimis_scheduler_claim (module, job, due_at, claimed_at, claimed_by) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    prune: "DELETE FROM openimis_scheduler_claim WHERE module = $1 AND job = $2 AND due_at < $3",
};

const SQLITE: Statements = Statements {
    insert: "INSERT INTO openimis_scheduler_claim (module, job, due_at, claimed_at, claimed_by) \
             VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
    prune: "DELETE FROM openimis_scheduler_claim WHERE module = ? AND job = ? AND due_at < ?",
};

/// Inserts the claim on `$conn` with `$statements`, and on success deletes the job's old
/// claims; answers whether this process took the instant. (A macro: the same statements on
/// two diesel connection types.)
macro_rules! insert_claim {
    ($self:ident, $conn:expr, $statements:expr, $module:ident, $job:ident, $due:ident) => {{
        let inserted = diesel::sql_query($statements.insert)
            .bind::<Text, _>($module)
            .bind::<Text, _>($job)
            .bind::<Text, _>(stamp($due))
            .bind::<Text, _>(Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true))
            .bind::<Text, _>($self.by.as_str())
            .execute($conn)
            .map_err(|e| {
                // The table may have been dropped meanwhile: make sure of it again next time.
                $self.created.store(false, Ordering::Relaxed);
                format!("cannot record the claim in {TABLE}: {e}")
            })?;
        if inserted == 1 {
            let pruned = diesel::sql_query($statements.prune)
                .bind::<Text, _>($module)
                .bind::<Text, _>($job)
                .bind::<Text, _>(stamp($due - Duration::days(KEEP_DAYS)))
                .execute($conn);
            if let Err(e) = pruned {
                log::warn!(target: "openimis::scheduler", "cannot delete the old claims of job {}.{} from {TABLE}: {e}", $module, $job);
            }
        }
        inserted == 1
    }};
}

impl Claims for DbClaims {
    fn claim(&self, module: &str, job: &str, due: DateTime<Utc>) -> Result<bool, String> {
        let create = !self.created.load(Ordering::Relaxed);
        let connect = |e: r2d2::Error| format!("cannot connect to the database: {e}");
        let table = |e: diesel::result::Error| format!("cannot create the table {TABLE}: {e}");
        let claimed = match &self.db {
            HostDb::Postgres(pool) => {
                let mut conn = pool.get().map_err(connect)?;
                if create {
                    conn.transaction(|c| {
                        let (class, id) = CREATE_LOCK;
                        c.batch_execute(&format!(
                            "SELECT pg_advisory_xact_lock({class}, {id}); {CREATE}"
                        ))
                    })
                    .map_err(table)?;
                    self.created.store(true, Ordering::Relaxed);
                }
                insert_claim!(self, &mut *conn, POSTGRES, module, job, due)
            }
            HostDb::Sqlite(pool) => {
                let mut conn = pool.get().map_err(connect)?;
                // Other processes on the file may be writing: wait for their lock a while.
                conn.batch_execute("PRAGMA busy_timeout = 5000")
                    .map_err(|e| format!("cannot set the SQLite busy timeout: {e}"))?;
                if create {
                    conn.batch_execute(CREATE).map_err(table)?;
                    self.created.store(true, Ordering::Relaxed);
                }
                insert_claim!(self, &mut *conn, SQLITE, module, job, due)
            }
        };
        Ok(claimed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_whole_seconds_of_fixed_width() {
        let at = DateTime::parse_from_rfc3339("2026-01-01T00:05:00.345Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(stamp(at), "2026-01-01T00:05:00Z");
        assert_eq!(stamp(at).len(), 20);
    }
}
