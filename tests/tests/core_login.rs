//! The core module through real HTTP: the frontend's login sequence on the demo data
//! (moduleConfigurations, tokenAuth, current_user, refreshToken, languages, logout).

use actix_web::test as web;
use openimis_system_tests::*;
use serde_json::{json, Value};

fn core_runtime() -> (ModulesDir, openimis_host::runtime::Runtime) {
    let dir = ModulesDir::with(&["core"]);
    let conf = modules_json(&[json!({"name": "core"})]);
    let runtime = start(settings(&conf, &dir, &[("DEMO_DATASET", "True")]))
        .expect("core starts with demo data");
    (dir, runtime)
}

fn cookie_of(
    response: &actix_web::dev::ServiceResponse<impl actix_web::body::MessageBody>,
    name: &str,
) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(str::to_owned)
}

fn with_cookie(query: &str, token: &str) -> actix_http::Request {
    web::TestRequest::post()
        .uri("/api/graphql")
        .cookie(actix_web::cookie::Cookie::new("JWT", token.to_owned()))
        .set_json(json!({"query": query, "variables": {}}))
        .to_request()
}

const LOGIN: &str = "mutation authenticate($username: String!, $password: String!) { tokenAuth(username: $username, password: $password) { token refreshExpiresIn payload } }";

#[actix_rt::test]
async fn the_frontends_login_sequence_on_the_demo_data() {
    let (_dir, runtime) = core_runtime();
    let (_rt, app) = service(runtime).await;

    // 1. The first request, anonymous.
    let (status, body) = json_of(
        web::call_service(
            &app,
            graphql_request(
                "{ moduleConfigurations { module, config, controls{ field, usage } } }",
                json!(null),
            ),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body),
        (200, json!({"data": {"moduleConfigurations": []}}))
    );

    // 2. Not logged in yet: refresh is 401, current_user is 401.
    let (status, body) = json_of(
        web::call_service(
            &app,
            graphql_request(
                "mutation refreshAuthToken { refreshToken { refreshExpiresIn } }",
                json!({}),
            ),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body["errors"][0]["message"].clone()),
        (401, json!("Token is required"))
    );
    let (status, body) = json_of(
        web::call_service(
            &app,
            web::TestRequest::get()
                .uri("/api/core/users/current_user/")
                .to_request(),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body),
        (
            401,
            json!({"detail": "Authentication credentials were not provided."})
        )
    );

    // 3. A wrong password, then the right one.
    let (status, body) = json_of(
        web::call_service(
            &app,
            graphql_request(LOGIN, json!({"username": "Admin", "password": "wrong"})),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["data"], json!({"tokenAuth": null}));
    assert_eq!(body["errors"][0]["message"], "INCORRECT_CREDENTIALS");
    let response = web::call_service(
        &app,
        graphql_request(LOGIN, json!({"username": "Admin", "password": "admin123"})),
    )
    .await;
    let cookie = cookie_of(&response, "JWT").expect("tokenAuth sets the JWT cookie");
    let (status, body) = json_of(response).await;
    assert_eq!(status, 200, "{body}");
    let login = &body["data"]["tokenAuth"];
    let token = login["token"].as_str().unwrap().to_owned();
    assert_eq!(
        cookie,
        format!("JWT={token}; HttpOnly; Path=/; Max-Age=86400")
    );
    assert_eq!(login["payload"]["username"], "Admin");
    let orig_iat = login["payload"]["origIat"].as_u64().unwrap();
    assert_eq!(
        login["refreshExpiresIn"].as_u64().unwrap(),
        orig_iat + 30 * 24 * 3600
    );
    assert_eq!(
        login["payload"]["exp"].as_u64().unwrap(),
        orig_iat + 24 * 3600
    );

    // 4. current_user: the admin holds every right the running modules declare.
    let request = web::TestRequest::get()
        .uri("/api/core/users/current_user/")
        .cookie(actix_web::cookie::Cookie::new("JWT", token.clone()))
        .to_request();
    let (status, user) = json_of(web::call_service(&app, request).await).await;
    assert_eq!(status, 200, "{user}");
    assert_eq!(user["username"], "Admin");
    assert_eq!(user["t_user"], Value::Null);
    let i_user = &user["i_user"];
    assert_eq!(
        (
            i_user["language"].clone(),
            i_user["last_name"].clone(),
            i_user["has_password"].clone()
        ),
        (json!("en"), json!("Admin"), json!(true))
    );
    assert_eq!(
        i_user["rights"],
        json!([
            121501, 121502, 121503, 121504, 121601, 121602, 121603, 121604, 121701, 121702, 121703,
            121704, 122000, 122001, 122002, 122003, 122004, 122005, 122006, 900101
        ])
    );

    // 5. Refresh keeps origIat; verify answers the payload; languages need a login.
    let (status, body) = json_of(
        web::call_service(
            &app,
            with_cookie(
                "mutation refreshAuthToken { refreshToken { refreshExpiresIn payload } }",
                &token,
            ),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"]["refreshToken"]["payload"]["origIat"].as_u64(),
        Some(orig_iat)
    );
    let verify = format!(r#"mutation {{ verifyToken(token: "{token}") {{ payload }} }}"#);
    let (_, body) =
        json_of(web::call_service(&app, graphql_request(&verify, json!(null))).await).await;
    assert_eq!(body["data"]["verifyToken"]["payload"]["username"], "Admin");
    let (_, body) = json_of(
        web::call_service(
            &app,
            with_cookie("{ languages { code name sortOrder } }", &token),
        )
        .await,
    )
    .await;
    assert_eq!(
        body,
        json!({"data": {"languages": [{"code": "en", "name": "English", "sortOrder": 1}, {"code": "fr", "name": "Français", "sortOrder": 2}]}})
    );
    let (_, body) = json_of(
        web::call_service(&app, graphql_request("{ languages { code } }", json!(null))).await,
    )
    .await;
    assert_eq!(body["errors"][0]["message"], "unauthorized");

    // 6. Logout clears the cookie.
    let response = web::call_service(&app, with_cookie("mutation logout { deleteTokenCookie { deleted } deleteRefreshTokenCookie { deleted } }", &token)).await;
    let cleared = cookie_of(&response, "JWT").expect("the JWT cookie is removed");
    assert!(cleared.starts_with("JWT=; Path=/; Max-Age=0"), "{cleared}");
    let (_, body) = json_of(response).await;
    assert_eq!(
        body["data"],
        json!({"deleteTokenCookie": {"deleted": true}, "deleteRefreshTokenCookie": {"deleted": false}})
    );
}
