//! The `medical_pricelist` module with core and location on the demo data: schema parity with
//! the reference (the diff printed), the price lists of a page of health facilities in one
//! batched entities call, the root queries with their filters and rights, and the frontend's
//! recorded operations that select `servicesPricelist` / `itemsPricelist`.

use actix_web::test as web_test;
use openimis_host::modules::Stats;
use openimis_system_tests::conformance::{
    frontend_operations, module_parity, parse_schema, reference_schema,
};
use openimis_system_tests::*;
use serde_json::{json, Value};
use std::collections::BTreeSet;

const TYPES: &[&str] = &[
    "ServicesPricelistGQLType",
    "ServicesPricelistGQLTypeConnection",
    "ServicesPricelistGQLTypeEdge",
    "ServicesPricelistDetailGQLType",
    "ServicesPricelistDetailGQLTypeConnection",
    "ServicesPricelistDetailGQLTypeEdge",
    "ItemsPricelistGQLType",
    "ItemsPricelistGQLTypeConnection",
    "ItemsPricelistGQLTypeEdge",
    "ItemsPricelistDetailGQLType",
    "ItemsPricelistDetailGQLTypeConnection",
    "ItemsPricelistDetailGQLTypeEdge",
    "PriceCompactGQLType",
    "PricelistsGQLType",
];

const ROOTS: &[(&str, &str)] = &[
    ("Query", "pricelists"),
    ("Query", "servicesPricelists"),
    ("Query", "itemsPricelists"),
    ("Query", "validateItemsPricelistName"),
    ("Query", "validateServicesPricelistName"),
    ("HealthFacilityGQLType", "servicesPricelist"),
    ("HealthFacilityGQLType", "itemsPricelist"),
    ("LocationGQLType", "servicespricelistSet"),
];

/// The reverse `healthFacilities` connections are location's `HealthFacilityGQLTypeConnection`
/// on our types: only location can answer that type, and location loads before this module.
const NOT_SERVED: &[&str] = &[
    "ItemsPricelistGQLType.healthFacilities: missing field",
    "ServicesPricelistGQLType.healthFacilities: missing field",
];

/// core, location and medical_pricelist on the demo data, with `vars` (a PostgreSQL
/// database's DB_* variables, or none for SQLite).
fn started(vars: &[(String, String)]) -> (ModulesDir, openimis_host::runtime::Runtime) {
    let mut all: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    all.push(("DEMO_DATASET", "True"));
    let dir = ModulesDir::with(&["core", "location", "medical_pricelist"]);
    let conf = modules_json(&[
        json!({"name": "core"}),
        json!({"name": "location"}),
        json!({"name": "medical_pricelist"}),
    ]);
    let runtime = start(settings(&conf, &dir, &all))
        .unwrap_or_else(|e| panic!("core + location + medical_pricelist start: {e:?}"));
    (dir, runtime)
}

#[test]
fn the_price_list_surface_is_the_references() {
    let (_dir, runtime) = started(&[]);
    let ours = parse_schema(&runtime.engine.composed.sdl());
    let owned: BTreeSet<String> = TYPES.iter().map(|t| (*t).to_owned()).collect();
    let (mut diff, awaiting) = module_parity(&reference_schema(), &ours, &owned, ROOTS);
    diff.sort();
    for line in diff.iter().chain(&awaiting) {
        eprintln!("{line}");
    }
    assert_eq!(diff, NOT_SERVED, "see the diff above");
    assert_eq!(
        awaiting,
        [
            "ItemsPricelistDetailGQLType.item: awaits the module owning ItemGQLType",
            "ServicesPricelistDetailGQLType.service: awaits the module owning ServiceGQLType",
        ]
    );
}

const FACILITIES: &str = "{ healthFacilities(first: 10) { edges { node { code
    servicesPricelist { id uuid name pricelistDate validityTo location { code }
      details { totalCount edges { node { priceOverrule auditUserId servicesPricelist { uuid } } } } }
    itemsPricelist { id uuid name location { code } } } } } }";

#[actix_rt::test]
async fn a_page_of_facilities_gets_its_price_lists_in_one_entities_call() {
    a_page_of_facilities_gets_its_price_lists_in_one_entities_call_on(&[]).await;
}

#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn a_page_of_facilities_gets_its_price_lists_in_one_entities_call_on_postgres() {
    a_page_of_facilities_gets_its_price_lists_in_one_entities_call_on(
        &openimis_system_tests::postgres_db::fresh_database("pricelist_facilities"),
    )
    .await;
}

async fn a_page_of_facilities_gets_its_price_lists_in_one_entities_call_on(
    vars: &[(String, String)],
) {
    let (_dir, runtime) = started(vars);
    let (rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let (status, body) =
        json_of(web_test::call_service(&app, graphql_as(FACILITIES, json!(null), &token)).await)
            .await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    let nodes: Vec<&Value> = body["data"]["healthFacilities"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .map(|e| &e["node"])
        .collect();
    assert_eq!(nodes.len(), 10, "{body}");
    let linked: Vec<&&Value> = nodes
        .iter()
        .filter(|n| !n["servicesPricelist"].is_null())
        .collect();
    assert_eq!(linked.len(), 1, "one demo facility has price lists: {body}");
    assert_eq!(
        linked[0]["servicesPricelist"],
        json!({
            "id": "U2VydmljZXNQcmljZWxpc3RHUUxUeXBlOjE=", "uuid": "1d000000-0000-4000-8000-000000000001",
            "name": "Demo services price list", "pricelistDate": "2024-01-01", "validityTo": null,
            "location": {"code": "R1D1"},
            "details": {"totalCount": 1, "edges": [{"node": {"priceOverrule": "12.50", "auditUserId": 0,
                "servicesPricelist": {"uuid": "1d000000-0000-4000-8000-000000000001"}}}]}
        })
    );
    assert_eq!(
        linked[0]["itemsPricelist"],
        json!({"id": "SXRlbXNQcmljZWxpc3RHUUxUeXBlOjE=", "uuid": "1c000000-0000-4000-8000-000000000001",
               "name": "Demo items price list", "location": null})
    );
    assert!(nodes
        .iter()
        .filter(|n| n["code"] != linked[0]["code"])
        .all(|n| n["itemsPricelist"].is_null()));
    let module = rt.modules.get("medical_pricelist").expect("loaded");
    assert_eq!(
        Stats::get(&module.stats.entities_calls),
        1,
        "ten facilities' price lists come from one entities call"
    );
}

async fn query<S, B>(app: &S, token: Option<&str>, query: &str) -> Value
where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = actix_web::dev::ServiceResponse<B>,
        Error = actix_web::Error,
    >,
    B: actix_web::body::MessageBody,
{
    let request = match token {
        Some(token) => graphql_as(query, json!(null), token),
        None => graphql_request(query, json!(null)),
    };
    json_of(web_test::call_service(app, request).await).await.1
}

#[actix_rt::test]
async fn the_root_queries_filter_and_check_rights() {
    the_root_queries_filter_and_check_rights_on(&[]).await;
}

#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn the_root_queries_filter_and_check_rights_on_postgres() {
    the_root_queries_filter_and_check_rights_on(
        &openimis_system_tests::postgres_db::fresh_database("pricelist_queries"),
    )
    .await;
}

async fn the_root_queries_filter_and_check_rights_on(vars: &[(String, String)]) {
    let (_dir, runtime) = started(vars);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let names = |body: &Value, field: &str| -> Vec<String> {
        body["data"][field]["edges"]
            .as_array()
            .unwrap_or_else(|| panic!("{body}"))
            .iter()
            .map(|e| e["node"]["name"].as_str().unwrap_or_default().to_owned())
            .collect()
    };
    for (filter, expected) in [
        ("first: 10", 1),
        ("name_Icontains: \"SERVICES\"", 1),
        ("name_Istartswith: \"items\"", 0),
        ("location_Code: \"R1D1\"", 1),
        (
            "location_Parent_Uuid: \"2ea0e0a0-0000-4000-8000-000000000001\"",
            1,
        ),
        ("location_Code: \"R1D2\"", 0),
        ("location_Isnull: true", 0),
        (
            "pricelistDate_Gte: \"2024-01-01\", pricelistDate_Lt: \"2024-01-02\"",
            1,
        ),
        ("pricelistDate_Gt: \"2024-01-01\"", 0),
    ] {
        let q = format!(
            "{{ servicesPricelists({filter}) {{ totalCount edges {{ node {{ name }} }} }} }}"
        );
        let body = query(&app, Some(&token), &q).await;
        assert_eq!(
            names(&body, "servicesPricelists").len(),
            expected,
            "{filter}: {body}"
        );
        assert_eq!(
            body["data"]["servicesPricelists"]["totalCount"], expected,
            "{body}"
        );
    }
    let items = query(
        &app,
        Some(&token),
        "{ itemsPricelists(location_Isnull: true) { edges { node { name } } } }",
    )
    .await;
    assert_eq!(names(&items, "itemsPricelists"), ["Demo items price list"]);

    let prices = query(&app, Some(&token), "{ pricelists(servicesPricelistId: 1, itemsPricelistId: 1) { services { id p } items { id p } } }").await;
    assert_eq!(
        prices,
        json!({"data": {"pricelists": {"services": [{"id": 1, "p": "12.50"}], "items": [{"id": 1, "p": "3.00"}]}}})
    );
    let validations = query(&app, Some(&token), "{ taken: validateServicesPricelistName(servicesPricelistName: \"Demo services price list\") free: validateItemsPricelistName(itemsPricelistName: \"Another\") }").await;
    assert_eq!(validations, json!({"data": {"taken": false, "free": true}}));

    let by_node = query(&app, Some(&token), "{ node(id: \"SXRlbXNQcmljZWxpc3RHUUxUeXBlOjE=\") { ... on ItemsPricelistGQLType { uuid details { edges { node { priceOverrule itemsPricelist { name } } } } } } }").await;
    assert_eq!(
        by_node["data"]["node"],
        json!({"uuid": "1c000000-0000-4000-8000-000000000001", "details": {"edges": [{"node": {"priceOverrule": "3.00", "itemsPricelist": {"name": "Demo items price list"}}}]}}),
        "{by_node}"
    );
    let district = query(&app, Some(&token), "{ locations(code: \"R1D1\") { edges { node { servicespricelistSet { totalCount edges { node { uuid } } } } } } }").await;
    assert_eq!(
        district["data"]["locations"]["edges"][0]["node"]["servicespricelistSet"],
        json!({"totalCount": 1, "edges": [{"node": {"uuid": "1d000000-0000-4000-8000-000000000001"}}]}),
        "{district}"
    );

    for anonymous in [
        "{ servicesPricelists { totalCount } }",
        "{ pricelists(servicesPricelistId: 1) { services { id } } }",
    ] {
        let body = query(&app, None, anonymous).await;
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("unauthorized"),
            "{anonymous}: {body}"
        );
    }
}

/// location's recorded operations that select the facilities' price lists.
const PRICELIST_OPERATIONS: &[&str] = &[
    "location-02",
    "location-03",
    "location-04",
    "location-24",
    "location-25",
];

#[actix_rt::test]
async fn the_frontends_facility_operations_with_price_lists_run_without_errors() {
    the_frontends_facility_operations_with_price_lists_run_without_errors_on(&[]).await;
}

#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn the_frontends_facility_operations_with_price_lists_run_without_errors_on_postgres() {
    the_frontends_facility_operations_with_price_lists_run_without_errors_on(
        &openimis_system_tests::postgres_db::fresh_database("pricelist_frontend"),
    )
    .await;
}

async fn the_frontends_facility_operations_with_price_lists_run_without_errors_on(
    vars: &[(String, String)],
) {
    let (_dir, runtime) = started(vars);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let operations: Vec<_> = frontend_operations("location")
        .into_iter()
        .filter(|op| PRICELIST_OPERATIONS.contains(&op.id.as_str()))
        .collect();
    assert_eq!(operations.len(), PRICELIST_OPERATIONS.len());
    for op in operations {
        let request = graphql_as(&op.document, op.variables.clone(), &token);
        let (status, body) = json_of(web_test::call_service(&app, request).await).await;
        assert_eq!(status, 200, "{}: {body}", op.id);
        assert!(body.get("errors").is_none(), "{}: {body}", op.id);
    }
}
