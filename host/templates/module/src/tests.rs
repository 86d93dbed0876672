//! The module against the SDK's fake host: manifest, query, mutation, translations, migrations.

use super::*;
use openimis_plugin_api::sdk::testing::FakeHost;
use openimis_plugin_api::{RequestContext, SelectionField};
use serde_json::json;

fn module() -> {{Pascal}}Module {
    {{Pascal}}Module::init(FakeHost::new().handle(), json!({})).expect("init")
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

fn create(module: &{{Pascal}}Module, code: &str, language: &str) -> Result<Value, ModuleError> {
    let payload = vec![
        SelectionField::new("clientMutationId"),
        SelectionField::new("internalId"),
    ];
    let args = json!({"input": {"code": code, "name": "Item", "clientMutationId": "m-1"}});
    module.resolve(request(
        "mutation",
        field("create{{Pascal}}Item", args, payload),
        language,
    ))
}

fn codes(module: &{{Pascal}}Module) -> Value {
    let node = SelectionField::new("node").with_selection(vec![SelectionField::new("code")]);
    let edges = SelectionField::new("edges").with_selection(vec![node]);
    let selection = vec![SelectionField::new("totalCount"), edges];
    module
        .resolve(request("query", field("{{camel}}Items", json!({}), selection), "en"))
        .expect("query")
}

#[test]
fn the_manifest_names_the_module() {
    let manifest = module_manifest();
    assert_eq!(manifest.name, NAME);
    assert_eq!(manifest.api_version, openimis_plugin_api::API_VERSION);
}

#[test]
fn a_created_item_is_listed() {
    let module = module();
    let payload = create(&module, "A1", "en").expect("created");
    assert_eq!(payload["clientMutationId"], "m-1");
    assert!(payload["internalId"].as_str().is_some_and(|id| id.len() == 36));
    assert_eq!(
        codes(&module),
        json!({"totalCount": 1, "edges": [{"node": {"code": "A1"}}]})
    );
}

#[test]
fn a_duplicate_code_is_refused_in_the_users_language() {
    let module = module();
    create(&module, "A1", "en").expect("created");
    let error = create(&module, "A1", "fr").unwrap_err();
    assert_eq!(error.code.as_str(), "VALIDATION");
    assert_eq!(error.message.as_str(), "Un élément avec ce code existe déjà.");
}

#[test]
fn the_catalogues_are_served_with_english_as_fallback() {
    let module = module();
    let fr = module.service("translations", json!({"language": "fr"})).unwrap();
    assert_eq!(fr["{{name}}.item.code_required"], "Le code est obligatoire.");
    let other = module.service("translations", json!({"language": "xx"})).unwrap();
    assert_eq!(other["{{name}}.item.code_required"], "The code is required.");
}

#[test]
fn migrations_exist_for_both_backends() {
    let migrations = module().migrations();
    assert_eq!(migrations.len(), 1);
    assert!(migrations[0].postgres.as_str().contains("{{name}}_Item"));
    assert!(migrations[0].sqlite.as_str().contains("{{name}}_Item"));
}
