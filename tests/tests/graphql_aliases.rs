//! Aliases of one nested field with different arguments get their own answers (GraphQL resolves
//! each alias with its own arguments): location's `children` / `healthfacilitySet` /
//! `healthFacilities`, the same alias under two aliases of its parent, core's `rights`,
//! `userSet` and `interactiveuserSet`, and medical_pricelist's `servicespricelistSet` on
//! location's type (the cross-module path, still one batched entities call).

use actix_web::test as web_test;
use openimis_host::modules::Stats;
use openimis_system_tests::*;
use serde_json::{json, Value};

/// core, location and medical_pricelist on the demo data.
fn started() -> (ModulesDir, openimis_host::runtime::Runtime) {
    let dir = ModulesDir::with(&["core", "location", "medical", "medical_pricelist"]);
    let conf = modules_json(&[
        json!({"name": "core"}),
        json!({"name": "location"}),
        json!({"name": "medical"}),
        json!({"name": "medical_pricelist"}),
    ]);
    let runtime = start(settings(&conf, &dir, &[("DEMO_DATASET", "True")]))
        .unwrap_or_else(|e| panic!("core + location + medical_pricelist start: {e:?}"));
    (dir, runtime)
}

/// The codes of a connection's nodes.
fn codes(connection: &Value) -> Vec<&str> {
    connection["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("a connection with edges: {connection}"))
        .iter()
        .map(|e| e["node"]["code"].as_str().expect("a code"))
        .collect()
}

/// The only node of a one-row root connection.
fn only_node<'b>(body: &'b Value, root: &str) -> &'b Value {
    let edges = body["data"][root]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{root} has edges: {body}"));
    assert_eq!(edges.len(), 1, "{body}");
    &edges[0]["node"]
}

#[actix_rt::test]
async fn aliases_of_nested_fields_with_different_arguments_get_their_own_answers() {
    let (_dir, runtime) = started();
    let (rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let ask = |query: &str| graphql_as(query, json!(null), &token);
    macro_rules! answer {
        ($query:expr) => {{
            let (status, body) = json_of(web_test::call_service(&app, ask($query)).await).await;
            assert_eq!(status, 200, "{body}");
            assert!(body.get("errors").is_none(), "{body}");
            body
        }};
    }

    // Region R1 has the districts R1D1, R1D2 and R1D3.
    let body = answer!(
        r#"{ locations(code: "R1", first: 1) { edges { node { code
            a: children(first: 1) { info: pageInfo { more: hasNextPage } edges { node { code } } }
            b: children(first: 3) { edges { node { code } } }
            c: children(code: "R1D3") { edges { node { code } } }
            children { pageInfo { hasNextPage } edges { node { code } } } } } } }"#
    );
    let region = only_node(&body, "locations");
    assert_eq!(codes(&region["a"]), ["R1D1"], "{body}");
    assert_eq!(
        region["a"]["info"],
        json!({"more": true}),
        "aliases inside a nested connection are kept"
    );
    assert_eq!(codes(&region["b"]), ["R1D1", "R1D2", "R1D3"]);
    assert_eq!(codes(&region["c"]), ["R1D3"]);
    assert_eq!(codes(&region["children"]), ["R1D1", "R1D2", "R1D3"]);
    assert_eq!(region["children"]["pageInfo"]["hasNextPage"], false);

    // District R1D1 has the hospital JMHOS001 and the health centre JMHC001.
    let body = answer!(
        r#"{ locations(code: "R1D1") { edges { node {
            hospitals: healthfacilitySet(level: "H") { edges { node { code } } }
            centres: healthfacilitySet(level: "C") { totalCount edges { node { code } } }
            one: healthfacilitySet(first: 1) { pageInfo { hasNextPage } edges { node { code } } }
            parent { c: children(first: 1) { edges { node { code } } } }
            up: parent { c: children(code: "R1D2") { edges { node { code } } } } } } } }"#
    );
    let district = only_node(&body, "locations");
    assert_eq!(codes(&district["hospitals"]), ["JMHOS001"], "{body}");
    assert_eq!(codes(&district["centres"]), ["JMHC001"]);
    assert_eq!(district["centres"]["totalCount"], 1);
    assert_eq!(codes(&district["one"]), ["JMHOS001"]);
    assert_eq!(district["one"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(
        (codes(&district["parent"]["c"]), codes(&district["up"]["c"])),
        (vec!["R1D1"], vec!["R1D2"]),
        "one alias under two aliases of its parent keeps each parent's arguments"
    );

    // Every demo facility is of legal form G: ten of them, two in district R1D1 (JM...).
    let body = answer!(
        r#"{ healthFacilities(code: "JMHOS001") { edges { node {
            legalForm { jambero: healthFacilities(code_Istartswith: "JM") { totalCount }
                        all: healthFacilities { totalCount } }
            form: legalForm { all: healthFacilities(first: 1) { totalCount } } } } } }"#
    );
    let facility = only_node(&body, "healthFacilities");
    assert_eq!(
        facility["legalForm"],
        json!({"jambero": {"totalCount": 2}, "all": {"totalCount": 10}}),
        "{body}"
    );
    assert_eq!(facility["form"], json!({"all": {"totalCount": 10}}));

    // core: a role with three rights, its `rights` asked three ways.
    let create = r#"mutation { createRole(input: { clientMutationId: "aliases", name: "Alias tester", isSystem: false, isBlocked: false, rightsId: [101001, 101002, 101003] }) { internalId } }"#;
    answer!(create);
    let body = answer!(
        r#"{ role(name: "Alias tester") { edges { node {
            a: rights(first: 1) { totalCount edges { node { rightId } } }
            b: rights(first: 2) { edges { node { rightId } } }
            c: rights(rightId: 101003) { totalCount edges { node { rightId } } } } } } }"#
    );
    let role = only_node(&body, "role");
    let right_ids = |connection: &Value| -> Vec<i64> {
        connection["edges"]
            .as_array()
            .unwrap_or_else(|| panic!("edges: {connection}"))
            .iter()
            .map(|e| e["node"]["rightId"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(right_ids(&role["a"]), [101001], "{body}");
    assert_eq!(role["a"]["totalCount"], 3);
    assert_eq!(right_ids(&role["b"]), [101001, 101002]);
    assert_eq!(right_ids(&role["c"]), [101003]);
    assert_eq!(role["c"]["totalCount"], 1);

    // core: `userSet` of an interactive user and a language's `interactiveuserSet`.
    let body = answer!(
        r#"{ interactiveUsers(loginName_Iexact: "Admin") { edges { node {
            own: userSet(username: "Admin") { totalCount edges { node { username } } }
            other: userSet(username: "nobody") { totalCount } } } }
           languages { code
            admins: interactiveuserSet(loginName_Iexact: "Admin") { totalCount }
            nobody: interactiveuserSet(loginName_Iexact: "nobody") { totalCount } } }"#
    );
    let admin = only_node(&body, "interactiveUsers");
    assert_eq!(
        (&admin["own"]["totalCount"], &admin["other"]["totalCount"]),
        (&json!(1), &json!(0)),
        "{body}"
    );
    assert_eq!(admin["own"]["edges"][0]["node"]["username"], "Admin");
    let english = body["data"]["languages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["code"] == "en")
        .unwrap_or_else(|| panic!("English: {body}"));
    assert_eq!(
        (
            &english["admins"]["totalCount"],
            &english["nobody"]["totalCount"]
        ),
        (&json!(1), &json!(0))
    );

    // Across modules: medical_pricelist answers location's type, both aliases in one call.
    let pricelist = rt.modules.get("medical_pricelist").unwrap();
    let calls_before = Stats::get(&pricelist.stats.entities_calls);
    let body = answer!(
        r#"{ locations(code: "R1D1") { edges { node { code
            lists: servicespricelistSet(first: 1) { totalCount edges { node { name } } }
            none: servicespricelistSet(name: "no such list") { totalCount edges { node { name } } }
            named: servicespricelistSet(name_Icontains: "demo") { edges { node { uuid } } } } } } }"#
    );
    let district = only_node(&body, "locations");
    assert_eq!(
        district["lists"],
        json!({"totalCount": 1, "edges": [{"node": {"name": "Demo services price list"}}]}),
        "{body}"
    );
    assert_eq!(district["none"], json!({"totalCount": 0, "edges": []}));
    assert_eq!(
        district["named"]["edges"][0]["node"]["uuid"],
        "1d000000-0000-4000-8000-000000000001"
    );
    assert_eq!(
        Stats::get(&pricelist.stats.entities_calls) - calls_before,
        1,
        "the three aliases are one batched entities call"
    );
}
