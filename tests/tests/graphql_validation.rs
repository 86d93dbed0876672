//! What juniper's validation can not see in our dynamic schema is still refused: an enum
//! literal that is not one of the enum's values is a 400 naming it, before any module call.

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
