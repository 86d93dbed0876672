//! Sees that no acknowledged mutation's log stays at status 0 while this process lives: the
//! logs whose run ended here without a recorded outcome (a queued job the module could not
//! run or whose outcome it could not record, a mutation run inline in a request that ended,
//! a mutation refused by `mutations.enqueue`) are checked through core's
//! `mutation_log.pending`, and those still at 0 are marked failed (1) with a clear message.
//! While the database is away it tries again, waiting longer each time (up to
//! [`MAX_BACK_OFF`]), so a log is settled soon after the database comes back.
//!
//! Work runs on one thread of its own, started at the first check; the request path only
//! pushes a log id.

use crate::directory::Directory;
use openimis_sdk::mutation::{failure_text, FAILED};
use serde_json::{json, Value};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::Duration;

/// The failure recorded for a mutation whose outcome was lost (the database failed while it
/// ran or while its outcome was recorded).
pub const OUTCOME_LOST: &str = "The server could not record the outcome of this mutation (the database was unavailable); check whether it was applied before retrying it.";

/// The first wait after a failed attempt; it doubles up to [`MAX_BACK_OFF`].
const FIRST_BACK_OFF: Duration = Duration::from_millis(250);
const MAX_BACK_OFF: Duration = Duration::from_secs(5);

#[derive(Default)]
struct Shared {
    /// `(log id, message)` to check, and whether the reaper is gone.
    queue: Mutex<(Vec<(String, String)>, bool)>,
    wake: Condvar,
}

/// See the module documentation.
pub struct Reaper {
    directory: Arc<Directory>,
    shared: Arc<Shared>,
    thread: OnceLock<()>,
}

impl Reaper {
    pub fn new(directory: Arc<Directory>) -> Arc<Self> {
        Arc::new(Self {
            directory,
            shared: Arc::default(),
            thread: OnceLock::new(),
        })
    }

    /// Marks log `log_id` failed with `message` unless it left status 0, now or as soon as
    /// the database answers again.
    pub fn check(&self, log_id: String, message: &str) {
        self.thread.get_or_init(|| self.spawn());
        let mut queue = self.shared.queue.lock().expect("reaper lock");
        queue.0.push((log_id, message.to_owned()));
        self.shared.wake.notify_all();
    }

    fn spawn(&self) {
        let shared = self.shared.clone();
        let directory = self.directory.clone();
        let spawned = std::thread::Builder::new()
            .name("mutation-reaper".into())
            .spawn(move || run(&shared, &directory));
        if let Err(e) = spawned {
            log::error!(target: "openimis", "could not start the mutation reaper: {e}");
        }
    }
}

impl Drop for Reaper {
    fn drop(&mut self) {
        self.shared.queue.lock().expect("reaper lock").1 = true;
        self.shared.wake.notify_all();
    }
}

fn run(shared: &Shared, directory: &Directory) {
    let mut back_off = FIRST_BACK_OFF;
    let mut retrying: Vec<(String, String)> = Vec::new();
    loop {
        let mut batch = {
            let mut queue = shared.queue.lock().expect("reaper lock");
            if retrying.is_empty() {
                while queue.0.is_empty() && !queue.1 {
                    queue = shared.wake.wait(queue).expect("reaper lock");
                }
            }
            if queue.1 {
                return;
            }
            std::mem::take(&mut queue.0)
        };
        batch.append(&mut retrying);
        retrying = settle(directory, batch);
        if retrying.is_empty() {
            back_off = FIRST_BACK_OFF;
        } else {
            let queue = shared.queue.lock().expect("reaper lock");
            if queue.1 {
                return;
            }
            let _ = shared.wake.wait_timeout(queue, back_off);
            back_off = (back_off * 2).min(MAX_BACK_OFF);
        }
    }
}

/// Marks the logs of `batch` still at 0 failed; answers those it could not settle.
fn settle(directory: &Directory, batch: Vec<(String, String)>) -> Vec<(String, String)> {
    let Some(core) = directory.current().and_then(|s| s.get("core").cloned()) else {
        return batch;
    };
    let ids: Vec<&str> = batch.iter().map(|(id, _)| id.as_str()).collect();
    let pending = core
        .service("mutation_log.pending", &json!({ "ids": ids }).to_string())
        .ok()
        .and_then(|answer| serde_json::from_str::<Value>(&answer).ok());
    let Some(pending) = pending.as_ref().and_then(Value::as_object) else {
        return batch;
    };
    let mut left = Vec::new();
    for (id, message) in batch {
        if !pending.contains_key(&id) {
            continue;
        }
        let payload = json!({"id": id, "status": FAILED, "error": failure_text(&message)});
        match core.service("mutation_log.finish", &payload.to_string()) {
            Ok(_) => log::warn!(target: "openimis", "mutation {id} marked failed: {message}"),
            Err(_) => left.push((id, message)),
        }
    }
    left
}
