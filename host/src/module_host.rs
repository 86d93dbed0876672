//! The `Host` each module receives: logging under the module's name, its config, its database
//! budget, and calls/events to other modules through the directory of running modules.

use crate::host_services::HostServices;
use crate::mutations::MutationQueue;
use abi_stable::{
    sabi_trait::TD_Opaque,
    std_types::{RResult, RStr, RString},
};
use openimis_plugin_api::abi::{DatabaseInfo, Host, Host_TO, LogLevel};
use openimis_plugin_api::{HostBox, ModuleError};
use std::sync::Arc;

/// The directory the host of each module looks modules up in (built by `runtime.rs`).
pub use crate::directory::Directory;

/// The host as one module sees it.
#[derive(Clone)]
pub struct ModuleHost {
    services: Arc<HostServices>,
    module: Arc<str>,
    log_target: Arc<str>,
    config: Arc<str>,
    database: DatabaseInfo,
    directory: Arc<Directory>,
    mutations: Arc<MutationQueue>,
}

impl ModuleHost {
    pub fn boxed(
        module: &str,
        config: &serde_json::Value,
        database: DatabaseInfo,
        directory: Arc<Directory>,
        services: Arc<HostServices>,
        mutations: Arc<MutationQueue>,
    ) -> HostBox {
        let host = ModuleHost {
            services,
            module: module.into(),
            log_target: format!("module::{module}").into(),
            config: config.to_string().into(),
            database,
            directory,
            mutations,
        };
        Host_TO::from_value(host, TD_Opaque)
    }
}

fn level(level: LogLevel) -> log::Level {
    match level {
        1 => log::Level::Error,
        2 => log::Level::Warn,
        3 => log::Level::Info,
        4 => log::Level::Debug,
        _ => log::Level::Trace,
    }
}

impl Host for ModuleHost {
    fn log(&self, lvl: LogLevel, target: RStr<'_>, message: RStr<'_>) {
        let lvl = level(lvl);
        if log::log_enabled!(target: &self.log_target, lvl) {
            log::logger().log(
                &log::Record::builder()
                    .level(lvl)
                    .target(&self.log_target)
                    .args(format_args!("[{}] {}", target, message))
                    .build(),
            );
        }
    }

    fn module_config(&self) -> RString {
        RString::from(&*self.config)
    }

    fn database(&self) -> DatabaseInfo {
        self.database.clone()
    }

    fn is_loaded(&self, logical_name: RStr<'_>) -> bool {
        self.directory
            .current()
            .is_some_and(|set| set.get(logical_name.as_str()).is_some())
    }

    fn call(
        &self,
        module: RStr<'_>,
        method: RStr<'_>,
        payload: RStr<'_>,
    ) -> RResult<RString, ModuleError> {
        if module.as_str() == "host" && method.as_str() == "modules.rights" {
            // Every running module's declared rights, in start order (core's modulesPermissions).
            let modules: Vec<serde_json::Value> = self
                .directory
                .current()
                .map(|set| {
                    set.iter()
                        .map(|m| serde_json::json!({"name": m.name(), "rights": m.manifest.rights}))
                        .collect()
                })
                .unwrap_or_default();
            return RResult::ROk(serde_json::Value::Array(modules).to_string().into());
        }
        if module.as_str() == "host" && method.as_str() == "mutations.enqueue" {
            // Needs the caller's name: the worker calls the same module back.
            return match self.mutations.enqueue(&self.module, payload.as_str()) {
                Ok(answer) => RResult::ROk(answer.to_string().into()),
                Err(e) => RResult::RErr(e),
            };
        }
        if module.as_str() == "host" {
            let payload = serde_json::from_str(payload.as_str()).unwrap_or(serde_json::Value::Null);
            return match self.services.call(method.as_str(), payload) {
                Ok(answer) => RResult::ROk(answer.to_string().into()),
                Err(e) => RResult::RErr(e),
            };
        }
        let Some(target) = self
            .directory
            .current()
            .and_then(|set| set.get(module.as_str()).cloned())
        else {
            return RResult::RErr(ModuleError::new(
                "MODULE_NOT_LOADED",
                format!(
                    "`{}` called `{module}.{method}`, but `{module}` is not running",
                    self.module
                ),
            ));
        };
        match target.service(method.as_str(), payload.as_str()) {
            Ok(answer) => RResult::ROk(answer.into()),
            Err(e) => RResult::RErr(*e.error),
        }
    }

    fn publish(&self, event: RStr<'_>, payload: RStr<'_>) {
        if let Some(set) = self.directory.current() {
            for m in set.iter().filter(|m| m.name() != &*self.module) {
                m.module.on_event(event, payload);
            }
        }
    }
}
