//! `node(id:)` applies the rights of the root lists that show the type (issue 13 item 5): no
//! answer without a login, none without the right `users`/`interactiveUsers` ask for, the
//! object for a user who may list it; and, walking every type that implements `Node`, a
//! caller refused a type's root list (no token, or a user without the right) is refused its
//! `node` too.

use actix_web::test as web;
use apollo_compiler::schema::ExtendedType;
use base64::Engine;
use openimis_system_tests::conformance::parse_schema;
use openimis_system_tests::*;
use serde_json::{json, Value};

const NODE: &str = "query ($id: ID!) { node(id: $id) { id ... on InteractiveUserGQLType { loginName email } ... on HealthFacilityGQLType { code } } }";

async fn ask<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: Option<&str>,
    query: &str,
    variables: Value,
) -> Value {
    let request = match token {
        Some(token) => graphql_as(query, variables, token),
        None => graphql_request(query, variables),
    };
    json_of(web::call_service(app, request).await).await.1
}

fn refused(answer: &Value) -> bool {
    answer["data"]["node"].is_null() && answer["errors"][0]["extensions"]["code"] == "UNAUTHORIZED"
}

#[actix_rt::test]
async fn node_reaches_an_object_only_with_the_rights_of_its_lists() {
    let dir = ModulesDir::with(&["core", "location"]);
    let conf = modules_json(&[json!({"name": "core"}), json!({"name": "location"})]);
    let runtime = start(settings(&conf, &dir, &[("DEMO_DATASET", "True")])).expect("starts");
    let (_rt, app) = service(runtime).await;
    let admin = login(&app, "Admin", "admin123").await;
    let ids = ask(
        &app,
        Some(&admin),
        "{ users(first: 1, username: \"Admin\") { edges { node { iUser { id } } } } healthFacilities(first: 1) { edges { node { id } } } }",
        json!(null),
    )
    .await;
    let user = ids["data"]["users"]["edges"][0]["node"]["iUser"]["id"].clone();
    let facility = ids["data"]["healthFacilities"]["edges"][0]["node"]["id"].clone();
    assert!(user.is_string() && facility.is_string(), "{ids}");

    // Anonymous: nothing, whatever the type.
    for id in [&user, &facility] {
        let answer = ask(&app, None, NODE, json!({ "id": id })).await;
        assert!(refused(&answer), "anonymous node({id}): {answer}");
    }

    // A user without 121701: `users` is refused, and so is a user through `node`.
    let officer = login(&app, "E00001", "Demo12345!").await;
    let users = ask(
        &app,
        Some(&officer),
        "{ users(first: 1) { totalCount } }",
        json!(null),
    )
    .await;
    assert_eq!(
        users["errors"][0]["extensions"]["code"], "UNAUTHORIZED",
        "{users}"
    );
    let answer = ask(&app, Some(&officer), NODE, json!({ "id": user })).await;
    assert!(refused(&answer), "node(user) without 121701: {answer}");

    // Admin may list users: the node answers.
    let answer = ask(&app, Some(&admin), NODE, json!({ "id": user })).await;
    assert_eq!(answer["data"]["node"]["loginName"], "Admin", "{answer}");
    let answer = ask(&app, Some(&admin), NODE, json!({ "id": facility })).await;
    assert!(answer["data"]["node"]["code"].is_string(), "{answer}");
}

fn is_refused(answer: &Value, field: &str) -> bool {
    answer["data"][field].is_null() && answer["errors"][0]["extensions"]["code"] == "UNAUTHORIZED"
}

#[actix_rt::test]
async fn every_node_type_is_refused_to_whoever_its_root_lists_refuse() {
    let names = ["core", "location", "medical", "medical_pricelist"];
    let dir = ModulesDir::with(&names);
    let conf = modules_json(&names.map(|n| json!({ "name": n })));
    let runtime = start(settings(&conf, &dir, &[("DEMO_DATASET", "True")])).expect("starts");
    let schema = parse_schema(&runtime.engine.composed.sdl());
    let (_rt, app) = service(runtime).await;
    let officer = login(&app, "E00001", "Demo12345!").await;
    let Some(ExtendedType::Object(query)) = schema.types.get("Query") else {
        panic!("no Query type");
    };
    let mut walked = 0;
    for (type_name, ty) in &schema.types {
        let ExtendedType::Object(object) = ty else {
            continue;
        };
        if !object.implements_interfaces.contains("Node") {
            continue;
        }
        let connection = format!("{type_name}Connection");
        let lists: Vec<&str> = query
            .fields
            .iter()
            .filter(|(_, f)| f.ty.inner_named_type().as_str() == connection)
            .filter(|(_, f)| f.arguments.iter().all(|a| !a.is_required()))
            .map(|(name, _)| name.as_str())
            .collect();
        if lists.is_empty() {
            continue;
        }
        let id = base64::engine::general_purpose::STANDARD.encode(format!("{type_name}:1"));
        let node = format!(r#"{{ node(id: "{id}") {{ id }} }}"#);
        for (who, token) in [("anonymous", None), ("E00001", Some(officer.as_str()))] {
            let mut refused_lists = 0;
            for list in &lists {
                let document = format!("{{ {list}(first: 1) {{ edges {{ node {{ id }} }} }} }}");
                if is_refused(&ask(&app, token, &document, json!(null)).await, list) {
                    refused_lists += 1;
                }
            }
            if refused_lists == lists.len() {
                let answer = ask(&app, token, &node, json!(null)).await;
                assert!(
                    is_refused(&answer, "node"),
                    "{who} is refused {lists:?} but reaches {type_name} through node: {answer}"
                );
                walked += 1;
            }
        }
    }
    assert!(walked >= 10, "only {walked} refusals walked");
}
