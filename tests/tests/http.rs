//! Module HTTP routes, exception handlers, the JSON defaults and `/ht/`.

use actix_web::test;
use openimis_system_tests::*;
use serde_json::json;

#[actix_rt::test]
async fn a_module_route_answers_under_its_logical_name() {
    let (_dir, runtime) = base_and_ext();
    let (_rt, app) = service(runtime).await;
    let (status, body) = json_of(
        test::call_service(
            &app,
            test::TestRequest::get().uri("/api/base/count").to_request(),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body),
        (200, json!({"count": 100, "label": "Thing"}))
    );
}

#[actix_rt::test]
async fn the_modules_exception_handler_answers_its_errors() {
    let (_dir, runtime) = base_and_ext();
    let (_rt, app) = service(runtime).await;
    let (status, body) = json_of(
        test::call_service(
            &app,
            test::TestRequest::get().uri("/api/base/boom").to_request(),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body),
        (418, json!({"handled_by": "Thing", "code": "BOOM"}))
    );
}

#[actix_rt::test]
async fn unhandled_errors_get_the_json_default() {
    let (_dir, runtime) = base_and_ext();
    let (_rt, app) = service(runtime).await;
    let (status, body) = json_of(
        test::call_service(
            &app,
            test::TestRequest::get()
                .uri("/api/base/nowhere")
                .to_request(),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body),
        (
            404,
            json!({"detail": "no route nowhere", "code": "NOT_FOUND"})
        )
    );
    let (status, body) = json_of(
        test::call_service(
            &app,
            test::TestRequest::get()
                .uri("/api/ext/anything")
                .to_request(),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body),
        (
            404,
            json!({"detail": "no route for anything", "code": "NOT_FOUND"})
        )
    );
    let (status, body) = json_of(
        test::call_service(
            &app,
            test::TestRequest::get()
                .uri("/api/unknown-module/x")
                .to_request(),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body),
        (404, json!({"detail": "Not found.", "code": "NOT_FOUND"}))
    );
    let (status, _) = json_of(
        test::call_service(
            &app,
            test::TestRequest::get().uri("/elsewhere").to_request(),
        )
        .await,
    )
    .await;
    assert_eq!(status, 404);
}

#[actix_rt::test]
async fn a_panic_in_a_route_is_a_500_json_and_the_server_goes_on() {
    let dir = ModulesDir::with(&["fx_panicky"]);
    let conf = modules_json(&[json!({"name": "panicky", "library": "fx_panicky"})]);
    let (_rt, app) = service(start(settings(&conf, &dir, &[])).unwrap()).await;
    let (status, body) = json_of(
        test::call_service(
            &app,
            test::TestRequest::get().uri("/api/panicky/x").to_request(),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body),
        (
            500,
            json!({"detail": "module panicked: kaboom in http", "code": "PANIC"})
        )
    );
    let (status, body) =
        json_of(test::call_service(&app, graphql_request("{ calm }", json!(null))).await).await;
    assert_eq!((status, body), (200, json!({"data": {"calm": "calm"}})));
}

#[actix_rt::test]
async fn health_reports_database_and_modules() {
    let dir = ModulesDir::with(&["fx_base", "fx_conflict"]);
    let conf = modules_json(&[
        json!({"name": "base", "library": "fx_base"}),
        json!({"name": "conflict", "library": "fx_conflict", "required": false}),
    ]);
    let (_rt, app) = service(start(settings(&conf, &dir, &[])).unwrap()).await;
    let (status, body) =
        json_of(test::call_service(&app, test::TestRequest::get().uri("/ht/").to_request()).await)
            .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["DatabaseBackend"], "OK");
    assert_eq!(body["modules"]["base"], "OK");
    assert!(
        body["modules"]["conflict"]
            .as_str()
            .unwrap()
            .starts_with("disabled: [SCHEMA_CONFLICT]"),
        "{body}"
    );
}

#[actix_rt::test]
async fn health_is_500_when_the_database_is_unreachable() {
    let dir = ModulesDir::with(&["fx_base"]);
    let conf = modules_json(&[json!({"name": "base", "library": "fx_base"})]);
    let vars = [
        ("NO_DATABASE", "False"),
        ("DB_HOST", "127.0.0.1"),
        ("DB_PORT", "1"),
        ("SITE_ROOT", ""),
    ];
    let (_rt, app) = service(start(settings(&conf, &dir, &vars)).unwrap()).await;
    let (status, body) =
        json_of(test::call_service(&app, test::TestRequest::get().uri("/ht/").to_request()).await)
            .await;
    assert_eq!(status, 500, "{body}");
    assert!(
        body["DatabaseBackend"]
            .as_str()
            .unwrap()
            .starts_with("cannot connect to the database"),
        "{body}"
    );
    // GraphQL still serves while the database is down.
    let request = test::TestRequest::post()
        .uri("/graphql")
        .set_json(json!({"query": "{ things(first: 1) { totalCount } }"}))
        .to_request();
    let (status, body) = json_of(test::call_service(&app, request).await).await;
    assert_eq!(
        (status, body),
        (200, json!({"data": {"things": {"totalCount": 100}}}))
    );
}
