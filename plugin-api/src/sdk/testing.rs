//! A fake host for module unit tests: records logs, serves a config, answers service calls.

use crate::abi::{DatabaseInfo, Host, HostBox, Host_TO, LogLevel, ModuleError};
use crate::sdk::host::HostHandle;
use abi_stable::{
    sabi_trait::TD_CanDowncast,
    std_types::{RBox, RResult, RStr, RString},
};
use serde_json::Value;
use std::collections::HashMap;
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
