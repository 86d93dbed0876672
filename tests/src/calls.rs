//! GraphQL calls the module suites share: a query answered 200 (with or without a token), its
//! data when it must answer without errors, a mutation's log entry by `clientMutationId`, and
//! one field of each node of a connection.

use crate::{graphql_as, graphql_request, json_of, TestApp};
use actix_web::test as web_test;
use serde_json::{json, Value};

/// The answer to `query` (as `token`, or anonymous), which must be a 200.
pub async fn ask<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: Option<&str>,
    query: &str,
) -> Value {
    let request = match token {
        Some(token) => graphql_as(query, json!(null), token),
        None => graphql_request(query, json!(null)),
    };
    let (status, body) = json_of(web_test::call_service(app, request).await).await;
    assert_eq!(status, 200, "{query}: {body}");
    body
}

/// The data of `query`, which must answer without errors.
pub async fn data<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    query: &str,
) -> Value {
    let body = ask(app, Some(token), query).await;
    assert!(body.get("errors").is_none(), "{query}: {body}");
    body["data"].clone()
}

/// A succeeded mutation's log entry, as [`log_of`] answers it.
pub const OK: fn() -> Value = || json!({"status": 2, "error": null});

/// The first node of root connection `list` filtered by `uuid`, with `fields` (a selection).
pub async fn node_by_uuid<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    (list, uuid): (&str, &str),
    fields: &str,
) -> Value {
    let q = format!(r#"{{ {list}(uuid: "{uuid}") {{ edges {{ node {{ {fields} }} }} }} }}"#);
    data(app, token, &q).await[list]["edges"][0]["node"].clone()
}

const POLL: &str = r#"query ($id: String) { mutationLogs(clientMutationId: $id) { edges { node { status error } } } }"#;

/// The log entry (`{status, error}`) of the mutation logged with `client_id`.
pub async fn log_of<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    client_id: &str,
) -> Value {
    let request = graphql_as(POLL, json!({"id": client_id}), token);
    let (_, log) = json_of(web_test::call_service(app, request).await).await;
    log["data"]["mutationLogs"]["edges"][0]["node"].clone()
}

/// The `field` of each node of connection `name` in `data`.
pub fn column(data: &Value, name: &str, field: &str) -> Vec<Value> {
    data[name]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{name}: {data}"))
        .iter()
        .map(|e| e["node"][field].clone())
        .collect()
}

/// Runs `mutation` with `input` (its `clientMutationId` set to `client_id`) as `token`, as the
/// frontend sends it (`$input: <Mutation>MutationInput!`); answers its log entry.
pub async fn mutate_input<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    mutation: &str,
    mut input: Value,
    client_id: &str,
) -> Value {
    input["clientMutationId"] = json!(client_id);
    let mut chars = mutation.chars();
    let capitalized: String = chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect());
    let document = format!(
        "mutation ($input: {capitalized}MutationInput!) {{ {mutation}(input: $input) {{ internalId clientMutationId }} }}"
    );
    let request = graphql_as(&document, json!({ "input": input }), token);
    let (status, body) = json_of(web_test::call_service(app, request).await).await;
    assert_eq!(status, 200, "{mutation}: {body}");
    assert!(body.get("errors").is_none(), "{mutation}: {body}");
    log_of(app, token, client_id).await
}

/// The log entry failed (status 1) with `message` and `detail` as its first error.
pub fn failed_with(log: &Value, message: &str, detail: Option<&str>) {
    assert_eq!(log["status"], 1, "{log}");
    let errors: Value = serde_json::from_str(log["error"].as_str().unwrap_or("null")).unwrap();
    assert_eq!(errors[0]["message"], message, "{log}");
    assert_eq!(errors[0]["detail"].as_str(), detail, "{log}");
}

/// The frontend's recorded operations of `module` (`expected` of them), each validated against
/// `schema` and run as `token`: the reads first, on the demo data as seeded, then the writes;
/// every one must answer 200 without errors. Answers each one's data by operation id.
pub async fn replay_frontend<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    schema: &apollo_compiler::validation::Valid<apollo_compiler::Schema>,
    token: &str,
    module: &str,
    expected: usize,
) -> std::collections::BTreeMap<String, Value> {
    let mut operations = crate::conformance::frontend_operations(module);
    assert_eq!(operations.len(), expected, "{module}'s recorded operations");
    operations.sort_by_key(|op| op.kind == "mutation");
    replay_operations(app, schema, token, &operations).await
}

/// Each of `operations` validated against `schema`, then run as `token` in that order, each
/// answering 200 without errors: their data by operation id.
pub async fn replay_operations<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    schema: &apollo_compiler::validation::Valid<apollo_compiler::Schema>,
    token: &str,
    operations: &[crate::conformance::FrontendOperation],
) -> std::collections::BTreeMap<String, Value> {
    let mut answers = std::collections::BTreeMap::new();
    for op in operations {
        crate::conformance::validate(schema, op).unwrap_or_else(|e| panic!("{e}"));
        let request = graphql_as(&op.document, op.variables.clone(), token);
        let (status, body) = json_of(web_test::call_service(app, request).await).await;
        assert_eq!(status, 200, "{}: {body}", op.id);
        assert!(body.get("errors").is_none(), "{}: {body}", op.id);
        answers.insert(op.id.clone(), body["data"].clone());
    }
    answers
}
