//! The user context of an authenticated request (core's `auth.context` answer: user, rights,
//! language, IMIS admin flag), cached under `rights_<username>` as the original caches rights.
//! Core clears `rights_*` when roles, role rights, user roles, a user's password or language
//! change; that clears this process's memory cache, or the shared server's. A context is kept
//! only a few seconds ([`USER_CONTEXT_TTL`]), so a change made through another process (which
//! can not clear this one's memory cache), or a read racing the delete on a shared server,
//! holds here within those seconds: a password set refuses the user's older tokens on every
//! process, whatever the cache backend. Core is asked at most once per user per TTL.

use super::Cache;
use crate::modules::RunningModule;
use openimis_plugin_api::ModuleError;
use openimis_sdk::cache::USER_CONTEXT_PREFIX;
use serde_json::{json, Value};
use std::sync::Arc;

/// How long a cached context lives at most, in seconds: how long another process may still
/// use a context a change made here has outdated (this process and a shared cache server
/// forget it at once).
pub const USER_CONTEXT_TTL: u64 = 5;

/// The context of `username` the cache holds, if any.
pub fn cached(cache: &Cache, username: &str) -> Option<Arc<Value>> {
    cache.get_shared(&format!("{USER_CONTEXT_PREFIX}{username}"))
}

/// Core's `auth.context` answer for `username`, from the cache when it holds it.
pub fn user_context(
    cache: &Cache,
    core: &RunningModule,
    username: &str,
) -> Result<Arc<Value>, ModuleError> {
    if let Some(hit) = cached(cache, username) {
        return Ok(hit);
    }
    let key = format!("{USER_CONTEXT_PREFIX}{username}");
    // A password or role change committed while core answers clears the contexts before this
    // answer is cached: the answer may predate it, so it is then used once but not kept.
    let mark = cache.forget_mark();
    let answer = core
        .service("auth.context", &json!({ "username": username }).to_string())
        .map_err(|e| *e.error)?;
    let answer: Value = serde_json::from_str(&answer).unwrap_or(Value::Null);
    if !answer.is_null() {
        cache.set_unless_forgotten_since(mark, &key, &answer, Some(USER_CONTEXT_TTL));
    }
    Ok(Arc::new(answer))
}
