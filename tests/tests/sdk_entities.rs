//! The SDK's entity layer end to end: core and the `entity_demo` fixture (shelves and versioned
//! books declared with `openimis_sdk::entity`) over HTTP: lists, filters (an escaped `_`),
//! order, pages, relations both ways, `node`, and create/update/delete under the mutation log,
//! on SQLite and, with `--features postgres`, on PostgreSQL.

use actix_web::test as web_test;
use openimis_system_tests::*;
use serde_json::{json, Value};

fn started(vars: &[(String, String)]) -> (ModulesDir, openimis_host::runtime::Runtime) {
    started_on_demo(&["core", "entity_demo"], vars)
}

fn titles(body: &Value) -> Vec<&str> {
    body["data"]["books"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|e| e["node"]["title"].as_str().unwrap_or_default())
        .collect()
}

#[actix_rt::test]
async fn entities_are_listed_related_and_written() {
    entities_are_listed_related_and_written_on(&[]).await;
}

#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn entities_are_listed_related_and_written_on_postgres() {
    entities_are_listed_related_and_written_on(
        &openimis_system_tests::postgres_db::fresh_database("sdk_entities"),
    )
    .await;
}

async fn entities_are_listed_related_and_written_on(vars: &[(String, String)]) {
    let (_dir, runtime) = started(vars);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let ask = |query: String| {
        let request = graphql_as(&query, json!(null), &token);
        let app = &app;
        async move {
            let (status, body) = json_of(web_test::call_service(app, request).await).await;
            assert_eq!(status, 200, "{body}");
            body
        }
    };
    let books =
        |args: &str| format!("{{ books({args}) {{ totalCount edges {{ node {{ title }} }} }} }}");

    let all = ask(books("first: 10")).await;
    assert_eq!(titles(&all), ["Dune", "Emma", "Ulysses"]);
    assert_eq!(all["data"]["books"]["totalCount"], 3);
    for (args, expected) in [
        (r#"title_Icontains: "U""#, vec!["Dune", "Ulysses"]),
        (r#"shelf_Code_Icontains: "_""#, vec!["Dune", "Emma"]),
        (
            r#"pages_Gte: 400, orderBy: ["-pages"]"#,
            vec!["Ulysses", "Dune"],
        ),
        (r#"published_Gte: "1900-01-01""#, vec!["Dune"]),
        (
            r#"orderBy: ["shelf__code", "title"]"#,
            vec!["Ulysses", "Dune", "Emma"],
        ),
        ("first: 1, offset: 1", vec!["Emma"]),
        ("last: 1", vec!["Ulysses"]),
    ] {
        assert_eq!(titles(&ask(books(args)).await), expected, "{args}");
    }
    let refused = ask(books(r#"orderBy: ["nope"]"#)).await;
    assert!(
        refused["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("Cannot resolve keyword 'nope'"),
        "{refused}"
    );

    let related = ask(r#"{ shelves(orderBy: ["-code"]) { edges { node { code
        books(first: 1, orderBy: ["-title"]) { totalCount edges { node { title price published shelf { code } } } } } } } }"#.into()).await;
    assert_eq!(
        related["data"]["shelves"]["edges"],
        json!([
            {"node": {"code": "A_1", "books": {"totalCount": 2, "edges": [{"node": {"title": "Emma", "price": "7.00", "published": "1815-12-23", "shelf": {"code": "A_1"}}}]}}},
            {"node": {"code": "AB1", "books": {"totalCount": 1, "edges": [{"node": {"title": "Ulysses", "price": null, "published": null, "shelf": {"code": "AB1"}}}]}}}
        ]),
        "{related}"
    );
    let node = ask(format!(
        r#"{{ node(id: "{}") {{ ... on BookGQLType {{ title shelf {{ code }} }} }} }}"#,
        base64_id("BookGQLType:1")
    ))
    .await;
    assert_eq!(
        node["data"]["node"],
        json!({"title": "Dune", "shelf": {"code": "A_1"}}),
        "{node}"
    );

    let mutate = |name: &str, input: &str| {
        format!(
            r#"mutation {{ {name}(input: {{ clientMutationId: "{name}", {input} }}) {{ internalId clientMutationId }} }}"#
        )
    };
    let status = |name: &'static str| {
        let query = format!(
            r#"{{ mutationLogs(clientMutationId: "{name}") {{ edges {{ node {{ status error }} }} }} }}"#
        );
        let ask = &ask;
        async move { ask(query).await["data"]["mutationLogs"]["edges"][0]["node"].clone() }
    };
    ask(mutate(
        "createBook",
        r#"title: "Kim", pages: 5, price: "3.5", shelfId: 2"#,
    ))
    .await;
    assert_eq!(
        status("createBook").await,
        json!({"status": 2, "error": null})
    );
    let kim = ask(r#"{ books(title: "Kim") { edges { node { uuid pages price auditUserId shelf { code } } } } }"#.into()).await;
    let kim = &kim["data"]["books"]["edges"][0]["node"];
    assert_eq!(
        (
            kim["pages"].clone(),
            kim["price"].clone(),
            kim["shelf"].clone()
        ),
        (json!(5), json!("3.50"), json!({"code": "AB1"})),
        "{kim}"
    );
    let uuid = kim["uuid"].as_str().expect("uuid").to_owned();

    ask(mutate(
        "updateBook",
        &format!(r#"uuid: "{uuid}", title: "Kim II""#),
    ))
    .await;
    assert_eq!(
        status("updateBook").await,
        json!({"status": 2, "error": null})
    );
    let history = ask(r#"{ books(showHistory: true, title_Istartswith: "kim", orderBy: ["id"]) { edges { node { title pages uuid legacyId validityTo } } } }"#.into()).await;
    let edges = history["data"]["books"]["edges"]
        .as_array()
        .expect("edges")
        .clone();
    assert_eq!(edges.len(), 2, "{history}");
    assert_eq!(
        (
            edges[0]["node"]["title"].clone(),
            edges[0]["node"]["uuid"].clone()
        ),
        (json!("Kim II"), json!(uuid))
    );
    assert_eq!(
        (
            edges[1]["node"]["title"].clone(),
            edges[1]["node"]["pages"].clone()
        ),
        (json!("Kim"), json!(5))
    );
    assert!(
        edges[1]["node"]["legacyId"].is_number() && edges[1]["node"]["validityTo"].is_string(),
        "{history}"
    );

    ask(mutate("deleteBook", &format!(r#"uuid: "{uuid}""#))).await;
    assert_eq!(
        status("deleteBook").await,
        json!({"status": 2, "error": null})
    );
    assert_eq!(
        titles(&ask(books(r#"title_Istartswith: "kim""#)).await),
        Vec::<&str>::new()
    );
    let again = mutate("updateBook", &format!(r#"uuid: "{uuid}", title: "gone""#));
    ask(again.replace(
        r#"clientMutationId: "updateBook""#,
        r#"clientMutationId: "updateGone""#,
    ))
    .await;
    let failed = status("updateGone").await;
    assert_eq!(
        failed["status"], 1,
        "a deleted book cannot be updated: {failed}"
    );
}

fn base64_id(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}
