//! The original's mutation-log protocol, shared by every module's mutations: log the input
//! (`core_Mutation_Log`, status 0), run the mutation, then mark it 2 (success) or 1 (failure,
//! `error` = the JSON list of `{message, detail}`), and answer `{clientMutationId, internalId}`
//! at once. The log lives in core; this module reaches it through core's services.

use super::guard::guard;
use super::host::HostHandle;
use super::project::project;
use crate::abi::ModuleError;
use crate::payload::ResolveRequest;
use serde::Serialize;
use serde_json::{json, Map, Value};

pub use crate::mutation_status::{FAILED, RECEIVED, SUCCEEDED};
pub use texts::{input_of, threw, unknown, PERMISSION_DENIED};

mod texts;

/// One reason a mutation failed, as the frontend shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MutationError {
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

impl MutationError {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            detail: None,
        }
    }
}

/// `clientMutationId` → `client_mutation_id`: the log keeps the input in snake_case.
pub fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn snake_keys(value: &Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (snake_case(k), snake_keys(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(snake_keys).collect()),
        other => other.clone(),
    }
}

/// Runs `mutate` on the field's `input` under the mutation log. `mutate` gets the input and the
/// log's id (for link rows such as `core_RoleMutation`) and answers `Ok(())` or the errors to
/// record; a panic is recorded like the original's uncaught exception.
///
/// In MODE=PROD the host queues the mutation (`mutations.enqueue`): the answer comes at once
/// with status 0, and the host's worker later calls the module again with
/// `context.queued_mutation` set, which runs `mutate` here. A host without a queue (DEV, tests)
/// runs it at once.
pub fn run_logged(
    host: &HostHandle,
    request: &ResolveRequest,
    mutate: impl FnOnce(&Map<String, Value>, &str) -> Result<(), Vec<MutationError>>,
) -> Result<Value, ModuleError> {
    run_logged_linked(
        host,
        request,
        &mut (),
        |_, _, _| Ok(()),
        |_, input, log| mutate(input, log),
    )
}

/// [`run_logged`] with the original's validation signal (`signal_mutation_module_validate`):
/// `link` gets the input and the new log's id before the mutation is queued or run (never in
/// the worker), so link rows such as `location_LocationMutation` exist while a queued mutation
/// waits at status 0. An error there marks the log failed and the mutation does not run, as
/// the original records an exception of the signal. `state` (a connection) is lent to `link`,
/// then to `mutate`.
pub fn run_logged_linked<S>(
    host: &HostHandle,
    request: &ResolveRequest,
    state: &mut S,
    link: impl FnOnce(&mut S, &Map<String, Value>, &str) -> Result<(), ModuleError>,
    mutate: impl FnOnce(&mut S, &Map<String, Value>, &str) -> Result<(), Vec<MutationError>>,
) -> Result<Value, ModuleError> {
    let input = input_of(request);
    let client_mutation_id = input
        .get("clientMutationId")
        .cloned()
        .unwrap_or(Value::Null);
    let answer = |id: &str| {
        project(
            &request.field.selection,
            &json!({"clientMutationId": client_mutation_id, "internalId": id}),
            "internalId",
        )
    };
    if let Some(id) = &request.context.queued_mutation {
        execute(host, request, &input, id, |input, log| {
            mutate(state, input, log)
        })?;
        return Ok(answer(id));
    }
    let details = input
        .get("clientMutationDetails")
        .filter(|v| !v.is_null())
        .map(|v| v.to_string());
    let created: Value = host.call(
        "core",
        "mutation_log.create",
        &json!({
            "json_content": snake_keys(&Value::Object(input.clone())).to_string(),
            "user_id": request.context.user.get("id"),
            "client_mutation_id": client_mutation_id,
            "client_mutation_label": input.get("clientMutationLabel"),
            "client_mutation_details": details,
        }),
    )?;
    let id = created["id"].as_str().unwrap_or_default().to_owned();
    if let Err(e) = guard(|| link(state, &input, &id)) {
        finish(host, &id, FAILED, json!(failure_text(e.message.as_str())))?;
        return Ok(answer(&id));
    }
    if !enqueue(host, request, &id)? {
        execute(host, request, &input, &id, |input, log| {
            mutate(state, input, log)
        })?;
    }
    Ok(answer(&id))
}

/// Hands the mutation to the host's queue; `false` when the host runs mutations at once.
fn enqueue(host: &HostHandle, request: &ResolveRequest, id: &str) -> Result<bool, ModuleError> {
    let queued: Result<Value, ModuleError> = host.call(
        "host",
        "mutations.enqueue",
        &json!({"log_id": id, "request": request}),
    );
    match queued {
        Ok(answer) => Ok(answer["queued"] == true),
        Err(e) if e.code.as_str() == "NOT_SUPPORTED" || e.code.as_str() == "MODULE_NOT_LOADED" => {
            Ok(false)
        }
        Err(e) => {
            finish(host, id, FAILED, json!(failure_text(&e.to_string())))?;
            Err(e)
        }
    }
}

/// Runs `mutate` and records its outcome on log `id`.
fn execute(
    host: &HostHandle,
    request: &ResolveRequest,
    input: &Map<String, Value>,
    id: &str,
    mutate: impl FnOnce(&Map<String, Value>, &str) -> Result<(), Vec<MutationError>>,
) -> Result<(), ModuleError> {
    let (status, error) = match guard(|| Ok(mutate(input, id))) {
        Ok(Ok(())) => (SUCCEEDED, Value::Null),
        Ok(Err(errors)) => (
            FAILED,
            json!(serde_json::to_string(&errors).unwrap_or_default()),
        ),
        Err(panic) => {
            log::error!(
                "mutation {} panicked: {}",
                request.field.name,
                panic.message
            );
            (FAILED, json!(threw("panic").message))
        }
    };
    finish(host, id, status, error)
}

fn finish(host: &HostHandle, id: &str, status: i32, error: Value) -> Result<(), ModuleError> {
    host.call::<_, Value>(
        "core",
        "mutation_log.finish",
        &json!({"id": id, "status": status, "error": error}),
    )
    .map(drop)
}

/// The log's `error` text for a failure outside the mutation itself (the JSON list the
/// frontend shows).
pub fn failure_text(message: &str) -> String {
    serde_json::to_string(&[MutationError::new(message)]).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::FakeHost;
    use crate::SelectionField;
    use std::sync::{Arc, Mutex};

    fn request(input: Value) -> ResolveRequest {
        let mut field = SelectionField::new("createThing").with_selection(vec![
            SelectionField::new("clientMutationId"),
            SelectionField::new("internalId"),
        ]);
        field.args.insert("input".into(), input);
        ResolveRequest {
            operation: "mutation".into(),
            field,
            context: Default::default(),
        }
    }

    fn host(calls: Arc<Mutex<Vec<(String, Value)>>>) -> HostHandle {
        FakeHost::new()
            .service("core", move |method, payload| {
                calls.lock().unwrap().push((method.to_owned(), payload));
                Ok(json!({"id": "log-1"}))
            })
            .handle()
    }

    #[test]
    fn success_logs_snake_case_input_and_marks_two() {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let answer = run_logged(
            &host(calls.clone()),
            &request(
                json!({"clientMutationId": "c1", "clientMutationLabel": "L", "parentUuid": "p"}),
            ),
            |input, log| {
                assert_eq!((input["parentUuid"].as_str(), log), (Some("p"), "log-1"));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(
            answer,
            json!({"clientMutationId": "c1", "internalId": "log-1"})
        );
        let calls = calls.lock().unwrap();
        assert_eq!(calls[0].0, "mutation_log.create");
        let content: Value =
            serde_json::from_str(calls[0].1["json_content"].as_str().unwrap()).unwrap();
        assert_eq!(
            content,
            json!({"client_mutation_id": "c1", "client_mutation_label": "L", "parent_uuid": "p"})
        );
        assert_eq!(
            calls[1],
            (
                "mutation_log.finish".into(),
                json!({"id": "log-1", "status": 2, "error": null})
            )
        );
    }

    #[test]
    fn errors_and_panics_mark_one_with_the_originals_error_text() {
        let calls = Arc::new(Mutex::new(Vec::new()));
        run_logged(
            &host(calls.clone()),
            &request(json!({"clientMutationId": "c2"})),
            |_, _| Err(vec![MutationError::new("code is required")]),
        )
        .unwrap();
        run_logged(
            &host(calls.clone()),
            &request(json!({"clientMutationId": "c3"})),
            |_, _| panic!("boom"),
        )
        .unwrap();
        let calls = calls.lock().unwrap();
        assert_eq!(
            calls[1].1,
            json!({"id": "log-1", "status": 1, "error": "[{\"message\":\"code is required\"}]"})
        );
        assert_eq!(
            calls[3].1["error"],
            "The mutation threw a <class 'panic'>, check logs for details"
        );
    }

    #[test]
    fn a_queueing_host_gets_the_request_and_its_worker_runs_it_later() {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let queued = Arc::new(Mutex::new(Vec::new()));
        let log = calls.clone();
        let queue = queued.clone();
        let host = FakeHost::new()
            .service("core", move |method, payload| {
                log.lock().unwrap().push((method.to_owned(), payload));
                Ok(json!({"id": "log-9"}))
            })
            .service("host", move |method, payload| {
                assert_eq!(method, "mutations.enqueue");
                queue.lock().unwrap().push(payload);
                Ok(json!({"queued": true}))
            })
            .handle();
        let answer = run_logged(
            &host,
            &request(json!({"clientMutationId": "c9"})),
            |_, _| panic!("a queued mutation does not run in the request"),
        )
        .unwrap();
        assert_eq!(
            answer,
            json!({"clientMutationId": "c9", "internalId": "log-9"})
        );
        assert_eq!(calls.lock().unwrap().len(), 1, "only mutation_log.create");
        let job = queued.lock().unwrap()[0].clone();
        assert_eq!(job["log_id"], "log-9");

        // The worker's call: the same request with the log id in the context.
        let worker_request: ResolveRequest =
            serde_json::from_value(job["request"].clone()).unwrap();
        let mut worker_request = worker_request;
        worker_request.context.queued_mutation = Some("log-9".into());
        let ran = Arc::new(Mutex::new(None));
        let seen = ran.clone();
        run_logged(&host, &worker_request, |input, id| {
            *seen.lock().unwrap() = Some((input["clientMutationId"].clone(), id.to_owned()));
            Ok(())
        })
        .unwrap();
        assert_eq!(*ran.lock().unwrap(), Some((json!("c9"), "log-9".into())));
        assert_eq!(
            calls.lock().unwrap()[1],
            (
                "mutation_log.finish".into(),
                json!({"id": "log-9", "status": 2, "error": null})
            )
        );
    }

    #[test]
    fn link_runs_before_the_queue_never_in_the_worker_and_its_error_fails_the_log() {
        let calls = Arc::new(Mutex::new(Vec::new()));
        let log = calls.clone();
        let host = FakeHost::new()
            .service("core", move |method, payload| {
                log.lock().unwrap().push((method.to_owned(), payload));
                Ok(json!({"id": "log-5"}))
            })
            .service("host", |_, _| Ok(json!({"queued": true})))
            .handle();
        let mut steps: Vec<String> = Vec::new();
        run_logged_linked(
            &host,
            &request(json!({"clientMutationId": "c5", "uuid": "u"})),
            &mut steps,
            |steps, input, id| {
                steps.push(format!("link {} {id}", input["uuid"].as_str().unwrap()));
                Ok(())
            },
            |_, _, _| panic!("queued: not run in the request"),
        )
        .unwrap();
        assert_eq!(steps, ["link u log-5"]);

        let mut worker = request(json!({"clientMutationId": "c5"}));
        worker.context.queued_mutation = Some("log-5".into());
        run_logged_linked(
            &host,
            &worker,
            &mut steps,
            |_, _, _| panic!("the worker does not link again"),
            |steps, _, id| {
                steps.push(format!("run {id}"));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(steps, ["link u log-5", "run log-5"]);

        calls.lock().unwrap().clear();
        let answer = run_logged_linked(
            &host,
            &request(json!({"clientMutationId": "c6"})),
            &mut steps,
            |_, _, _| {
                Err(ModuleError::new(
                    "GONE",
                    "Location matching query does not exist.",
                ))
            },
            |_, _, _| panic!("a failed link does not run the mutation"),
        )
        .unwrap();
        assert_eq!(answer["internalId"], "log-5");
        assert_eq!(
            calls.lock().unwrap()[1],
            (
                "mutation_log.finish".into(),
                json!({"id": "log-5", "status": 1,
                       "error": "[{\"message\":\"Location matching query does not exist.\"}]"})
            )
        );
    }

    #[test]
    fn the_fake_mutation_log_serves_run_logged() {
        let host = FakeHost::new()
            .service("core", |method, _| Ok(json!({ "other": method })))
            .mutation_log();
        let handle = host.handle();
        let ok = run_logged(
            &handle,
            &request(json!({"clientMutationId": "c1", "someCode": "A"})),
            |_, _| Ok(()),
        )
        .unwrap();
        run_logged(
            &handle,
            &request(json!({"clientMutationId": "c2", "someCode": "A"})),
            |_, _| Err(vec![MutationError::new("bad")]),
        )
        .unwrap();
        let logged = host.logged_mutations();
        assert_eq!(ok["internalId"], logged[0].id.as_str());
        assert_eq!(
            (logged[0].status, &logged[0].json_content["some_code"]),
            (SUCCEEDED, &json!("A"))
        );
        assert_eq!(logged[0].client_mutation_id.as_deref(), Some("c1"));
        assert_eq!(
            (logged[1].status, logged[1].error.as_deref()),
            (FAILED, Some(r#"[{"message":"bad"}]"#))
        );
        let other: Value = handle.call("core", "auth.context", &json!({})).unwrap();
        assert_eq!(other, json!({"other": "auth.context"}));
    }
}
