//! [`HostHandle`]: the typed face of the host's `Host` trait object.

use crate::abi::{DatabaseInfo, HostBox, ModuleError};
use abi_stable::std_types::{RResult, RStr};
use serde::{de::DeserializeOwned, Serialize};
use serde_json::Value;

/// What a module holds on to: logging, its config, the database, other modules' services.
#[derive(Clone)]
pub struct HostHandle {
    inner: HostBox,
}

impl HostHandle {
    pub fn new(inner: HostBox) -> Self {
        Self { inner }
    }

    pub fn raw(&self) -> &HostBox {
        &self.inner
    }

    /// The module's `config` block, deserialized.
    pub fn config<T: DeserializeOwned>(&self) -> Result<T, ModuleError> {
        let text = self.inner.module_config();
        serde_json::from_str(text.as_str())
            .map_err(|e| ModuleError::new("BAD_CONFIG", format!("module config: {e}")))
    }

    pub fn database(&self) -> DatabaseInfo {
        self.inner.database()
    }

    pub fn is_loaded(&self, logical_name: &str) -> bool {
        self.inner.is_loaded(RStr::from(logical_name))
    }

    /// Calls another module's service with a typed payload and answer.
    pub fn call<I: Serialize, O: DeserializeOwned>(
        &self,
        module: &str,
        method: &str,
        payload: &I,
    ) -> Result<O, ModuleError> {
        let text = serde_json::to_string(payload)
            .map_err(|e| ModuleError::new("BAD_PAYLOAD", e.to_string()))?;
        let answer = match self
            .inner
            .call(module.into(), method.into(), text.as_str().into())
        {
            RResult::ROk(answer) => answer,
            RResult::RErr(err) => return Err(err),
        };
        serde_json::from_str(answer.as_str())
            .map_err(|e| ModuleError::new("BAD_PAYLOAD", format!("{module}.{method} answer: {e}")))
    }

    pub fn publish(&self, event: &str, payload: &Value) {
        let text = payload.to_string();
        self.inner.publish(event.into(), text.as_str().into());
    }
}
