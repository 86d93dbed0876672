//! A fake host for module unit tests: records logs, serves a config, answers service calls,
//! keeps core's mutation log in memory ([`FakeHost::mutation_log`]) and hands out a fresh
//! SQLite database ([`FakeHost::temp_sqlite`], migrated with [`FakeHost::migrate`]).

use crate::abi::{DatabaseInfo, Host, HostBox, Host_TO, LogLevel, ModuleError};
use crate::host::HostHandle;
use abi_stable::{
    sabi_trait::TD_CanDowncast,
    std_types::{RBox, RResult, RStr, RString},
};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

type Service = Arc<dyn Fn(&str, Value) -> Result<Value, ModuleError> + Send + Sync>;

/// A host that runs nothing: it stores what a module logs and publishes, and answers `call`
/// from closures registered with [`FakeHost::service`].
#[derive(Clone, Default)]
pub struct FakeHost {
    config: Value,
    database: Option<(String, String)>,
    loaded: Vec<String>,
    services: HashMap<String, Service>,
    /// `(level, target, message)` of every log line.
    pub logs: Arc<Mutex<Vec<(u8, String, String)>>>,
    /// `(event, payload)` of every published event.
    pub events: Arc<Mutex<Vec<(String, String)>>>,
    /// The rows of the fake `core_Mutation_Log` ([`FakeHost::mutation_log`]).
    mutations: Arc<Mutex<Vec<LoggedMutation>>>,
    /// The SQLite file of [`FakeHost::temp_sqlite`], removed with the last clone.
    temp_database: Option<Arc<TempFile>>,
}

/// One row of the fake `core_Mutation_Log`, as core's `mutation_log` services keep it.
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedMutation {
    pub id: String,
    /// The logged input (snake_case keys), parsed.
    pub json_content: Value,
    pub client_mutation_id: Option<String>,
    pub client_mutation_label: Option<String>,
    /// 0 received, 1 failed, 2 succeeded.
    pub status: i32,
    /// The JSON list of `{message, detail}` (or the panic text) of a failed mutation.
    pub error: Option<String>,
}

/// A file deleted (with SQLite's side files) when dropped.
#[derive(Debug)]
struct TempFile(PathBuf);

impl Drop for TempFile {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut path = self.0.clone().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }
}

impl FakeHost {
    pub fn new() -> Self {
        Self {
            config: Value::Object(Default::default()),
            ..Default::default()
        }
    }

    pub fn config(mut self, config: Value) -> Self {
        self.config = config;
        self
    }

    pub fn database(mut self, backend: &str, url: &str) -> Self {
        self.database = Some((backend.to_owned(), url.to_owned()));
        self
    }

    pub fn loaded(mut self, logical_name: &str) -> Self {
        self.loaded.push(logical_name.to_owned());
        self
    }

    /// Answers `Host::call(module, ...)` with `f(method, payload)`.
    pub fn service(
        mut self,
        module: &str,
        f: impl Fn(&str, Value) -> Result<Value, ModuleError> + Send + Sync + 'static,
    ) -> Self {
        self.services.insert(module.to_owned(), Arc::new(f));
        self
    }

    /// Serves core's `mutation_log.create` and `mutation_log.finish` (what
    /// `sdk::mutation::run_logged` calls) from an in-memory log, read with
    /// [`FakeHost::logged_mutations`]. Other core methods go to a `core` service registered
    /// before this call, if any.
    pub fn mutation_log(self) -> Self {
        let log = self.mutations.clone();
        let previous = self.services.get("core").cloned();
        self.service("core", move |method, payload| {
            let text = |key: &str| payload.get(key).and_then(Value::as_str).map(str::to_owned);
            match method {
                "mutation_log.create" => {
                    let mut rows = log.lock().unwrap();
                    let id = format!("00000000-0000-4000-8000-{:012}", rows.len() + 1);
                    rows.push(LoggedMutation {
                        id: id.clone(),
                        json_content: text("json_content")
                            .and_then(|t| serde_json::from_str(&t).ok())
                            .unwrap_or(Value::Null),
                        client_mutation_id: text("client_mutation_id"),
                        client_mutation_label: text("client_mutation_label"),
                        status: crate::mutation_status::RECEIVED,
                        error: None,
                    });
                    Ok(json!({ "id": id }))
                }
                "mutation_log.finish" => {
                    let status = payload["status"].as_i64().unwrap_or(1) as i32;
                    let mut rows = log.lock().unwrap();
                    let id = text("id").unwrap_or_default();
                    // As core: success only from "received", so a recorded error stays.
                    let row = rows.iter_mut().find(|r| {
                        r.id == id
                            && (status != crate::mutation_status::SUCCEEDED
                                || r.status == crate::mutation_status::RECEIVED)
                    });
                    if let Some(row) = row {
                        row.status = status;
                        row.error = text("error");
                    }
                    Ok(json!({}))
                }
                other => match &previous {
                    Some(core) => core(other, payload),
                    None => Err(ModuleError::new(
                        "NOT_SUPPORTED",
                        format!("the fake core has no service {other}"),
                    )),
                },
            }
        })
    }

    /// Every mutation logged through [`FakeHost::mutation_log`], in order.
    pub fn logged_mutations(&self) -> Vec<LoggedMutation> {
        self.mutations.lock().unwrap().clone()
    }

    /// A fresh SQLite database file in the temporary directory, removed when the last clone of
    /// this host (the module holds one) is dropped.
    pub fn temp_sqlite(mut self) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "openimis-fake-host-{}-{}.sqlite3",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        drop(TempFile(path.clone()));
        self.database = Some(("sqlite".into(), crate::sqlite_uri::sqlite_uri(&path)));
        self.temp_database = Some(Arc::new(TempFile(path)));
        self
    }

    /// Applies `migrations` (the module's own) to this host's database, as `openimis migrate`
    /// does: each one's SQL for the backend, in order.
    #[cfg(feature = "db")]
    pub fn migrate(&self, migrations: &[crate::abi::Migration]) -> Result<(), ModuleError> {
        use diesel::connection::SimpleConnection;
        let info = Host::database(self);
        let pool = crate::db::pool(&info)?;
        let mut conn = crate::db::connection(&pool)?;
        for migration in migrations {
            let sql = match info.backend.as_str() {
                "postgresql" => &migration.postgres,
                _ => &migration.sqlite,
            };
            conn.batch_execute(sql.as_str()).map_err(|e| {
                ModuleError::new(
                    "MIGRATION_FAILED",
                    format!("{} {}: {e}", migration.version, migration.name),
                )
            })?;
        }
        Ok(())
    }

    /// The boxed host, as `init` receives it.
    pub fn boxed(&self) -> HostBox {
        Host_TO::from_value(self.clone(), TD_CanDowncast)
    }

    /// A [`HostHandle`] over this fake host.
    pub fn handle(&self) -> HostHandle {
        HostHandle::new(self.boxed())
    }
}

impl Host for FakeHost {
    fn log(&self, level: LogLevel, target: RStr<'_>, message: RStr<'_>) {
        self.logs
            .lock()
            .unwrap()
            .push((level, target.to_string(), message.to_string()));
    }

    fn module_config(&self) -> RString {
        self.config.to_string().into()
    }

    fn database(&self) -> DatabaseInfo {
        let (backend, url) = self.database.clone().unwrap_or_default();
        DatabaseInfo {
            url: url.into(),
            backend: backend.into(),
            pool_size: 1,
        }
    }

    fn is_loaded(&self, logical_name: RStr<'_>) -> bool {
        self.loaded.iter().any(|n| n == logical_name.as_str())
    }

    fn call(
        &self,
        module: RStr<'_>,
        method: RStr<'_>,
        payload: RStr<'_>,
    ) -> RResult<RString, ModuleError> {
        let Some(service) = self.services.get(module.as_str()) else {
            return RResult::RErr(ModuleError::new(
                "MODULE_NOT_LOADED",
                format!("no module {module}"),
            ));
        };
        let payload = serde_json::from_str(payload.as_str()).unwrap_or(Value::Null);
        match service(method.as_str(), payload) {
            Ok(value) => RResult::ROk(value.to_string().into()),
            Err(err) => RResult::RErr(err),
        }
    }

    fn publish(&self, event: RStr<'_>, payload: RStr<'_>) {
        self.events
            .lock()
            .unwrap()
            .push((event.to_string(), payload.to_string()));
    }
}

#[doc(hidden)]
pub type _Unused = RBox<()>;

#[cfg(all(test, feature = "db"))]
mod tests {
    use super::*;

    #[test]
    fn a_temp_sqlite_database_is_migrated_and_removed_with_the_host() {
        let host = FakeHost::new().temp_sqlite();
        let migration = crate::abi::Migration {
            version: "0001".into(),
            name: "t".into(),
            postgres: "CREATE TABLE t (n INTEGER)".into(),
            sqlite: "CREATE TABLE t (n INTEGER); INSERT INTO t VALUES (7);".into(),
        };
        host.migrate(&[migration]).unwrap();
        let info = host.handle().database();
        let pool = crate::db::pool(&info).unwrap();
        let mut conn = crate::db::connection(&pool).unwrap();
        let n = crate::db::count(&mut conn, "SELECT COUNT(*) AS n FROM t", &[]).unwrap();
        assert_eq!(n, 1);
        drop((conn, pool));
        let path = host
            .temp_database
            .as_ref()
            .map(|file| file.0.clone())
            .expect("a temporary database");
        assert_eq!(info.url.as_str(), crate::sqlite_uri::sqlite_uri(&path));
        assert!(path.is_file());
        drop(host);
        assert!(!path.exists(), "removed with the last clone");
    }
}
