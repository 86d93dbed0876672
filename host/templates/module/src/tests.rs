//! The module against the SDK's fake host (a temporary SQLite database with the module's
//! migrations, core's mutation log in memory): manifest, the list with its filters, order and
//! pages, the items by key, the mutations and their log, translations.

use super::*;
use openimis_sdk::mutation::{FAILED, SUCCEEDED};
use openimis_sdk::testing::FakeHost;
use openimis_sdk::{RequestContext, SelectionField};
use serde_json::json;

/// The module as the host runs it: initialised, migrated, ready.
pub(crate) fn started() -> ({{Pascal}}Module, FakeHost) {
    let host = FakeHost::new().temp_sqlite().mutation_log();
    let module = {{Pascal}}Module::init(host.handle(), json!({})).expect("init");
    host.migrate(&module.migrations())
        .expect("the migrations apply");
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

/// Runs mutation `name` with `input` (plus a `clientMutationId`); answers its payload.
fn mutate(module: &{{Pascal}}Module, name: &str, input: Value, language: &str) -> Value {
    let payload = vec![
        SelectionField::new("clientMutationId"),
        SelectionField::new("internalId"),
    ];
    let mut input = input;
    input["clientMutationId"] = json!(format!("m-{}", input["code"].as_str().unwrap_or("x")));
    let args = json!({ "input": input });
    module
        .resolve(request("mutation", field(name, args, payload), language))
        .expect("the mutation answers")
}

fn create(module: &{{Pascal}}Module, code: &str, language: &str) -> Value {
    let input = json!({"code": code, "name": "Item"});
    mutate(module, "create{{Pascal}}Item", input, language)
}

/// `{{camel}}Items(args) { totalCount pageInfo { hasNextPage } edges { node { uuid code } } }`.
fn items(module: &{{Pascal}}Module, args: Value) -> Result<Value, ModuleError> {
    let node = SelectionField::new("node").with_selection(vec![
        SelectionField::new("uuid"),
        SelectionField::new("code"),
    ]);
    let edges = SelectionField::new("edges").with_selection(vec![node]);
    let page_info =
        SelectionField::new("pageInfo").with_selection(vec![SelectionField::new("hasNextPage")]);
    let selection = vec![SelectionField::new("totalCount"), page_info, edges];
    module.resolve(request(
        "query",
        field("{{camel}}Items", args, selection),
        "en",
    ))
}

/// The codes `{{camel}}Items(args)` lists, in order.
pub(crate) fn codes(module: &{{Pascal}}Module, args: Value) -> Vec<String> {
    let answer = items(module, args).expect("query");
    let edges = answer["edges"].as_array().cloned().unwrap_or_default();
    edges
        .iter()
        .map(|edge| edge["node"]["code"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn uuid_of(module: &{{Pascal}}Module, code: &str) -> String {
    let answer = items(module, json!({ "code": code })).expect("query");
    answer["edges"][0]["node"]["uuid"]
        .as_str()
        .expect("listed")
        .to_owned()
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
    assert_eq!(
        payload,
        json!({"clientMutationId": "m-A1", "internalId": logged[0].id})
    );
    assert_eq!(logged[0].status, SUCCEEDED);
    assert_eq!(logged[0].json_content["code"], "A1");
    let answer = items(&module, json!({})).unwrap();
    assert_eq!(answer["totalCount"], 1);
    assert_eq!(answer["pageInfo"], json!({"hasNextPage": false}));
    assert_eq!(answer["edges"][0]["node"]["code"], "A1");
    assert_eq!(
        answer["edges"][0]["node"]["uuid"].as_str().map(str::len),
        Some(36)
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
    assert_eq!(codes(&module, json!({})), ["A1"]);
}

#[test]
fn the_list_filters_orders_and_pages_in_sql() {
    let (module, _host) = started();
    for code in ["A1", "B2", "AB3", "a_4"] {
        create(&module, code, "en");
    }
    let page = items(&module, json!({"code_Icontains": "a", "first": 2})).unwrap();
    assert_eq!(
        (&page["totalCount"], &page["pageInfo"]["hasNextPage"]),
        (&json!(3), &json!(true))
    );
    assert_eq!(
        codes(&module, json!({"code_Icontains": "a", "first": 2})),
        ["A1", "AB3"]
    );
    assert_eq!(
        codes(&module, json!({"code_Icontains": "_"})),
        ["a_4"],
        "`_` is a character, not a wildcard"
    );
    assert_eq!(
        codes(
            &module,
            json!({"code_Istartswith": "a", "orderBy": ["-code"]})
        ),
        ["a_4", "AB3", "A1"]
    );
    assert_eq!(codes(&module, json!({"first": 1, "offset": 1})), ["B2"]);
    assert_eq!(codes(&module, json!({"last": 1})), ["a_4"]);
    let bad = items(&module, json!({"code_Icontains": "a\u{0}"})).unwrap_err();
    assert_eq!(bad.code.as_str(), "BAD_ARGUMENT");
    let unknown = items(&module, json!({"orderBy": ["nope"]})).unwrap_err();
    assert_eq!(unknown.code.as_str(), "BAD_ORDER_BY");
}

#[test]
fn an_update_keeps_history_and_a_delete_ends_the_item() {
    let (module, host) = started();
    create(&module, "A1", "en");
    create(&module, "B2", "en");
    let uuid = uuid_of(&module, "A1");
    mutate(
        &module,
        "update{{Pascal}}Item",
        json!({"uuid": uuid, "code": "C3"}),
        "en",
    );
    assert_eq!(codes(&module, json!({})), ["C3", "B2"]);
    assert_eq!(uuid_of(&module, "C3"), uuid, "the item keeps its uuid");
    let history = json!({"showHistory": true, "orderBy": ["code"]});
    assert_eq!(codes(&module, history.clone()), ["A1", "B2", "C3"]);

    mutate(
        &module,
        "update{{Pascal}}Item",
        json!({"uuid": uuid, "code": "B2"}),
        "en",
    );
    mutate(
        &module,
        "delete{{Pascal}}Item",
        json!({"uuid": uuid}),
        "en",
    );
    assert_eq!(codes(&module, json!({})), ["B2"]);
    assert_eq!(
        codes(&module, history).len(),
        3,
        "the deleted item is ended, not removed"
    );
    let status: Vec<i32> = host.logged_mutations().iter().map(|m| m.status).collect();
    assert_eq!(status, [SUCCEEDED, SUCCEEDED, SUCCEEDED, FAILED, SUCCEEDED]);
}

#[test]
fn items_are_answered_by_key() {
    let (module, _host) = started();
    create(&module, "A1", "en");
    let request = EntitiesRequest {
        type_name: "{{Pascal}}ItemGQLType".into(),
        keys: vec![json!(1), json!("2")],
        selection: vec![SelectionField::new("code"), SelectionField::new("name")],
        context: RequestContext::default(),
    };
    let found = module.entities(request).expect("entities");
    assert_eq!(found, [json!({"code": "A1", "name": "Item"}), Value::Null]);
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
    assert!(migrations[0]
        .postgres
        .as_str()
        .contains("{{name}}_Item"));
    assert!(migrations[0].sqlite.as_str().contains("{{name}}_Item"));
}
