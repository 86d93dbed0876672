//! The in-process store (Django's `LocMemCache`): a map with expiry times, culled when full.

use super::Store;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Entries kept before culling (expired ones first, then a third of the rest).
const MAX_ENTRIES: usize = 10_000;

#[derive(Default)]
pub struct Memory {
    entries: Mutex<HashMap<String, (String, Option<Instant>)>>,
}

impl Memory {
    fn cull(entries: &mut HashMap<String, (String, Option<Instant>)>) {
        let now = Instant::now();
        entries.retain(|_, (_, expires)| expires.is_none_or(|at| at > now));
        if entries.len() >= MAX_ENTRIES {
            let doomed: Vec<String> = entries.keys().take(MAX_ENTRIES / 3).cloned().collect();
            for key in doomed {
                entries.remove(&key);
            }
        }
    }
}

impl Store for Memory {
    fn get(&self, key: &str) -> Result<Option<String>, String> {
        let mut entries = self.entries.lock().expect("cache lock");
        match entries.get(key) {
            Some((_, Some(at))) if *at <= Instant::now() => {
                entries.remove(key);
                Ok(None)
            }
            Some((value, _)) => Ok(Some(value.clone())),
            None => Ok(None),
        }
    }

    fn set(&self, key: &str, value: &str, ttl: Option<u64>) -> Result<(), String> {
        let mut entries = self.entries.lock().expect("cache lock");
        if entries.len() >= MAX_ENTRIES {
            Self::cull(&mut entries);
        }
        let expires = ttl.map(|s| Instant::now() + Duration::from_secs(s));
        entries.insert(key.to_owned(), (value.to_owned(), expires));
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
