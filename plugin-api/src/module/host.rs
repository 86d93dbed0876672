//! [`HostHandle`]: the typed face of the host's `Host` trait object.

use crate::abi::{DatabaseInfo, HostBox, ModuleError};
use crate::payload::RequestContext;
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

    /// Issues a login token (`{token, payload, refreshExpiresIn}`); a refresh passes the first
    /// token's `origIat`. Only the host holds the signing keys.
    pub fn issue_token(&self, username: &str, orig_iat: Option<u64>) -> Result<Value, ModuleError> {
        self.call(
            "host",
            "jwt.issue",
            &serde_json::json!({"username": username, "origIat": orig_iat}),
        )
    }

    /// Verifies a token; the error has status 401 and the original's message.
    pub fn verify_token(&self, token: &str) -> Result<Value, ModuleError> {
        self.call("host", "jwt.verify", &serde_json::json!({"token": token}))
    }

    /// Sets a cookie on the response to the current request.
    pub fn set_cookie(
        &self,
        context: &RequestContext,
        name: &str,
        value: &str,
        max_age: Option<i64>,
    ) -> Result<(), ModuleError> {
        let payload = serde_json::json!({"request_id": context.request_id, "name": name, "value": value, "max_age": max_age});
        self.call::<_, Value>("host", "response.set_cookie", &payload)
            .map(drop)
    }

    /// Deletes a cookie on the response to the current request.
    pub fn delete_cookie(&self, context: &RequestContext, name: &str) -> Result<(), ModuleError> {
        let payload = serde_json::json!({"request_id": context.request_id, "name": name});
        self.call::<_, Value>("host", "response.delete_cookie", &payload)
            .map(drop)
    }

    pub fn publish(&self, event: &str, payload: &Value) {
        let text = payload.to_string();
        self.inner.publish(event.into(), text.as_str().into());
    }
}
