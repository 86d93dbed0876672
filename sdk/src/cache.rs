//! The host's cache (`CACHE_BACKEND`: memory, Redis or memcached), typed for modules.
//!
//! The cache never fails a request: when its server is down the host answers "nothing cached"
//! and logs a warning. Keys follow the original's names (`rights_<user>`, `location_graph`).

use super::host::HostHandle;
use crate::abi::ModuleError;
use serde_json::{json, Value};

/// Prefix of the host's cached user contexts (user, rights, language from core's
/// `auth.context`), one key per username, as the original's `rights_<id>` cache.
pub const USER_CONTEXT_PREFIX: &str = "rights_";

/// The cached value of `key`, if any.
pub fn get(host: &HostHandle, key: &str) -> Result<Option<Value>, ModuleError> {
    let answer: Value = host.call("host", "cache.get", &json!({ "key": key }))?;
    Ok(answer.get("value").cloned().filter(|v| !v.is_null()))
}

/// Stores `value` under `key`, for `ttl` seconds (`None`: until deleted).
pub fn set(
    host: &HostHandle,
    key: &str,
    value: &Value,
    ttl: Option<u64>,
) -> Result<(), ModuleError> {
    let payload = json!({ "key": key, "value": value, "ttl": ttl });
    host.call::<_, Value>("host", "cache.set", &payload)
        .map(drop)
}

/// Removes `key`.
pub fn delete(host: &HostHandle, key: &str) -> Result<(), ModuleError> {
    host.call::<_, Value>("host", "cache.delete", &json!({ "key": key }))
        .map(drop)
}

/// Removes every key starting with `prefix` (memcached: the whole cache, as the original).
pub fn delete_prefix(host: &HostHandle, prefix: &str) -> Result<(), ModuleError> {
    host.call::<_, Value>("host", "cache.delete_prefix", &json!({ "prefix": prefix }))
        .map(drop)
}

/// Forgets every cached user context: call it after roles, role rights, user roles or a
/// user's language change. A failure is only logged: the change itself has happened.
pub fn forget_user_contexts(host: &HostHandle) {
    if let Err(e) = delete_prefix(host, USER_CONTEXT_PREFIX) {
        log::warn!("could not clear the cached user contexts: {e}");
    }
}
