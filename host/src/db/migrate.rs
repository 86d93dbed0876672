//! Running every module's migrations in dependency order through diesel_migrations' harness,
//! each recorded as `<module>:<version>` so modules never skip each other's migrations.

use super::{connect_pg, connect_sqlite, DbError};
use crate::settings::Database;
use diesel::backend::Backend;
use diesel::connection::BoxableConnection;
use diesel::migration::{
    Migration, MigrationMetadata, MigrationName, MigrationSource, MigrationVersion,
};
use diesel::RunQueryDsl;
use diesel_migrations::MigrationHarness;
use std::collections::HashSet;
use std::fmt;

/// One migration of one module, in the backend's dialect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModuleMigration {
    pub module: String,
    pub version: String,
    pub name: String,
    pub sql: String,
}

impl ModuleMigration {
    /// What the migrations table records: `<module>:<version>`.
    pub fn id(&self) -> String {
        format!("{}:{}", self.module, self.version)
    }
}

/// Builds the ordered list for a backend from `(module, migrations)` in module start order.
pub fn plan(
    modules: &[(String, Vec<openimis_plugin_api::Migration>)],
    backend: &str,
) -> Vec<ModuleMigration> {
    let mut out = Vec::new();
    for (module, migrations) in modules {
        let mut sorted = migrations.clone();
        sorted.sort_by(|a, b| a.version.cmp(&b.version));
        for m in sorted {
            let sql = if backend == "postgresql" {
                m.postgres
            } else {
                m.sqlite
            };
            out.push(ModuleMigration {
                module: module.clone(),
                version: m.version.into_string(),
                name: m.name.into_string(),
                sql: sql.into_string(),
            });
        }
    }
    out
}

/// A migration that failed, naming module and version.
#[derive(Debug, Clone, thiserror::Error)]
#[error("migration {id} ({name}) failed: {reason}")]
pub struct MigrationError {
    pub module: String,
    pub id: String,
    pub name: String,
    pub reason: String,
}

struct SqlMigration {
    name: Named,
    sql: String,
}

struct Named(String);

impl fmt::Display for Named {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl MigrationName for Named {
    fn version(&self) -> MigrationVersion<'_> {
        MigrationVersion::from(self.0.clone())
    }
}

struct InTransaction;

impl MigrationMetadata for InTransaction {}

impl<DB: Backend> Migration<DB> for SqlMigration {
    fn run(&self, conn: &mut dyn BoxableConnection<DB>) -> diesel::migration::Result<()> {
        conn.batch_execute(&self.sql).map_err(Into::into)
    }

    fn revert(&self, _conn: &mut dyn BoxableConnection<DB>) -> diesel::migration::Result<()> {
        Err("openIMIS module migrations are forward-only".into())
    }

    fn metadata(&self) -> &dyn MigrationMetadata {
        &InTransaction
    }

    fn name(&self) -> &dyn MigrationName {
        &self.name
    }
}

/// Never used as a source (we pass migrations in our own order); required by the harness API.
struct NoSource;

impl<DB: Backend> MigrationSource<DB> for NoSource {
    fn migrations(&self) -> diesel::migration::Result<Vec<Box<dyn Migration<DB>>>> {
        Ok(Vec::new())
    }
}

/// The advisory lock (`'oi'`, 3) one migrating process holds on PostgreSQL.
const MIGRATION_LOCK: (i32, i32) = (0x6f69, 3);

/// Applies what is not yet applied, in order; returns the ids applied now. On PostgreSQL one
/// process at a time (an advisory lock): several hosts may start on one database together.
pub fn run(
    database: &Database,
    migrations: &[ModuleMigration],
) -> Result<Vec<String>, MigrationError> {
    let connection_error = |e: DbError| MigrationError {
        module: "host".into(),
        id: "-".into(),
        name: "connect".into(),
        reason: e.0,
    };
    match database {
        Database::Postgres { url } => {
            let mut conn = connect_pg(url).map_err(connection_error)?;
            // Hosts starting together migrate one after the other: the others wait here, then
            // find everything applied. The lock goes with this connection.
            let (class, id) = MIGRATION_LOCK;
            diesel::sql_query(format!("SELECT pg_advisory_lock({class}, {id})"))
                .execute(&mut conn)
                .map_err(|e| {
                    connection_error(DbError(format!("cannot take the migration lock: {e}")))
                })?;
            apply(&mut conn, migrations)
        }
        Database::Sqlite { path } => apply(
            &mut connect_sqlite(path).map_err(connection_error)?,
            migrations,
        ),
    }
}

/// The ids of `migrations` not yet applied (for `openimis check` / `migrate --plan`).
pub fn pending(
    database: &Database,
    migrations: &[ModuleMigration],
) -> Result<Vec<String>, DbError> {
    let applied: HashSet<String> = match database {
        Database::Postgres { url } => applied(&mut connect_pg(url)?)?,
        Database::Sqlite { path } => applied(&mut connect_sqlite(path)?)?,
    };
    Ok(migrations
        .iter()
        .map(ModuleMigration::id)
        .filter(|id| !applied.contains(id))
        .collect())
}

fn applied<DB: Backend, C: MigrationHarness<DB>>(conn: &mut C) -> Result<HashSet<String>, DbError> {
    let versions = conn
        .applied_migrations()
        .map_err(|e| DbError(format!("cannot read applied migrations: {e}")))?;
    Ok(versions.into_iter().map(|v| v.to_string()).collect())
}

fn apply<DB: Backend, C: MigrationHarness<DB>>(
    conn: &mut C,
    migrations: &[ModuleMigration],
) -> Result<Vec<String>, MigrationError> {
    // Creates the migrations table if needed.
    let _ = conn.has_pending_migration(NoSource);
    let done = applied(conn).map_err(|e| MigrationError {
        module: "host".into(),
        id: "-".into(),
        name: "read".into(),
        reason: e.0,
    })?;
    let mut ran = Vec::new();
    for m in migrations.iter().filter(|m| !done.contains(&m.id())) {
        let migration = SqlMigration {
            name: Named(m.id()),
            sql: m.sql.clone(),
        };
        conn.run_migration(&migration).map_err(|e| MigrationError {
            module: m.module.clone(),
            id: m.id(),
            name: m.name.clone(),
            reason: e.to_string(),
        })?;
        log::info!(target: "openimis::migrate", "applied {} ({})", m.id(), m.name);
        ran.push(m.id());
    }
    Ok(ran)
}
