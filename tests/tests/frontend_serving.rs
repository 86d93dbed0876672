//! FRONTEND_DIR: the built frontend served at /front/ (files, SPA fallback, / redirect) on the
//! API's origin, with the API's own paths untouched. A temp dir of files stands in for the
//! build, so no npm is needed here.

use actix_web::test as web_test;
use openimis_host::http::frontend::CONTENT_SECURITY_POLICY;
use openimis_host::settings::{Env, Settings};
use openimis_system_tests::{json_of, modules_json, service, settings, start, ModulesDir};
use serde_json::json;
use std::collections::HashMap;
use std::path::Path;

const INDEX: &str = "<!DOCTYPE html><html><body><div id=\"root\"></div></body></html>";
const SCRIPT: &str = "console.log('openIMIS');";

/// A stand-in for `frontend/build`: index.html and one hashed asset.
fn built_frontend() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("index.html"), INDEX).expect("write index");
    std::fs::create_dir(dir.path().join("assets")).expect("assets dir");
    std::fs::write(dir.path().join("assets/index-abc123.js"), SCRIPT).expect("write asset");
    dir
}

fn runtime_with(
    frontend: Option<&Path>,
    vars: &[(&str, &str)],
) -> (ModulesDir, openimis_host::runtime::Runtime) {
    let dir = ModulesDir::with(&["fx_base", "fx_ext"]);
    let conf = modules_json(&[
        json!({"name": "base", "library": "fx_base"}),
        json!({"name": "ext", "library": "fx_ext"}),
    ]);
    let frontend = frontend.map(|p| p.display().to_string());
    let mut all: Vec<(&str, &str)> = vars.to_vec();
    if let Some(path) = frontend.as_deref() {
        all.push(("FRONTEND_DIR", path));
    }
    let runtime = start(settings(&conf, &dir, &all)).expect("server starts");
    (dir, runtime)
}

async fn get(
    app: &impl actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
    >,
    uri: &str,
) -> (u16, HashMap<String, String>, String) {
    let response =
        web_test::call_service(app, web_test::TestRequest::get().uri(uri).to_request()).await;
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
        .collect();
    let body = String::from_utf8_lossy(&web_test::read_body(response).await).into_owned();
    (status, headers, body)
}

#[actix_rt::test]
async fn a_built_file_is_served_at_front_with_its_type_and_the_frontend_policy() {
    let build = built_frontend();
    let (_dir, runtime) = runtime_with(Some(build.path()), &[]);
    let (_rt, app) = service(runtime).await;

    let (status, headers, body) = get(&app, "/front/assets/index-abc123.js").await;
    assert_eq!(status, 200);
    assert_eq!(body, SCRIPT);
    assert!(
        headers["content-type"].contains("javascript"),
        "{headers:?}"
    );
    assert_eq!(headers["content-security-policy"], CONTENT_SECURITY_POLICY);

    let (status, headers, body) = get(&app, "/front/").await;
    assert_eq!(status, 200);
    assert_eq!(body, INDEX);
    assert!(
        headers["content-type"].starts_with("text/html"),
        "{headers:?}"
    );
}

#[actix_rt::test]
async fn a_client_side_route_answers_index_html_and_a_missing_file_is_404() {
    let build = built_frontend();
    let (_dir, runtime) = runtime_with(Some(build.path()), &[]);
    let (_rt, app) = service(runtime).await;

    for route in [
        "/front/login",
        "/front/location/locations",
        "/front/admin/users/user",
    ] {
        let (status, headers, body) = get(&app, route).await;
        assert_eq!(status, 200, "{route}");
        assert_eq!(body, INDEX, "{route}");
        assert!(
            headers["content-type"].starts_with("text/html"),
            "{route}: {headers:?}"
        );
        assert_eq!(headers["cache-control"], "no-cache", "{route}");
    }

    let (status, _, body) = get(&app, "/front/assets/gone-999.js").await;
    assert_eq!(status, 404);
    assert!(body.contains("NOT_FOUND"), "{body}");
}

#[actix_rt::test]
async fn the_root_and_the_bare_mount_redirect_to_front() {
    let build = built_frontend();
    let (_dir, runtime) = runtime_with(Some(build.path()), &[]);
    let (_rt, app) = service(runtime).await;

    for uri in ["/", "/front"] {
        let (status, headers, _) = get(&app, uri).await;
        assert_eq!(status, 302, "{uri}");
        assert_eq!(headers["location"], "/front/", "{uri}");
    }
}

#[actix_rt::test]
async fn the_api_keeps_its_paths_next_to_the_frontend() {
    let build = built_frontend();
    let (_dir, runtime) = runtime_with(Some(build.path()), &[]);
    let (_rt, app) = service(runtime).await;

    let (status, body) = json_of(
        web_test::call_service(
            &app,
            openimis_system_tests::graphql_request("{ __typename }", json!({})),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body),
        (200, json!({"data": {"__typename": "Query"}}))
    );

    // An unknown API path is the API's JSON 404, never the SPA's index.html.
    let (status, headers, body) = get(&app, "/api/nomodule/anything").await;
    assert_eq!(status, 404, "{body}");
    assert!(
        headers["content-type"].starts_with("application/json"),
        "{headers:?}"
    );
    assert!(!body.contains("<html"), "{body}");

    let (status, _, body) = get(&app, "/ht/").await;
    assert_eq!(status, 200, "{body}");
}

#[actix_rt::test]
async fn in_prod_the_pages_carry_the_frontend_policy_and_the_api_keeps_its_own() {
    let build = built_frontend();
    let (_dir, runtime) = runtime_with(Some(build.path()), &[("MODE", "PROD")]);
    let (_rt, app) = service(runtime).await;

    let (_, headers, _) = get(&app, "/front/location/locations").await;
    assert_eq!(headers["content-security-policy"], CONTENT_SECURITY_POLICY);
    let response = web_test::call_service(
        &app,
        openimis_system_tests::graphql_request("{ __typename }", json!({})),
    )
    .await;
    assert_eq!(
        response
            .headers()
            .get("content-security-policy")
            .map(|v| v.to_str().unwrap_or("")),
        Some("default-src 'self'")
    );
}

#[actix_rt::test]
async fn without_frontend_dir_nothing_is_served_at_front() {
    let (_dir, runtime) = runtime_with(None, &[]);
    let (_rt, app) = service(runtime).await;

    for uri in ["/front/", "/front/login"] {
        let (status, _, body) = get(&app, uri).await;
        assert_eq!(status, 404, "{uri}");
        assert!(!body.contains("<html"), "{body}");
    }
}

fn settings_error(frontend_dir: &str) -> String {
    let vars: HashMap<&str, String> = [
        ("NO_DATABASE", "True".to_owned()),
        ("MODE", "DEV".to_owned()),
        ("FRONTEND_DIR", frontend_dir.to_owned()),
    ]
    .into_iter()
    .collect();
    Settings::from_env(&Env::new(&move |name| vars.get(name).cloned()))
        .expect_err("FRONTEND_DIR is refused")
        .to_string()
}

#[test]
fn a_missing_frontend_dir_is_a_startup_error_naming_the_variable() {
    let error = settings_error("/nonexistent/frontend/build");
    assert!(error.contains("FRONTEND_DIR"), "{error}");
    assert!(error.contains("no such directory"), "{error}");

    let empty = tempfile::tempdir().expect("temp dir");
    let error = settings_error(&empty.path().display().to_string());
    assert!(error.contains("FRONTEND_DIR"), "{error}");
    assert!(error.contains("no index.html"), "{error}");
}
