//! Frontend replay: every `core`, `admin` and `claim` operation the real frontend sends (frontend/
//! ops.json) runs on the demo data without a GraphQL error, in one cookie session as the
//! browser keeps it: login (`tokenAuth` sets the JWT and refresh cookies), every operation
//! with those cookies, logout last. The frontend's own known bugs are named in conformance.rs.

use openimis_system_tests::conformance::{frontend_operations, is_known_bug, FrontendOperation};
use openimis_system_tests::session::send;
use openimis_system_tests::*;
use serde_json::json;
use std::collections::BTreeMap;

/// Operations that end the session run last.
const LAST: &[&str] = &["core-06"];

/// Operations that select fields of a module this server does not have yet: they must fail
/// with exactly that unknown field (a ratchet: one that starts passing must leave this list).
const AWAITING_MODULES: &[(&str, &str)] = &[];

#[actix_rt::test]
async fn every_core_and_admin_operation_runs_on_the_demo_data_without_errors() {
    let dir = ModulesDir::with(&["core", "location", "medical", "medical_pricelist"]);
    let conf = modules_json(&[
        json!({"name": "core"}),
        json!({"name": "location"}),
        json!({"name": "medical"}),
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

/// Every `claim` operation the real frontend sends runs on the demo data (every module claim
/// needs, as openimis.json lists them) without a GraphQL error, in one cookie session: the
/// reads first, then the mutations not pending.
#[actix_rt::test]
async fn every_claim_operation_runs_on_the_demo_data_without_errors() {
    let modules = [
        "core",
        "location",
        "medical",
        "medical_pricelist",
        "product",
        "insuree",
        "policy",
        "payer",
        "contribution",
        "claim",
    ];
    let dir = ModulesDir::with(&modules);
    let entries: Vec<_> = modules.iter().map(|m| json!({ "name": m })).collect();
    let conf = modules_json(&entries);
    let runtime = start(settings(&conf, &dir, &[("DEMO_DATASET", "True")])).expect("starts");
    let (_rt, app) = service(runtime).await;

    let mut ops: Vec<FrontendOperation> = frontend_operations("claim")
        .into_iter()
        .filter(|op| !is_known_bug(op))
        .collect();
    ops.sort_by_key(|op| op.kind == "mutation");
    assert!(ops.len() >= 34, "claim's recorded reads and mutations");

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
        if failed {
            failures.push(format!("{} ({status}): {answer}", op.id));
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
