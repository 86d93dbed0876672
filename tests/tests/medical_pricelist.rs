//! The `medical_pricelist` module with core, location and medical on the demo data: schema
//! parity with the reference (the diff printed), the price lists of a page of health facilities
//! in one batched entities call, the root queries with their filters and rights, the frontend's
//! recorded operations that select `servicesPricelist` / `itemsPricelist`, the details' medical
//! rows both ways, and the six mutations: rows, details, history, links, refusals (nothing
//! written) and rights, on SQLite and PostgreSQL.

use actix_web::test as web_test;
use openimis_host::modules::Stats;
use openimis_system_tests::conformance::{frontend_operations, module_surface};
use openimis_system_tests::test_rows::TestRows as Rows;
use openimis_system_tests::*;
use serde_json::{json, Value};

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
    "DetailPriceOverruleType",
    "CreateServicesPricelistMutationInput",
    "CreateServicesPricelistMutationPayload",
    "UpdateServicesPricelistMutationInput",
    "UpdateServicesPricelistMutationPayload",
    "DeleteServicesPricelistMutationInput",
    "DeleteServicesPricelistMutationPayload",
    "CreateItemsPricelistMutationInput",
    "CreateItemsPricelistMutationPayload",
    "UpdateItemsPricelistMutationInput",
    "UpdateItemsPricelistMutationPayload",
    "DeleteItemsPricelistMutationInput",
    "DeleteItemsPricelistMutationPayload",
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
    ("ServiceGQLType", "pricelistDetails"),
    ("ItemGQLType", "pricelistDetails"),
    ("Mutation", "createServicesPricelist"),
    ("Mutation", "updateServicesPricelist"),
    ("Mutation", "deleteServicesPricelist"),
    ("Mutation", "createItemsPricelist"),
    ("Mutation", "updateItemsPricelist"),
    ("Mutation", "deleteItemsPricelist"),
];

/// The reverse `healthFacilities` connections are location's `HealthFacilityGQLTypeConnection`
/// on our types: only location can answer that type, and location loads before this module.
const NOT_SERVED: &[&str] = &[
    "ItemsPricelistGQLType.healthFacilities: missing field",
    "ServicesPricelistGQLType.healthFacilities: missing field",
];

/// core, location, medical and medical_pricelist on the demo data, with `vars` (a PostgreSQL
/// database's DB_* variables, or none for SQLite).
fn started(vars: &[(String, String)]) -> (ModulesDir, openimis_host::runtime::Runtime) {
    started_on_demo(&["core", "location", "medical", "medical_pricelist"], vars)
}

#[test]
fn the_price_list_surface_is_the_references() {
    let (_dir, runtime) = started(&[]);
    let (diff, awaiting) = module_surface(&runtime.engine.composed.sdl(), TYPES, ROOTS);
    assert_eq!(diff, NOT_SERVED, "see the diff above");
    assert!(awaiting.is_empty(), "{awaiting:?}");
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

async fn query<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: Option<&str>,
    query: &str,
) -> Value {
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

/// One price-list kind as the tests ask for it.
struct Kind {
    /// In root field names: `createServicesPricelist`, `servicesPricelists`.
    name: &'static str,
    /// The detail's medical field, and medical's root list of them.
    target: &'static str,
    medical_list: &'static str,
    /// Tables: the lists, the details, the links to the mutation log; the list's key column.
    tables: [&'static str; 3],
    key: &'static str,
    /// The original's model names: the list, the detail, the medical row.
    models: [&'static str; 3],
    duplicated: &'static str,
}

const KINDS: [Kind; 2] = [
    Kind {
        name: "Services",
        target: "service",
        medical_list: "medicalServices",
        tables: [
            "tblPLServices",
            "tblPLServicesDetail",
            "medical_ServicesPricelistMutation",
        ],
        key: "PLServiceID",
        models: ["ServicesPricelist", "ServicesPricelistDetail", "Service"],
        duplicated: "['mutation.service_name_duplicated']",
    },
    Kind {
        name: "Items",
        target: "item",
        medical_list: "medicalItems",
        tables: [
            "tblPLItems",
            "tblPLItemsDetail",
            "medical_ItemsPricelistMutation",
        ],
        key: "PLItemID",
        models: ["ItemsPricelist", "ItemsPricelistDetail", "Item"],
        duplicated: "['mutation.item_name_duplicated']",
    },
];

impl Kind {
    fn lists(&self) -> String {
        format!("{}Pricelists", self.name.to_lowercase())
    }
}

const POLL: &str = r#"query ($id: String) { mutationLogs(clientMutationId: $id) { edges { node { status error } } } }"#;

/// Runs `mutation` (as `token`, or anonymous) and answers its log `{status, errors}` (read as
/// Admin), the errors parsed.
async fn mutate<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: Option<&str>,
    mutation: &str,
    client_id: &str,
) -> Value {
    let body = query(app, token, mutation).await;
    assert!(body.get("errors").is_none(), "{mutation}: {body}");
    let admin = login(app, "Admin", "admin123").await;
    let (_, log) = json_of(
        web_test::call_service(app, graphql_as(POLL, json!({"id": client_id}), &admin)).await,
    )
    .await;
    let node = &log["data"]["mutationLogs"]["edges"][0]["node"];
    let errors = node["error"].as_str().map_or(Value::Null, |text| {
        serde_json::from_str(text).unwrap_or_else(|_| json!(text))
    });
    json!({"status": node["status"], "errors": errors})
}

/// The uuids of the first three of medical's rows of the kind, by code.
async fn medical_uuids<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    kind: &Kind,
) -> Vec<String> {
    let q = format!(
        r#"{{ {}(first: 3, orderBy: ["code"]) {{ edges {{ node {{ uuid }} }} }} }}"#,
        kind.medical_list
    );
    let body = query(app, Some(token), &q).await;
    let edges = body["data"][kind.medical_list]["edges"].as_array();
    let uuids: Vec<String> = edges
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|e| e["node"]["uuid"].as_str().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(uuids.len(), 3, "{body}");
    uuids
}

const REGION_R1: &str = "2ea0e0a0-0000-4000-8000-000000000001";

/// `{name, location, details}` of the valid list of the kind named `name`, details by the
/// medical row's uuid.
async fn list_named<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    kind: &Kind,
    name: &str,
) -> Value {
    let q = format!(
        r#"{{ {lists}(name: "{name}") {{ edges {{ node {{ uuid name pricelistDate location {{ code }}
            details {{ edges {{ node {{ priceOverrule {target} {{ uuid }} }} }} }} }} }} }} }}"#,
        lists = kind.lists(),
        target = kind.target
    );
    let body = query(app, Some(token), &q).await;
    body["data"][kind.lists()]["edges"][0]["node"].clone()
}

fn details_of(list: &Value, target: &str) -> Vec<(String, Value)> {
    let edges = list["details"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let mut details: Vec<(String, Value)> = edges
        .iter()
        .map(|e| {
            let node = &e["node"];
            let uuid = node[target]["uuid"].as_str().unwrap_or("?").to_owned();
            (uuid, node["priceOverrule"].clone())
        })
        .collect();
    details.sort_by(|a, b| a.0.cmp(&b.0));
    details
}

fn sorted(mut pairs: Vec<(String, Value)>) -> Vec<(String, Value)> {
    pairs.sort_by(|a, b| a.0.cmp(&b.0));
    pairs
}

#[actix_rt::test]
async fn a_price_list_is_created_updated_and_deleted_with_its_details_history_and_links() {
    a_price_list_is_created_updated_and_deleted_on(&[]).await;
}

#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn a_price_list_is_created_updated_and_deleted_with_its_details_history_and_links_on_postgres(
) {
    a_price_list_is_created_updated_and_deleted_on(
        &openimis_system_tests::postgres_db::fresh_database("pricelist_mutations"),
    )
    .await;
}

async fn a_price_list_is_created_updated_and_deleted_on(vars: &[(String, String)]) {
    let (dir, runtime) = started(vars);
    let rows = Rows::of(&dir, vars);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let ok = json!({"status": 2, "errors": null});
    for kind in &KINDS {
        let (name, target) = (kind.name, kind.target);
        let [lists, details, links] = kind.tables;
        let m = medical_uuids(&app, &token, kind).await;
        let first = format!("{name} list A");
        let create = format!(
            r#"mutation {{ create{name}Pricelist(input: {{ clientMutationId: "c-{name}", name: "{first}",
                pricelistDate: "2024-02-01", locationId: "{REGION_R1}", addedDetails: ["{}", "{}"],
                priceOverrules: [{{uuid: "{}", price: "7.25"}}] }}) {{ clientMutationId internalId }} }}"#,
            m[0], m[1], m[1]
        );
        assert_eq!(
            mutate(&app, Some(&token), &create, &format!("c-{name}")).await,
            ok,
            "{name}"
        );
        let list = list_named(&app, &token, kind, &first).await;
        assert_eq!(list["location"], json!({"code": "R1"}), "{list}");
        assert_eq!(list["pricelistDate"], "2024-02-01");
        assert_eq!(
            details_of(&list, target),
            sorted(vec![
                (m[0].clone(), Value::Null),
                (m[1].clone(), json!("7.25"))
            ]),
            "{name}: two details, one price overruled"
        );
        let uuid = list["uuid"].as_str().unwrap().to_owned();
        let id = rows.number(&format!(
            r#"SELECT CAST("{key}" AS BIGINT) AS n FROM "{lists}"
               WHERE "ValidityTo" IS NULL AND CAST("{uuid_column}" AS TEXT) = '{uuid}'"#,
            key = kind.key,
            uuid_column = kind.key.replace("ID", "UUID"),
        ));
        let linked = format!(r#"SELECT COUNT(*) AS n FROM "{links}" WHERE "pricelist_id" = {id}"#);
        assert_eq!(
            rows.number(&linked),
            1,
            "{name}: the list is linked to its mutation"
        );
        let of_list = format!(r#"FROM "{details}" WHERE "{}" = {id}"#, kind.key);
        let history = format!(r#"SELECT COUNT(*) AS n {of_list} AND "LegacyID" IS NOT NULL"#);
        assert_eq!(
            rows.number(&history),
            1,
            "{name}: the overrule kept the former version"
        );

        let second = format!("{name} list B");
        let update = format!(
            r#"mutation {{ update{name}Pricelist(input: {{ clientMutationId: "u-{name}", uuid: "{uuid}",
                name: "{second}", pricelistDate: "2024-03-01", addedDetails: ["{}"],
                removedDetails: ["{}"], priceOverrules: [{{uuid: "{}", price: "9"}}] }}) {{ internalId }} }}"#,
            m[2], m[0], m[1]
        );
        assert_eq!(
            mutate(&app, Some(&token), &update, &format!("u-{name}")).await,
            ok,
            "{name}"
        );
        let list = list_named(&app, &token, kind, &second).await;
        assert_eq!(list["uuid"], uuid.as_str(), "the list keeps its uuid");
        assert_eq!(
            list["location"],
            Value::Null,
            "no locationId clears the location"
        );
        assert_eq!(list["pricelistDate"], "2024-03-01");
        assert_eq!(
            details_of(&list, target),
            sorted(vec![
                (m[1].clone(), json!("9.00")),
                (m[2].clone(), Value::Null)
            ]),
        );
        assert_eq!(
            rows.number(&history),
            3,
            "{name}: removed and overruled details keep history"
        );
        let ended = format!(
            r#"SELECT COUNT(*) AS n {of_list} AND "LegacyID" IS NULL AND "ValidityTo" IS NOT NULL"#
        );
        assert_eq!(rows.number(&ended), 1, "{name}: the removed detail ended");
        assert_eq!(rows.number(&linked), 2);
        let list_history =
            format!(r#"SELECT COUNT(*) AS n FROM "{lists}" WHERE "LegacyID" = {id}"#);
        assert_eq!(
            rows.number(&list_history),
            0,
            "the original updates a list in place"
        );

        let delete = format!(
            r#"mutation {{ delete{name}Pricelist(input: {{ clientMutationId: "d-{name}", uuids: ["{uuid}"] }}) {{ internalId }} }}"#
        );
        assert_eq!(
            mutate(&app, Some(&token), &delete, &format!("d-{name}")).await,
            ok,
            "{name}"
        );
        assert_eq!(list_named(&app, &token, kind, &second).await, Value::Null);
        let all = format!(
            r#"{{ {}(showHistory: true, name: "{second}") {{ totalCount }} }}"#,
            kind.lists()
        );
        let body = query(&app, Some(&token), &all).await;
        assert_eq!(
            body["data"][kind.lists()]["totalCount"],
            2,
            "{name}: the ended list and its history copy: {body}"
        );
        assert_eq!(rows.number(&list_history), 1);
    }
}

#[actix_rt::test]
async fn the_details_name_medicals_services_and_items_both_ways() {
    the_details_name_medicals_services_and_items_both_ways_on(&[]).await;
}

#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn the_details_name_medicals_services_and_items_both_ways_on_postgres() {
    the_details_name_medicals_services_and_items_both_ways_on(
        &openimis_system_tests::postgres_db::fresh_database("pricelist_medical"),
    )
    .await;
}

async fn the_details_name_medicals_services_and_items_both_ways_on(vars: &[(String, String)]) {
    let (_dir, runtime) = started(vars);
    let (rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let lists = query(&app, Some(&token), "{ servicesPricelists { edges { node { details { edges { node { service { code name } } } } } } }
        itemsPricelists { edges { node { details { edges { node { item { code } } } } } } } }").await;
    let service_detail = &lists["data"]["servicesPricelists"]["edges"][0]["node"]["details"];
    assert_eq!(
        service_detail["edges"][0]["node"]["service"],
        json!({"code": "A1", "name": "General Consultation"}),
        "{lists}"
    );
    let item_detail = &lists["data"]["itemsPricelists"]["edges"][0]["node"]["details"];
    assert_eq!(
        item_detail["edges"][0]["node"]["item"],
        json!({"code": "0182"}),
        "{lists}"
    );

    let module = rt.modules.get("medical_pricelist").expect("loaded");
    let before = Stats::get(&module.stats.entities_calls);
    let reverse = query(&app, Some(&token), r#"{ medicalServices(first: 5, orderBy: ["code"]) { edges { node { code
        pricelistDetails(first: 1) { totalCount edges { node { priceOverrule servicesPricelist { name } } } } } } }
        medicalItems(code: "0182") { edges { node { pricelistDetails { edges { node { priceOverrule } } } } } } }"#).await;
    let services = reverse["data"]["medicalServices"]["edges"]
        .as_array()
        .cloned();
    let services = services.unwrap_or_else(|| panic!("{reverse}"));
    assert_eq!(services.len(), 5, "{reverse}");
    for edge in &services {
        let details = &edge["node"]["pricelistDetails"];
        match edge["node"]["code"].as_str() {
            Some("A1") => assert_eq!(
                details,
                &json!({"totalCount": 1, "edges": [{"node": {"priceOverrule": "12.50",
                    "servicesPricelist": {"name": "Demo services price list"}}}]})
            ),
            _ => assert_eq!(details, &json!({"totalCount": 0, "edges": []}), "{edge}"),
        }
    }
    assert_eq!(
        reverse["data"]["medicalItems"]["edges"][0]["node"]["pricelistDetails"],
        json!({"edges": [{"node": {"priceOverrule": "3.00"}}]})
    );
    assert_eq!(
        Stats::get(&module.stats.entities_calls) - before,
        2,
        "one entities call per page and type"
    );
}

/// Creates a list of the kind named `name` holding medical row `uuid`, and answers its uuid.
async fn created<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    kind: &Kind,
    name: &str,
    uuid: &str,
) -> String {
    let k = kind.name;
    let create = format!(
        r#"mutation {{ create{k}Pricelist(input: {{ clientMutationId: "new {name}", name: "{name}",
            pricelistDate: "2024-01-15", addedDetails: ["{uuid}"] }}) {{ internalId }} }}"#
    );
    let log = mutate(app, Some(token), &create, &format!("new {name}")).await;
    assert_eq!(log["status"], 2, "{log}");
    let list = list_named(app, token, kind, name).await;
    list["uuid"].as_str().expect("created").to_owned()
}

#[actix_rt::test]
async fn a_refused_price_list_mutation_says_why_in_its_log_and_writes_nothing() {
    a_refused_price_list_mutation_says_why_in_its_log_and_writes_nothing_on(&[]).await;
}

#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn a_refused_price_list_mutation_says_why_in_its_log_and_writes_nothing_on_postgres() {
    a_refused_price_list_mutation_says_why_in_its_log_and_writes_nothing_on(
        &openimis_system_tests::postgres_db::fresh_database("pricelist_refusals"),
    )
    .await;
}

async fn a_refused_price_list_mutation_says_why_in_its_log_and_writes_nothing_on(
    vars: &[(String, String)],
) {
    let (dir, runtime) = started(vars);
    let rows = Rows::of(&dir, vars);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let unknown = "00000000-0000-4000-8000-0000000000ff";
    for kind in &KINDS {
        let k = kind.name;
        let [list_model, detail_model, medical_model] = kind.models;
        let m = medical_uuids(&app, &token, kind).await;
        let base = created(&app, &token, kind, &format!("{k} base"), &m[0]).await;
        let other = created(&app, &token, kind, &format!("{k} other"), &m[0]).await;
        let [lists, details, links] = kind.tables;
        let written = || {
            [lists, details, links]
                .map(|table| rows.number(&format!(r#"SELECT COUNT(*) AS n FROM "{table}""#)))
        };
        let before = written();
        let create = |fields: &str| {
            format!(r#"create{k}Pricelist(input: {{ pricelistDate: "2024-01-15", {fields} }})"#)
        };
        let update = |fields: &str| {
            format!(r#"update{k}Pricelist(input: {{ pricelistDate: "2024-01-15", {fields} }})"#)
        };
        let created_failed = "pricelist.mutation.failed_to_create_pricelist";
        let update_failed = "pricelist.mutation.failed_to_update_pricelist";
        let blank = format!(
            r#"["Object {list_model} is not respecting the mandatory fields: {{'name': ['This field cannot be blank.']}}"]"#
        );
        let long = "x".repeat(101);
        let too_long = format!(
            r#"["Object {list_model} is not respecting the mandatory fields: {{'name': ['Ensure this value has at most 100 characters (it has 101).']}}"]"#
        );
        let cases = [
            (
                create(&format!(
                    r#"name: "{k} bad", addedDetails: ["{}", "{unknown}"]"#,
                    m[1]
                )),
                created_failed,
                format!("{medical_model} matching query does not exist."),
            ),
            (
                create(&format!(r#"name: "{k} bad", locationId: "{unknown}""#)),
                created_failed,
                "Location matching query does not exist.".to_owned(),
            ),
            (create(r#"name: """#), created_failed, blank),
            (
                format!(
                    r#"create{k}Pricelist(input: {{ name: "{k} bad", pricelistDate: "2024-13-45" }})"#
                ),
                created_failed,
                "`pricelistDate` must be a date (YYYY-MM-DD)".to_owned(),
            ),
            (
                create(&format!(
                    r#"name: "{k} bad", addedDetails: ["{}"], priceOverrules: [{{uuid: "{}", price: "abc"}}]"#,
                    m[1], m[1]
                )),
                created_failed,
                "`price` must be a decimal number".to_owned(),
            ),
            (
                create(&format!(r#"name: "{long}""#)),
                created_failed,
                too_long,
            ),
            (
                create(&format!(
                    r#"name: "{k} bad", priceOverrules: [{{uuid: "{}", price: "1"}}]"#,
                    m[1]
                )),
                created_failed,
                format!("{detail_model} matching query does not exist."),
            ),
            (
                update(&format!(r#"uuid: "{unknown}", name: "{k} bad""#)),
                update_failed,
                format!("{list_model} matching query does not exist."),
            ),
            (
                update(&format!(r#"uuid: "{base}", name: "{k} other""#)),
                update_failed,
                kind.duplicated.to_owned(),
            ),
            (
                update(&format!(
                    r#"uuid: "{base}", name: "{k} renamed", addedDetails: ["{}"], removedDetails: ["{}"],
                       priceOverrules: [{{uuid: "{}", price: "5"}}]"#,
                    m[1], m[0], m[2]
                )),
                update_failed,
                format!("{detail_model} matching query does not exist."),
            ),
        ];
        for (n, (field, message, detail)) in cases.iter().enumerate() {
            let id = format!("bad {k} {n}");
            let mutation = format!(
                "mutation {{ {} {{ internalId }} }}",
                field.replacen(
                    "input: {",
                    &format!(r#"input: {{ clientMutationId: "{id}","#),
                    1
                )
            );
            let log = mutate(&app, Some(&token), &mutation, &id).await;
            assert_eq!(
                log,
                json!({"status": 1, "errors": [{"message": message, "detail": detail}]}),
                "{mutation}"
            );
            assert_eq!(written(), before, "{mutation}: nothing written");
        }
        let base_list = list_named(&app, &token, kind, &format!("{k} base")).await;
        assert_eq!(
            details_of(&base_list, kind.target),
            [(m[0].clone(), Value::Null)]
        );

        let delete = |uuids: &str, id: &str| {
            format!(
                r#"mutation {{ delete{k}Pricelist(input: {{ clientMutationId: "{id}", uuids: [{uuids}] }}) {{ internalId }} }}"#
            )
        };
        let both = delete(&format!(r#""{other}", "{unknown}""#), &format!("del {k} 1"));
        assert_eq!(
            mutate(&app, Some(&token), &both, &format!("del {k} 1")).await,
            json!({"status": 1, "errors": [{"message": "pricelist.validation.id_does_not_exist", "detail": unknown}]})
        );
        assert_eq!(
            written(),
            before,
            "a delete naming a missing list ends none"
        );
        let one = delete(&format!(r#""{other}""#), &format!("del {k} 2"));
        assert_eq!(
            mutate(&app, Some(&token), &one, &format!("del {k} 2")).await["status"],
            2
        );
        let again = delete(&format!(r#""{other}""#), &format!("del {k} 3"));
        assert_eq!(
            mutate(&app, Some(&token), &again, &format!("del {k} 3")).await["errors"][0]["detail"],
            other.as_str(),
            "an ended list is no longer there to delete"
        );
        let historical = format!(
            r#"mutation {{ {} {{ internalId }} }}"#,
            update(&format!(
                r#"clientMutationId: "hist {k}", uuid: "{other}", name: "{k} other""#
            ))
        );
        assert_eq!(
            mutate(&app, Some(&token), &historical, &format!("hist {k}")).await,
            json!({"status": 1, "errors": [{"message": update_failed, "detail": "['User can not edit historical data']"}]})
        );
    }
}

#[actix_rt::test]
async fn price_list_mutations_need_a_login_and_their_right() {
    let (_dir, runtime) = started(&[]);
    let (_rt, app) = service(runtime).await;
    let officer = login(&app, "E00001", "Demo12345!").await;
    let admin = login(&app, "Admin", "admin123").await;
    let denied = "The mutation threw a <class 'django.core.exceptions.PermissionDenied'>, check logs for details";
    for kind in &KINDS {
        let k = kind.name;
        let demo = list_named(
            &app,
            &admin,
            kind,
            &format!("Demo {} price list", k.to_lowercase()),
        )
        .await;
        let uuid = demo["uuid"].as_str().expect("the demo list").to_owned();
        let create = |id: &str| {
            format!(
                r#"mutation {{ create{k}Pricelist(input: {{ clientMutationId: "{id}", name: "{k} new", pricelistDate: "2024-01-15" }}) {{ internalId }} }}"#
            )
        };
        let update = |id: &str| {
            format!(
                r#"mutation {{ update{k}Pricelist(input: {{ clientMutationId: "{id}", uuid: "{uuid}", name: "{k} new", pricelistDate: "2024-01-15" }}) {{ internalId }} }}"#
            )
        };
        let delete = |id: &str| {
            format!(
                r#"mutation {{ delete{k}Pricelist(input: {{ clientMutationId: "{id}", uuids: ["{uuid}"] }}) {{ internalId }} }}"#
            )
        };
        let (created_failed, update_failed) = (
            "pricelist.mutation.failed_to_create_pricelist",
            "pricelist.mutation.failed_to_update_pricelist",
        );
        let login_needed = "['mutation.authentication_required']";
        for (token, mutation, message, detail) in [
            (
                None,
                create(&format!("anon c {k}")),
                created_failed,
                login_needed,
            ),
            (
                None,
                update(&format!("anon u {k}")),
                update_failed,
                login_needed,
            ),
            (
                Some(&officer),
                create(&format!("eo c {k}")),
                created_failed,
                "unauthorized",
            ),
            (
                Some(&officer),
                update(&format!("eo u {k}")),
                update_failed,
                "unauthorized",
            ),
        ] {
            let id = mutation.split('"').nth(1).unwrap().to_owned();
            let log = mutate(&app, token.map(String::as_str), &mutation, &id).await;
            assert_eq!(
                log,
                json!({"status": 1, "errors": [{"message": message, "detail": detail}]}),
                "{mutation}"
            );
        }
        for (token, id) in [
            (None, format!("anon d {k}")),
            (Some(&officer), format!("eo d {k}")),
        ] {
            let log = mutate(&app, token.map(String::as_str), &delete(&id), &id).await;
            assert_eq!(log, json!({"status": 1, "errors": [{"message": denied}]}));
        }
        assert_eq!(
            list_named(
                &app,
                &admin,
                kind,
                &format!("Demo {} price list", k.to_lowercase())
            )
            .await["uuid"],
            uuid.as_str(),
            "the demo list is untouched"
        );
    }
}
