//! The module against the SDK's fake host (a temporary SQLite database with the module's
//! migrations, core's mutation log in memory): manifest, query, mutation, translations.

use super::*;
use openimis_sdk::mutation::{FAILED, SUCCEEDED};
use openimis_sdk::testing::FakeHost;
use openimis_sdk::{RequestContext, SelectionField};
use serde_json::json;

/// The module as the host runs it: initialised, migrated, ready.
pub(crate) fn started() -> ({{Pascal}}Module, FakeHost) {
    let host = FakeHost::new().temp_sqlite().mutation_log();
    let module = {{Pascal}}Module::init(host.handle(), json!({})).expect("init");
    host.migrate(&module.migrations()).expect("the migrations apply");
    module.ready().expect("ready");
    (module, host)
}

fn field(name: &str, args: Value, selection: Vec<SelectionField>) -> SelectionField {
    let mut field = SelectionField::new(name).with_selection(selection);
    field.args = args.as_object().cloned().unwrap_or_default();
    field
}

fn request(operation: &str, field: SelectionField, language: &str) -> ResolveRequest {
    ResolveRequest {
        operation: operation.into(),
        field,
        context: RequestContext {
            language: language.into(),
            ..Default::default()
        },
    }
}

fn create(module: &{{Pascal}}Module, code: &str, language: &str) -> Value {
    let payload = vec![
        SelectionField::new("clientMutationId"),
        SelectionField::new("internalId"),
    ];
    let args = json!({"input": {"code": code, "name": "Item", "clientMutationId": format!("m-{code}")}});
    module
        .resolve(request(
            "mutation",
            field("create{{Pascal}}Item", args, payload),
            language,
        ))
        .expect("the mutation answers")
}

fn items(module: &{{Pascal}}Module, args: Value) -> Value {
    let node = SelectionField::new("node").with_selection(vec![SelectionField::new("code")]);
    let edges = SelectionField::new("edges").with_selection(vec![node]);
    let page_info =
        SelectionField::new("pageInfo").with_selection(vec![SelectionField::new("hasNextPage")]);
    let selection = vec![SelectionField::new("totalCount"), page_info, edges];
    module
        .resolve(request("query", field("{{camel}}Items", args, selection), "en"))
        .expect("query")
}

#[test]
fn the_manifest_names_the_module_and_declares_its_catalogues() {
    let manifest = module_manifest();
    assert_eq!(manifest.name, NAME);
    assert_eq!(manifest.api_version, openimis_sdk::API_VERSION);
    assert!(manifest.requires.contains_key("core"));
    assert_eq!(
        manifest.translations["fr"]["{{name}}.item.code_taken"],
        "Un élément avec ce code existe déjà."
    );
}

#[test]
fn a_created_item_is_logged_as_succeeded_and_listed() {
    let (module, host) = started();
    let payload = create(&module, "A1", "en");
    let logged = host.logged_mutations();
    assert_eq!(payload, json!({"clientMutationId": "m-A1", "internalId": logged[0].id}));
    assert_eq!(logged[0].status, SUCCEEDED);
    assert_eq!(logged[0].json_content["code"], "A1");
    assert_eq!(
        items(&module, json!({})),
        json!({"totalCount": 1, "pageInfo": {"hasNextPage": false}, "edges": [{"node": {"code": "A1"}}]})
    );
}

#[test]
fn a_duplicate_code_is_logged_as_failed_in_the_users_language() {
    let (module, host) = started();
    create(&module, "A1", "en");
    create(&module, "A1", "fr");
    let logged = host.logged_mutations();
    assert_eq!(logged[1].status, FAILED);
    let errors: Value = serde_json::from_str(logged[1].error.as_deref().unwrap()).unwrap();
    assert_eq!(
        errors,
        json!([{"message": "{{name}}.item.code_taken", "detail": "Un élément avec ce code existe déjà."}])
    );
    assert_eq!(items(&module, json!({}))["totalCount"], 1);
}

#[test]
fn the_query_filters_by_code_and_pages() {
    let (module, _host) = started();
    for code in ["A1", "B2", "AB3", "a_4"] {
        create(&module, code, "en");
    }
    assert_eq!(
        items(&module, json!({"code_Icontains": "a", "first": 2})),
        json!({"totalCount": 3, "pageInfo": {"hasNextPage": true}, "edges": [{"node": {"code": "A1"}}, {"node": {"code": "AB3"}}]})
    );
    assert_eq!(
        items(&module, json!({"code_Icontains": "_"}))["edges"],
        json!([{"node": {"code": "a_4"}}]),
        "`_` is a character, not a wildcard"
    );
}

#[test]
fn messages_fall_back_to_english_then_to_the_key() {
    assert_eq!(
        translations::message("fr", "{{name}}.item.code_required"),
        "Le code est obligatoire."
    );
    assert_eq!(
        translations::message("xx", "{{name}}.item.code_required"),
        "The code is required."
    );
    assert_eq!(translations::message("fr", "unknown.key"), "unknown.key");
}

#[test]
fn migrations_exist_for_both_backends() {
    let migrations = started().0.migrations();
    assert_eq!(migrations.len(), 1);
    assert!(migrations[0].postgres.as_str().contains("{{name}}_Item"));
    assert!(migrations[0].sqlite.as_str().contains("{{name}}_Item"));
}
