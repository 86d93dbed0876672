//! Operating the server (issue 5): security headers by MODE, the GraphQL rate limit in PROD,
//! `/metrics`, the request body limit and the GraphQL depth limit, all through real HTTP.

use actix_web::test as web_test;
use openimis_system_tests::*;
use serde_json::json;
use std::net::SocketAddr;
use std::process::Command;

const PROD_HEADERS: [(&str, &str); 6] = [
    (
        "strict-transport-security",
        "max-age=63072000; includeSubDomains",
    ),
    ("content-security-policy", "default-src 'self'"),
    ("x-frame-options", "DENY"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("permissions-policy", "geolocation=(), microphone=()"),
];

const DEV_HEADERS: [(&str, &str); 4] = [
    ("x-frame-options", "DENY"),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "same-origin"),
    ("cross-origin-opener-policy", "same-origin"),
];

fn base_with(vars: &[(&str, &str)]) -> (ModulesDir, openimis_host::runtime::Runtime) {
    let dir = ModulesDir::with(&["fx_base", "fx_ext"]);
    let conf = modules_json(&[
        json!({"name": "base", "library": "fx_base"}),
        json!({"name": "ext", "library": "fx_ext"}),
    ]);
    let runtime = start(settings(&conf, &dir, vars)).expect("base and ext start");
    (dir, runtime)
}

fn header(
    response: &actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
    name: &str,
) -> Option<String> {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().expect("ASCII header").to_owned())
}

fn from(peer: &str, request: web_test::TestRequest) -> actix_http::Request {
    request
        .peer_addr(peer.parse::<SocketAddr>().expect("socket address"))
        .to_request()
}

fn graphql_from(peer: &str, query: &str) -> actix_http::Request {
    from(
        peer,
        web_test::TestRequest::post()
            .uri("/api/graphql")
            .set_json(json!({"query": query})),
    )
}

#[actix_rt::test]
async fn in_prod_every_response_carries_the_security_headers() {
    let (_dir, runtime) = base_with(&[("MODE", "PROD")]);
    let (_rt, app) = service(runtime).await;
    let requests = [
        graphql_request("{ thing(code: \"T001\") { code } }", json!(null)),
        web_test::TestRequest::get().uri("/ht/").to_request(),
        web_test::TestRequest::get()
            .uri("/api/base/count")
            .to_request(),
        web_test::TestRequest::get().uri("/nowhere").to_request(),
        web_test::TestRequest::get().uri("/metrics").to_request(),
    ];
    for request in requests {
        let path = request.path().to_owned();
        let response = web_test::call_service(&app, request).await;
        for (name, value) in PROD_HEADERS {
            assert_eq!(
                header(&response, name).as_deref(),
                Some(value),
                "{path} {name}"
            );
        }
        assert_eq!(
            header(&response, "cross-origin-opener-policy"),
            None,
            "{path}"
        );
    }
}

#[actix_rt::test]
async fn in_dev_responses_carry_djangos_defaults_and_no_hsts() {
    let (_dir, runtime) = base_with(&[]);
    let (_rt, app) = service(runtime).await;
    for request in [
        graphql_request("{ thing(code: \"T001\") { code } }", json!(null)),
        web_test::TestRequest::get()
            .uri("/api/graphql")
            .to_request(),
        web_test::TestRequest::get().uri("/ht/").to_request(),
    ] {
        let path = request.path().to_owned();
        let response = web_test::call_service(&app, request).await;
        for (name, value) in DEV_HEADERS {
            assert_eq!(
                header(&response, name).as_deref(),
                Some(value),
                "{path} {name}"
            );
        }
        for absent in [
            "strict-transport-security",
            "content-security-policy",
            "permissions-policy",
        ] {
            assert_eq!(header(&response, absent), None, "{path} {absent}");
        }
    }
}

#[actix_rt::test]
async fn in_prod_the_graphql_endpoint_is_rate_limited_per_client() {
    let (_dir, runtime) = base_with(&[("MODE", "PROD"), ("RATELIMIT_RATE", "3/m")]);
    let (_rt, app) = service(runtime).await;
    let query = "{ thing(code: \"T001\") { code } }";
    for _ in 0..3 {
        let (status, body) =
            json_of(web_test::call_service(&app, graphql_from("10.0.0.1:4000", query)).await).await;
        assert_eq!(status, 200, "{body}");
    }
    let response = web_test::call_service(&app, graphql_from("10.0.0.1:4001", query)).await;
    assert_eq!(response.status(), 429);
    // One request comes back every 20 s at 3/m; the wait is whole seconds, rounded up.
    let retry_after: u64 = header(&response, "retry-after")
        .expect("Retry-After")
        .parse()
        .expect("seconds");
    assert!((1..=20).contains(&retry_after), "{retry_after}");
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(
        header(&response, "x-frame-options").as_deref(),
        Some("DENY"),
        "a 429 is a response like any other"
    );
    let (_, body) = json_of(response).await;
    assert_eq!(body, json!({"detail": "Rate limit exceeded"}));

    // The trailing-slash alias shares the count; GET (400 in PROD) counts too, as the original.
    let slash = from(
        "10.0.0.1:4002",
        web_test::TestRequest::post()
            .uri("/api/graphql/")
            .set_json(json!({"query": query})),
    );
    assert_eq!(web_test::call_service(&app, slash).await.status(), 429);
    let get = from(
        "10.0.0.1:4003",
        web_test::TestRequest::get().uri("/api/graphql"),
    );
    assert_eq!(web_test::call_service(&app, get).await.status(), 429);

    // Another client has its own count; other routes are not limited.
    let (status, _) =
        json_of(web_test::call_service(&app, graphql_from("10.0.0.2:4000", query)).await).await;
    assert_eq!(status, 200);
    for uri in ["/api/base/count", "/ht/"] {
        let response = web_test::call_service(
            &app,
            from("10.0.0.1:4004", web_test::TestRequest::get().uri(uri)),
        )
        .await;
        assert_eq!(response.status(), 200, "{uri}");
    }
}

#[actix_rt::test]
async fn in_dev_there_is_no_rate_limit() {
    let (_dir, runtime) = base_with(&[("RATELIMIT_RATE", "2/h")]);
    let (_rt, app) = service(runtime).await;
    for _ in 0..5 {
        let (status, body) = json_of(
            web_test::call_service(
                &app,
                graphql_from("10.0.0.1:4000", "{ thing(code: \"T001\") { code } }"),
            )
            .await,
        )
        .await;
        assert_eq!(status, 200, "{body}");
    }
}

#[test]
fn bad_operating_settings_stop_startup_naming_the_variable() {
    let dir = ModulesDir::with(&["fx_base"]);
    std::fs::write(
        dir.path().join("openimis.json"),
        modules_json(&[json!({"name": "base", "library": "fx_base"})]).to_string(),
    )
    .unwrap();
    for (name, value) in [
        ("RATELIMIT_RATE", "lots"),
        ("RATELIMIT_KEY", "user"),
        ("DATA_UPLOAD_MAX_MEMORY_SIZE", "ten megabytes"),
        ("GRAPHQL_MAX_DEPTH", "0"),
    ] {
        let out = Command::new(openimis_binary())
            .args(["serve", "--bind", "127.0.0.1:0"])
            .current_dir(dir.path())
            .env_clear()
            .env("OPENIMIS_CONF", dir.path().join("openimis.json"))
            .env("MODULES_DIR", dir.path())
            .env("NO_DATABASE", "True")
            .env("SQLITE_PATH", dir.path().join("op.sqlite3"))
            .env("MODE", "PROD")
            .env("SECRET_KEY", "k")
            .env(name, value)
            .output()
            .expect("openimis runs");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{name}: {stderr}");
        assert!(
            stderr.contains(&format!(
                "error [CONFIG_INVALID] setting {name}={value:?} is invalid"
            )),
            "{stderr}"
        );
    }
}

/// The value of the one metrics line starting with `prefix` (labels included).
fn metric(text: &str, prefix: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(prefix)?.strip_prefix(' ')?.parse().ok())
}

#[actix_rt::test]
async fn metrics_count_requests_latency_module_calls_and_modules() {
    let dir = ModulesDir::with(&["fx_base", "fx_ext", "fx_panicky"]);
    let conf = modules_json(&[
        json!({"name": "base", "library": "fx_base"}),
        json!({"name": "ext", "library": "fx_ext"}),
        json!({"name": "panicky", "library": "fx_panicky"}),
        json!({"name": "absent", "library": "fx_absent", "required": false}),
    ]);
    let runtime = start(settings(&conf, &dir, &[("MODE", "PROD")])).expect("starts");
    let (_rt, app) = service(runtime).await;
    let (status, body) = json_of(
        web_test::call_service(
            &app,
            graphql_request(
                "{ thing(code: \"T002\") { code extra { label } } }",
                json!(null),
            ),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, body) =
        json_of(web_test::call_service(&app, graphql_request("{ explode }", json!(null))).await)
            .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "PANIC", "{body}");
    for uri in ["/api/base/count", "/api/base/count", "/nowhere", "/ht/"] {
        web_test::call_service(&app, web_test::TestRequest::get().uri(uri).to_request()).await;
    }

    let response = web_test::call_service(
        &app,
        web_test::TestRequest::get().uri("/metrics").to_request(),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("text/plain; version=0.0.4; charset=utf-8")
    );
    let text = String::from_utf8(web_test::read_body(response).await.to_vec()).unwrap();
    let expected = [
        (
            r#"openimis_http_requests_total{class="graphql",status="200"}"#,
            2.0,
        ),
        (
            r#"openimis_http_requests_total{class="module:base",status="200"}"#,
            2.0,
        ),
        (
            r#"openimis_http_requests_total{class="other",status="404"}"#,
            1.0,
        ),
        (
            r#"openimis_http_requests_total{class="health",status="200"}"#,
            1.0,
        ),
        (
            r#"openimis_http_request_duration_seconds_bucket{class="graphql",le="+Inf"}"#,
            2.0,
        ),
        (
            r#"openimis_http_request_duration_seconds_count{class="graphql"}"#,
            2.0,
        ),
        (
            r#"openimis_http_request_duration_seconds_count{class="module:base"}"#,
            2.0,
        ),
        (
            r#"openimis_module_calls_total{module="base",kind="resolve"}"#,
            1.0,
        ),
        (
            r#"openimis_module_calls_total{module="ext",kind="entities"}"#,
            1.0,
        ),
        (
            r#"openimis_module_calls_total{module="base",kind="http"}"#,
            2.0,
        ),
        (
            r#"openimis_module_calls_total{module="panicky",kind="resolve"}"#,
            1.0,
        ),
        (r#"openimis_module_errors_total{module="panicky"}"#, 1.0),
        (r#"openimis_module_panics_total{module="panicky"}"#, 1.0),
        (r#"openimis_module_panics_total{module="base"}"#, 0.0),
        (r#"openimis_modules{state="running"}"#, 3.0),
        (r#"openimis_modules{state="disabled"}"#, 1.0),
    ];
    for (line, value) in expected {
        assert_eq!(metric(&text, line), Some(value), "{line} in\n{text}");
    }
    assert!(
        text.contains("# TYPE openimis_http_request_duration_seconds histogram"),
        "{text}"
    );
    // Buckets are cumulative and end at the count.
    let buckets: Vec<f64> = text
        .lines()
        .filter(|l| {
            l.starts_with(r#"openimis_http_request_duration_seconds_bucket{class="graphql""#)
        })
        .map(|l| l.rsplit(' ').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(buckets.len(), 12, "{text}");
    assert!(buckets.windows(2).all(|w| w[0] <= w[1]), "{buckets:?}");

    // /metrics counts itself from the next scrape on, and needs no token in PROD.
    let response = web_test::call_service(
        &app,
        web_test::TestRequest::get().uri("/metrics").to_request(),
    )
    .await;
    let text = String::from_utf8(web_test::read_body(response).await.to_vec()).unwrap();
    assert_eq!(
        metric(
            &text,
            r#"openimis_http_requests_total{class="metrics",status="200"}"#
        ),
        Some(1.0),
        "{text}"
    );
}

#[actix_rt::test]
async fn a_body_over_data_upload_max_memory_size_is_a_json_413() {
    let (_dir, runtime) = base_with(&[("DATA_UPLOAD_MAX_MEMORY_SIZE", "200")]);
    let (_rt, app) = service(runtime).await;
    let big = format!(
        "{{ thing(code: \"T001\") {{ code }} }} # {}",
        "x".repeat(300)
    );
    for uri in ["/api/graphql", "/api/base/count"] {
        let response = web_test::call_service(
            &app,
            web_test::TestRequest::post()
                .uri(uri)
                .set_json(json!({"query": big}))
                .to_request(),
        )
        .await;
        assert_eq!(
            header(&response, "x-content-type-options").as_deref(),
            Some("nosniff")
        );
        let (status, body) = json_of(response).await;
        assert_eq!(
            (status, body),
            (
                413,
                json!({
                    "detail": "Request body exceeds DATA_UPLOAD_MAX_MEMORY_SIZE (200 bytes).",
                    "code": "PAYLOAD_TOO_LARGE",
                    "limit": 200,
                })
            ),
            "{uri}"
        );
    }
    let (status, body) = json_of(
        web_test::call_service(
            &app,
            graphql_request("{ thing(code: \"T001\") { code } }", json!(null)),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body),
        (200, json!({"data": {"thing": {"code": "T001"}}}))
    );
}

/// `thing { extra { thing { extra … } } }` nested to exactly `depth` fields.
fn nested(depth: usize) -> String {
    // Odd levels are `thing`, even ones `extra`; the leaf is a scalar of its parent.
    let mut inner = String::from(["code", "label"][depth % 2]);
    for level in (2..depth).rev() {
        let field = ["extra", "thing"][level % 2];
        inner = format!("{field} {{ {inner} }}");
    }
    format!("{{ thing(code: \"T002\") {{ {inner} }} }}")
}

#[actix_rt::test]
async fn a_query_nested_too_deep_is_refused_before_any_module_is_called() {
    let (_dir, runtime) = base_with(&[]);
    let (rt, app) = service(runtime).await;
    let resolves =
        || openimis_host::modules::Stats::get(&rt.modules.get("base").unwrap().stats.resolve_calls);
    let (status, body) =
        json_of(web_test::call_service(&app, graphql_request(&nested(16), json!(null))).await)
            .await;
    assert_eq!(
        (status, body),
        (
            400,
            json!({"errors": [{
                "message": "Query is nested too deep (depth 16, limit 15)",
                "extensions": {"code": "QUERY_TOO_DEEP"},
            }]})
        )
    );
    assert_eq!(resolves(), 0);
    let (status, body) =
        json_of(web_test::call_service(&app, graphql_request(&nested(14), json!(null))).await)
            .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["errors"], json!(null), "{body}");
    assert!(
        body["data"]["thing"]["extra"]["thing"].is_object(),
        "{body}"
    );
    assert_eq!(resolves(), 1);
}

#[actix_rt::test]
async fn graphql_max_depth_counts_through_fragments() {
    let (_dir, runtime) = base_with(&[("GRAPHQL_MAX_DEPTH", "3")]);
    let (_rt, app) = service(runtime).await;
    let deep = r#"{ thing(code: "T002") { ...F } }
        fragment F on ThingGQLType { extra { ... on ExtraGQLType { thing { code } } } }"#;
    let (status, body) =
        json_of(web_test::call_service(&app, graphql_request(deep, json!(null))).await).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(
        body["errors"][0]["message"],
        "Query is nested too deep (depth 4, limit 3)"
    );
    let shallow = r#"{ thing(code: "T002") { ...F } }
        fragment F on ThingGQLType { code extra { label } }"#;
    let (status, body) =
        json_of(web_test::call_service(&app, graphql_request(shallow, json!(null))).await).await;
    assert_eq!(
        (status, body),
        (
            200,
            json!({"data": {"thing": {"code": "T002", "extra": {"label": "extra of 2"}}}})
        )
    );
}
