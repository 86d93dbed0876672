//! Startup through real libraries: every problem reported at once with its code and module,
//! optional modules disabled with their dependents, required ones refusing startup, and a
//! replacement module under the same logical name.

use actix_web::test as web_test;
use openimis_host::problems::Code;
use openimis_system_tests::*;
use serde_json::json;

fn entry(name: &str, library: &str) -> serde_json::Value {
    json!({"name": name, "library": library})
}

#[test]
fn every_loading_and_plan_problem_is_reported_at_once() {
    let dir = ModulesDir::with(&[
        "fx_base",
        "fx_future",
        "fx_cycle_a",
        "fx_cycle_b",
        "fx_not_module",
        "fx_old_api",
    ]);
    dir.fake_library("garbage", "this is not an ELF file");
    let conf = modules_json(&[
        entry("base", "fx_base"),
        entry("future", "fx_future"),
        entry("cycle_a", "fx_cycle_a"),
        entry("cycle_b", "fx_cycle_b"),
        entry("missing", "fx_missing"),
        entry("garbage", "garbage"),
        entry("plain", "fx_not_module"),
        entry("old", "fx_old_api"),
        entry("location", "fx_base"),
        entry("base", "fx_base"),
    ]);
    let err = start(settings(&conf, &dir, &[])).map(|_| ()).unwrap_err();
    let report = &err.report;
    let expected = [
        (Code::VersionMismatch, "future"),
        (Code::DependencyCycle, "cycle_a"),
        (Code::DependencyCycle, "cycle_b"),
        (Code::ModuleNotFound, "missing"),
        (Code::NotAModule, "garbage"),
        (Code::NotAModule, "plain"),
        (Code::AbiMismatch, "old"),
        (Code::NameMismatch, "location"),
        (Code::DuplicateModule, "base"),
    ];
    for (code, module) in expected {
        assert!(
            report.has(code, module),
            "expected {code} for {module} in:\n{report}"
        );
    }
    assert_eq!(report.problems.len(), expected.len(), "{report}");
    let text = err.to_string();
    assert!(
        text.contains("dependency cycle: cycle_a -> cycle_b -> cycle_a"),
        "{text}"
    );
    assert!(
        text.contains("requires `base` >=2.0, but 1.2.0 is installed"),
        "{text}"
    );
    assert!(
        text.contains("built against plugin-api 0.0.7; this host provides 0.1.0"),
        "{text}"
    );
    assert!(
        text.contains(
            "library `fx_base` implements `base` (implementation `base`), not `location`"
        ),
        "{text}"
    );
    assert!(text.contains("exports no openIMIS module"), "{text}");
}

#[test]
fn a_missing_dependency_is_named() {
    let dir = ModulesDir::with(&["fx_ext"]);
    let err = start(settings(
        &modules_json(&[entry("ext", "fx_ext")]),
        &dir,
        &[],
    ))
    .map(|_| ())
    .unwrap_err();
    assert_eq!(err.report.codes(), vec![Code::MissingDependency]);
    assert!(
        err.to_string()
            .contains("module `ext`: requires `base` ^1.0, which openimis.json does not list"),
        "{err}"
    );
}

#[test]
fn a_broken_openimis_json_is_reported_not_panicked() {
    let dir = ModulesDir::with(&[]);
    let mut s = settings(&json!({}), &dir, &[]);
    s.modules =
        openimis_host::settings::ModulesSource::Inline("{\"modules\": [{\"name\": 3}]}".into());
    let err = start(s).map(|_| ()).unwrap_err();
    assert_eq!(err.report.codes(), vec![Code::ConfigInvalid]);
    assert!(
        err.to_string()
            .contains("OPENIMIS_CONF_JSON: invalid type: integer `3`, expected a string"),
        "{err}"
    );
}

#[test]
fn two_modules_defining_the_same_field_conflict() {
    let dir = ModulesDir::with(&["fx_base", "fx_conflict"]);
    let conf = modules_json(&[entry("base", "fx_base"), entry("conflict", "fx_conflict")]);
    let err = start(settings(&conf, &dir, &[])).map(|_| ()).unwrap_err();
    assert!(err.report.has(Code::SchemaConflict, "conflict"), "{err}");
    let text = err.to_string();
    assert!(
        text.contains("type `ThingGQLType` is already defined by `base`"),
        "{text}"
    );
    assert!(
        text.contains("field `Query.things` is already defined by `base`"),
        "{text}"
    );
}

#[actix_rt::test]
async fn an_optional_conflicting_module_is_disabled_and_the_rest_serves() {
    let dir = ModulesDir::with(&["fx_base", "fx_conflict"]);
    let conf = modules_json(&[
        entry("base", "fx_base"),
        json!({"name": "conflict", "library": "fx_conflict", "required": false}),
    ]);
    let runtime =
        start(settings(&conf, &dir, &[])).expect("optional conflicts do not stop startup");
    assert!(runtime.report.has(Code::SchemaConflict, "conflict"));
    assert!(!runtime.report.is_fatal());
    let status = runtime
        .statuses
        .iter()
        .find(|s| s.name == "conflict")
        .unwrap();
    assert!(!status.running);
    let (_rt, app) = service(runtime).await;
    let (_, body) = json_of(
        web_test::call_service(
            &app,
            graphql_request("{ things(first: 1) { totalCount } }", json!(null)),
        )
        .await,
    )
    .await;
    assert_eq!(body, json!({"data": {"things": {"totalCount": 100}}}));
}

#[test]
fn a_required_module_whose_ready_fails_refuses_startup() {
    let dir = ModulesDir::with(&["fx_panicky"]);
    let conf = modules_json(&[
        json!({"name": "panicky", "library": "fx_panicky", "config": {"fail_ready": true}}),
    ]);
    let err = start(settings(&conf, &dir, &[])).map(|_| ()).unwrap_err();
    assert_eq!(err.report.codes(), vec![Code::ReadyFailed]);
    assert!(
        err.to_string()
            .contains("NOT_READY: refusing to start: fail_ready is set"),
        "{err}"
    );
}

#[actix_rt::test]
async fn an_optional_module_whose_ready_fails_is_disabled_with_its_dependents() {
    let dir = ModulesDir::with(&["fx_base", "fx_ext", "fx_panicky"]);
    let conf = modules_json(&[
        json!({"name": "panicky", "library": "fx_panicky", "required": false, "config": {"fail_ready": true}}),
        entry("base", "fx_base"),
        json!({"name": "ext", "library": "fx_ext", "required": false}),
    ]);
    let runtime = start(settings(&conf, &dir, &[])).expect("optional failures do not stop startup");
    assert!(
        runtime.report.has(Code::ReadyFailed, "panicky"),
        "{}",
        runtime.report
    );
    assert_eq!(
        runtime
            .modules
            .iter()
            .map(|m| m.name().to_owned())
            .collect::<Vec<_>>(),
        ["base", "ext"]
    );
    let (_rt, app) = service(runtime).await;
    let (status, body) =
        json_of(web_test::call_service(&app, graphql_request("{ calm }", json!(null))).await).await;
    assert_eq!(
        status, 400,
        "panicky's fields are gone from the schema: {body}"
    );
}

#[test]
fn an_optional_module_disabled_at_load_takes_its_dependents_with_it() {
    let dir = ModulesDir::with(&["fx_ext", "fx_panicky"]);
    let conf = modules_json(&[
        json!({"name": "base", "library": "fx_nowhere", "required": false}),
        json!({"name": "ext", "library": "fx_ext", "required": false}),
        entry("panicky", "fx_panicky"),
    ]);
    let runtime = start(settings(&conf, &dir, &[])).expect("starts with what is left");
    assert!(runtime.report.has(Code::ModuleNotFound, "base"));
    assert!(runtime.report.has(Code::DependencyDisabled, "ext"));
    assert_eq!(
        runtime
            .modules
            .iter()
            .map(|m| m.name().to_owned())
            .collect::<Vec<_>>(),
        ["panicky"]
    );
}

#[actix_rt::test]
async fn a_replacement_under_the_same_logical_name_serves_its_dependents() {
    let query = "{ things(first: 2) { edges { node { name extra { label thing { name } } } } } }";
    let mut answers = Vec::new();
    for library in ["fx_base", "fx_base_alt"] {
        let dir = ModulesDir::with(&[library, "fx_ext"]);
        let conf = modules_json(&[entry("base", library), entry("ext", "fx_ext")]);
        let runtime = start(settings(&conf, &dir, &[])).expect("both implementations satisfy ext");
        let implementation = runtime
            .modules
            .get("base")
            .unwrap()
            .manifest
            .implementation
            .clone();
        let (_rt, app) = service(runtime).await;
        let (status, body) =
            json_of(web_test::call_service(&app, graphql_request(query, json!(null))).await).await;
        assert_eq!(status, 200, "{body}");
        answers.push((
            implementation,
            body["data"]["things"]["edges"][1]["node"].clone(),
        ));
    }
    assert_eq!(
        answers,
        vec![
            (
                "base".to_owned(),
                json!({"name": "Thing 2", "extra": {"label": "extra of 2", "thing": {"name": "Thing 2"}}})
            ),
            (
                "base-alt".to_owned(),
                json!({"name": "Alt thing 2", "extra": {"label": "extra of 2", "thing": {"name": "Alt thing 2"}}})
            ),
        ]
    );
}

#[test]
fn modules_start_in_dependency_order_whatever_the_file_order() {
    let dir = ModulesDir::with(&["fx_base", "fx_ext", "fx_panicky"]);
    let conf = modules_json(&[
        entry("ext", "fx_ext"),
        entry("panicky", "fx_panicky"),
        entry("base", "fx_base"),
    ]);
    let runtime = start(settings(&conf, &dir, &[])).unwrap();
    assert_eq!(
        runtime
            .modules
            .iter()
            .map(|m| m.name().to_owned())
            .collect::<Vec<_>>(),
        ["panicky", "base", "ext"]
    );
}

#[test]
fn module_pools_must_fit_the_connection_budget() {
    let dir = ModulesDir::with(&["fx_base", "fx_ext"]);
    let conf = modules_json(&[
        entry("base", "fx_base"),
        json!({"name": "ext", "library": "fx_ext", "config": {"pool_size": 3}}),
    ]);
    let err = start(settings(
        &conf,
        &dir,
        &[("DB_POOL_SIZE", "4"), ("DB_MAX_CONNECTIONS", "6")],
    ))
    .map(|_| ())
    .unwrap_err();
    assert_eq!(err.report.codes(), vec![Code::PoolBudgetExceeded]);
    assert!(
        err.to_string()
            .contains("module pools need 7 connections, DB_MAX_CONNECTIONS allows 6"),
        "{err}"
    );
    let runtime = start(settings(
        &conf,
        &dir,
        &[("DB_POOL_SIZE", "3"), ("DB_MAX_CONNECTIONS", "6")],
    ))
    .expect("3 + 3 fits in 6");
    assert_eq!(runtime.modules.len(), 2);
}
