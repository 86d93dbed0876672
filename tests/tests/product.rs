//! The `product` module with core, location and medical on the demo data: schema parity with
//! the reference (the diff printed), the frontend's recorded `product` operations, the list's
//! filters and rights, each mutation's effect, history and failure (nothing half-written), and
//! the services other modules call. Each database test runs on SQLite and, with
//! `--features postgres`, on PostgreSQL (`*_on_postgres`).

use openimis_system_tests::calls::{
    ask, column, data, failed_with, log_of, mutate_input as mutate, replay_frontend, OK,
};
use openimis_system_tests::conformance::{
    assert_extensions_as_reference, module_surface, parse_schema,
};
use openimis_system_tests::*;
use serde_json::{json, Value};

const TYPES: &[&str] = &[
    "CareTypeEnum",
    "CeilingExclusionEnum",
    "CeilingInterpretationEnum",
    "CeilingTypeEnum",
    "LimitTypeEnum",
    "PriceOriginEnum",
    "PageDisplayRulesGQLType",
    "ProductGQLType",
    "ProductGQLTypeConnection",
    "ProductGQLTypeEdge",
    "ProductItemGQLType",
    "ProductItemGQLTypeConnection",
    "ProductItemGQLTypeEdge",
    "ProductItemOrServiceDefaultValuesGQLType",
    "ProductRelativePricesGQLType",
    "ProductServiceGQLType",
    "ProductServiceGQLTypeConnection",
    "ProductServiceGQLTypeEdge",
    "ProductItemInput",
    "ProductServiceInput",
    "RelativePricesInput",
    "CreateProductMutationInput",
    "CreateProductMutationPayload",
    "DuplicateProductMutationInput",
    "DuplicateProductMutationPayload",
    "UpdateProductMutationInput",
    "UpdateProductMutationPayload",
    "DeleteProductMutationInput",
    "DeleteProductMutationPayload",
];

const ROOTS: &[(&str, &str)] = &[
    ("Query", "products"),
    ("Query", "product"),
    ("Query", "pageDisplayRules"),
    ("Query", "limitDefaults"),
    ("Query", "validateProductCode"),
    ("Mutation", "createProduct"),
    ("Mutation", "duplicateProduct"),
    ("Mutation", "updateProduct"),
    ("Mutation", "deleteProduct"),
];

/// Reverse relations typed by modules that do not exist yet (policy, claim, payer).
const NOT_SERVED: &[&str] = &[
    "ProductGQLType.claimItems: awaits the module owning ClaimItemGQLType",
    "ProductGQLType.claimServices: awaits the module owning ClaimServiceGQLType",
    "ProductGQLType.fundings: awaits the module owning FundingGQLTypeConnection",
    "ProductGQLType.policies: awaits the module owning PolicyGQLTypeConnection",
    "ProductGQLType.policyRenewals: awaits the module owning PolicyRenewalGQLTypeConnection",
];

/// core, location, medical and product on the demo data, with `vars` (a PostgreSQL
/// database's DB_* variables, or none for SQLite).
fn started(vars: &[(String, String)]) -> (ModulesDir, openimis_host::runtime::Runtime) {
    started_on_demo(&["core", "location", "medical", "product"], vars)
}

#[test]
fn the_product_surface_is_the_references() {
    let (_dir, runtime) = started(&[]);
    let sdl = runtime.engine.composed.sdl();
    let (diff, awaiting) = module_surface(&sdl, TYPES, ROOTS);
    assert_eq!(diff, Vec::<String>::new(), "see the diff above");
    assert_eq!(awaiting, NOT_SERVED);
    // The reverse relations product adds to medical's and location's types.
    let extended = [
        ("ItemGQLType", "items"),
        ("ServiceGQLType", "services"),
        ("LocationGQLType", "productSet"),
    ];
    assert_extensions_as_reference(&sdl, &extended);
}

/// The recorded mutations' outcome on the demo data: the update renames BASIC to BASIC2,
/// which the recorded create took just before (the original refuses it the same way).
const RECORDED_MUTATIONS: &[(&str, &str, Option<&str>)] = &[
    ("product-10", "00000000-0000-4000-8000-00000000001d", None),
    (
        "product-11",
        "00000000-0000-4000-8000-00000000001e",
        Some("['mutation.product_code_duplicated']"),
    ),
    ("product-12", "00000000-0000-4000-8000-00000000001f", None),
    ("product-13", "00000000-0000-4000-8000-000000000020", None),
];

on_sqlite_and_postgres! {
    the_frontends_product_operations_validate_and_run_on:
        the_frontends_product_operations_validate_and_run,
        the_frontends_product_operations_validate_and_run_on_postgres,
        "product_frontend"
}

async fn the_frontends_product_operations_validate_and_run_on(vars: &[(String, String)]) {
    let (_dir, runtime) = started(vars);
    let schema = parse_schema(&runtime.engine.composed.sdl());
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let answers = replay_frontend(&app, &schema, &token, "product", 13).await;
    for (id, client_id, failure) in RECORDED_MUTATIONS {
        let log = log_of(&app, &token, client_id).await;
        match failure {
            None => assert_eq!(log, OK(), "{id}"),
            Some(detail) => failed_with(
                &log,
                "product.mutation.failed_to_update_product",
                Some(detail),
            ),
        }
    }
    assert_eq!(
        column(&answers["product-01"], "products", "code"),
        [json!("BASIC")]
    );
    assert_eq!(answers["product-01"]["products"]["totalCount"], 1);
    let basic = &answers["product-01"]["products"]["edges"][0]["node"];
    assert_eq!(basic["location"]["code"], "R1", "{basic}");
    assert_eq!(
        column(&answers["product-02"], "products", "code"),
        [json!("BASIC")],
        "BAS in Region 1 (an ancestor of location 2) or national"
    );
    let product = &answers["product-03"]["product"];
    assert_eq!(
        (
            &product["code"],
            &product["lumpSum"],
            &product["ceilingInterpretation"],
            &product["ceiling"],
            &product["deductible"]
        ),
        (
            &json!("BASIC"),
            &json!("10000.00"),
            &json!("CLAIM_TYPE"),
            &json!("500000.00"),
            &json!("0.00")
        )
    );
    assert_eq!(
        answers["product-04"]["pageDisplayRules"],
        json!({"minLimitValue": "0", "maxLimitValue": "100"})
    );
    assert_eq!(
        answers["product-05"]["limitDefaults"],
        json!({"defaultPriceOrigin": "P", "defaultLimit": "C", "defaultLimitCoInsuranceValue": 100, "defaultLimitFixedValue": 0})
    );
    let items = &answers["product-06"]["product"]["items"]["edges"];
    assert_eq!(items.as_array().map(Vec::len), Some(2), "{items}");
    assert_eq!(items[0]["node"]["priceOrigin"], "PRICELIST");
    assert_eq!(items[0]["node"]["limitationType"], "CO_INSURANCE");
    assert_eq!(items[0]["node"]["item"]["code"], "0182");
    let services = &answers["product-07"]["product"]["services"]["edges"];
    assert_eq!(services[0]["node"]["service"]["code"], "A1", "{services}");
    assert_eq!(
        answers["product-08"]["isValid"], true,
        "BASIC2 is free before the create"
    );
    assert_eq!(
        column(&answers["product-09"], "product", "ceilingType"),
        [json!("INSUREE")]
    );
}

/// The create input the tests start from (the recorded frontend's shape).
fn basic_input(code: &str) -> Value {
    json!({"code": code, "name": "Test cover", "dateFrom": "2024-01-01", "dateTo": "2030-12-31",
        "insurancePeriod": 12, "maxMembers": 6, "lumpSum": 5000, "startCycle1": "01-01",
        "ceilingType": "POLICY", "ceilingInterpretation": "HEALTH_FACILITY_TYPE",
        "deductibleIp": 10, "deductibleOp": 20, "ceiling": 3000,
        "locationUuid": "2ea0e0a0-0000-4000-8000-000000000001",
        "relativePrices": [{"careType": "IN_PATIENT", "periods": [25, 25, 25, 25]}],
        "items": [{"itemUuid": "e0000000-0000-4000-8000-000000000091", "priceOrigin": "PRICELIST",
            "limitationType": "CO_INSURANCE", "limitationTypeR": "CO_INSURANCE", "limitationTypeE": "FIXED_AMOUNT",
            "limitAdult": 80, "limitChild": 100, "limitAdultE": 500, "waitingPeriodAdult": 3, "limitNoAdult": 2}],
        "services": [{"serviceUuid": "e1000000-0000-4000-8000-000000000092", "priceOrigin": "RELATIVE",
            "limitationType": "FIXED_AMOUNT", "limitationTypeR": "CO_INSURANCE", "limitationTypeE": "CO_INSURANCE",
            "limitAdult": 400, "ceilingExclusionAdult": "HOSPITAL"}]})
}

const FIELDS: &str = "uuid code name lumpSum maxMembers startCycle1 ceilingType ceilingInterpretation deductible deductibleIp deductibleOp ceiling ceilingIp ceilingOp validityTo legacyId location { code } relativePrices { careType periods } items { totalCount edges { node { priceOrigin limitationType limitationTypeE limitAdult limitAdultE waitingPeriodAdult limitNoAdult item { code } } } } services { totalCount edges { node { priceOrigin limitationType limitAdult ceilingExclusionAdult service { code } } } }";

async fn product_by_code<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    code: &str,
) -> Value {
    let found = data(
        app,
        token,
        &format!("{{ products(code: \"{code}\") {{ edges {{ node {{ {FIELDS} }} }} }} }}"),
    )
    .await;
    found["products"]["edges"][0]["node"].clone()
}

async fn count<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    args: &str,
) -> i64 {
    let found = data(
        app,
        token,
        &format!("{{ products({args}) {{ totalCount }} }}"),
    )
    .await;
    found["products"]["totalCount"].as_i64().unwrap()
}

on_sqlite_and_postgres! {
    mutations_write_details_history_links_and_fail_cleanly_on:
        mutations_write_details_history_links_and_fail_cleanly,
        mutations_write_details_history_links_and_fail_cleanly_on_postgres,
        "product_mutations"
}

async fn mutations_write_details_history_links_and_fail_cleanly_on(vars: &[(String, String)]) {
    let (_dir, runtime) = started(vars);
    let (_rt, app) = service(runtime).await;
    let admin = login(&app, "Admin", "admin123").await;

    // Create: the row, its details, distributions and ceilings.
    assert_eq!(
        mutate(&app, &admin, "createProduct", basic_input("T1"), "p1").await,
        OK()
    );
    let created = product_by_code(&app, &admin, "T1").await;
    let uuid = created["uuid"].as_str().unwrap().to_owned();
    assert_eq!(
        json!({"lumpSum": created["lumpSum"], "maxMembers": created["maxMembers"], "startCycle1": created["startCycle1"],
            "ceilingType": created["ceilingType"], "ceilingInterpretation": created["ceilingInterpretation"],
            "deductible": created["deductible"], "deductibleIp": created["deductibleIp"], "deductibleOp": created["deductibleOp"],
            "ceiling": created["ceiling"], "location": created["location"], "relativePrices": created["relativePrices"]}),
        json!({"lumpSum": "5000.00", "maxMembers": 6, "startCycle1": "01-01", "ceilingType": "POLICY",
            "ceilingInterpretation": "HEALTH_FACILITY_TYPE", "deductible": "0.00", "deductibleIp": "10.00",
            "deductibleOp": "20.00", "ceiling": "3000.00", "location": {"code": "R1"},
            "relativePrices": [{"careType": "IN_PATIENT", "periods": ["25.00", "25.00", "25.00", "25.00"]}]})
    );
    let item = &created["items"]["edges"][0]["node"];
    assert_eq!(
        item,
        &json!({"priceOrigin": "PRICELIST", "limitationType": "CO_INSURANCE", "limitationTypeE": "FIXED_AMOUNT",
            "limitAdult": "80.00", "limitAdultE": "500.00", "waitingPeriodAdult": 3, "limitNoAdult": 2, "item": {"code": "0001"}})
    );
    assert_eq!(
        created["services"]["edges"][0]["node"]["service"]["code"],
        "A1"
    );
    assert_eq!(
        created["services"]["edges"][0]["node"]["ceilingExclusionAdult"],
        "HOSPITAL"
    );
    // The reverse relations on medical's and location's types.
    let reverse = data(
        &app,
        &admin,
        "{ medicalItems(code: \"0001\") { edges { node { items { totalCount } } } } }",
    )
    .await;
    assert_eq!(
        reverse["medicalItems"]["edges"][0]["node"]["items"]["totalCount"], 2,
        "BASIC's and T1's"
    );

    // Update without items: a history row, the details re-created on the product and moved to
    // the history copy; relative prices not sent are gone, as the original.
    let mut update = basic_input("T1");
    update["uuid"] = json!(uuid);
    update["name"] = json!("Renamed");
    update.as_object_mut().unwrap().remove("items");
    update.as_object_mut().unwrap().remove("relativePrices");
    update["services"] = json!([]);
    assert_eq!(
        mutate(&app, &admin, "updateProduct", update.clone(), "p2").await,
        OK()
    );
    let updated = product_by_code(&app, &admin, "T1").await;
    assert_eq!(updated["uuid"], uuid.as_str(), "the row keeps its uuid");
    assert_eq!(updated["items"]["totalCount"], 1, "items kept: {updated}");
    assert_eq!(
        updated["services"]["totalCount"], 0,
        "services replaced by none"
    );
    assert_eq!(updated["relativePrices"], json!([]));
    let versions = data(&app, &admin, "{ products(code: \"T1\", showHistory: true) { totalCount edges { node { name legacyId validityTo items { totalCount } } } } }").await;
    assert_eq!(versions["products"]["totalCount"], 2);
    let names: Vec<Value> = column(&versions, "products", "name");
    assert!(
        names.contains(&json!("Renamed")) && names.contains(&json!("Test cover")),
        "{versions}"
    );

    // Duplicate: a new product with the source's details.
    let mut copy = basic_input("T2");
    copy["uuid"] = json!(uuid);
    copy.as_object_mut().unwrap().remove("items");
    copy.as_object_mut().unwrap().remove("services");
    assert_eq!(
        mutate(&app, &admin, "duplicateProduct", copy, "p3").await,
        OK()
    );
    let duplicated = product_by_code(&app, &admin, "T2").await;
    assert_ne!(duplicated["uuid"], uuid.as_str());
    assert_eq!(duplicated["items"]["totalCount"], 1, "{duplicated}");
    let linked = data(
        &app,
        &admin,
        "{ mutationLogs(clientMutationId: \"p3\") { edges { node { status } } } }",
    )
    .await;
    assert_eq!(linked["mutationLogs"]["edges"][0]["node"]["status"], 2);

    // Failures: the original's messages, nothing written.
    let before = count(&app, &admin, "showHistory: true").await;
    let cases: Vec<(&str, Value, &str, Option<&str>)> = vec![
        (
            "createProduct",
            basic_input("BASIC"),
            "product.mutation.failed_to_create_product",
            Some("['mutation.product_code_duplicated']"),
        ),
        (
            "createProduct",
            json!({"startCycle2": "0101"}),
            "'0101' is not a correct value for product.start_cycle",
            None,
        ),
        (
            "createProduct",
            json!({"dateFrom": "2031-01-01"}),
            "date_from must be before date_to",
            None,
        ),
        (
            "createProduct",
            json!({"items": [{"itemUuid": "e0000000-0000-4000-8000-000000000091", "limitationType": "CO_INSURANCE", "limitationTypeR": "CO_INSURANCE", "limitationTypeE": "CO_INSURANCE", "limitChild": 101}]}),
            "Item O,R,E co-insurance limits must be smaller or equal to 100.",
            None,
        ),
        (
            "createProduct",
            json!({"services": [{"serviceUuid": "e1000000-0000-4000-8000-000000000092", "limitationType": "FIXED_AMOUNT", "limitationTypeR": "FIXED_AMOUNT", "limitationTypeE": "FIXED_AMOUNT", "limitAdult": -1}]}),
            "Service O,R,E limits must be positive.",
            None,
        ),
        (
            "createProduct",
            json!({"relativePrices": [{"careType": "BOTH", "periods": [50, 50]}]}),
            "Number of periods can only be 1, 4 or 12",
            None,
        ),
        (
            "createProduct",
            json!({"deductible": 5, "deductibleIp": 1}),
            "product.mutation.failed_to_create_product",
            Some("Deductibles and ceilings cannot be set for in/out and all at the same time"),
        ),
        (
            "createProduct",
            json!({"items": [{"itemUuid": "00000000-0000-4000-8000-0000000000aa", "limitationType": "CO_INSURANCE", "limitationTypeR": "CO_INSURANCE", "limitationTypeE": "CO_INSURANCE"}]}),
            "product.mutation.failed_to_create_product",
            Some("Item matching query does not exist."),
        ),
        (
            "createProduct",
            json!({"items": [
            {"itemUuid": "e0000000-0000-4000-8000-000000000091", "limitationType": "CO_INSURANCE", "limitationTypeR": "CO_INSURANCE", "limitationTypeE": "CO_INSURANCE"},
            {"itemUuid": "e0000000-0000-4000-8000-000000000091", "limitationType": "CO_INSURANCE", "limitationTypeR": "CO_INSURANCE", "limitationTypeE": "CO_INSURANCE"}]}),
            "product.mutation.failed_to_create_product",
            Some("[\"'e0000000-0000-4000-8000-000000000091' is already linked to the product.\"]"),
        ),
        (
            "createProduct",
            json!({"locationUuid": "00000000-0000-4000-8000-0000000000bb"}),
            "product.mutation.failed_to_create_product",
            Some("Location matching query does not exist."),
        ),
        (
            "updateProduct",
            json!({"uuid": "00000000-0000-4000-8000-0000000000cc"}),
            "product.mutation.failed_to_update_product",
            Some("Product matching query does not exist."),
        ),
        (
            "updateProduct",
            json!({"uuid": uuid, "code": "BASIC"}),
            "product.mutation.failed_to_update_product",
            Some("['mutation.product_code_duplicated']"),
        ),
        (
            "updateProduct",
            json!({"uuid": uuid, "dateTo": "2000-01-01"}),
            "product.mutation.failed_to_update_product",
            Some("date_from must be before date_to"),
        ),
        (
            "duplicateProduct",
            json!({"uuid": "00000000-0000-4000-8000-0000000000dd"}),
            "product.mutation.failed_to_duplicate_product",
            Some("Product matching query does not exist."),
        ),
        (
            "duplicateProduct",
            json!({"relativePrices": [{"careType": "BOTH", "periods": [1, 2, 3]}]}),
            "Number of periods can only be 1, 4 or 12",
            None,
        ),
    ];
    for (n, (mutation, changes, message, detail)) in cases.into_iter().enumerate() {
        let mut input = basic_input(&format!("F{n}"));
        input.as_object_mut().unwrap().remove("relativePrices");
        for (key, value) in changes.as_object().unwrap() {
            input[key] = value.clone();
        }
        let log = mutate(&app, &admin, mutation, input, &format!("f{n}")).await;
        failed_with(&log, message, detail);
    }
    let plain = login(&app, "manager1", "Demo12345!").await;
    let refused = mutate(&app, &plain, "createProduct", basic_input("F90"), "f90").await;
    failed_with(
        &refused,
        "product.mutation.failed_to_create_product",
        Some("unauthorized"),
    );
    let mut refused_update = update.clone();
    refused_update["uuid"] = json!(uuid);
    let refused = mutate(&app, &plain, "updateProduct", refused_update, "f91").await;
    failed_with(
        &refused,
        "product.mutation.failed_to_update_product",
        Some("unauthorized"),
    );
    assert_eq!(
        count(&app, &admin, "showHistory: true").await,
        before,
        "nothing written"
    );
    let still = product_by_code(&app, &admin, "T1").await;
    assert_eq!(still["name"], "Renamed");
    assert_eq!(still["items"]["totalCount"], 1, "nothing half-written");

    // Delete: the row ends with a history copy; a missing uuid is the original's TypeError
    // and deletes nothing; without 121004 the original's PermissionDenied.
    let refused = mutate(
        &app,
        &plain,
        "deleteProduct",
        json!({"uuids": [uuid]}),
        "d1",
    )
    .await;
    failed_with(&refused, "The mutation threw a <class 'django.core.exceptions.PermissionDenied'>, check logs for details", None);
    let missing = mutate(
        &app,
        &admin,
        "deleteProduct",
        json!({"uuids": [uuid, "00000000-0000-4000-8000-0000000000ee"]}),
        "d2",
    )
    .await;
    failed_with(
        &missing,
        "The mutation threw a <class 'TypeError'>, check logs for details",
        None,
    );
    assert_eq!(
        count(&app, &admin, "code: \"T1\"").await,
        1,
        "nothing half-deleted"
    );
    assert_eq!(
        mutate(
            &app,
            &admin,
            "deleteProduct",
            json!({"uuids": [uuid]}),
            "d3"
        )
        .await,
        OK()
    );
    assert_eq!(count(&app, &admin, "code: \"T1\"").await, 0);
    assert_eq!(
        count(&app, &admin, "code: \"T1\", showHistory: true").await,
        3
    );
}

#[actix_rt::test]
async fn the_list_filters_and_checks_rights() {
    let (_dir, runtime) = started(&[]);
    let (_rt, app) = service(runtime).await;
    let admin = login(&app, "Admin", "admin123").await;
    for (args, expected) in [
        ("first: 10", vec!["BASIC", "FCUL0001"]),
        ("search: \"ultha\"", vec!["FCUL0001"]),
        ("code_Istartswith: \"fc\"", vec!["FCUL0001"]),
        ("location_Isnull: true", vec!["FCUL0001"]),
        ("name_Icontains: \"_\"", vec![]),
        ("dateFrom_Lte: \"2016-01-01T00:00:00\"", vec![]),
        (
            "dateTo_Gte: \"2030-12-31T00:00:00\", location: 3",
            vec!["BASIC", "FCUL0001"],
        ),
        (
            "uuid: \"c0000000-0000-4000-8000-000000000072\"",
            vec!["FCUL0001"],
        ),
    ] {
        let found = data(
            &app,
            &admin,
            &format!("{{ products({args}) {{ edges {{ node {{ code }} }} }} }}"),
        )
        .await;
        let codes = column(&found, "products", "code");
        assert_eq!(
            codes,
            expected.iter().map(|c| json!(c)).collect::<Vec<_>>(),
            "{args}"
        );
    }
    let bad = ask(
        &app,
        Some(&admin),
        "{ products(dateFrom_Gte: \"soon\") { totalCount } }",
    )
    .await;
    assert!(bad.get("errors").is_some(), "{bad}");
    let validation = data(&app, &admin, "{ taken: validateProductCode(productCode: \"BASIC\") free: validateProductCode(productCode: \"NEW\") }").await;
    assert_eq!(validation, json!({"taken": false, "free": true}));
    let node = data(&app, &admin, "{ node(id: \"UHJvZHVjdEdRTFR5cGU6Mg==\") { ... on ProductGQLType { code ceilingIp ceilingOp deductibleIp } } }").await;
    assert_eq!(
        node["node"],
        json!({"code": "FCUL0001", "ceilingIp": "5000.00", "ceilingOp": "20000.00", "deductibleIp": "100.00"}),
        "ceilings stored crossed, as the original's save"
    );
    let missing = ask(
        &app,
        Some(&admin),
        "{ product(uuid: \"00000000-0000-4000-8000-0000000000ff\") { code } }",
    )
    .await;
    assert!(missing.get("errors").is_some(), "{missing}");
    let plain = login(&app, "manager1", "Demo12345!").await;
    for refused in [
        "{ products { totalCount } }",
        "{ pageDisplayRules { minLimitValue } }",
        "{ validateProductCode(productCode: \"X\") }",
    ] {
        let body = ask(&app, Some(&plain), refused).await;
        let message = body["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains("unauthorized"), "{refused}: {body}");
    }
}

#[actix_rt::test]
async fn other_modules_get_products_and_coverage() {
    let (_dir, runtime) = started(&[]);
    let (rt, _app) = service(runtime).await;
    let product = rt.modules.get("product").expect("loaded");
    let call = |method: &str, payload: Value| -> Value {
        let answer = product
            .service(method, &payload.to_string())
            .unwrap_or_else(|e| panic!("{method}: {e:?}"));
        serde_json::from_str(&answer).unwrap()
    };
    let found = call(
        "products.get",
        json!({"codes": ["FCUL0001"], "valid_at": "2024-01-01"}),
    );
    assert_eq!(found[0]["id"], 2);
    assert_eq!(found[0]["hasCycle"], true);
    assert_eq!(found[0]["hasEnrolmentDiscount"], true);
    assert_eq!(found[0]["hasRenewalDiscount"], false);
    assert_eq!(found[0]["premiumAdult"], "1000.00");
    let basic = call(
        "products.get",
        json!({"uuids": ["c0000000-0000-4000-8000-000000000071"]}),
    );
    assert_eq!(basic[0]["locationId"], 1);
    assert_eq!(basic[0]["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(basic[0]["items"][0]["itemId"], 1);
    let coverage = call(
        "products.coverage",
        json!({"product_id": 1, "item_ids": [1, 2], "service_ids": [1]}),
    );
    assert_eq!(coverage["items"]["1"]["limitAdult"], "100.00");
    assert!(
        coverage["items"].get("2").is_none(),
        "item 2 is not covered"
    );
    assert_eq!(coverage["services"]["1"]["priceOrigin"], "P");
    let bad = product.service(
        "products.get",
        &json!({"ids": [1], "codes": []}).to_string(),
    );
    assert!(bad.is_err());
}

/// On the original's migrated demo database: product's migrations leave its tables as they
/// are, the list reads its products, and the mutations write rows the original reads back.
#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn the_original_database_serves_products_unchanged() {
    use openimis_system_tests::conformance::shared_openimis;
    use openimis_system_tests::postgres_db::{fresh_database, load_dump, table_columns};
    let vars = fresh_database("product_dump");
    let dump = shared_openimis().join("database/openimis-demo-database-migrated.sql.gz");
    load_dump(&vars, &dump);
    let before = table_columns(&vars);
    let names = ["core", "location", "medical", "product"];
    let dir = ModulesDir::with(&names);
    let conf = modules_json(&names.map(|name| json!({ "name": name })));
    let env: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let runtime = start(settings(&conf, &dir, &env)).expect("starts on the original's database");
    let after = table_columns(&vars);
    for table in [
        "tblProduct",
        "tblProductItems",
        "tblProductServices",
        "tblRelDistr",
        "product_ProductMutation",
    ] {
        assert_eq!(before.get(table), after.get(table), "{table} unchanged");
        assert!(before.contains_key(table), "{table} is the original's");
    }
    let (_rt, app) = service(runtime).await;
    let admin = login(&app, "Admin", "admin123").await;
    let listed = data(
        &app,
        &admin,
        &format!("{{ products(first: 5) {{ totalCount edges {{ node {{ {FIELDS} }} }} }} }}"),
    )
    .await;
    assert!(
        listed["products"]["totalCount"].as_i64().unwrap() > 0,
        "{listed}"
    );
    let items = data(&app, &admin, "{ medicalItems(first: 1) { edges { node { uuid } } } medicalServices(first: 1) { edges { node { uuid } } } }").await;
    let mut input = basic_input("DUMP1");
    input.as_object_mut().unwrap().remove("locationUuid");
    input["items"][0]["itemUuid"] = items["medicalItems"]["edges"][0]["node"]["uuid"].clone();
    input["services"][0]["serviceUuid"] =
        items["medicalServices"]["edges"][0]["node"]["uuid"].clone();
    assert_eq!(
        mutate(&app, &admin, "createProduct", input.clone(), "o1").await,
        OK()
    );
    let created = product_by_code(&app, &admin, "DUMP1").await;
    input["uuid"] = created["uuid"].clone();
    input["name"] = json!("Dump renamed");
    assert_eq!(
        mutate(&app, &admin, "updateProduct", input.clone(), "o2").await,
        OK()
    );
    input["code"] = json!("DUMP2");
    assert_eq!(
        mutate(&app, &admin, "duplicateProduct", input.clone(), "o3").await,
        OK()
    );
    let copy = product_by_code(&app, &admin, "DUMP2").await;
    assert_eq!(
        copy["items"]["totalCount"], 2,
        "the input's item and the source's copy, as the original: {copy}"
    );
    let uuids = json!({"uuids": [created["uuid"]]});
    assert_eq!(
        mutate(&app, &admin, "deleteProduct", uuids, "o4").await,
        OK()
    );
    assert_eq!(
        count(&app, &admin, "code: \"DUMP1\", showHistory: true").await,
        3
    );
}
