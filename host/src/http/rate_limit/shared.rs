//! The rate limit counted in Redis, so that every host sharing the cache server allows a client
//! `RATELIMIT_RATE` requests between them: django-ratelimit's fixed window, one counter per
//! client and window under the cache's key prefix (`<KEY_PREFIX>:ratelimit:graphql:<client>:
//! <window>`), incremented and given its expiry in one `MULTI`/`EXEC` round trip. Windows are
//! counted from the epoch on each host's clock (hosts kept in time by NTP agree on them).
//!
//! A server that fails never fails a request: the caller counts in its own process instead
//! ([`SharedLimit::hit`] answers `None`), the server is left alone for a few seconds, and a
//! warning is logged at most that often, as the cache does.

use crate::settings::RateLimit;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Connect, read and write timeouts: a server that goes away costs a request this at most.
const TIMEOUT: Duration = Duration::from_millis(500);
/// How long a failing server is left alone (the in-process limiter counts meanwhile).
const BACK_OFF: Duration = Duration::from_secs(5);
/// Connections kept open between requests (more are opened under load, then closed).
const IDLE: usize = 16;

/// What the shared count says about one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Allowed,
    /// Over the limit until the window ends, in whole seconds (at least 1).
    Over {
        retry_after: u64,
    },
}

/// The counters in one Redis server.
pub struct SharedLimit {
    client: redis::Client,
    idle: Mutex<Vec<redis::Connection>>,
    key_prefix: String,
    count: u64,
    period_ms: u64,
    /// Until when (ms since the epoch) the server is skipped after a failure.
    down_until_ms: AtomicU64,
    last_warning_ms: AtomicU64,
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

impl SharedLimit {
    /// Counters for `rate` on the Redis server at `url` (not contacted yet), under `key_prefix`.
    pub fn new(url: &str, key_prefix: &str, rate: RateLimit) -> Result<Self, String> {
        Ok(Self {
            client: redis::Client::open(url)
                .map_err(|e| format!("CACHE_URL={url} is not a Redis URL: {e}"))?,
            idle: Mutex::default(),
            key_prefix: key_prefix.to_owned(),
            count: u64::from(rate.count),
            period_ms: millis(rate.period).max(1),
            down_until_ms: AtomicU64::new(0),
            last_warning_ms: AtomicU64::new(0),
        })
    }

    /// The counter of `client` in window `window`.
    fn key(&self, client: &str, window: u64) -> String {
        let key = format!("ratelimit:graphql:{client}:{window}");
        if self.key_prefix.is_empty() {
            key
        } else {
            format!("{}:{key}", self.key_prefix)
        }
    }

    fn connection(&self) -> Result<redis::Connection, String> {
        if let Some(connection) = self.idle.lock().expect("redis connections").pop() {
            return Ok(connection);
        }
        let connection = self
            .client
            .get_connection_with_timeout(TIMEOUT)
            .map_err(|e| format!("cannot connect: {e}"))?;
        connection
            .set_read_timeout(Some(TIMEOUT))
            .and_then(|()| connection.set_write_timeout(Some(TIMEOUT)))
            .map_err(|e| format!("cannot set timeouts: {e}"))?;
        Ok(connection)
    }

    /// Counts one request of `client` at `now_ms`: the count so far in its window, and when
    /// the window ends (ms since the epoch).
    fn count_at(&self, client: &str, now_ms: u64) -> Result<(u64, u64), String> {
        let window = now_ms / self.period_ms;
        let ends_ms = (window + 1).saturating_mul(self.period_ms);
        let key = self.key(client, window);
        let mut connection = self.connection()?;
        // The expiry outlives the window by a second: a host whose clock is a little behind
        // still counts in it. Setting it on every request is idempotent.
        let (count,): (u64,) = redis::pipe()
            .atomic()
            .cmd("INCR")
            .arg(&key)
            .cmd("PEXPIREAT")
            .arg(&key)
            .arg(ends_ms + 1000)
            .ignore()
            .query(&mut connection)
            .map_err(|e| e.to_string())?;
        let mut idle = self.idle.lock().expect("redis connections");
        if idle.len() < IDLE {
            idle.push(connection);
        }
        Ok((count, ends_ms))
    }

    /// Counts one request of `client` (its IP address as text): `None` when the server is
    /// failing, and the caller counts in its own process.
    pub fn hit(&self, client: &str) -> Option<Verdict> {
        let now = now_ms();
        if self.down_until_ms.load(Ordering::Relaxed) > now {
            return None;
        }
        match self.count_at(client, now) {
            Ok((count, _)) if count <= self.count => Some(Verdict::Allowed),
            Ok((_, ends_ms)) => {
                let wait_ms = ends_ms.saturating_sub(now);
                // Whole seconds, rounded up: `Retry-After: 0` would invite an immediate retry.
                let retry_after = wait_ms.div_ceil(1000).max(1);
                Some(Verdict::Over { retry_after })
            }
            Err(e) => {
                let back_off_ms = millis(BACK_OFF);
                self.down_until_ms
                    .store(now + back_off_ms, Ordering::Relaxed);
                let last = self.last_warning_ms.load(Ordering::Relaxed);
                if now.saturating_sub(last) >= back_off_ms {
                    self.last_warning_ms.store(now, Ordering::Relaxed);
                    log::warn!(target: "openimis::http", "the rate limit's Redis counters failed: {e}; counting in this process for {}s", BACK_OFF.as_secs());
                }
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(prefix: &str) -> SharedLimit {
        let rate = RateLimit {
            count: 4,
            period: Duration::from_secs(60),
        };
        SharedLimit::new("redis://127.0.0.1:1/0", prefix, rate).unwrap()
    }

    #[test]
    fn keys_carry_the_cache_prefix_the_client_and_the_window() {
        assert_eq!(
            limit("oi").key("10.0.0.1", 29_000_000),
            "oi:ratelimit:graphql:10.0.0.1:29000000"
        );
        assert_eq!(limit("").key("-", 7), "ratelimit:graphql:-:7");
    }

    #[test]
    fn a_server_that_does_not_answer_leaves_the_count_to_the_process() {
        let limit = limit("oi");
        assert_eq!(limit.hit("10.0.0.1"), None);
        // Skipped for a while: no second attempt (nor a second warning) right away.
        assert!(limit.down_until_ms.load(Ordering::Relaxed) > now_ms());
        assert_eq!(limit.hit("10.0.0.1"), None);
    }
}
