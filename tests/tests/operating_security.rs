//! Operating the server (issue 5, items 3 and 12): the PROD host and CSRF checks, CORS for the
//! frontend, the GraphQL complexity limit and the request timeout, through real HTTP requests
//! against the whole server.

use actix_web::cookie::Cookie;
use actix_web::test as web_test;
use openimis_system_tests::*;
use serde_json::{json, Value};

fn base_with(vars: &[(&str, &str)]) -> (ModulesDir, openimis_host::runtime::Runtime) {
    let dir = ModulesDir::with(&["fx_base", "fx_ext"]);
    let conf = modules_json(&[
        json!({"name": "base", "library": "fx_base"}),
        json!({"name": "ext", "library": "fx_ext"}),
    ]);
    let runtime = start(settings(&conf, &dir, vars)).expect("base and ext start");
    (dir, runtime)
}

const PROD_SITE: [(&str, &str); 3] = [
    ("MODE", "PROD"),
    ("HOSTS", "imis.example.org"),
    ("CSRF_TRUSTED_ORIGINS", "https://front.example.org"),
];

const WHOAMI: &str = r#"{"query": "{ whoami }"}"#;

/// A POST of `{ whoami }` to the server at `imis.example.org`, built further by `build`.
fn whoami(
    build: impl FnOnce(web_test::TestRequest) -> web_test::TestRequest,
) -> actix_http::Request {
    build(
        web_test::TestRequest::post()
            .uri("/api/graphql")
            .insert_header(("Host", "imis.example.org"))
            .insert_header(("Content-Type", "application/json"))
            .set_payload(WHOAMI),
    )
    .to_request()
}

async fn token_of<B: actix_web::body::MessageBody>(app: &impl TestApp<B>) -> String {
    let login = web_test::TestRequest::post()
        .uri("/api/graphql")
        .insert_header(("Host", "imis.example.org"))
        .set_json(json!({"query": r#"mutation { login(username: "alice") }"#}))
        .to_request();
    let (status, body) = json_of(web_test::call_service(app, login).await).await;
    assert_eq!(status, 200, "{body}");
    body["data"]["login"].as_str().expect("a token").to_owned()
}

#[actix_rt::test]
async fn in_prod_cookie_requests_from_untrusted_origins_are_refused() {
    let (_dir, runtime) = base_with(&PROD_SITE);
    let (_rt, app) = service(runtime).await;
    let token = token_of(&app).await;
    let cookie = || Cookie::new("JWT", token.clone());

    let forged = whoami(|r| {
        r.cookie(cookie())
            .insert_header(("Origin", "https://evil.example"))
    });
    let (status, body) = json_of(web_test::call_service(&app, forged).await).await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["code"], "CSRF_FAILED", "{body}");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .contains("https://evil.example"),
        "{body}"
    );

    let by_referer = whoami(|r| {
        r.cookie(cookie())
            .insert_header(("Referer", "https://evil.example/page"))
    });
    let (status, body) = json_of(web_test::call_service(&app, by_referer).await).await;
    assert_eq!(
        (status, body["code"].clone()),
        (403, json!("CSRF_FAILED")),
        "{body}"
    );

    let no_origin = whoami(|r| r.cookie(cookie()));
    let (status, body) = json_of(web_test::call_service(&app, no_origin).await).await;
    assert_eq!(
        (status, body["code"].clone()),
        (403, json!("CSRF_FAILED")),
        "{body}"
    );

    let expected = json!({"data": {"whoami": "alice"}});
    for origin in [
        "https://front.example.org",
        "https://imis.example.org",
        "http://imis.example.org",
    ] {
        let trusted = whoami(|r| r.cookie(cookie()).insert_header(("Origin", origin)));
        let (status, body) = json_of(web_test::call_service(&app, trusted).await).await;
        assert_eq!((status, &body), (200, &expected), "{origin}");
    }
    let with_token = whoami(|r| {
        r.cookie(cookie())
            .cookie(Cookie::new("csrftoken", "t0k3n"))
            .insert_header(("X-CSRFToken", "t0k3n"))
    });
    let (status, body) = json_of(web_test::call_service(&app, with_token).await).await;
    assert_eq!((status, &body), (200, &expected));
}

#[actix_rt::test]
async fn jwt_header_requests_and_dev_need_no_csrf_token() {
    let (_dir, runtime) = base_with(&PROD_SITE);
    let (_rt, app) = service(runtime).await;
    let token = token_of(&app).await;
    let by_header = whoami(|r| {
        r.insert_header(("Authorization", format!("Bearer {token}")))
            .cookie(Cookie::new("JWT", token.clone()))
            .insert_header(("Origin", "https://evil.example"))
    });
    let (status, body) = json_of(web_test::call_service(&app, by_header).await).await;
    assert_eq!((status, body), (200, json!({"data": {"whoami": "alice"}})));
    let anonymous = whoami(|r| r.insert_header(("Origin", "https://evil.example")));
    let (status, body) = json_of(web_test::call_service(&app, anonymous).await).await;
    assert_eq!((status, body), (200, json!({"data": {"whoami": null}})));

    let (_dir, runtime) = base_with(&[("MODE", "DEV"), ("HOSTS", "imis.example.org")]);
    let (_rt, dev) = service(runtime).await;
    let token = token_of(&dev).await;
    let from_anywhere = web_test::TestRequest::post()
        .uri("/api/graphql")
        .insert_header(("Host", "elsewhere.test"))
        .insert_header(("Origin", "https://evil.example"))
        .cookie(Cookie::new("JWT", token))
        .set_payload(WHOAMI)
        .insert_header(("Content-Type", "application/json"))
        .to_request();
    let (status, body) = json_of(web_test::call_service(&dev, from_anywhere).await).await;
    assert_eq!((status, body), (200, json!({"data": {"whoami": "alice"}})));
}

#[actix_rt::test]
async fn in_prod_only_the_allowed_hosts_are_served() {
    let (_dir, runtime) = base_with(&PROD_SITE);
    let (_rt, app) = service(runtime).await;
    let other_host = web_test::TestRequest::get()
        .uri("/ht/")
        .insert_header(("Host", "attacker.test"))
        .to_request();
    let (status, body) = json_of(web_test::call_service(&app, other_host).await).await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["code"], "DISALLOWED_HOST", "{body}");
    let own_host = web_test::TestRequest::get()
        .uri("/ht/")
        .insert_header(("Host", "imis.example.org:8000"))
        .to_request();
    assert_eq!(web_test::call_service(&app, own_host).await.status(), 200);
}

fn header(
    response: &actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
    name: &str,
) -> Option<String> {
    response
        .headers()
        .get(name)
        .map(|v| v.to_str().unwrap().to_owned())
}

fn preflight(origin: &str) -> actix_http::Request {
    web_test::TestRequest::default()
        .method(actix_web::http::Method::OPTIONS)
        .uri("/api/graphql")
        .insert_header(("Host", "imis.example.org"))
        .insert_header(("Origin", origin))
        .insert_header(("Access-Control-Request-Method", "POST"))
        .insert_header((
            "Access-Control-Request-Headers",
            "content-type, authorization",
        ))
        .to_request()
}

#[actix_rt::test]
async fn cors_answers_the_frontend_origins_with_credentials() {
    let mut vars = PROD_SITE.to_vec();
    vars.push(("FRONTEND_URL", "https://app.example.net/front"));
    let (_dir, runtime) = base_with(&vars);
    let (_rt, app) = service(runtime).await;
    for origin in [
        "https://front.example.org",
        "https://app.example.net",
        "https://imis.example.org",
    ] {
        let response = web_test::call_service(&app, preflight(origin)).await;
        assert_eq!(response.status(), 200, "{origin}");
        assert_eq!(
            header(&response, "access-control-allow-origin").as_deref(),
            Some(origin)
        );
        assert_eq!(
            header(&response, "access-control-allow-credentials").as_deref(),
            Some("true")
        );
    }
    let response = web_test::call_service(&app, preflight("https://evil.example")).await;
    assert_eq!(header(&response, "access-control-allow-origin"), None);

    let actual = whoami(|r| r.insert_header(("Origin", "https://app.example.net")));
    let response = web_test::call_service(&app, actual).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some("https://app.example.net")
    );

    let (_dir, runtime) = base_with(&[("MODE", "DEV")]);
    let (_rt, dev) = service(runtime).await;
    let response = web_test::call_service(&dev, preflight("http://localhost:3000")).await;
    assert_eq!(
        header(&response, "access-control-allow-origin").as_deref(),
        Some("http://localhost:3000")
    );
    assert_eq!(
        header(&response, "access-control-allow-credentials").as_deref(),
        Some("true")
    );
}

#[actix_rt::test]
async fn operations_over_the_complexity_limit_are_refused_before_any_module_call() {
    let (_dir, runtime) = base_with(&[("GRAPHQL_MAX_COMPLEXITY", "50")]);
    let (rt, app) = service(runtime).await;
    let calls = || {
        let base = rt.modules.get("base").unwrap();
        openimis_host::modules::Stats::get(&base.stats.resolve_calls)
    };
    let within = "{ things(first: 10) { edges { node { code } } } }";
    let (status, body) =
        json_of(web_test::call_service(&app, graphql_request(within, json!(null))).await).await;
    assert_eq!(status, 200, "{body}");
    let before = calls();
    let costly = "query ($n: Int) { things(first: $n) { edges { node { code name } } } }";
    let (status, body) =
        json_of(web_test::call_service(&app, graphql_request(costly, json!({"n": 100}))).await)
            .await;
    assert_eq!(status, 400, "{body}");
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "QUERY_TOO_COMPLEX", "{body}");
    assert_eq!(
        error["message"], "Query is too complex (complexity 401, limit 50)",
        "{body}"
    );
    assert_eq!(calls(), before, "no module was called");
}

#[test]
fn the_default_complexity_limit_admits_every_frontend_operation() {
    let limit =
        openimis_host::settings::Settings::from_env(&openimis_host::settings::Env::new(&|n| {
            (n == "MODE").then(|| "DEV".to_owned())
        }))
        .unwrap()
        .graphql_max_complexity;
    let ops_path = openimis_system_tests::conformance::shared_openimis().join("frontend/ops.json");
    let ops: Vec<Value> =
        serde_json::from_str(&std::fs::read_to_string(ops_path).unwrap()).unwrap();
    assert!(ops.len() > 100);
    for op in ops {
        let variables = op.get("variables").cloned().unwrap_or(Value::Null);
        let document = openimis_host::graphql::documents::parse(op["document"].as_str().unwrap());
        let cost = openimis_host::graphql::complexity::complexity(&document, &variables);
        assert!(cost <= limit, "{} costs {cost}", op["id"]);
    }
}

#[actix_rt::test]
async fn a_request_running_past_the_timeout_is_answered_503() {
    let (_dir, runtime) = base_with(&[("OPENIMIS_REQUEST_TIMEOUT", "1")]);
    let (_rt, app) = service(runtime).await;
    let (status, body) = json_of(
        web_test::call_service(&app, graphql_request("{ slow(ms: 3000) }", json!(null))).await,
    )
    .await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["code"], "REQUEST_TIMEOUT", "{body}");
    assert_eq!(body["timeout"], 1, "{body}");
    let (status, body) = json_of(
        web_test::call_service(&app, graphql_request("{ slow(ms: 10) }", json!(null))).await,
    )
    .await;
    assert_eq!((status, body), (200, json!({"data": {"slow": 10}})));
}
