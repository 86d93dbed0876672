//! `node(id:)` applies the rights of the root lists that show the type (issue 13 item 5): no
//! answer without a login, none without the right `users`/`interactiveUsers` ask for, the
//! object for a user who may list it.

use actix_web::test as web;
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
