//! Frontend replay: every `core` and `admin` operation the real frontend sends (frontend/
//! ops.json) runs on the demo data without a GraphQL error, in one cookie session as the
//! browser keeps it: login (`tokenAuth` sets the JWT and refresh cookies), every operation
//! with those cookies, logout last. The frontend's own known bugs are named in conformance.rs.

use actix_web::test as web;
use openimis_system_tests::conformance::{frontend_operations, is_known_bug, FrontendOperation};
use openimis_system_tests::*;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Operations that end the session run last.
const LAST: &[&str] = &["core-06"];

/// Operations that select fields of a module this server does not have yet: they must fail
/// with exactly that unknown field (a ratchet: one that starts passing must leave this list).
const AWAITING_MODULES: &[(&str, &str)] = &[];

#[actix_rt::test]
async fn every_core_and_admin_operation_runs_on_the_demo_data_without_errors() {
    let dir = ModulesDir::with(&["core", "location", "medical_pricelist"]);
    let conf = modules_json(&[
        json!({"name": "core"}),
        json!({"name": "location"}),
        json!({"name": "medical_pricelist"}),
    ]);
    let runtime = start(settings(&conf, &dir, &[("DEMO_DATASET", "True")])).expect("starts");
    let (_rt, app) = service(runtime).await;

    let mut ops: Vec<FrontendOperation> = ["core", "admin"]
        .iter()
        .flat_map(|m| frontend_operations(m))
        .filter(|op| !is_known_bug(op))
        .collect();
    ops.sort_by_key(|op| LAST.contains(&op.id.as_str()));

    let mut cookies: BTreeMap<String, String> = BTreeMap::new();
    let login = json!({"query": "mutation ($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token } }", "variables": {"u": "Admin", "p": "admin123"}});
    send(&app, &login, &mut cookies).await;
    assert!(cookies.contains_key("JWT"), "login set the JWT cookie");

    let mut failures = Vec::new();
    for op in &ops {
        let body = json!({"query": op.document, "variables": op.variables});
        let (status, answer) = send(&app, &body, &mut cookies).await;
        let failed =
            status != 200 || answer.get("errors").is_some() || answer.get("data").is_none();
        match AWAITING_MODULES.iter().find(|(id, _)| *id == op.id) {
            Some((_, expected))
                if !(failed && answer.to_string().contains(&expected.replace('"', "\\\""))) =>
            {
                failures.push(format!(
                    "{} no longer fails as awaited ({status}): {answer}",
                    op.id
                ))
            }
            Some(_) => {}
            None if failed => failures.push(format!("{} ({status}): {answer}", op.id)),
            None => {}
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} operations failed:\n  {}",
        failures.len(),
        ops.len(),
        failures.join("\n  ")
    );
}

/// POSTs `body` with the session's cookies and keeps the cookies the answer sets or deletes.
async fn send<S, B>(app: &S, body: &Value, cookies: &mut BTreeMap<String, String>) -> (u16, Value)
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    let mut request = web::TestRequest::post().uri("/api/graphql").set_json(body);
    for (name, value) in cookies.iter() {
        request = request.cookie(actix_web::cookie::Cookie::new(name.clone(), value.clone()));
    }
    let response = web::call_service(app, request.to_request()).await;
    for header in response.headers().get_all("set-cookie") {
        let Ok(cookie) =
            actix_web::cookie::Cookie::parse(header.to_str().unwrap_or_default().to_owned())
        else {
            continue;
        };
        if cookie.value().is_empty() || cookie.max_age().is_some_and(|a| a.is_zero()) {
            cookies.remove(cookie.name());
        } else {
            cookies.insert(cookie.name().to_owned(), cookie.value().to_owned());
        }
    }
    json_of(response).await
}
