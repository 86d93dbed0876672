//! The mutation-log protocol end to end: a module's mutation logged in core's
//! `core_Mutation_Log` (status 0 → 2, or 1 with the original's error texts), polled through
//! `mutationLogs` as the frontend does.

use actix_web::test as web;
use base64::Engine;
use openimis_system_tests::*;
use serde_json::{json, Value};

const POLL: &str = "query ($id: String) { mutationLogs(clientMutationId: $id) { edges { node { id status error clientMutationId clientMutationLabel clientMutationDetails requestDateTime jsonExt jsonContent } } } }";

fn create(client_id: &str, code: &str) -> String {
    format!(
        r#"mutation {{ createThingLogged(input: {{ clientMutationId: "{client_id}", clientMutationLabel: "Create {code}", clientMutationDetails: ["a","b"], code: "{code}" }}) {{ clientMutationId internalId }} }}"#
    )
}

#[actix_rt::test]
async fn mutations_are_logged_and_polled_as_the_frontend_does() {
    let dir = ModulesDir::with(&["core", "fx_base"]);
    let conf = modules_json(&[
        json!({"name": "base", "library": "fx_base"}),
        json!({"name": "core"}),
    ]);
    let runtime =
        start(settings(&conf, &dir, &[("DEMO_DATASET", "True")])).expect("core and base start");
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;

    // Success: answered at once, logged with status 2.
    let (status, body) = json_of(
        web::call_service(&app, graphql_as(&create("c-ok", "N1"), json!(null), &token)).await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let answer = &body["data"]["createThingLogged"];
    assert_eq!(answer["clientMutationId"], "c-ok");
    let internal_id = answer["internalId"].as_str().unwrap().to_owned();
    let (_, body) =
        json_of(web::call_service(&app, graphql_as(POLL, json!({"id": "c-ok"}), &token)).await)
            .await;
    let node = &body["data"]["mutationLogs"]["edges"][0]["node"];
    assert_eq!(node["status"], 2, "{body}");
    assert_eq!(node["error"], Value::Null);
    assert_eq!(node["clientMutationLabel"], "Create N1");
    assert_eq!(node["clientMutationDetails"], r#"["a","b"]"#);
    assert_eq!(
        node["id"],
        base64::engine::general_purpose::STANDARD
            .encode(format!("MutationLogGQLType:{internal_id}"))
    );
    let content: Value = serde_json::from_str(node["jsonContent"].as_str().unwrap()).unwrap();
    assert_eq!(content["client_mutation_id"], "c-ok");
    let stamp = node["requestDateTime"].as_str().unwrap();
    assert!(
        stamp.as_bytes()[10] == b'T' && (stamp.len() == 19 || stamp.len() == 26),
        "naive ISO timestamp: {stamp}"
    );

    // A validation failure and a module panic: status 1 with the original's error texts.
    json_of(web::call_service(&app, graphql_as(&create("c-bad", ""), json!(null), &token)).await)
        .await;
    let (_, body) =
        json_of(web::call_service(&app, graphql_as(POLL, json!({"id": "c-bad"}), &token)).await)
            .await;
    let node = &body["data"]["mutationLogs"]["edges"][0]["node"];
    assert_eq!(
        (node["status"].clone(), node["error"].clone()),
        (
            json!(1),
            json!(r#"[{"message":"thing.validation.code_required"}]"#)
        )
    );
    json_of(
        web::call_service(
            &app,
            graphql_as(&create("c-panic", "PANIC"), json!(null), &token),
        )
        .await,
    )
    .await;
    let (_, body) =
        json_of(web::call_service(&app, graphql_as(POLL, json!({"id": "c-panic"}), &token)).await)
            .await;
    let node = &body["data"]["mutationLogs"]["edges"][0]["node"];
    assert_eq!(
        (node["status"].clone(), node["error"].clone()),
        (
            json!(1),
            json!("The mutation threw a <class 'panic'>, check logs for details")
        )
    );

    // By raw id; a relay id is refused as in the original; anonymous polls see nothing.
    let by_id = format!(
        r#"{{ mutationLogs(id: "{internal_id}") {{ totalCount edges {{ node {{ status }} }} }} }}"#
    );
    let (_, body) =
        json_of(web::call_service(&app, graphql_as(&by_id, json!(null), &token)).await).await;
    assert_eq!(
        body["data"]["mutationLogs"],
        json!({"totalCount": 1, "edges": [{"node": {"status": 2}}]})
    );
    let (_, body) = json_of(
        web::call_service(
            &app,
            graphql_as(
                r#"{ mutationLogs(id: "TXV0") { totalCount } }"#,
                json!(null),
                &token,
            ),
        )
        .await,
    )
    .await;
    assert_eq!(body["errors"][0]["message"], "['Enter a valid UUID.']");
    let (_, body) =
        json_of(web::call_service(&app, graphql_request(POLL, json!({"id": "c-ok"}))).await).await;
    assert_eq!(body["data"]["mutationLogs"]["edges"], json!([]));
    let (_, body) = json_of(
        web::call_service(
            &app,
            graphql_request("{ mutationLogs { totalCount } }", json!(null)),
        )
        .await,
    )
    .await;
    assert_eq!(body["errors"][0]["message"], "unauthorized");
}

#[actix_rt::test]
async fn without_core_a_logged_mutation_says_core_is_not_running() {
    let dir = ModulesDir::with(&["fx_base"]);
    let runtime = start(settings(
        &modules_json(&[json!({"name": "base", "library": "fx_base"})]),
        &dir,
        &[],
    ))
    .unwrap();
    let (_rt, app) = service(runtime).await;
    let (status, body) =
        json_of(web::call_service(&app, graphql_request(&create("c1", "X"), json!(null))).await)
            .await;
    assert_eq!(status, 200);
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "MODULE_NOT_LOADED",
        "{body}"
    );
}

#[actix_rt::test]
async fn the_host_guards_root_fields_with_the_rights_modules_declare() {
    let dir = ModulesDir::with(&["core", "fx_base"]);
    let conf = modules_json(&[
        json!({"name": "base", "library": "fx_base"}),
        json!({"name": "core"}),
    ]);
    let runtime = start(settings(&conf, &dir, &[("DEMO_DATASET", "True")])).unwrap();
    let (_rt, app) = service(runtime).await;
    let (_, body) =
        json_of(web::call_service(&app, graphql_request("{ secret }", json!(null))).await).await;
    assert_eq!(
        (body["data"].clone(), body["errors"][0]["message"].clone()),
        (json!({"secret": null}), json!("unauthorized"))
    );
    // Admin holds every declared right, base's 900001 included.
    let token = login(&app, "Admin", "admin123").await;
    let (_, body) =
        json_of(web::call_service(&app, graphql_as("{ secret }", json!(null), &token)).await).await;
    assert_eq!(body, json!({"data": {"secret": "the answer"}}));
}
