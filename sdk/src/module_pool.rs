//! A module's database pool, built once in `ready` and handed out per call: what every module
//! with tables used to write again (a `OnceLock<DbPool>`, its `NO_DATABASE` error and the
//! `ready_pool` call). See docs/MODULES.md, "The module shell".

use crate::db::{self, DbConnection, DbPool, PooledConnection};
use crate::{HostHandle, ModuleError};
use std::sync::OnceLock;

/// The pool of module `module`, empty until [`ModulePool::ready`].
pub struct ModulePool {
    module: &'static str,
    pool: OnceLock<DbPool>,
}

impl ModulePool {
    pub const fn new(module: &'static str) -> Self {
        Self {
            module,
            pool: OnceLock::new(),
        }
    }

    /// `ready`'s work for a module with tables ([`db::ready_pool`]): the pool on the host's
    /// database, `seed` run first with `DEMO_DATASET=True`; answers the host's settings.
    pub fn ready(
        &self,
        host: &HostHandle,
        seed: impl FnOnce(&mut DbConnection) -> Result<(), ModuleError>,
    ) -> Result<serde_json::Value, ModuleError> {
        let (pool, settings) = db::ready_pool(host, seed)?;
        let _ = self.pool.set(pool);
        Ok(settings)
    }

    /// A connection from the pool: `NO_DATABASE` before `ready` built it,
    /// `DATABASE_UNAVAILABLE` (503) when the database does not answer.
    pub fn connection(&self) -> Result<PooledConnection, ModuleError> {
        let pool = self.pool.get().ok_or_else(|| {
            ModuleError::new(
                "NO_DATABASE",
                format!("{} runs without a database", self.module),
            )
        })?;
        db::connection(pool)
    }

    /// The pool itself, once built.
    pub fn get(&self) -> Option<&DbPool> {
        self.pool.get()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn before_ready_a_connection_is_no_database_naming_the_module() {
        let pool = ModulePool::new("things");
        let error = pool.connection().err().expect("no pool yet");
        assert_eq!(error.code.as_str(), "NO_DATABASE");
        assert_eq!(error.message.as_str(), "things runs without a database");
        assert!(pool.get().is_none());
    }
}
