//! Per-request profiling (`?prof=True` on a GraphQL request, the original's cProfile
//! middleware): time in authentication, parsing, validation and execution, in each module call
//! (module, kind, field or service) and in each SQL statement the modules ran through
//! `sdk::db`. The recorder is a thread-local: a GraphQL request runs on one blocking thread.

pub mod report;
pub mod speedscope;

use crate::graphql::GraphqlAnswer;
use abi_stable::std_types::{RResult, RStr};
use openimis_plugin_api::module::profile::{Statement, BEGIN, END};
use openimis_plugin_api::ModuleBox;
use std::cell::RefCell;
use std::time::{Duration, Instant};

/// What kind of time a span measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A step of the host's own work (authenticate, parse, validate, execute).
    Phase,
    /// One call into a module.
    Module,
    /// One SQL statement a module ran.
    Sql,
}

/// One measured interval, in microseconds from the start of the request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    pub kind: Kind,
    /// The phase (`parse`), the call (`resolve things`) or the statement text.
    pub name: String,
    /// The module called, or that ran the statement.
    pub module: Option<String>,
    pub start_us: u64,
    pub duration_us: u64,
}

/// What one request's profiling recorded.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub spans: Vec<Span>,
    pub total_us: u64,
}

/// How the profile was asked for: `?prof` (the report) and `&download` (speedscope JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Requested {
    pub download: bool,
}

impl Requested {
    /// `prof` anywhere in the query string asks for a profile, `download` for the file (as the
    /// original's middleware reads `request.GET`: the values do not matter).
    pub fn from_query(query: &str) -> Option<Self> {
        let has = |name: &str| {
            query
                .split('&')
                .any(|pair| pair.split('=').next() == Some(name))
        };
        has("prof").then(|| Self {
            download: has("download"),
        })
    }
}

struct Recorder {
    started: Instant,
    spans: Vec<Span>,
}

thread_local! {
    static RECORDER: RefCell<Option<Recorder>> = const { RefCell::new(None) };
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

/// Whether this thread is profiling a request.
pub fn is_active() -> bool {
    RECORDER.with(|r| r.borrow().is_some())
}

/// Starts profiling on this thread (replacing any unfinished profile).
pub fn start() {
    RECORDER.with(|r| {
        *r.borrow_mut() = Some(Recorder {
            started: Instant::now(),
            spans: Vec::new(),
        })
    });
}

/// Stops profiling and answers what was recorded (`None` if nothing was started).
pub fn finish() -> Option<Profile> {
    RECORDER
        .with(|r| r.borrow_mut().take())
        .map(|recorder| Profile {
            total_us: micros(recorder.started.elapsed()),
            spans: recorder.spans,
        })
}

/// Records a span that started at `start` and took `duration` (nothing when not profiling).
pub fn record(kind: Kind, name: &str, module: Option<&str>, start: Instant, duration: Duration) {
    RECORDER.with(|r| {
        if let Some(recorder) = r.borrow_mut().as_mut() {
            recorder.spans.push(Span {
                kind,
                name: name.to_owned(),
                module: module.map(str::to_owned),
                start_us: micros(start.saturating_duration_since(recorder.started)),
                duration_us: micros(duration),
            });
        }
    });
}

/// Runs `step`, recorded as phase `name` when profiling.
pub fn phase<T>(name: &str, step: impl FnOnce() -> T) -> T {
    if !is_active() {
        return step();
    }
    let start = Instant::now();
    let result = step();
    record(Kind::Phase, name, None, start, start.elapsed());
    result
}

/// Runs one call into `module`, `call` = (kind, target) such as `("resolve", "things")`,
/// recorded with the SQL statements the module ran meanwhile (the SDK collects them between
/// the reserved `BEGIN`/`END` services). Modules built without that SDK answer those with an
/// error: their SQL is then not listed.
pub fn module_call<T>(
    module: &ModuleBox,
    module_name: &str,
    call: (&str, &str),
    run: impl FnOnce() -> T,
) -> T {
    if !is_active() {
        return run();
    }
    let call = format!("{} {}", call.0, call.1);
    let _ = module.service(RStr::from(BEGIN), RStr::from("null"));
    let start = Instant::now();
    let result = run();
    let took = start.elapsed();
    let statements: Vec<Statement> = match module.service(RStr::from(END), RStr::from("null")) {
        RResult::ROk(answer) => serde_json::from_str(answer.as_str()).unwrap_or_default(),
        RResult::RErr(_) => Vec::new(),
    };
    record(Kind::Module, &call, Some(module_name), start, took);
    for statement in statements {
        let at = start + Duration::from_micros(statement.offset_us);
        let sql = statement
            .sql
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        record(
            Kind::Sql,
            &sql,
            Some(module_name),
            at,
            Duration::from_micros(statement.duration_us),
        );
    }
    result
}

/// The file name a downloaded profile gets.
pub const DOWNLOAD_DISPOSITION: &str = "attachment; filename=\"profile.speedscope.json\"";

/// Runs a GraphQL request (`run` answers the response and its side effects), profiled when
/// `requested`: the answer is then the profile (200), or the speedscope file for `download`.
pub fn around<E>(
    requested: Option<Requested>,
    run: impl FnOnce() -> (GraphqlAnswer, E),
) -> (GraphqlAnswer, E, Option<Requested>) {
    let Some(requested) = requested else {
        let (answer, effects) = run();
        return (answer, effects, None);
    };
    start();
    let (answer, effects) = run();
    let profile = finish().unwrap_or_default();
    let body = if requested.download {
        speedscope::document(&profile, "openIMIS GraphQL request")
    } else {
        report::report(&profile, answer.status)
    };
    let answer = GraphqlAnswer {
        status: 200,
        body: body.to_string().into_bytes(),
    };
    (answer, effects, Some(requested))
}

/// Records juniper's parse and validation, measured together (`parse_and_validate` from
/// `start`) and parsing alone (`parse`), as two consecutive phases.
pub fn record_parse_and_validate(start: Instant, parse_and_validate: Duration, parse: Duration) {
    let parse = parse.min(parse_and_validate);
    record(Kind::Phase, "parse", None, start, parse);
    record(
        Kind::Phase,
        "validate",
        None,
        start + parse,
        parse_and_validate - parse,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_string_asks_for_a_profile() {
        assert_eq!(Requested::from_query(""), None);
        assert_eq!(Requested::from_query("profile=1"), None);
        assert_eq!(
            Requested::from_query("prof=True"),
            Some(Requested { download: false })
        );
        assert_eq!(
            Requested::from_query("prof&download=True"),
            Some(Requested { download: true })
        );
    }

    #[test]
    fn phases_are_recorded_only_while_profiling() {
        assert_eq!(phase("parse", || 1), 1);
        assert!(finish().is_none());
        start();
        phase("execute", || ());
        let profile = finish().unwrap();
        assert_eq!(profile.spans.len(), 1);
        assert_eq!(profile.spans[0].name, "execute");
        assert!(!is_active());
    }
}
