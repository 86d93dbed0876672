//! What juniper's validation can not see in our dynamic schema is still refused: an enum
//! literal that is not one of the enum's values is a 400 naming it, before any module call.
//! And the memo of validated operations (host/src/graphql/operations.rs) changes no answer.

use actix_web::test as web;
use openimis_system_tests::*;
use serde_json::json;

#[actix_rt::test]
async fn an_unknown_enum_value_is_a_400_naming_it() {
    let dir = ModulesDir::with(&["core", "location"]);
    let conf = modules_json(&[json!({"name": "core"}), json!({"name": "location"})]);
    let runtime = start(settings(&conf, &dir, &[("DEMO_DATASET", "True")])).expect("starts");
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;

    let ask = |query: &str| graphql_as(query, json!(null), &token);
    let (status, body) = json_of(
        web::call_service(&app, ask("{ healthFacilities(status: XX) { totalCount } }")).await,
    )
    .await;
    assert_eq!(status, 400, "{body}");
    assert!(body.get("data").is_none(), "{body}");
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(message.contains("XX"), "{body}");
    assert_eq!(body["errors"][0]["locations"][0]["line"], 1, "{body}");

    let (status, body) = json_of(
        web::call_service(&app, ask("{ healthFacilities(status: AC) { totalCount } }")).await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body["data"]["healthFacilities"]["totalCount"].is_number(),
        "{body}"
    );
}

/// The same document sent again is answered from the memo of validated operations: the same
/// answer with other variables, each operation of a two-operation document by its name, and
/// a document that fails validation fails again (failures are never remembered).
#[actix_rt::test]
async fn a_document_sent_again_answers_as_the_first_time() {
    let dir = ModulesDir::with(&["core", "location"]);
    let conf = modules_json(&[json!({"name": "core"}), json!({"name": "location"})]);
    let runtime = start(settings(&conf, &dir, &[("DEMO_DATASET", "True")])).expect("starts");
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let post = |body: serde_json::Value| {
        web::TestRequest::post()
            .uri("/api/graphql")
            .insert_header(("Authorization", format!("Bearer {token}")))
            .set_json(body)
            .to_request()
    };

    let query = "query ($n: Int) { locations(first: $n, type: \"R\") { edges { node { code } } } }";
    let mut counts = Vec::new();
    for n in [1, 2, 1] {
        let body = json!({"query": query, "variables": {"n": n}});
        let (status, body) = json_of(web::call_service(&app, post(body)).await).await;
        assert_eq!(status, 200, "{body}");
        counts.push(
            body["data"]["locations"]["edges"]
                .as_array()
                .map_or(0, Vec::len),
        );
    }
    assert_eq!(counts, [1, 2, 1]);

    let two = "query A { a: locations(first: 1) { edges { node { code } } } } query B { b: locations(first: 1, type: \"R\") { edges { node { code } } } }";
    for (name, field) in [("A", "a"), ("B", "b"), ("A", "a")] {
        let body = json!({"query": two, "operationName": name});
        let (status, body) = json_of(web::call_service(&app, post(body)).await).await;
        assert_eq!(status, 200, "{body}");
        assert!(body["data"][field]["edges"].is_array(), "{body}");
        assert_eq!(body["data"].as_object().map(|d| d.len()), Some(1), "{body}");
    }
    let body = json!({"query": two});
    let (status, body) = json_of(web::call_service(&app, post(body)).await).await;
    assert_eq!(status, 400, "{body}");

    let wrong = "{ locations(first: 1) { edges { node { noSuchField } } } }";
    let mut answers = Vec::new();
    for _ in 0..2 {
        let body = json!({"query": wrong});
        let (status, body) = json_of(web::call_service(&app, post(body)).await).await;
        assert_eq!(status, 400, "{body}");
        answers.push(body["errors"][0]["message"].clone());
    }
    assert!(
        answers[0]
            .as_str()
            .unwrap_or_default()
            .contains("noSuchField"),
        "{answers:?}"
    );
    assert_eq!(answers[0], answers[1]);
}
