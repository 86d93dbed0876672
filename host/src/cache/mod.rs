//! The host's cache (`CACHE_BACKEND`): in memory by default, Redis or memcached when
//! configured. Modules reach it through the host services `cache.get`, `cache.set`
//! `{key, value, ttl?}`, `cache.delete` and `cache.delete_prefix`; the host keeps the user
//! contexts of authenticated requests in it ([`user_context`]).
//!
//! A cache server that is configured but unreachable is a startup problem. Once serving, a
//! failing server never fails a request: the cache answers "nothing cached", skips the server
//! for a few seconds, and logs a warning (at most one every few seconds).

pub mod config;
pub mod memcached_store;
pub mod memory;
pub mod redis_store;
pub mod user_context;

pub use config::{Backend, CacheConfig};

use openimis_plugin_api::ModuleError;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// How long a failing server is left alone before the cache tries it again.
const BACK_OFF: Duration = Duration::from_secs(5);

/// A key-value store of text with optional expiry (seconds).
pub trait Store: Send + Sync {
    fn get(&self, key: &str) -> Result<Option<String>, String>;
    fn set(&self, key: &str, value: &str, ttl: Option<u64>) -> Result<(), String>;
    fn delete(&self, key: &str) -> Result<(), String>;
    fn delete_prefix(&self, prefix: &str) -> Result<(), String>;
    /// Whether the server answers (always for in-process stores).
    fn ping(&self) -> Result<(), String>;
    /// The JSON value under `key`, parsed: what `get` answers, read as JSON (a store in this
    /// process keeps it parsed, so a hot key is not parsed again on every read).
    fn get_value(&self, key: &str) -> Result<Option<Arc<Value>>, String> {
        Ok(self
            .get(key)?
            .and_then(|text| serde_json::from_str(&text).ok())
            .map(Arc::new))
    }
}

/// The cache the host and its modules share.
pub struct Cache {
    store: Box<dyn Store>,
    backend: &'static str,
    key_prefix: String,
    /// Until when (ms since the epoch) the server is skipped after a failure.
    down_until_ms: AtomicU64,
    last_warning_ms: AtomicU64,
    /// How many deletes this process has asked for: a value read before one of them may be
    /// what it removed, and must not be put back ([`Cache::set_unless_forgotten_since`]).
    forgets: AtomicU64,
}

#[derive(Deserialize)]
struct KeyArgs {
    key: String,
    #[serde(default)]
    value: Value,
    #[serde(default)]
    ttl: Option<u64>,
}

#[derive(Deserialize)]
struct PrefixArgs {
    prefix: String,
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

impl Cache {
    /// The default cache: in this process.
    pub fn memory() -> Self {
        Self::with_store(Box::<memory::Memory>::default(), "memory", "oi")
    }

    fn with_store(store: Box<dyn Store>, backend: &'static str, key_prefix: &str) -> Self {
        Self {
            store,
            backend,
            key_prefix: key_prefix.to_owned(),
            down_until_ms: AtomicU64::new(0),
            last_warning_ms: AtomicU64::new(0),
            forgets: AtomicU64::new(0),
        }
    }

    /// Builds the configured cache without contacting its server.
    pub fn open(config: &CacheConfig) -> Result<Self, String> {
        let (store, backend): (Box<dyn Store>, &'static str) = match &config.backend {
            Backend::Memory => (Box::<memory::Memory>::default(), "memory"),
            Backend::Dummy => (Box::new(memory::Dummy), "dummy"),
            Backend::Redis { url } => (Box::new(redis_store::RedisStore::new(url)?), "redis"),
            Backend::Memcached { urls } => (
                Box::new(memcached_store::MemcachedStore::new(urls)?),
                "memcached",
            ),
        };
        Ok(Self::with_store(store, backend, &config.key_prefix))
    }

    /// Builds the configured cache and checks that its server answers (serving does this; a
    /// failure is a startup problem naming the backend and URL).
    pub fn connect(config: &CacheConfig) -> Result<Self, String> {
        let answering = Self::open(config).and_then(|cache| cache.store.ping().map(|()| cache));
        answering.map_err(|e| {
            let (backend, url) = match &config.backend {
                Backend::Redis { url } => ("redis", url.clone()),
                Backend::Memcached { urls } => ("memcached", urls.join(";")),
                Backend::Memory | Backend::Dummy => ("memory", String::new()),
            };
            format!("the {backend} cache at CACHE_URL={url} does not answer: {e}")
        })
    }

    /// `memory`, `dummy`, `redis` or `memcached`.
    pub fn backend(&self) -> &'static str {
        self.backend
    }

    fn full_key(&self, key: &str) -> String {
        if self.key_prefix.is_empty() {
            key.to_owned()
        } else {
            format!("{}:{key}", self.key_prefix)
        }
    }

    /// Runs `op` on the store unless it failed moments ago; a failure degrades to `fallback`.
    fn degrade<T>(
        &self,
        what: &str,
        fallback: T,
        op: impl FnOnce(&dyn Store) -> Result<T, String>,
    ) -> T {
        let now = now_ms();
        if self.down_until_ms.load(Ordering::Relaxed) > now {
            return fallback;
        }
        match op(self.store.as_ref()) {
            Ok(value) => value,
            Err(e) => {
                let back_off_ms = u64::try_from(BACK_OFF.as_millis()).unwrap_or(u64::MAX);
                self.down_until_ms
                    .store(now + back_off_ms, Ordering::Relaxed);
                let last = self.last_warning_ms.load(Ordering::Relaxed);
                if now.saturating_sub(last) >= back_off_ms {
                    self.last_warning_ms.store(now, Ordering::Relaxed);
                    log::warn!(target: "openimis::cache", "the {} cache failed ({what}): {e}; working without it for {}s", self.backend, BACK_OFF.as_secs());
                }
                fallback
            }
        }
    }

    /// The JSON value cached under `key`, if any (nothing when the server fails).
    pub fn get(&self, key: &str) -> Option<Value> {
        let key = self.full_key(key);
        self.degrade("get", None, |s| s.get(&key))
            .and_then(|text| serde_json::from_str(&text).ok())
    }

    /// [`Cache::get`], shared rather than copied: the hot path's read (a user's context on
    /// every authenticated request).
    pub fn get_shared(&self, key: &str) -> Option<Arc<Value>> {
        let key = self.full_key(key);
        self.degrade("get", None, |s| s.get_value(&key))
    }

    /// Caches `value` under `key` for `ttl` seconds (`None`: until deleted).
    pub fn set(&self, key: &str, value: &Value, ttl: Option<u64>) {
        let key = self.full_key(key);
        let text = value.to_string();
        self.degrade("set", (), |s| s.set(&key, &text, ttl));
    }

    pub fn delete(&self, key: &str) {
        self.forgets.fetch_add(1, Ordering::SeqCst);
        let key = self.full_key(key);
        self.degrade("delete", (), |s| s.delete(&key));
    }

    /// Removes every key starting with `prefix` (memcached: everything).
    pub fn delete_prefix(&self, prefix: &str) {
        self.forgets.fetch_add(1, Ordering::SeqCst);
        let prefix = self.full_key(prefix);
        self.degrade("delete_prefix", (), |s| s.delete_prefix(&prefix));
    }

    /// A mark to take before reading what [`Cache::set_unless_forgotten_since`] will cache.
    pub fn forget_mark(&self) -> u64 {
        self.forgets.load(Ordering::SeqCst)
    }

    /// Caches `value` unless this process deleted anything since `mark` was taken: the value
    /// may have been read just before a change whose delete already ran, and putting it back
    /// would keep the stale value alive until its TTL. Answers whether it was cached.
    pub fn set_unless_forgotten_since(
        &self,
        mark: u64,
        key: &str,
        value: &Value,
        ttl: Option<u64>,
    ) -> bool {
        let unchanged = self.forget_mark() == mark;
        if unchanged {
            self.set(key, value, ttl);
        }
        unchanged
    }

    /// `OK`, or why the server does not answer (for `/ht/`).
    pub fn health(&self) -> Result<(), String> {
        self.store.ping()
    }

    /// The host services `cache.*`; `None` for other methods.
    pub fn service(&self, method: &str, payload: Value) -> Option<Result<Value, ModuleError>> {
        let bad =
            |e: serde_json::Error| ModuleError::new("BAD_PAYLOAD", format!("host.{method}: {e}"));
        let key = || serde_json::from_value::<KeyArgs>(payload.clone()).map_err(bad);
        Some(match method {
            "cache.get" => key().map(|a| json!({ "value": self.get(&a.key) })),
            "cache.set" => key().map(|a| {
                self.set(&a.key, &a.value, a.ttl);
                json!({})
            }),
            "cache.delete" => key().map(|a| {
                self.delete(&a.key);
                json!({})
            }),
            "cache.delete_prefix" => serde_json::from_value::<PrefixArgs>(payload)
                .map_err(bad)
                .map(|a| {
                    self.delete_prefix(&a.prefix);
                    json!({})
                }),
            _ => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A store whose server is down.
    struct Down;
    impl Store for Down {
        fn get(&self, _: &str) -> Result<Option<String>, String> {
            Err("connection refused".into())
        }
        fn set(&self, _: &str, _: &str, _: Option<u64>) -> Result<(), String> {
            Err("connection refused".into())
        }
        fn delete(&self, _: &str) -> Result<(), String> {
            Err("connection refused".into())
        }
        fn delete_prefix(&self, _: &str) -> Result<(), String> {
            Err("connection refused".into())
        }
        fn ping(&self) -> Result<(), String> {
            Err("connection refused".into())
        }
    }

    #[test]
    fn a_value_read_before_a_delete_is_not_put_back() {
        let cache = Cache::memory();
        let mark = cache.forget_mark();
        cache.delete_prefix("rights_");
        assert!(!cache.set_unless_forgotten_since(mark, "rights_a", &json!(1), None));
        assert_eq!(cache.get("rights_a"), None);
        let mark = cache.forget_mark();
        assert!(cache.set_unless_forgotten_since(mark, "rights_a", &json!(2), None));
        assert_eq!(cache.get("rights_a"), Some(json!(2)));
    }

    #[test]
    fn services_set_get_and_delete_by_prefix() {
        let cache = Cache::memory();
        let call = |m: &str, p: Value| cache.service(m, p).unwrap().unwrap();
        call("cache.set", json!({"key": "rights_a", "value": {"r": [1]}}));
        call(
            "cache.set",
            json!({"key": "rights_b", "value": 2, "ttl": 60}),
        );
        call("cache.set", json!({"key": "other", "value": "x"}));
        assert_eq!(
            call("cache.get", json!({"key": "rights_a"})),
            json!({"value": {"r": [1]}})
        );
        call("cache.delete_prefix", json!({"prefix": "rights_"}));
        assert_eq!(
            call("cache.get", json!({"key": "rights_b"})),
            json!({"value": null})
        );
        assert_eq!(
            call("cache.get", json!({"key": "other"})),
            json!({"value": "x"})
        );
        call("cache.delete", json!({"key": "other"}));
        assert_eq!(cache.get("other"), None);
        assert!(cache.service("cache.nope", json!({})).is_none());
        assert_eq!(
            cache
                .service("cache.get", json!({}))
                .unwrap()
                .unwrap_err()
                .code
                .as_str(),
            "BAD_PAYLOAD"
        );
    }

    #[test]
    fn a_failing_server_degrades_to_no_cache() {
        let cache = Cache::with_store(Box::new(Down), "redis", "oi");
        cache.set("k", &json!(1), None);
        assert_eq!(cache.get("k"), None);
        cache.delete_prefix("rights_");
        assert!(cache.health().is_err());
    }

    #[test]
    fn a_memory_value_is_parsed_once_and_shared() {
        let cache = Cache::memory();
        cache.set("k", &json!({"a": [1]}), Some(60));
        let (one, two) = (
            cache.get_shared("k").unwrap(),
            cache.get_shared("k").unwrap(),
        );
        assert!(Arc::ptr_eq(&one, &two));
        assert_eq!(*one, json!({"a": [1]}));
        cache.delete("k");
        assert_eq!(cache.get_shared("k"), None);
    }

    #[test]
    fn expired_entries_are_gone() {
        let cache = Cache::memory();
        cache.set("k", &json!(1), Some(0));
        // `ttl` 0 is stored as "expires now" by the memory store.
        assert_eq!(cache.get("k"), None);
    }
}
