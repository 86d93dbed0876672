//! Queued mutations (MODE=PROD): the answer comes at once with status 0, a worker runs the
//! mutation later (in-process, or through RabbitMQ with `CELERY_BROKER_URL`), and a mutation
//! that fails half-way leaves status 1 with its error and none of its rows. DEV runs inline.

use actix_web::test as web;
use openimis_system_tests::*;
use serde_json::{json, Value};
use std::time::Duration;

const POLL: &str =
    "query ($id: String) { mutationLogs(clientMutationId: $id) { edges { node { status error } } } }";
const ROLES: &str = "query ($name: String) { role(name: $name) { totalCount } }";
const WAIT: Duration = Duration::from_secs(30);

fn create_role(client_id: &str, name: &str) -> String {
    format!(
        r#"mutation {{ createRole(input: {{ clientMutationId: "{client_id}", name: "{name}", isSystem: false, isBlocked: false, rightsId: [101001] }}) {{ clientMutationId internalId }} }}"#
    )
}

fn explode_midway(client_id: &str, code: &str) -> String {
    format!(
        r#"mutation {{ explodeMidway(input: {{ clientMutationId: "{client_id}", code: "{code}" }}) {{ internalId }} }}"#
    )
}

fn prod(extra: &[(String, String)]) -> Vec<(String, String)> {
    let mut vars = vec![
        ("MODE".to_owned(), "PROD".to_owned()),
        ("DEMO_DATASET".to_owned(), "True".to_owned()),
        ("ALLOWED_HOSTS".to_owned(), "*".to_owned()),
    ];
    vars.extend(extra.iter().cloned());
    vars
}

fn start_with(
    modules: &[&str],
    vars: &[(String, String)],
) -> (ModulesDir, openimis_host::runtime::Runtime) {
    let dir = ModulesDir::with(modules);
    let mut entries = vec![json!({"name": "core"})];
    if modules.contains(&"fx_panicky") {
        entries.push(json!({"name": "panicky", "library": "fx_panicky"}));
    }
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let runtime = start(settings(&modules_json(&entries), &dir, &vars)).expect("the server starts");
    (dir, runtime)
}

macro_rules! ask {
    ($app:expr, $token:expr, $query:expr, $vars:expr) => {{
        let (status, body) =
            json_of(web::call_service($app, graphql_as($query, $vars, $token)).await).await;
        assert_eq!(status, 200, "{body}");
        body
    }};
}

fn log_of(body: &Value) -> (Value, Value) {
    let node = &body["data"]["mutationLogs"]["edges"][0]["node"];
    (node["status"].clone(), node["error"].clone())
}

#[actix_rt::test]
async fn in_prod_a_mutation_answers_at_once_and_the_in_process_worker_runs_it() {
    let (_dir, runtime) = start_with(&["core"], &prod(&[]));
    assert_eq!(runtime.mutations.mode(), "in-process");
    let (rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;

    let paused = rt.mutations.pause();
    let body = ask!(
        &app,
        &token,
        &create_role("q-1", "Queued role"),
        json!(null)
    );
    assert_eq!(body["data"]["createRole"]["clientMutationId"], "q-1");
    assert!(
        body["data"]["createRole"]["internalId"].is_string(),
        "{body}"
    );
    let body = ask!(&app, &token, POLL, json!({"id": "q-1"}));
    assert_eq!(log_of(&body).0, 0, "received, not run yet: {body}");
    let body = ask!(&app, &token, ROLES, json!({"name": "Queued role"}));
    assert_eq!(body["data"]["role"]["totalCount"], 0);

    drop(paused);
    assert!(rt.mutations.wait_idle(WAIT), "the worker finished");
    let body = ask!(&app, &token, POLL, json!({"id": "q-1"}));
    assert_eq!(log_of(&body), (json!(2), Value::Null), "{body}");
    let body = ask!(&app, &token, ROLES, json!({"name": "Queued role"}));
    assert_eq!(body["data"]["role"]["totalCount"], 1);
}

#[actix_rt::test]
async fn a_queued_mutation_that_panics_half_way_leaves_status_1_and_none_of_its_rows() {
    panic_half_way(&[]).await;
}

#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn a_queued_mutation_that_panics_half_way_leaves_no_row_on_postgres() {
    let database = openimis_system_tests::postgres_db::fresh_database("queue_panic");
    panic_half_way(&database).await;
}

/// PROD, core + panicky (on the database `database` names, else SQLite): BOOM panics after its
/// insert, FINE succeeds.
async fn panic_half_way(database: &[(String, String)]) {
    let (_dir, runtime) = start_with(&["core", "fx_panicky"], &prod(database));
    let (rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;

    ask!(&app, &token, &explode_midway("boom", "BOOM"), json!(null));
    ask!(&app, &token, &explode_midway("fine", "FINE"), json!(null));
    assert!(rt.mutations.wait_idle(WAIT));

    let body = ask!(&app, &token, POLL, json!({"id": "boom"}));
    let (status, error) = log_of(&body);
    assert_eq!(status, 1, "{body}");
    assert_eq!(
        error,
        "The mutation threw a <class 'panic'>, check logs for details"
    );
    assert_eq!(
        log_of(&ask!(&app, &token, POLL, json!({"id": "fine"}))).0,
        2
    );
    let body = ask!(&app, &token, "{ panickyRows }", json!(null));
    assert_eq!(body["data"]["panickyRows"], 1, "only FINE's row: {body}");
}

#[actix_rt::test]
async fn in_dev_mutations_run_in_the_request_and_roll_back_on_a_panic() {
    let (_dir, runtime) = start_with(
        &["core", "fx_panicky"],
        &[("DEMO_DATASET".into(), "True".into())],
    );
    assert_eq!(runtime.mutations.mode(), "inline");
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;

    ask!(&app, &token, &explode_midway("boom", "BOOM"), json!(null));
    assert_eq!(
        log_of(&ask!(&app, &token, POLL, json!({"id": "boom"}))).0,
        1
    );
    let body = ask!(&app, &token, "{ panickyRows }", json!(null));
    assert_eq!(body["data"]["panickyRows"], 0, "{body}");
}

/// The local RabbitMQ (CI machines run one), or `OPENIMIS_TEST_AMQP_URL`.
fn broker_url() -> String {
    std::env::var("OPENIMIS_TEST_AMQP_URL")
        .unwrap_or_else(|_| "amqp://guest:guest@127.0.0.1:5672//".into())
}

#[actix_rt::test]
async fn with_celery_broker_url_mutations_travel_through_rabbitmq() {
    let queue = format!("openimis.test.{}", uuid::Uuid::new_v4());
    let (_dir, runtime) = start_with(
        &["core"],
        &prod(&[
            ("CELERY_BROKER_URL".to_owned(), broker_url()),
            ("OPENIMIS_MUTATION_QUEUE".to_owned(), queue.clone()),
        ]),
    );
    assert_eq!(runtime.mutations.mode(), "rabbitmq");
    let (rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;

    ask!(
        &app,
        &token,
        &create_role("mq-1", "Role via RabbitMQ"),
        json!(null)
    );
    assert!(rt.mutations.wait_idle(WAIT));
    assert_eq!(
        log_of(&ask!(&app, &token, POLL, json!({"id": "mq-1"}))).0,
        2
    );
    let body = ask!(&app, &token, ROLES, json!({"name": "Role via RabbitMQ"}));
    assert_eq!(body["data"]["role"]["totalCount"], 1);
    delete_queue(&queue).await;
}

/// Removes the test's queue from the shared broker.
async fn delete_queue(queue: &str) {
    use lapin::{options::QueueDeleteOptions, Connection, ConnectionProperties};
    let uri = broker_url().replace("5672//", "5672/%2f");
    let connection = Connection::connect(&uri, ConnectionProperties::default())
        .await
        .expect("connect to the broker");
    let channel = connection.create_channel().await.expect("a channel");
    channel
        .queue_delete(queue.into(), QueueDeleteOptions::default())
        .await
        .expect("delete the test queue");
}

#[test]
fn an_unreachable_broker_stops_startup_naming_the_variable() {
    let dir = ModulesDir::with(&["core"]);
    let conf = modules_json(&[json!({"name": "core"})]);
    let error = start(settings(
        &conf,
        &dir,
        &[
            ("MODE", "PROD"),
            ("CELERY_BROKER_URL", "amqp://guest:guest@127.0.0.1:1//"),
        ],
    ))
    .err()
    .expect("startup refused");
    let text = error.report.to_string();
    assert!(
        text.contains("BROKER_UNAVAILABLE") && text.contains("CELERY_BROKER_URL"),
        "{text}"
    );
}
