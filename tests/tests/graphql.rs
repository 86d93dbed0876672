//! GraphQL through real module libraries: federation batching, errors, panics, mutations,
//! relay ids and the original's HTTP semantics.

use actix_web::test;
use openimis_host::modules::Stats;
use openimis_system_tests::*;
use serde_json::json;

const HUNDRED_WITH_EXTRA: &str = "{ things(first: 100) { totalCount edges { node { id code extra { label thing { code name } } } } } }";

#[actix_rt::test]
async fn typename_answers_query() {
    let (_dir, runtime) = base_and_ext();
    let (_rt, app) = service(runtime).await;
    let (status, body) =
        json_of(test::call_service(&app, graphql_request("{ __typename }", json!(null))).await)
            .await;
    assert_eq!(
        (status, body),
        (200, json!({"data": {"__typename": "Query"}}))
    );
}

#[actix_rt::test]
async fn an_application_graphql_body_is_the_query_itself() {
    let (_dir, runtime) = base_and_ext();
    let (_rt, app) = service(runtime).await;
    let request = test::TestRequest::post()
        .uri("/api/graphql")
        .insert_header(("Content-Type", "application/graphql"))
        .set_payload("{ __typename }")
        .to_request();
    let (status, body) = json_of(test::call_service(&app, request).await).await;
    assert_eq!(
        (status, body),
        (200, json!({"data": {"__typename": "Query"}}))
    );
}

#[actix_rt::test]
async fn a_hundred_rows_with_a_cross_module_field_cost_one_entities_call_per_hop() {
    let (_dir, runtime) = base_and_ext();
    let (rt, app) = service(runtime).await;
    let (status, body) =
        json_of(test::call_service(&app, graphql_request(HUNDRED_WITH_EXTRA, json!(null))).await)
            .await;
    assert_eq!(status, 200, "{body}");
    let edges = body["data"]["things"]["edges"].as_array().unwrap();
    assert_eq!(edges.len(), 100);
    assert_eq!(body["data"]["things"]["totalCount"], 100);
    assert_eq!(
        edges[6]["node"],
        json!({"id": "VGhpbmdHUUxUeXBlOjc=", "code": "T007", "extra": {"label": "extra of 7", "thing": {"code": "T007", "name": "Thing 7"}}})
    );
    let base = rt.modules.get("base").unwrap();
    let ext = rt.modules.get("ext").unwrap();
    assert_eq!(Stats::get(&base.stats.resolve_calls), 1);
    assert_eq!(
        Stats::get(&ext.stats.entities_calls),
        1,
        "ext answers all 100 `extra` fields in one call"
    );
    assert_eq!(
        Stats::get(&base.stats.entities_calls),
        1,
        "base answers all 100 `thing` stubs in one call"
    );
}

#[actix_rt::test]
async fn a_module_panic_is_a_graphql_error_and_the_next_request_succeeds() {
    let dir = ModulesDir::with(&["fx_panicky"]);
    let conf = modules_json(&[json!({"name": "panicky", "library": "fx_panicky"})]);
    let (rt, app) = service(start(settings(&conf, &dir, &[])).unwrap()).await;
    let (status, body) =
        json_of(test::call_service(&app, graphql_request("{ explode calm }", json!(null))).await)
            .await;
    assert_eq!(status, 200);
    assert_eq!(body["data"], json!({"explode": null, "calm": "calm"}));
    assert_eq!(
        body["errors"][0]["message"],
        "module panicked: kaboom in resolver"
    );
    assert_eq!(
        body["errors"][0]["extensions"],
        json!({"code": "PANIC", "module": "panicky"})
    );
    assert_eq!(body["errors"][0]["path"], json!(["explode"]));
    let (status, body) =
        json_of(test::call_service(&app, graphql_request("{ calm }", json!(null))).await).await;
    assert_eq!((status, body), (200, json!({"data": {"calm": "calm"}})));
    assert_eq!(
        Stats::get(&rt.modules.get("panicky").unwrap().stats.panics),
        1
    );
}

#[actix_rt::test]
async fn an_answer_that_is_not_json_is_a_graphql_error_and_the_next_request_succeeds() {
    let dir = ModulesDir::with(&["fx_panicky"]);
    let conf = modules_json(&[json!({"name": "panicky", "library": "fx_panicky"})]);
    let (rt, app) = service(start(settings(&conf, &dir, &[])).unwrap()).await;
    let (status, body) =
        json_of(test::call_service(&app, graphql_request("{ garbled calm }", json!(null))).await)
            .await;
    assert_eq!(status, 200);
    assert_eq!(body["data"], json!({"garbled": null, "calm": "calm"}));
    assert_eq!(
        body["errors"][0]["message"],
        "graphql_resolve answer is not valid JSON: EOF while parsing a value at line 1 column 10"
    );
    assert_eq!(
        body["errors"][0]["extensions"],
        json!({"code": "BAD_MODULE_ANSWER", "module": "panicky"})
    );
    assert_eq!(body["errors"][0]["path"], json!(["garbled"]));
    let (status, body) =
        json_of(test::call_service(&app, graphql_request("{ calm }", json!(null))).await).await;
    assert_eq!((status, body), (200, json!({"data": {"calm": "calm"}})));
    assert_eq!(
        Stats::get(&rt.modules.get("panicky").unwrap().stats.errors),
        1
    );
}

#[actix_rt::test]
async fn module_errors_carry_their_code() {
    let (_dir, runtime) = base_and_ext();
    let (_rt, app) = service(runtime).await;
    let (status, body) = json_of(
        test::call_service(
            &app,
            graphql_request("{ failing things(first: 1) { totalCount } }", json!(null)),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        body["data"],
        json!({"failing": null, "things": {"totalCount": 100}})
    );
    assert_eq!(
        body["errors"][0]["extensions"],
        json!({"code": "BASE_FAILED", "module": "base"})
    );
}

#[actix_rt::test]
async fn the_page_cap_is_the_originals_error() {
    let (_dir, runtime) = base_and_ext();
    let (_rt, app) = service(runtime).await;
    let (_, body) = json_of(
        test::call_service(
            &app,
            graphql_request("{ things(first: 200) { totalCount } }", json!(null)),
        )
        .await,
    )
    .await;
    assert_eq!(
        body["errors"][0]["message"],
        "Requesting 200 records on the `things` connection exceeds the `first` limit of 100 records."
    );
}

#[actix_rt::test]
async fn aliases_variables_fragments_and_cursors() {
    let (_dir, runtime) = base_and_ext();
    let (_rt, app) = service(runtime).await;
    let query = "query Q($code: String!, $n: Int) { a: thing(code: $code) { ...F } b: things(first: $n, offset: 10) { pageInfo { hasNextPage endCursor } edges { cursor node { c: code } } } }
                 fragment F on ThingGQLType { code name extra { label } }";
    let (status, body) = json_of(
        test::call_service(
            &app,
            graphql_request(query, json!({"code": "T003", "n": 2, "unused": true})),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"data": {
            "a": {"code": "T003", "name": "Thing 3", "extra": {"label": "extra of 3"}},
            "b": {"pageInfo": {"hasNextPage": true, "endCursor": "YXJyYXljb25uZWN0aW9uOjEx"},
                  "edges": [{"cursor": "YXJyYXljb25uZWN0aW9uOjEw", "node": {"c": "T011"}}, {"cursor": "YXJyYXljb25uZWN0aW9uOjEx", "node": {"c": "T012"}}]}
        }})
    );
}

#[actix_rt::test]
async fn node_resolves_a_global_id_through_its_owner() {
    let (_dir, runtime) = base_and_ext();
    let (_rt, app) = service(runtime).await;
    let query = r#"{ node(id: "VGhpbmdHUUxUeXBlOjc=") { id ... on ThingGQLType { code extra { label } } } }"#;
    let (status, body) =
        json_of(test::call_service(&app, graphql_request(query, json!(null))).await).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"]["node"],
        json!({"id": "VGhpbmdHUUxUeXBlOjc=", "code": "T007", "extra": {"label": "extra of 7"}})
    );
    let (_, body) = json_of(
        test::call_service(
            &app,
            graphql_request(r#"{ node(id: "nonsense") { id } }"#, json!(null)),
        )
        .await,
    )
    .await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "INVALID_ID");
}

#[actix_rt::test]
async fn mutation_fields_run_in_order() {
    let (_dir, runtime) = base_and_ext();
    let (_rt, app) = service(runtime).await;
    let query = r#"mutation { first: createThing(code: "N1", name: "one") { code rank } second: createThing(code: "N2") { code name rank } }"#;
    let (status, body) =
        json_of(test::call_service(&app, graphql_request(query, json!(null))).await).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"],
        json!({"first": {"code": "N1", "rank": 101}, "second": {"code": "N2", "name": "unnamed", "rank": 102}})
    );
}

#[actix_rt::test]
async fn invalid_documents_are_400_without_data() {
    let (_dir, runtime) = base_and_ext();
    let (_rt, app) = service(runtime).await;
    let (status, body) = json_of(
        test::call_service(
            &app,
            graphql_request("{ things(first: 1) { nope } }", json!(null)),
        )
        .await,
    )
    .await;
    assert_eq!(status, 400);
    assert!(body.get("data").is_none(), "{body}");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("nope"),
        "{body}"
    );
    let (status, body) = json_of(
        test::call_service(&app, graphql_request("{ things(first: 1) { ", json!(null))).await,
    )
    .await;
    assert_eq!(status, 400, "{body}");
    let request = test::TestRequest::post()
        .uri("/api/graphql")
        .set_payload("{not json")
        .insert_header(("content-type", "application/json"))
        .to_request();
    let (status, body) = json_of(test::call_service(&app, request).await).await;
    assert_eq!(status, 400);
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .starts_with("Request body is not a GraphQL request"),
        "{body}"
    );
}

#[actix_rt::test]
async fn introspection_sees_every_module_and_the_host() {
    let (_dir, runtime) = base_and_ext();
    let (_rt, app) = service(runtime).await;
    let query = r#"{ __type(name: "ThingGQLType") { fields { name } interfaces { name } } q: __type(name: "Query") { fields { name } } }"#;
    let (_, body) =
        json_of(test::call_service(&app, graphql_request(query, json!(null))).await).await;
    let names = |v: &serde_json::Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&body["data"]["__type"]["fields"]),
        ["id", "code", "name", "rank", "broken", "required", "extra"]
    );
    assert_eq!(names(&body["data"]["__type"]["interfaces"]), ["Node"]);
    let roots = names(&body["data"]["q"]["fields"]);
    for f in [
        "_debug",
        "node",
        "things",
        "thing",
        "failing",
        "nameViaService",
    ] {
        assert!(roots.contains(&f.to_owned()), "{f} missing from {roots:?}");
    }
}

#[actix_rt::test]
async fn modules_call_each_others_services_through_the_host() {
    let (_dir, runtime) = base_and_ext();
    let (_rt, app) = service(runtime).await;
    let (_, body) = json_of(
        test::call_service(
            &app,
            graphql_request("{ nameViaService(pk: 5) }", json!(null)),
        )
        .await,
    )
    .await;
    assert_eq!(body, json!({"data": {"nameViaService": "Thing 5"}}));
}

#[actix_rt::test]
async fn graphiql_only_in_dev() {
    let dir = ModulesDir::with(&["fx_base"]);
    let conf = modules_json(&[json!({"name": "base", "library": "fx_base"})]);
    let (_rt, app) = service(start(settings(&conf, &dir, &[])).unwrap()).await;
    let response = test::call_service(
        &app,
        test::TestRequest::get().uri("/api/graphql").to_request(),
    )
    .await;
    assert_eq!(response.status(), 200);
    assert!(String::from_utf8_lossy(&test::read_body(response).await).contains("graphiql"));

    let dir = ModulesDir::with(&["fx_base"]);
    let (_rt, app) = service(start(settings(&conf, &dir, &[("MODE", "PROD")])).unwrap()).await;
    let (status, _) = json_of(
        test::call_service(
            &app,
            test::TestRequest::get().uri("/api/graphql").to_request(),
        )
        .await,
    )
    .await;
    assert_eq!(status, 400);
}

#[actix_rt::test]
async fn skip_include_merged_keys_and_named_fragments_on_interfaces() {
    let (_dir, runtime) = base_and_ext();
    let (_rt, app) = service(runtime).await;
    let query = r#"query Q($yes: Boolean!, $no: Boolean!) {
        thing(code: "T002") { code @include(if: $yes) name @skip(if: $yes) rank @include(if: $no) extra { label } extra { thing { code } } }
        node(id: "VGhpbmdHUUxUeXBlOjM=") { ...Named ... on Node { id } }
    }
    fragment Named on ThingGQLType { code extra { label } }"#;
    let (status, body) = json_of(
        test::call_service(
            &app,
            graphql_request(query, json!({"yes": true, "no": false})),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body,
        json!({"data": {
            "thing": {"code": "T002", "extra": {"label": "extra of 2", "thing": {"code": "T002"}}},
            "node": {"code": "T003", "extra": {"label": "extra of 3"}, "id": "VGhpbmdHUUxUeXBlOjM="}
        }})
    );
}

#[actix_rt::test]
async fn a_null_in_a_non_null_field_nulls_its_parent_with_an_error() {
    let (_dir, runtime) = base_and_ext();
    let (_rt, app) = service(runtime).await;
    let (status, body) = json_of(
        test::call_service(
            &app,
            graphql_request(r#"{ thing(code: "T013") { code required } }"#, json!(null)),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["data"], json!({"thing": null}));
    assert_eq!(
        body["errors"][0]["message"],
        "Cannot return null for non-nullable field ThingGQLType.required."
    );
    // In a list, the broken row becomes null and the others stay.
    let (_, body) = json_of(
        test::call_service(
            &app,
            graphql_request(
                "{ things(first: 3, offset: 11) { edges { node { code required } } } }",
                json!(null),
            ),
        )
        .await,
    )
    .await;
    assert_eq!(
        body["data"]["things"]["edges"],
        json!([{"node": {"code": "T012", "required": "ok"}}, {"node": null}, {"node": {"code": "T014", "required": "ok"}}])
    );
}

/// A reference the owning module does not know (its `entities` answers null for the key) is a
/// null object, as a dangling foreign key is in the original: not an object of nulls, which
/// breaks on the type's first non-null field.
#[actix_rt::test]
async fn a_reference_its_owner_does_not_know_is_null() {
    let (_dir, runtime) = base_and_ext();
    let (_rt, app) = service(runtime).await;
    let query =
        r#"{ thing(code: "T002") { code extra { label lostThing { id code } thing { code } } } }"#;
    let (status, body) =
        json_of(test::call_service(&app, graphql_request(query, json!(null))).await).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(
        body["data"]["thing"]["extra"],
        json!({"label": "extra of 2", "lostThing": null, "thing": {"code": "T002"}})
    );
}

#[actix_rt::test]
async fn a_module_answer_of_the_wrong_type_is_an_error_not_a_lie() {
    let (_dir, runtime) = base_and_ext();
    let (_rt, app) = service(runtime).await;
    let (status, body) = json_of(
        test::call_service(
            &app,
            graphql_request(r#"{ thing(code: "T001") { code broken } }"#, json!(null)),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(
        body["data"],
        json!({"thing": {"code": "T001", "broken": null}})
    );
    assert_eq!(
        body["errors"][0]["message"],
        "a module returned a string where the schema says Int"
    );
}
