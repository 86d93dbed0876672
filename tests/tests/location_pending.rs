//! `clientMutationId` on locations and health facilities, as the original's
//! `resolve_client_mutation_id`: the client id of the row's first linked mutation still at
//! status 0, else null. In PROD with the queue paused an update stays at status 0 and its row
//! answers the id (the row is linked when the mutation is logged, as the original's validation
//! signal links it); once the worker ran, null. A page asks core once, not once per row.

use actix_web::test as web_test;
use openimis_system_tests::*;
use serde_json::{json, Value};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);
const POLL: &str =
    "query ($id: String) { mutationLogs(clientMutationId: $id) { edges { node { status error } } } }";
/// Every location, and every facility with its location, each with its `clientMutationId`.
const PAGE: &str = r#"{ locations(first: 100) { edges { node { code clientMutationId } } }
    healthFacilities(first: 100) { edges { node { code clientMutationId location { code clientMutationId } } } } }"#;

macro_rules! ask {
    ($app:expr, $token:expr, $query:expr, $vars:expr) => {{
        let (status, body) =
            json_of(web_test::call_service($app, graphql_as($query, $vars, $token)).await).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.get("errors").is_none(), "{body}");
        body
    }};
}

fn started() -> (ModulesDir, openimis_host::runtime::Runtime) {
    let dir = ModulesDir::with(&["core", "location"]);
    let runtime = start(settings(
        &modules_json(&[json!({"name": "core"}), json!({"name": "location"})]),
        &dir,
        &[
            ("MODE", "PROD"),
            ("DEMO_DATASET", "True"),
            ("ALLOWED_HOSTS", "*"),
        ],
    ))
    .expect("core and location start in PROD");
    (dir, runtime)
}

/// `code → clientMutationId` of a connection's nodes (`at` picks the object in each node).
fn client_ids(connection: &Value, at: &str) -> Vec<(String, Value)> {
    connection["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("no edges in {connection}"))
        .iter()
        .map(|e| {
            let node = if at.is_empty() {
                &e["node"]
            } else {
                &e["node"][at]
            };
            (
                node["code"].as_str().unwrap_or_default().to_owned(),
                node["clientMutationId"].clone(),
            )
        })
        .collect()
}

/// The codes whose `clientMutationId` is not null, with it.
fn pending(pairs: &[(String, Value)]) -> Vec<(String, Value)> {
    let mut found: Vec<(String, Value)> = pairs
        .iter()
        .filter(|(_, id)| !id.is_null())
        .cloned()
        .collect();
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found.dedup();
    found
}

fn update_location(client_id: &str, uuid: &str, code: &str, parent: &str) -> String {
    format!(
        r#"mutation {{ updateLocation(input: {{clientMutationId: "{client_id}", uuid: "{uuid}", code: "{code}", name: "Renamed {code}", type: "D", parentUuid: "{parent}"}}) {{ internalId }} }}"#
    )
}

#[actix_rt::test]
async fn a_queued_update_answers_its_client_mutation_id_until_the_worker_ran_it() {
    let (_dir, runtime) = started();
    assert_eq!(runtime.mutations.mode(), "in-process");
    let (rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let tree = ask!(
        &app,
        &token,
        r#"{ locations(first: 100) { edges { node { code uuid id } } }
            healthFacilities(code: "JMHOS001") { edges { node { uuid location { code } } } } }"#,
        json!(null)
    );
    let node_of = |code: &str| -> Value {
        tree["data"]["locations"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["node"]["code"] == code)
            .map(|e| e["node"].clone())
            .unwrap_or_else(|| panic!("{code} in {tree}"))
    };
    let uuid_of = |code: &str| node_of(code)["uuid"].as_str().unwrap().to_owned();
    let hf = &tree["data"]["healthFacilities"]["edges"][0]["node"];
    assert_eq!(hf["location"]["code"], "R1D1", "{tree}");
    let hf_uuid = hf["uuid"].as_str().expect("JMHOS001").to_owned();
    let r1d1_id = pk_of(node_of("R1D1")["id"].as_str().unwrap());

    // Before any mutation: null everywhere, and no row is linked, so core is not asked.
    let body = ask!(&app, &token, PAGE, json!(null));
    assert_eq!(pending(&client_ids(&body["data"]["locations"], "")), vec![]);
    assert_eq!(pending_calls(&app, &token).await, 0);

    let paused = rt.mutations.pause();
    for mutation in [
        update_location("loc-1", &uuid_of("R1D1"), "R1D1", &uuid_of("R1")),
        update_location("loc-2", &uuid_of("R2D1"), "R2D1", &uuid_of("R2")),
        format!(
            r#"mutation {{ updateHealthFacility(input: {{clientMutationId: "hf-1", uuid: "{hf_uuid}", code: "JMHOS001", name: "Renamed hospital", locationId: {r1d1_id}, level: "H", legalFormId: "G", careType: "I"}}) {{ internalId }} }}"#
        ),
    ] {
        ask!(&app, &token, &mutation, json!(null));
    }
    for id in ["loc-1", "loc-2", "hf-1"] {
        let log = ask!(&app, &token, POLL, json!({ "id": id }));
        assert_eq!(
            log["data"]["mutationLogs"]["edges"][0]["node"]["status"], 0,
            "{id} waits: {log}"
        );
    }

    let body = ask!(&app, &token, PAGE, json!(null));
    assert_eq!(
        pending(&client_ids(&body["data"]["locations"], "")),
        vec![
            ("R1D1".to_owned(), json!("loc-1")),
            ("R2D1".to_owned(), json!("loc-2"))
        ],
        "{body}"
    );
    assert_eq!(
        pending(&client_ids(&body["data"]["healthFacilities"], "")),
        vec![("JMHOS001".to_owned(), json!("hf-1"))]
    );
    assert_eq!(
        pending(&client_ids(&body["data"]["healthFacilities"], "location")),
        vec![
            ("R1D1".to_owned(), json!("loc-1")),
            ("R2D1".to_owned(), json!("loc-2"))
        ],
        "the facilities' locations answer too"
    );

    // The same page asks core once per list of rows: locations, facilities, their locations.
    let calls = pending_calls(&app, &token).await;
    assert_eq!(calls, 3, "one mutation_log.pending per page, not per row");

    drop(paused);
    assert!(rt.mutations.wait_idle(WAIT), "the worker finished");
    for id in ["loc-1", "loc-2", "hf-1"] {
        let log = ask!(&app, &token, POLL, json!({ "id": id }));
        assert_eq!(
            log["data"]["mutationLogs"]["edges"][0]["node"],
            json!({"status": 2, "error": null}),
            "{id} ran"
        );
    }
    let body = ask!(&app, &token, PAGE, json!(null));
    assert_eq!(pending(&client_ids(&body["data"]["locations"], "")), vec![]);
    assert_eq!(
        pending(&client_ids(&body["data"]["healthFacilities"], "")),
        vec![]
    );
    let renamed = ask!(
        &app,
        &token,
        r#"{ healthFacilities(code: "JMHOS001") { edges { node { name } } } }"#,
        json!(null)
    );
    assert_eq!(
        renamed["data"]["healthFacilities"]["edges"][0]["node"]["name"],
        "Renamed hospital"
    );
}

/// The integer key of a relay global id (`LocationGQLType:<n>`).
fn pk_of(global: &str) -> i64 {
    use base64::Engine;
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(global)
        .expect("a base64 global id");
    let text = String::from_utf8(decoded).unwrap();
    text.rsplit(':')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{text}"))
}

/// How often answering [`PAGE`] called core's `mutation_log.pending` (the request's profile;
/// IMIS administrators may profile in PROD).
async fn pending_calls<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
) -> usize {
    let request = web_test::TestRequest::post()
        .uri("/api/graphql?prof=True")
        .insert_header(("Authorization", format!("Bearer {token}")))
        .set_json(json!({ "query": PAGE }))
        .to_request();
    let (status, body) = json_of(web_test::call_service(app, request).await).await;
    assert_eq!(status, 200, "{body}");
    body["profile"]["module_calls"]
        .as_array()
        .unwrap_or_else(|| panic!("a profile: {body}"))
        .iter()
        .filter(|c| c["module"] == "core" && c["call"] == "service mutation_log.pending")
        .count()
}
