//! The memcached store. memcached cannot list keys, so deleting a prefix flushes the whole
//! cache, as the original does for every backend but Redis.

use super::Store;
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_millis(500);

pub struct MemcachedStore {
    client: memcache::Client,
}

impl MemcachedStore {
    /// Builds the client without connecting (the first use or `ping` connects).
    pub fn new(urls: &[String]) -> Result<Self, String> {
        let mut builder = memcache::Client::builder()
            .with_min_idle_conns(0)
            .with_max_pool_size(4)
            .with_connection_timeout(TIMEOUT)
            .with_read_timeout(TIMEOUT)
            .with_write_timeout(TIMEOUT);
        for url in urls {
            builder = builder
                .add_server(url.as_str())
                .map_err(|e| e.to_string())?;
        }
        Ok(Self {
            client: builder.build().map_err(|e| e.to_string())?,
        })
    }
}

/// memcached keys are at most 250 bytes without spaces or control characters.
fn safe(key: &str) -> String {
    key.chars()
        .flat_map(|c| {
            if c.is_ascii_graphic() && c != '%' {
                vec![c]
            } else {
                format!("%{:02X}", c as u32).chars().collect()
            }
        })
        .take(250)
        .collect()
}

impl Store for MemcachedStore {
    fn get(&self, key: &str) -> Result<Option<String>, String> {
        self.client.get(&safe(key)).map_err(|e| e.to_string())
    }

    fn set(&self, key: &str, value: &str, ttl: Option<u64>) -> Result<(), String> {
        let expiration = ttl.map_or(0, |s| u32::try_from(s.max(1)).unwrap_or(u32::MAX));
        self.client
            .set(&safe(key), value, expiration)
            .map_err(|e| e.to_string())
    }

    fn delete(&self, key: &str) -> Result<(), String> {
        self.client
            .delete(&safe(key))
            .map(drop)
            .map_err(|e| e.to_string())
    }

    fn delete_prefix(&self, _prefix: &str) -> Result<(), String> {
        self.client.flush().map_err(|e| e.to_string())
    }

    fn ping(&self) -> Result<(), String> {
        self.client.version().map(drop).map_err(|e| e.to_string())
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn keys_lose_spaces() {
        assert_eq!(super::safe("oi:rights_A b"), "oi:rights_A%20b");
    }
}
