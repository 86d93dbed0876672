//! What became of a GraphQL request, as its mutations need to know: a request answered 503
//! `REQUEST_TIMEOUT` (abandoned) must never run a mutation later, and one whose mutation was
//! acknowledged (handed to the queue, or started inline) must be answered, not abandoned.
//! The timeout middleware and `mutations.enqueue` settle it with one atomic step each
//! ([`Fate::abandon`], [`Fate::commit`]), so exactly one of them wins.
//!
//! The HTTP edge registers a request's fate under its `request_id` while the request runs
//! ([`Fates::watch`]); `mutations.enqueue` finds it by the `request_id` of the mutation's
//! context. The logs of mutations run inline in the request are remembered on the fate and
//! handed to the [`super::reaper::Reaper`] when the request ends, which marks any still at
//! status 0 failed.

use super::reaper::Reaper;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
enum State {
    #[default]
    Running,
    /// A mutation of the request was acknowledged: it runs (or ran), and the client is told.
    Committed,
    /// The client was answered 503: nothing of the request may run any more.
    Abandoned,
}

/// One request's fate.
#[derive(Debug, Default)]
pub struct Fate {
    state: Mutex<State>,
    /// Logs of mutations this request ran inline.
    inline_logs: Mutex<Vec<String>>,
}

impl Fate {
    pub fn new() -> Arc<Self> {
        Arc::default()
    }

    /// Abandons the request unless a mutation of it was acknowledged; `true` when abandoned
    /// (the caller answers 503), `false` when the caller must wait for the real answer.
    pub fn abandon(&self) -> bool {
        let mut state = self.state.lock().expect("fate lock");
        if *state == State::Committed {
            return false;
        }
        *state = State::Abandoned;
        true
    }

    /// Acknowledges a mutation of the request unless the request was abandoned; `false` when
    /// it was (the mutation must not run).
    pub fn commit(&self) -> bool {
        let mut state = self.state.lock().expect("fate lock");
        if *state == State::Abandoned {
            return false;
        }
        *state = State::Committed;
        true
    }

    /// Whether the client was already answered 503.
    pub fn abandoned(&self) -> bool {
        *self.state.lock().expect("fate lock") == State::Abandoned
    }

    fn ran_inline(&self, log_id: &str) {
        self.inline_logs
            .lock()
            .expect("fate lock")
            .push(log_id.to_owned());
    }
}

/// The fates of the requests running now, by `request_id`.
#[derive(Default)]
pub struct Fates {
    running: Mutex<HashMap<String, Arc<Fate>>>,
}

impl Fates {
    /// Registers `fate` as request `request_id`'s until the guard drops (the request's end),
    /// when the logs of its inline mutations go to `reaper`.
    pub fn watch(&self, request_id: &str, fate: Arc<Fate>, reaper: Arc<Reaper>) -> Watched<'_> {
        self.running
            .lock()
            .expect("fates lock")
            .insert(request_id.to_owned(), fate.clone());
        Watched {
            fates: self,
            request_id: request_id.to_owned(),
            fate,
            reaper,
        }
    }

    /// Request `request_id`'s fate, while it runs.
    pub fn of(&self, request_id: &str) -> Option<Arc<Fate>> {
        self.running
            .lock()
            .expect("fates lock")
            .get(request_id)
            .cloned()
    }

    /// Notes that the request's mutation `log_id` runs inline.
    pub fn ran_inline(&self, request_id: &str, log_id: &str) {
        if let Some(fate) = self.of(request_id) {
            fate.ran_inline(log_id);
        }
    }
}

/// See [`Fates::watch`].
pub struct Watched<'f> {
    fates: &'f Fates,
    request_id: String,
    fate: Arc<Fate>,
    reaper: Arc<Reaper>,
}

impl Drop for Watched<'_> {
    fn drop(&mut self) {
        self.fates
            .running
            .lock()
            .expect("fates lock")
            .remove(&self.request_id);
        let logs = std::mem::take(&mut *self.fate.inline_logs.lock().expect("fate lock"));
        for log_id in logs {
            self.reaper.check(log_id, super::reaper::OUTCOME_LOST);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abandoning_and_committing_exclude_each_other() {
        let fate = Fate::new();
        assert!(fate.commit());
        assert!(!fate.abandon(), "an acknowledged mutation is answered");
        assert!(fate.commit(), "a second mutation of the same request");
        let fate = Fate::new();
        assert!(fate.abandon());
        assert!(fate.abandoned());
        assert!(!fate.commit(), "an abandoned request runs nothing");
    }
}
