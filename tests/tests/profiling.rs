//! Profiling (issue 5 item 6): `?prof=True` on a GraphQL request answers the request's profile
//! (phases, each module call, each SQL statement) instead of its data, `&download=True` a
//! speedscope file; in PROD only for an IMIS administrator.

use actix_web::test as web_test;
use openimis_system_tests::*;
use serde_json::{json, Value};

const QUERY: &str = "{ role(first: 2) { totalCount } things(first: 2) { edges { node { code extra { label } } } } nameViaService(pk: 3) }";

fn core_base_ext(mode: &str) -> (ModulesDir, openimis_host::runtime::Runtime) {
    let dir = ModulesDir::with(&["core", "fx_base", "fx_ext"]);
    let conf = modules_json(&[
        json!({"name": "core"}),
        json!({"name": "base", "library": "fx_base"}),
        json!({"name": "ext", "library": "fx_ext"}),
    ]);
    let runtime = start(settings(
        &conf,
        &dir,
        &[("DEMO_DATASET", "True"), ("MODE", mode)],
    ))
    .expect("core, base and ext start");
    (dir, runtime)
}

fn profiled(uri: &str, token: Option<&str>) -> actix_http::Request {
    let mut request = web_test::TestRequest::post()
        .uri(uri)
        .set_json(json!({ "query": QUERY }));
    if let Some(token) = token {
        request = request.insert_header(("Authorization", format!("Bearer {token}")));
    }
    request.to_request()
}

fn names<'a>(items: &'a Value, key: &str) -> Vec<&'a str> {
    items
        .as_array()
        .unwrap_or_else(|| panic!("a list: {items}"))
        .iter()
        .map(|i| i[key].as_str().unwrap())
        .collect()
}

#[actix_rt::test]
async fn a_dev_profile_names_phases_module_calls_and_sql() {
    let (_dir, runtime) = core_base_ext("DEV");
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;

    let (status, normal) =
        json_of(web_test::call_service(&app, profiled("/api/graphql", Some(&token))).await).await;
    assert_eq!(status, 200);
    assert_eq!(normal["data"]["nameViaService"], "Thing 3", "{normal}");

    let (status, body) = json_of(
        web_test::call_service(&app, profiled("/api/graphql?prof=True", Some(&token))).await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert!(
        body.get("data").is_none(),
        "the profile replaces the data: {body}"
    );
    let profile = &body["profile"];
    assert_eq!(profile["status"], 200);
    let phases = names(&profile["phases"], "name");
    for phase in ["authenticate", "parse", "validate", "execute"] {
        assert!(phases.contains(&phase), "{phase} in {phases:?}");
    }
    let calls: Vec<(&str, &str)> = profile["module_calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["module"].as_str().unwrap(), c["call"].as_str().unwrap()))
        .collect();
    for expected in [
        ("core", "resolve role"),
        ("base", "resolve things"),
        ("ext", "entities ThingGQLType"),
        ("ext", "resolve nameViaService"),
        ("base", "service name_of"),
    ] {
        assert!(calls.contains(&expected), "{expected:?} in {calls:?}");
    }
    let sql = profile["sql"].as_array().unwrap();
    assert!(
        sql.iter()
            .any(|s| s["module"] == "core"
                && s["statement"].as_str().unwrap().contains("\"tblRole\"")),
        "core's role query is listed: {sql:?}"
    );
    assert_eq!(
        profile["summary"]["sql_statements"].as_u64().unwrap() as usize,
        sql.len()
    );
    let total = profile["total_ms"].as_f64().unwrap();
    for call in profile["module_calls"].as_array().unwrap() {
        let (start, ms) = (
            call["start_ms"].as_f64().unwrap(),
            call["ms"].as_f64().unwrap(),
        );
        assert!(
            start >= 0.0 && start + ms <= total + 0.001,
            "{call} within {total}"
        );
    }
}

#[actix_rt::test]
async fn download_answers_a_speedscope_file() {
    let (_dir, runtime) = core_base_ext("DEV");
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let response = web_test::call_service(
        &app,
        profiled("/api/graphql?prof=True&download=True", Some(&token)),
    )
    .await;
    let disposition = response
        .headers()
        .get("content-disposition")
        .map(|v| v.to_str().unwrap().to_owned());
    let (status, file) = json_of(response).await;
    assert_eq!(status, 200);
    assert_eq!(
        disposition.as_deref(),
        Some("attachment; filename=\"profile.speedscope.json\"")
    );
    assert_eq!(
        file["$schema"],
        "https://www.speedscope.app/file-format-schema.json"
    );
    let frames = names(&file["shared"]["frames"], "name");
    assert!(frames.contains(&"core: resolve role"), "{frames:?}");
    assert!(frames.contains(&"execute"), "{frames:?}");
    assert!(
        frames.iter().any(|f| f.starts_with("SQL core: SELECT")),
        "{frames:?}"
    );
    let profile = &file["profiles"][0];
    assert_eq!(profile["type"], "evented");
    assert_eq!(profile["unit"], "microseconds");
    // Events open and close like brackets, in time order.
    let mut open = Vec::new();
    let mut last = 0;
    for event in profile["events"].as_array().unwrap() {
        let at = event["at"].as_u64().unwrap();
        assert!(at >= last, "events in time order");
        last = at;
        match event["type"].as_str().unwrap() {
            "O" => open.push(event["frame"].as_u64().unwrap()),
            "C" => assert_eq!(open.pop(), event["frame"].as_u64()),
            other => panic!("unexpected event type {other}"),
        }
    }
    assert!(open.is_empty());
    assert!(profile["endValue"].as_u64().unwrap() >= last);
}

#[actix_rt::test]
async fn prod_profiles_only_for_an_imis_administrator() {
    let (_dir, runtime) = core_base_ext("PROD");
    let (_rt, app) = service(runtime).await;
    let anonymous = web_test::TestRequest::post()
        .uri("/api/graphql?prof=True")
        .set_json(json!({"query": "{ things(first: 1) { totalCount } }"}))
        .to_request();
    let (status, body) = json_of(web_test::call_service(&app, anonymous).await).await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({"data": {"things": {"totalCount": 100}}}),
        "the parameter is ignored, as the original ignores it in PROD"
    );

    let token = login(&app, "Admin", "admin123").await;
    let (status, body) = json_of(
        web_test::call_service(&app, profiled("/api/graphql?prof=True", Some(&token))).await,
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        body["profile"]["module_calls"].as_array().is_some(),
        "{body}"
    );
}
