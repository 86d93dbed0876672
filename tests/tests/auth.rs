//! Authentication at the host: tokens issued for modules, read from the Bearer header or the
//! JWT cookie, the original's 401 answers, cookies set by modules, HS256 and RS256 keys.

use actix_web::test as web_test;

use openimis_host::problems::Code;
use openimis_system_tests::*;
use serde_json::json;

fn base_only(vars: &[(&str, &str)]) -> (ModulesDir, openimis_host::runtime::Runtime) {
    let dir = ModulesDir::with(&["fx_base"]);
    let conf = modules_json(&[json!({"name": "base", "library": "fx_base"})]);
    let runtime = start(settings(&conf, &dir, vars)).expect("base starts");
    (dir, runtime)
}

fn with_token(query: &str, token: &str) -> actix_http::Request {
    web_test::TestRequest::post()
        .uri("/api/graphql")
        .insert_header(("Authorization", format!("Bearer {token}")))
        .set_json(json!({"query": query}))
        .to_request()
}

#[actix_rt::test]
async fn login_sets_the_jwt_cookie_and_the_token_authenticates_by_header_or_cookie() {
    let (_dir, runtime) = base_only(&[]);
    let (_rt, app) = service(runtime).await;
    let response = web_test::call_service(
        &app,
        graphql_request(r#"mutation { login(username: "alice") }"#, json!(null)),
    )
    .await;
    let cookie = response
        .headers()
        .get("set-cookie")
        .expect("a cookie")
        .to_str()
        .unwrap()
        .to_owned();
    let (status, body) = json_of(response).await;
    assert_eq!(status, 200, "{body}");
    let token = body["data"]["login"].as_str().unwrap().to_owned();
    assert_eq!(
        cookie,
        format!("JWT={token}; HttpOnly; Path=/; Max-Age=86400")
    );

    let (_, body) =
        json_of(web_test::call_service(&app, with_token("{ whoami }", &token)).await).await;
    assert_eq!(body, json!({"data": {"whoami": "alice"}}));
    let by_cookie = web_test::TestRequest::post()
        .uri("/api/graphql")
        .cookie(actix_web::cookie::Cookie::new("JWT", token.clone()))
        .set_json(json!({"query": "{ whoami }"}))
        .to_request();
    let (_, body) = json_of(web_test::call_service(&app, by_cookie).await).await;
    assert_eq!(body, json!({"data": {"whoami": "alice"}}));
    let (_, body) =
        json_of(web_test::call_service(&app, graphql_request("{ whoami }", json!(null))).await)
            .await;
    assert_eq!(body, json!({"data": {"whoami": null}}));
    // Module routes get the same context.
    let rest = web_test::TestRequest::get()
        .uri("/api/base/whoami")
        .insert_header(("Authorization", format!("Bearer {token}")))
        .to_request();
    let (status, body) = json_of(web_test::call_service(&app, rest).await).await;
    assert_eq!(
        (status, body),
        (200, json!({"user": {"username": "alice"}}))
    );
}

#[actix_rt::test]
async fn bad_and_expired_tokens_are_401_with_the_originals_messages() {
    let (_dir, runtime) = base_only(&[]);
    let (_rt, app) = service(runtime).await;
    let (status, body) =
        json_of(web_test::call_service(&app, with_token("{ whoami }", "not-a-token")).await).await;
    assert_eq!(
        (status, body["errors"][0]["message"].clone()),
        (401, json!("Error decoding signature"))
    );
    let expired = jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &json!({"username": "alice", "exp": 1_000_000_000u64, "origIat": 999_999_000u64}),
        &jsonwebtoken::EncodingKey::from_secret(b"test-secret"),
    )
    .unwrap();
    let (status, body) =
        json_of(web_test::call_service(&app, with_token("{ whoami }", &expired)).await).await;
    assert_eq!(
        (status, body["errors"][0]["message"].clone()),
        (401, json!("Signature has expired"))
    );
    let rest = web_test::TestRequest::get()
        .uri("/api/base/whoami")
        .insert_header(("Authorization", format!("Bearer {expired}")))
        .to_request();
    let (status, body) = json_of(web_test::call_service(&app, rest).await).await;
    assert_eq!(
        (status, body),
        (
            401,
            json!({"detail": "Signature has expired", "code": "JWT_EXPIRED"})
        )
    );
}

/// `{ __typename }` calls no module, so the host answers it on the HTTP thread: the token is
/// checked all the same.
#[actix_rt::test]
async fn a_request_the_host_answers_alone_checks_the_token_the_same() {
    let (_dir, runtime) = base_only(&[]);
    let (_rt, app) = service(runtime).await;
    let (status, body) =
        json_of(web_test::call_service(&app, with_token("{ __typename }", "not-a-token")).await)
            .await;
    assert_eq!(
        (status, body["errors"][0]["message"].clone()),
        (401, json!("Error decoding signature"))
    );
    let token = jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &json!({"username": "alice", "exp": 4_000_000_000u64, "origIat": 999_999_000u64}),
        &jsonwebtoken::EncodingKey::from_secret(b"test-secret"),
    )
    .unwrap();
    let (status, body) =
        json_of(web_test::call_service(&app, with_token("{ __typename }", &token)).await).await;
    assert_eq!(
        (status, body),
        (200, json!({"data": {"__typename": "Query"}}))
    );
    let (status, body) =
        json_of(web_test::call_service(&app, with_token("{ t: __typename whoami }", &token)).await)
            .await;
    assert_eq!(
        (status, body),
        (200, json!({"data": {"t": "Query", "whoami": "alice"}}))
    );
}

#[actix_rt::test]
async fn a_module_error_with_status_401_makes_the_response_401() {
    let (_dir, runtime) = base_only(&[]);
    let (_rt, app) = service(runtime).await;
    let (status, body) = json_of(
        web_test::call_service(&app, graphql_request("{ requireLogin }", json!(null))).await,
    )
    .await;
    assert_eq!(status, 401);
    assert_eq!(body["errors"][0]["message"], "Token is required");
}

#[actix_rt::test]
async fn logout_deletes_the_cookie_and_prod_cookies_are_secure() {
    let (_dir, runtime) = base_only(&[]);
    let (_rt, app) = service(runtime).await;
    let response =
        web_test::call_service(&app, graphql_request("mutation { logout }", json!(null))).await;
    let cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(cookie.starts_with("JWT=; Path=/; Max-Age=0"), "{cookie}");

    let (_dir, runtime) = base_only(&[("MODE", "PROD")]);
    let (_rt, app) = service(runtime).await;
    let response = web_test::call_service(
        &app,
        graphql_request(r#"mutation { login(username: "bob") }"#, json!(null)),
    )
    .await;
    let cookie = response
        .headers()
        .get("set-cookie")
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("Secure") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
}

fn openssl(args: &[&str], dir: &std::path::Path) {
    let status = std::process::Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .status()
        .expect("openssl runs");
    assert!(status.success(), "openssl {args:?}");
}

#[actix_rt::test]
async fn rs256_keys_sign_when_present_and_hs256_tokens_are_then_refused() {
    let keys = tempfile::tempdir().unwrap();
    openssl(
        &[
            "genpkey",
            "-algorithm",
            "RSA",
            "-pkeyopt",
            "rsa_keygen_bits:2048",
            "-out",
            "jwt_private_key.pem",
        ],
        keys.path(),
    );
    openssl(
        &[
            "rsa",
            "-pubout",
            "-in",
            "jwt_private_key.pem",
            "-out",
            "jwt_public_key.pem",
        ],
        keys.path(),
    );
    let dir_var = keys.path().display().to_string();
    let (_dir, runtime) = base_only(&[("JWT_KEYS_DIR", &dir_var)]);
    let (_rt, app) = service(runtime).await;
    let (_, body) = json_of(
        web_test::call_service(
            &app,
            graphql_request(r#"mutation { login(username: "carol") }"#, json!(null)),
        )
        .await,
    )
    .await;
    let token = body["data"]["login"].as_str().unwrap().to_owned();
    assert_eq!(
        jsonwebtoken::decode_header(&token).unwrap().alg,
        jsonwebtoken::Algorithm::RS256
    );
    let (_, body) =
        json_of(web_test::call_service(&app, with_token("{ whoami }", &token)).await).await;
    assert_eq!(body, json!({"data": {"whoami": "carol"}}));
    let hs256 = jsonwebtoken::encode(
        &jsonwebtoken::Header::default(),
        &json!({"username": "carol", "exp": 4_000_000_000u64, "origIat": 1u64}),
        &jsonwebtoken::EncodingKey::from_secret(b"test-secret"),
    )
    .unwrap();
    let (status, _) =
        json_of(web_test::call_service(&app, with_token("{ whoami }", &hs256)).await).await;
    assert_eq!(status, 401);
}

#[test]
fn an_encrypted_private_key_stops_startup_naming_the_file() {
    let keys = tempfile::tempdir().unwrap();
    openssl(
        &[
            "genpkey",
            "-algorithm",
            "RSA",
            "-aes256",
            "-pass",
            "pass:secret",
            "-out",
            "jwt_private_key.pem",
        ],
        keys.path(),
    );
    openssl(
        &[
            "rsa",
            "-pubout",
            "-in",
            "jwt_private_key.pem",
            "-passin",
            "pass:secret",
            "-out",
            "jwt_public_key.pem",
        ],
        keys.path(),
    );
    let dir = ModulesDir::with(&["fx_base"]);
    let conf = modules_json(&[json!({"name": "base", "library": "fx_base"})]);
    let dir_var = keys.path().display().to_string();
    let err = start(settings(&conf, &dir, &[("JWT_KEYS_DIR", &dir_var)]))
        .map(|_| ())
        .unwrap_err();
    assert_eq!(err.report.codes(), vec![Code::ConfigInvalid]);
    assert!(
        err.to_string()
            .contains("jwt_private_key.pem: the private key is encrypted"),
        "{err}"
    );
}
