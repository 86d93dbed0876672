//! SQL timing inside a module while the host profiles a request (`?prof=True`).
//!
//! The host brackets each call into a module with the reserved services [`BEGIN`] and [`END`]
//! (answered by the SDK's adapter, never by the module). In between, `sdk::db::load`/`execute`
//! record each statement's text and duration in a thread-local list (module calls run
//! synchronously on one thread). Nested brackets (a module calling itself through the host)
//! each get their own statements. When nothing is bracketed, recording costs one thread-local
//! read.

use crate::abi::ModuleError;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::cell::RefCell;
use std::time::{Duration, Instant};

/// Starts recording this thread's statements (answered by the SDK, not the module).
pub const BEGIN: &str = "sdk.profile.begin";
/// Stops the innermost recording and answers its statements as a JSON list of [`Statement`].
pub const END: &str = "sdk.profile.end";

/// One SQL statement a module ran, relative to the start of its recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statement {
    pub sql: String,
    /// Microseconds from [`BEGIN`] to the statement's start.
    pub offset_us: u64,
    pub duration_us: u64,
}

#[derive(Default)]
struct Recording {
    /// Statements of every open recording: (text, start, duration).
    statements: Vec<(String, Instant, Duration)>,
    /// One per open recording: where its statements start, and when it began.
    marks: Vec<(usize, Instant)>,
}

thread_local! {
    static RECORDING: RefCell<Recording> = RefCell::default();
}

/// Whether a recording is open on this thread.
pub fn is_active() -> bool {
    RECORDING.with(|r| !r.borrow().marks.is_empty())
}

/// Opens a recording.
pub fn begin() {
    RECORDING.with(|r| {
        let mut r = r.borrow_mut();
        let start = r.statements.len();
        r.marks.push((start, Instant::now()));
    });
}

/// Closes the innermost recording and answers its statements (empty when none was open).
pub fn end() -> Vec<Statement> {
    RECORDING.with(|r| {
        let mut r = r.borrow_mut();
        let Some((start, began)) = r.marks.pop() else {
            return Vec::new();
        };
        r.statements
            .drain(start..)
            .map(|(sql, at, took)| Statement {
                sql,
                offset_us: micros(at.saturating_duration_since(began)),
                duration_us: micros(took),
            })
            .collect()
    })
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// Runs `statement`, recording `sql` and its duration when a recording is open.
pub fn timed<T>(sql: &str, statement: impl FnOnce() -> T) -> T {
    if !is_active() {
        return statement();
    }
    let start = Instant::now();
    let result = statement();
    let took = start.elapsed();
    RECORDING.with(|r| {
        r.borrow_mut()
            .statements
            .push((sql.to_owned(), start, took))
    });
    result
}

/// The adapter's answer to the reserved services; `None` for every other method.
pub fn reserved_service(method: &str) -> Option<Result<Value, ModuleError>> {
    match method {
        BEGIN => {
            begin();
            Some(Ok(Value::Null))
        }
        END => Some(
            serde_json::to_value(end())
                .map_err(|e| ModuleError::new("BAD_RESPONSE", e.to_string())),
        ),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_is_recorded_outside_a_recording() {
        assert_eq!(timed("SELECT 1", || 7), 7);
        assert!(!is_active());
        assert!(end().is_empty());
    }

    #[test]
    fn nested_recordings_keep_their_own_statements() {
        begin();
        timed("SELECT outer", || ());
        begin();
        timed("SELECT inner", || ());
        let inner = end();
        timed("SELECT after", || ());
        let outer = end();
        assert_eq!(
            inner.iter().map(|s| s.sql.as_str()).collect::<Vec<_>>(),
            ["SELECT inner"]
        );
        assert_eq!(
            outer.iter().map(|s| s.sql.as_str()).collect::<Vec<_>>(),
            ["SELECT outer", "SELECT after"]
        );
        assert!(outer[0].offset_us <= outer[1].offset_us);
        assert!(!is_active());
    }

    #[test]
    fn the_reserved_services_answer_the_statements() {
        assert_eq!(reserved_service(BEGIN).unwrap().unwrap(), Value::Null);
        timed("UPDATE t SET x = ?", || ());
        let answer = reserved_service(END).unwrap().unwrap();
        assert_eq!(answer[0]["sql"], "UPDATE t SET x = ?");
        assert!(reserved_service("name_of").is_none());
    }
}
