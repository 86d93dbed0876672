//! `CACHE_BACKEND` / `CACHE_URL` / `CACHE_OPTIONS`, read as the original does: a backend is
//! used only when both `CACHE_BACKEND` and `CACHE_URL` are set, else the in-memory cache.

use crate::settings::env::{Env, SettingError};
use serde_json::{Map, Value};

/// Which store the cache uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// In this process (Django's `LocMemCache`): the default.
    Memory,
    /// Caches nothing (Django's `DummyCache`).
    Dummy,
    /// A Redis server (`redis://host:port/db`, `unix:///path`).
    Redis { url: String },
    /// memcached servers, as `memcache://` URLs (from `host:port` or `unix:/path`, several
    /// separated by `;` or `,`).
    Memcached { urls: Vec<String> },
}

/// The cache settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CacheConfig {
    pub backend: Backend,
    /// Prepended to every key (`CACHE_OPTIONS` `KEY_PREFIX`; `oi`, the original's default
    /// cache prefix).
    pub key_prefix: String,
}

impl Default for CacheConfig {
    fn default() -> Self {
        Self {
            backend: Backend::Memory,
            key_prefix: "oi".to_owned(),
        }
    }
}

fn bad(name: &str, value: &str, reason: impl Into<String>) -> SettingError {
    SettingError {
        name: name.to_owned(),
        value: value.to_owned(),
        reason: reason.into(),
    }
}

impl CacheConfig {
    pub fn from_env(env: &Env<'_>) -> Result<Self, SettingError> {
        let mut config = Self::default();
        if let Some(options) = env.get("CACHE_OPTIONS") {
            let parsed: Map<String, Value> = serde_json::from_str(&options).map_err(|e| {
                bad(
                    "CACHE_OPTIONS",
                    &options,
                    format!("expected a JSON object: {e}"),
                )
            })?;
            if let Some(prefix) = parsed.get("KEY_PREFIX") {
                config.key_prefix = prefix
                    .as_str()
                    .ok_or_else(|| bad("CACHE_OPTIONS", &options, "KEY_PREFIX must be a string"))?
                    .to_owned();
            }
        }
        let (Some(backend), Some(url)) = (env.get("CACHE_BACKEND"), env.get("CACHE_URL")) else {
            if let Some(backend) = env.get("CACHE_BACKEND") {
                log::warn!(target: "openimis::cache", "CACHE_BACKEND={backend} without CACHE_URL: using the in-memory cache, as the original does");
            }
            return Ok(config);
        };
        let name = backend.to_ascii_lowercase();
        config.backend = if name.contains("locmem") || name == "memory" {
            Backend::Memory
        } else if name.contains("dummy") {
            Backend::Dummy
        } else if name.contains("redis") {
            redis::Client::open(url.as_str())
                .map_err(|e| bad("CACHE_URL", &url, format!("not a Redis URL: {e}")))?;
            Backend::Redis { url }
        } else if name.contains("memcache") || name.contains("pylibmc") {
            Backend::Memcached {
                urls: memcached_urls(&url).map_err(|reason| bad("CACHE_URL", &url, reason))?,
            }
        } else {
            return Err(bad(
                "CACHE_BACKEND",
                &backend,
                "expected a locmem, dummy, redis or memcached backend (Django's class paths, e.g. django.core.cache.backends.redis.RedisCache, or those short names)",
            ));
        };
        Ok(config)
    }
}

/// Django's memcached locations as the memcache crate's URLs.
fn memcached_urls(location: &str) -> Result<Vec<String>, String> {
    let urls: Vec<String> = location
        .split([';', ','])
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| {
            if l.starts_with("memcache") {
                l.to_owned()
            } else if let Some(path) = l.strip_prefix("unix:") {
                format!("memcache://{}", path.trim_start_matches("//"))
            } else {
                format!("memcache://{l}")
            }
        })
        .collect();
    if urls.is_empty() {
        return Err("expected host:port or unix:/path of a memcached server".into());
    }
    Ok(urls)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<CacheConfig, SettingError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        CacheConfig::from_env(&Env::new(&move |n| map.get(n).cloned()))
    }

    #[test]
    fn memory_unless_backend_and_url_are_both_set() {
        assert_eq!(config(&[]).unwrap(), CacheConfig::default());
        assert_eq!(
            config(&[(
                "CACHE_BACKEND",
                "django.core.cache.backends.redis.RedisCache"
            )])
            .unwrap()
            .backend,
            Backend::Memory
        );
    }

    #[test]
    fn backends_by_django_class_path_or_short_name() {
        let redis = config(&[
            ("CACHE_BACKEND", "django_redis.cache.RedisCache"),
            ("CACHE_URL", "redis://127.0.0.1:6379/1"),
            (
                "CACHE_OPTIONS",
                r#"{"KEY_PREFIX": "t1", "CLIENT_CLASS": "x"}"#,
            ),
        ])
        .unwrap();
        assert_eq!(
            redis,
            CacheConfig {
                backend: Backend::Redis {
                    url: "redis://127.0.0.1:6379/1".into()
                },
                key_prefix: "t1".into()
            }
        );
        let memcached = config(&[
            (
                "CACHE_BACKEND",
                "django.core.cache.backends.memcached.PyMemcacheCache",
            ),
            ("CACHE_URL", "unix:/tmp/memcached.sock;10.0.0.2:11211"),
        ])
        .unwrap();
        assert_eq!(
            memcached.backend,
            Backend::Memcached {
                urls: vec![
                    "memcache:///tmp/memcached.sock".into(),
                    "memcache://10.0.0.2:11211".into()
                ]
            }
        );
        let dummy = config(&[("CACHE_BACKEND", "dummy"), ("CACHE_URL", "-")]).unwrap();
        assert_eq!(dummy.backend, Backend::Dummy);
    }

    #[test]
    fn bad_values_name_the_variable() {
        let backend = config(&[("CACHE_BACKEND", "db"), ("CACHE_URL", "x")]).unwrap_err();
        assert_eq!(backend.name, "CACHE_BACKEND");
        let url = config(&[("CACHE_BACKEND", "redis"), ("CACHE_URL", "http://x")]).unwrap_err();
        assert_eq!(url.name, "CACHE_URL");
        let options = config(&[("CACHE_OPTIONS", "KEY_PREFIX=x")]).unwrap_err();
        assert_eq!(options.name, "CACHE_OPTIONS");
    }
}
