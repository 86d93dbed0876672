//! Tokens die with a password change, as the original's per-user `PrivateKey` makes them:
//! every way of setting a password (`updateUser`, `changePassword` by an administrator or by
//! the user, `resetPassword` + `setPassword`) refuses the user's earlier tokens on every
//! request and on refresh (HS256 and RS256), while tokens issued after, and other users'
//! tokens, work. And user mutations make location forget its cached row-security scopes, so
//! a claim administrator's new facility or end takes effect at once.

use actix_web::dev::{Service, ServiceResponse};
use actix_web::{body::MessageBody, test as web_test};
use openimis_host::auth::JwtKeys;
use openimis_host::runtime::Runtime;
use openimis_system_tests::smtp::SmtpServer;
use openimis_system_tests::*;
use serde_json::{json, Value};
use std::path::Path;

const CREATE: &str =
    "mutation ($input: CreateUserMutationInput!) { createUser(input: $input) { internalId } }";
const UPDATE: &str =
    "mutation ($input: UpdateUserMutationInput!) { updateUser(input: $input) { internalId } }";
const DELETE: &str =
    "mutation ($input: DeleteUserMutationInput!) { deleteUser(input: $input) { internalId } }";
const CHANGE: &str = "mutation ($input: ChangePasswordMutationInput!) { changePassword(input: $input) { success error } }";
const RESET: &str = "mutation ($input: ResetPasswordMutationInput!) { resetPassword(input: $input) { success error } }";
const SET: &str =
    "mutation ($input: SetPasswordMutationInput!) { setPassword(input: $input) { success error } }";
const LOGIN: &str = "mutation ($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token payload } }";
const REFRESH: &str = "mutation ($t: String) { refreshToken(token: $t) { token payload } }";
const VERIFY: &str = "mutation ($t: String!) { verifyToken(token: $t) { payload } }";
/// A query that needs a login.
const NEEDS_LOGIN: &str = "{ languages { code } }";

fn started(modules: &[&str], vars: &[(&str, &str)]) -> (ModulesDir, Runtime) {
    let dir = ModulesDir::with(modules);
    let conf: Vec<Value> = modules.iter().map(|m| json!({ "name": m })).collect();
    let mut all = vec![("DEMO_DATASET", "True")];
    all.extend_from_slice(vars);
    let runtime = start(settings(&modules_json(&conf), &dir, &all)).expect("the modules start");
    (dir, runtime)
}

/// `(status, body)` of one GraphQL operation, as `token`'s holder when given.
async fn call<S, B>(app: &S, query: &str, variables: Value, token: Option<&str>) -> (u16, Value)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let request = match token {
        Some(token) => graphql_as(query, variables, token),
        None => graphql_request(query, variables),
    };
    json_of(web_test::call_service(app, request).await).await
}

/// The `data` of an operation that must succeed without errors.
async fn ask<S, B>(app: &S, token: &str, query: &str, variables: Value) -> Value
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let (status, body) = call(app, query, variables, Some(token)).await;
    assert!(
        status == 200 && body.get("errors").is_none(),
        "{query}: {status} {body}"
    );
    body["data"].clone()
}

/// Runs a logged mutation as `token`'s holder and checks its log says it succeeded.
async fn mutate<S, B>(app: &S, token: &str, query: &str, input: Value)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let id = input["clientMutationId"].as_str().unwrap().to_owned();
    ask(app, token, query, json!({ "input": input })).await;
    let log = format!(
        r#"{{ mutationLogs(clientMutationId: "{id}") {{ edges {{ node {{ status error }} }} }} }}"#
    );
    let data = ask(app, token, &log, json!(null)).await;
    assert_eq!(
        data["mutationLogs"]["edges"][0]["node"],
        json!({"status": 2, "error": null}),
        "{id}"
    );
}

/// `{success, error}` of a password mutation.
async fn password_mutation<S, B>(app: &S, query: &str, input: Value, token: Option<&str>) -> Value
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let (status, body) = call(app, query, json!({ "input": input }), token).await;
    assert_eq!(status, 200, "{body}");
    body["data"]
        .as_object()
        .and_then(|data| data.values().next())
        .cloned()
        .unwrap_or_else(|| panic!("no payload: {body}"))
}

/// Logs in and answers `(token, payload)`.
async fn login_with_payload<S, B>(app: &S, username: &str, password: &str) -> (String, Value)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let (_, body) = call(app, LOGIN, json!({"u": username, "p": password}), None).await;
    let login = &body["data"]["tokenAuth"];
    let token = login["token"]
        .as_str()
        .unwrap_or_else(|| panic!("login failed: {body}"));
    (token.to_owned(), login["payload"].clone())
}

/// What the host answers a token it can not use, by GraphQL and by a module route.
async fn refusal<S, B>(app: &S, token: &str) -> ((u16, Value), u16)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let graphql = call(app, NEEDS_LOGIN, json!(null), Some(token)).await;
    let route = web_test::TestRequest::get()
        .uri("/api/core/users/current_user/")
        .insert_header(("Authorization", format!("Bearer {token}")))
        .to_request();
    let route = web_test::call_service(app, route).await.status().as_u16();
    (graphql, route)
}

/// The token works: a query needing a login, the current user route, and a refresh whose
/// token works too.
async fn assert_works<S, B>(app: &S, token: &str, username: &str)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let ((status, body), route) = refusal(app, token).await;
    assert_eq!((status, route), (200, 200), "{username}: {body}");
    assert!(body.get("errors").is_none(), "{username}: {body}");
    let data = ask(app, token, REFRESH, json!({ "t": token })).await;
    assert_eq!(data["refreshToken"]["payload"]["username"], username);
    let refreshed = data["refreshToken"]["token"].as_str().unwrap();
    let ((status, _), route) = refusal(app, refreshed).await;
    assert_eq!((status, route), (200, 200), "{username}'s refreshed token");
}

/// The token is refused on every request as an invalid one, and neither refreshes (as the
/// argument or as the request's own token) nor verifies.
async fn assert_refused<S, B>(app: &S, token: &str, why: &str)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let invalid = refusal(app, "not.a.token").await;
    assert_eq!((invalid.0 .0, invalid.1), (401, 401), "{}", invalid.0 .1);
    assert_eq!(
        invalid.0 .1["errors"][0]["message"],
        "Error decoding signature"
    );
    assert_eq!(refusal(app, token).await, invalid, "{why}");
    for (query, variables, bearer) in [
        (REFRESH, json!({ "t": token }), None),
        (REFRESH, json!({}), Some(token)),
        (VERIFY, json!({ "t": token }), None),
    ] {
        let (status, body) = call(app, query, variables, bearer).await;
        assert_eq!(status, 401, "{why}: {query}: {body}");
        assert_eq!(
            body["errors"][0]["message"], "Error decoding signature",
            "{why}: {query}"
        );
        assert!(
            body["data"]
                .as_object()
                .is_none_or(|data| data.values().all(Value::is_null)),
            "{why}: {body}"
        );
    }
}

fn openssl(args: &[&str], dir: &Path) {
    let status = std::process::Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .status()
        .expect("openssl runs");
    assert!(status.success(), "openssl {args:?}");
}

/// A directory with an RS256 key pair as the host looks for it.
fn rs256_keys() -> tempfile::TempDir {
    let keys = tempfile::tempdir().unwrap();
    let private = [
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        "jwt_private_key.pem",
    ];
    openssl(&private, keys.path());
    let public = [
        "rsa",
        "-pubout",
        "-in",
        "jwt_private_key.pem",
        "-out",
        "jwt_public_key.pem",
    ];
    openssl(&public, keys.path());
    keys
}

#[actix_rt::test]
async fn hs256_tokens_die_with_every_kind_of_password_set() {
    let none = tempfile::tempdir().unwrap();
    tokens_die_with_every_kind_of_password_set(none.path(), jsonwebtoken::Algorithm::HS256).await;
}

#[actix_rt::test]
async fn rs256_tokens_die_with_every_kind_of_password_set() {
    let keys = rs256_keys();
    tokens_die_with_every_kind_of_password_set(keys.path(), jsonwebtoken::Algorithm::RS256).await;
}

async fn tokens_die_with_every_kind_of_password_set(
    keys: &Path,
    algorithm: jsonwebtoken::Algorithm,
) {
    let smtp = SmtpServer::start();
    let port = smtp.port.to_string();
    let keys_dir = keys.display().to_string();
    let (_dir, runtime) = started(
        &["core"],
        &[
            ("JWT_KEYS_DIR", &keys_dir),
            ("EMAIL_HOST", "127.0.0.1"),
            ("EMAIL_PORT", &port),
            ("FRONTEND_URL", "https://imis.example.org"),
        ],
    );
    let (rt, app) = service(runtime).await;
    let (admin, admin_payload) = login_with_payload(&app, "Admin", "admin123").await;
    assert_eq!(jsonwebtoken::decode_header(&admin).unwrap().alg, algorithm);
    assert!(
        admin_payload["keyFingerprint"].is_string(),
        "{admin_payload}"
    );
    let clerk_role = ask(
        &app,
        &admin,
        r#"{ role(name: "Clerk") { edges { node { id } } } }"#,
        json!(null),
    )
    .await;
    let clerk_role: i64 = openimis_sdk::relay::parse_global_id(
        clerk_role["role"]["edges"][0]["node"]["id"]
            .as_str()
            .unwrap(),
    )
    .unwrap()
    .1
    .parse()
    .unwrap();
    let user = |id: &str, password: &str| {
        json!({"clientMutationId": id, "username": "tkclerk", "userTypes": ["INTERACTIVE"], "lastName": "Clerk",
            "otherNames": "Token", "email": "tkclerk@example.org", "language": "en", "roles": [clerk_role], "password": password})
    };
    mutate(&app, &admin, CREATE, user("t1", "Clerk-Pass1")).await;
    let (first, first_payload) = login_with_payload(&app, "tkclerk", "Clerk-Pass1").await;
    assert_works(&app, &first, "tkclerk").await;

    // 1. updateUser with a password (by an administrator).
    let found = ask(
        &app,
        &admin,
        r#"{ users(username: "tkclerk") { edges { node { id } } } }"#,
        json!(null),
    )
    .await;
    let uuid = openimis_sdk::relay::parse_global_id(
        found["users"]["edges"][0]["node"]["id"].as_str().unwrap(),
    )
    .unwrap()
    .1;
    let mut changed = user("t2", "Clerk-Pass2");
    changed["uuid"] = json!(uuid);
    mutate(&app, &admin, UPDATE, changed).await;
    assert_refused(&app, &first, "after updateUser").await;
    let (second, second_payload) = login_with_payload(&app, "tkclerk", "Clerk-Pass2").await;
    assert_ne!(
        second_payload["keyFingerprint"], first_payload["keyFingerprint"],
        "a new password, a new key"
    );
    assert_works(&app, &second, "tkclerk").await;

    // An update without a password keeps the key and the tokens.
    let mut renamed = user("t3", "");
    renamed["uuid"] = json!(uuid);
    renamed.as_object_mut().unwrap().remove("password");
    renamed["otherNames"] = json!("Renamed");
    mutate(&app, &admin, UPDATE, renamed).await;
    assert_works(&app, &second, "tkclerk").await;

    // 2. changePassword by someone holding 121703.
    let by_admin =
        json!({"clientMutationId": "p1", "username": "tkclerk", "newPassword": "Clerk-Pass3"});
    assert_eq!(
        password_mutation(&app, CHANGE, by_admin, Some(&admin)).await,
        json!({"success": true, "error": null})
    );
    assert_refused(&app, &second, "after changePassword by an administrator").await;
    let (third, _) = login_with_payload(&app, "tkclerk", "Clerk-Pass3").await;
    assert_works(&app, &third, "tkclerk").await;

    // 3. changePassword by the user, with the token it then loses.
    let own = json!({"clientMutationId": "p2", "oldPassword": "Clerk-Pass3", "newPassword": "Clerk-Pass4"});
    assert_eq!(
        password_mutation(&app, CHANGE, own, Some(&third)).await,
        json!({"success": true, "error": null})
    );
    assert_refused(&app, &third, "after changePassword by the user").await;
    let (fourth, _) = login_with_payload(&app, "tkclerk", "Clerk-Pass4").await;
    assert_works(&app, &fourth, "tkclerk").await;

    // 4. resetPassword alone changes nothing; setPassword with the mailed token does.
    let reset = json!({"clientMutationId": "p3", "username": "tkclerk"});
    assert_eq!(
        password_mutation(&app, RESET, reset, None).await,
        json!({"success": true, "error": null})
    );
    assert_works(&app, &fourth, "tkclerk").await;
    let body = smtp.next_mail().body();
    let mailed: String = body
        .split_once("set_password?token=")
        .unwrap_or_else(|| panic!("no reset link in {body}"))
        .1
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect();
    let set = json!({"clientMutationId": "p4", "username": "tkclerk", "token": mailed, "newPassword": "Clerk-Pass5"});
    assert_eq!(
        password_mutation(&app, SET, set, None).await,
        json!({"success": true, "error": null})
    );
    assert_refused(&app, &fourth, "after setPassword").await;
    let (fifth, fifth_payload) = login_with_payload(&app, "tkclerk", "Clerk-Pass5").await;
    assert_works(&app, &fifth, "tkclerk").await;

    // The administrator's token survived all of it.
    assert_works(&app, &admin, "Admin").await;

    // A context cached before a change (here: put back by hand) does not refuse a token issued
    // after it: the host asks core again before refusing.
    let cache = rt.services.cache();
    let current = cache
        .get("rights_tkclerk")
        .expect("tkclerk's context is cached");
    assert_eq!(current["token_key"], fifth_payload["keyFingerprint"]);
    let mut stale = current.clone();
    stale["token_key"] = first_payload["keyFingerprint"].clone();
    cache.set("rights_tkclerk", &stale, Some(300));
    assert_works(&app, &fifth, "tkclerk").await;
    assert_eq!(cache.get("rights_tkclerk"), Some(current));

    // Tokens without a fingerprint (issued before this version): refused for a user with a
    // key, accepted for one without (an officer without an interactive user), as the original
    // signs those with the global key.
    let host_keys = JwtKeys::load(keys, "test-secret").unwrap();
    let unkeyed = host_keys.issue("tkclerk", None).unwrap().token;
    assert_refused(&app, &unkeyed, "a token without a fingerprint").await;
    let officer = json!({"clientMutationId": "o1", "username": "tkofficer", "userTypes": ["OFFICER"], "lastName": "Officer",
        "otherNames": "Token", "language": "en", "birthDate": "1990-01-01"});
    mutate(&app, &admin, CREATE, officer).await;
    let unkeyed = host_keys.issue("tkofficer", None).unwrap().token;
    let request = web_test::TestRequest::get()
        .uri("/api/core/users/current_user/")
        .insert_header(("Authorization", format!("Bearer {unkeyed}")))
        .to_request();
    let (status, body) = json_of(web_test::call_service(&app, request).await).await;
    assert_eq!(
        (status, &body["username"]),
        (200, &json!("tkofficer")),
        "{body}"
    );
}

/// The sorted `code`s of a connection's nodes.
fn codes(connection: &Value) -> Vec<String> {
    let mut out: Vec<String> = connection["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("not a connection: {connection}"))
        .iter()
        .map(|e| e["node"]["code"].as_str().unwrap().to_owned())
        .collect();
    out.sort();
    out
}

/// The first node's relay id decoded to its primary key.
fn pk(connection: &Value) -> i64 {
    let id = connection["edges"][0]["node"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no node: {connection}"));
    openimis_sdk::relay::parse_global_id(id)
        .unwrap()
        .1
        .parse()
        .unwrap()
}

#[actix_rt::test]
async fn user_mutations_make_location_forget_its_row_security_scopes() {
    let (_dir, runtime) = started(&["core", "location"], &[]);
    let (rt, app) = service(runtime).await;
    let admin = login(&app, "Admin", "admin123").await;
    let places = ask(
        &app,
        &admin,
        r#"{ d1: locations(code: "R1D1") { edges { node { id } } }
             ra: healthFacilities(code: "RAHOS001") { edges { node { id } } }
             ro: healthFacilities(code: "ROHOS001") { edges { node { id } } }
             clerk: role(name: "Clerk") { edges { node { id } } } }"#,
        json!(null),
    )
    .await;
    // A claim administrator with a login at RAHOS001 (district R1D2), itself in district R1D1.
    let user = |id: &str, facility: &str| {
        json!({"clientMutationId": id, "username": "tkcadm", "userTypes": ["INTERACTIVE", "CLAIM_ADMIN"], "lastName": "Claims",
            "otherNames": "Token", "email": "tkcadm@example.org", "language": "en", "roles": [pk(&places["clerk"])], "password": "Cadm-Pass1",
            "healthFacilityId": pk(&places[facility]), "districts": [pk(&places["d1"])]})
    };
    mutate(&app, &admin, CREATE, user("c1", "ra")).await;
    let claim_admin = login(&app, "tkcadm", "Cadm-Pass1").await;
    let facilities = "{ healthFacilities(first: 100) { edges { node { code } } } }";
    let seen = ask(&app, &claim_admin, facilities, json!(null)).await;
    let at_ra = codes(&seen["healthFacilities"]);
    assert!(at_ra.contains(&"RAHOS001".to_owned()), "{at_ra:?}");
    assert!(
        rt.services
            .cache()
            .get(&format!("rowsec_hf_{}", tkcadm_id(&app, &admin).await))
            .is_some(),
        "the scope is cached"
    );

    // A new facility (no districts or villages given, so location hears of nothing else):
    // the next list is the new facility's district, not the cached scope.
    let uuid = user_uuid(&app, &admin).await;
    let mut moved = user("c2", "ro");
    moved["uuid"] = json!(uuid);
    moved.as_object_mut().unwrap().remove("password");
    moved.as_object_mut().unwrap().remove("districts");
    mutate(&app, &admin, UPDATE, moved).await;
    let seen = ask(&app, &claim_admin, facilities, json!(null)).await;
    assert_eq!(codes(&seen["healthFacilities"]), ["ROHC001", "ROHOS001"]);

    // deleteUser ends the claim administrator: the user is a district user (R1D1) at once.
    let deleted = json!({"clientMutationId": "c3", "uuids": [uuid]});
    mutate(&app, &admin, DELETE, deleted).await;
    let seen = ask(&app, &claim_admin, facilities, json!(null)).await;
    assert_eq!(codes(&seen["healthFacilities"]), ["JMHC001", "JMHOS001"]);
}

/// tkcadm's `core_User` uuid.
async fn user_uuid<S, B>(app: &S, admin: &str) -> String
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let found = ask(
        app,
        admin,
        r#"{ users(username: "tkcadm") { edges { node { id } } } }"#,
        json!(null),
    )
    .await;
    openimis_sdk::relay::parse_global_id(found["users"]["edges"][0]["node"]["id"].as_str().unwrap())
        .unwrap()
        .1
}

/// tkcadm's `tblUsers` id.
async fn tkcadm_id<S, B>(app: &S, admin: &str) -> i64
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let found = ask(
        app,
        admin,
        r#"{ interactiveUsers(loginName_Iexact: "tkcadm") { edges { node { id } } } }"#,
        json!(null),
    )
    .await;
    pk(&found["interactiveUsers"])
}
