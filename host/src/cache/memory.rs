//! The in-process store (Django's `LocMemCache`): a map with expiry times, culled when full.
//! Each value is kept as its text and, when it is JSON, parsed once at `set`.

use super::Store;
use serde_json::Value;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A value's text, the same parsed (when it is JSON), and when it expires.
struct Entry {
    text: String,
    parsed: Option<Arc<Value>>,
    expires: Option<Instant>,
}

/// Entries kept before culling (expired ones first, then a third of the rest).
const MAX_ENTRIES: usize = 10_000;

#[derive(Default)]
pub struct Memory {
    entries: Mutex<HashMap<String, Entry>>,
}

impl Memory {
    fn cull(entries: &mut HashMap<String, Entry>) {
        let now = Instant::now();
        entries.retain(|_, entry| entry.expires.is_none_or(|at| at > now));
        if entries.len() >= MAX_ENTRIES {
            let doomed: Vec<String> = entries.keys().take(MAX_ENTRIES / 3).cloned().collect();
            for key in doomed {
                entries.remove(&key);
            }
        }
    }
}

impl Memory {
    /// `read` of the entry under `key` unless it expired (then it goes).
    fn live<T>(&self, key: &str, read: impl FnOnce(&Entry) -> T) -> Option<T> {
        let mut entries = self.entries.lock().expect("cache lock");
        match entries.get(key) {
            Some(entry) if entry.expires.is_some_and(|at| at <= Instant::now()) => {
                entries.remove(key);
                None
            }
            Some(entry) => Some(read(entry)),
            None => None,
        }
    }
}

impl Store for Memory {
    fn get(&self, key: &str) -> Result<Option<String>, String> {
        Ok(self.live(key, |entry| entry.text.clone()))
    }

    fn get_value(&self, key: &str) -> Result<Option<Arc<Value>>, String> {
        Ok(self.live(key, |entry| entry.parsed.clone()).flatten())
    }

    fn set(&self, key: &str, value: &str, ttl: Option<u64>) -> Result<(), String> {
        let mut entries = self.entries.lock().expect("cache lock");
        if entries.len() >= MAX_ENTRIES {
            Self::cull(&mut entries);
        }
        let entry = Entry {
            text: value.to_owned(),
            parsed: serde_json::from_str(value).ok().map(Arc::new),
            expires: ttl.map(|s| Instant::now() + Duration::from_secs(s)),
        };
        entries.insert(key.to_owned(), entry);
        Ok(())
    }

    fn delete(&self, key: &str) -> Result<(), String> {
        self.entries.lock().expect("cache lock").remove(key);
        Ok(())
    }

    fn delete_prefix(&self, prefix: &str) -> Result<(), String> {
        self.entries
            .lock()
            .expect("cache lock")
            .retain(|key, _| !key.starts_with(prefix));
        Ok(())
    }

    fn ping(&self) -> Result<(), String> {
        Ok(())
    }
}

/// Django's `DummyCache`: remembers nothing.
pub struct Dummy;

impl Store for Dummy {
    fn get(&self, _key: &str) -> Result<Option<String>, String> {
        Ok(None)
    }

    fn set(&self, _key: &str, _value: &str, _ttl: Option<u64>) -> Result<(), String> {
        Ok(())
    }

    fn delete(&self, _key: &str) -> Result<(), String> {
        Ok(())
    }

    fn delete_prefix(&self, _prefix: &str) -> Result<(), String> {
        Ok(())
    }

    fn ping(&self) -> Result<(), String> {
        Ok(())
    }
}
