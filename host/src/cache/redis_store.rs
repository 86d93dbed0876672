//! The Redis store: one connection (reopened after a failure) with short timeouts, so a server
//! that goes away costs a request at most a fraction of a second.

use super::Store;
use std::sync::Mutex;
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_millis(500);

pub struct RedisStore {
    client: redis::Client,
    connection: Mutex<Option<redis::Connection>>,
}

impl RedisStore {
    pub fn new(url: &str) -> Result<Self, String> {
        Ok(Self {
            client: redis::Client::open(url).map_err(|e| e.to_string())?,
            connection: Mutex::new(None),
        })
    }

    /// Runs `command` on the connection, opening it first if needed; a failed command drops
    /// the connection so the next one reconnects.
    fn with<T>(
        &self,
        command: impl FnOnce(&mut redis::Connection) -> redis::RedisResult<T>,
    ) -> Result<T, String> {
        let mut slot = self.connection.lock().expect("redis lock");
        if slot.is_none() {
            let connection = self
                .client
                .get_connection_with_timeout(TIMEOUT)
                .map_err(|e| e.to_string())?;
            connection
                .set_read_timeout(Some(TIMEOUT))
                .and_then(|()| connection.set_write_timeout(Some(TIMEOUT)))
                .map_err(|e| e.to_string())?;
            *slot = Some(connection);
        }
        let connection = slot.as_mut().expect("connection just opened");
        let result = command(connection);
        if result.is_err() {
            *slot = None;
        }
        result.map_err(|e| e.to_string())
    }
}

/// `prefix` as a literal in a SCAN pattern, followed by `*`.
fn glob(prefix: &str) -> String {
    let mut pattern = String::with_capacity(prefix.len() + 2);
    for c in prefix.chars() {
        if matches!(c, '*' | '?' | '[' | ']' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('*');
    pattern
}

impl Store for RedisStore {
    fn get(&self, key: &str) -> Result<Option<String>, String> {
        self.with(|c| redis::cmd("GET").arg(key).query(c))
    }

    fn set(&self, key: &str, value: &str, ttl: Option<u64>) -> Result<(), String> {
        self.with(|c| {
            let mut command = redis::cmd("SET");
            command.arg(key).arg(value);
            if let Some(seconds) = ttl {
                command.arg("EX").arg(seconds.max(1));
            }
            command.query(c)
        })
    }

    fn delete(&self, key: &str) -> Result<(), String> {
        self.with(|c| redis::cmd("DEL").arg(key).query(c))
    }

    fn delete_prefix(&self, prefix: &str) -> Result<(), String> {
        let pattern = glob(prefix);
        self.with(|c| {
            let mut cursor: u64 = 0;
            loop {
                let (next, keys): (u64, Vec<String>) = redis::cmd("SCAN")
                    .arg(cursor)
                    .arg("MATCH")
                    .arg(&pattern)
                    .arg("COUNT")
                    .arg(500)
                    .query(c)?;
                if !keys.is_empty() {
                    redis::cmd("DEL").arg(&keys).query::<()>(c)?;
                }
                if next == 0 {
                    return Ok(());
                }
                cursor = next;
            }
        })
    }

    fn ping(&self) -> Result<(), String> {
        self.with(|c| redis::cmd("PING").query::<String>(c))
            .map(drop)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn prefixes_match_literally() {
        assert_eq!(super::glob("oi:rights_"), "oi:rights_*");
        assert_eq!(super::glob("a*b?"), "a\\*b\\?*");
    }
}
