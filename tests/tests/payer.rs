//! The `payer` module with core, location, medical and product on the demo data: schema parity
//! with the reference (the diff printed), the frontend's recorded `payer` operations replayed
//! (reads, then the four mutations with their logs and rows), on SQLite and, with
//! `--features postgres`, on PostgreSQL (`*_on_postgres`); the answers of the lists and their
//! filters, the user's locations, the reverse relations and `node`; each mutation's rows,
//! history rows, log and link rows, its refusals and bad inputs (nothing half-written); and,
//! on PostgreSQL, the original's own demo databases left as they are.

use openimis_system_tests::calls::{ask, column, data, failed_with, log_of, mutate_input};
use openimis_system_tests::conformance::{
    assert_extensions_as_reference, module_surface, parse_schema,
};
use openimis_system_tests::test_rows::TestRows as Db;
use openimis_system_tests::*;
use serde_json::{json, Value};

const TYPES: &[&str] = &[
    "PayerGQLType",
    "PayerGQLTypeConnection",
    "PayerGQLTypeEdge",
    "PayerType",
    "FundingGQLType",
    "FundingGQLTypeConnection",
    "FundingGQLTypeEdge",
    "FundingConnection",
    "FundingEdge",
    "FundingStatus",
    "CreatePayerMutationInput",
    "CreatePayerMutationPayload",
    "UpdatePayerMutationInput",
    "UpdatePayerMutationPayload",
    "DeletePayerMutationInput",
    "DeletePayerMutationPayload",
    "AddFundingMutationInput",
    "AddFundingMutationPayload",
];

const ROOTS: &[(&str, &str)] = &[
    ("Query", "fundings"),
    ("Query", "funding"),
    ("Query", "payers"),
    ("Query", "payer"),
    ("Mutation", "createPayer"),
    ("Mutation", "updatePayer"),
    ("Mutation", "deletePayer"),
    ("Mutation", "addFunding"),
];

/// The fields payer adds to other modules' types (payer.md §3: `Funding.product` and the
/// `HistoryModel` users, related names `fundings` and `funding_user_*`).
const EXTENDED: &[(&str, &str)] = &[
    ("ProductGQLType", "fundings"),
    ("UserGQLType", "fundingUserCreated"),
    ("UserGQLType", "fundingUserUpdated"),
];

/// The demo's payers (`b0000000-…-0NN`): 61 Region 1's government (the frontend's recorded
/// operations address it), 62 the co-operative (66 its ended version), 63 the donor (payer 3),
/// 64 Tahida's local authority, 65 a private company in Rapta.
fn payer_uuid(n: u32) -> String {
    format!("b0000000-0000-4000-8000-{n:012}")
}

/// The demo's fundings (`fd000000-…-0NN`): 71 the government's, 72 and 73 the donor's.
fn funding_uuid(n: u32) -> String {
    format!("fd000000-0000-4000-8000-{n:012}")
}

/// The five modules on the demo, on SQLite unless `vars` name a database.
fn started_on(vars: &[(String, String)]) -> (ModulesDir, openimis_host::runtime::Runtime) {
    started_on_demo(&["core", "location", "medical", "product", "payer"], vars)
}

#[cfg(feature = "postgres")]
fn postgres(tag: &str) -> Vec<(String, String)> {
    openimis_system_tests::postgres_db::fresh_database(tag)
}

#[test]
fn the_payer_surface_is_the_references() {
    let (_dir, runtime) = started_on(&[]);
    let sdl = runtime.engine.composed.sdl();
    let (diff, awaiting) = module_surface(&sdl, TYPES, ROOTS);
    assert_eq!(diff, Vec::<String>::new(), "see the diff above");
    assert_eq!(awaiting, Vec::<String>::new());
    assert_extensions_as_reference(&sdl, EXTENDED);
}

on_sqlite_and_postgres! {
    replay_on:
        the_frontends_payer_operations_validate_and_answer,
        the_frontends_payer_operations_validate_and_answer_on_postgres,
        "payer_replay"
}

/// The recorded mutations' `clientMutationId`s: create, update and delete `…-061`, add a
/// funding from payer 3 to product 1.
const RECORDED: [&str; 4] = [
    "00000000-0000-4000-8000-000000000029",
    "00000000-0000-4000-8000-00000000002a",
    "00000000-0000-4000-8000-00000000002b",
    "00000000-0000-4000-8000-00000000002c",
];

async fn replay_on(vars: &[(String, String)]) {
    let (dir, runtime) = started_on(vars);
    let db = Db::of(&dir, vars);
    let schema = parse_schema(&runtime.engine.composed.sdl());
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let answers = calls::replay_frontend(&app, &schema, &token, "payer", 8).await;

    // payer-01/02: "Gov" in the name, valid rows: the government, its location and region.
    for id in ["payer-01", "payer-02"] {
        let payers = &answers[id]["payers"];
        assert_eq!(payers["totalCount"], 1, "{id}: {payers}");
        let node = &payers["edges"][0]["node"];
        assert_eq!(node["uuid"], payer_uuid(61));
        assert_eq!(
            (&node["name"], &node["type"], &node["email"]),
            (
                &json!("Government of Region 1"),
                &json!("G"),
                &json!("health@region1.example.org")
            )
        );
        assert_eq!(
            (&node["location"]["code"], &node["location"]["parent"]),
            (&json!("R1"), &Value::Null)
        );
        assert_eq!(node["validityTo"], Value::Null);
    }
    // payer-03: the details page.
    let payer = &answers["payer-03"]["payer"];
    assert_eq!(payer["uuid"], payer_uuid(61));
    assert_eq!(payer["address"], "Regional Health Office, Region 1");
    assert_eq!(payer["validityFrom"], "2019-01-01T00:00:00");
    // payer-04: its fundings, by -payDate: the one paid funding of BASIC.
    let fundings = &answers["payer-04"]["payer"]["fundings"];
    assert_eq!(fundings["totalCount"], 1, "{fundings}");
    assert_eq!(
        fundings["edges"][0]["node"],
        json!({"uuid": funding_uuid(71), "amount": "25000.00", "payDate": "2024-03-01",
            "product": {"name": "Basic Cover"}, "receipt": "GOV-2024-001"})
    );

    // The mutations all succeeded.
    for client_id in RECORDED {
        let log = log_of(&app, &token, client_id).await;
        assert_eq!(log, json!({"status": 2, "error": null}), "{client_id}");
    }
    // payer-05 created a payer named as payer-06 renamed `…-061`, which payer-07 then deleted:
    // the valid one is the new payer, linked to its log.
    let q = r#"{ payers(name: "Government") { edges { node { uuid type address email phone fax location { code } } } } }"#;
    let created = data(&app, &token, q).await;
    let created = &created["payers"]["edges"];
    assert_eq!(created.as_array().map(Vec::len), Some(1), "{created}");
    let created = &created[0]["node"];
    assert_ne!(created["uuid"], payer_uuid(61));
    assert_eq!(
        created,
        &json!({"uuid": created["uuid"], "type": "G", "address": "Capital", "email": "gov@example.org",
            "phone": "123", "fax": null, "location": {"code": "R1"}})
    );
    let versions = format!(
        r#"{{ payers(showHistory: true, orderBy: ["validityFrom"], name: "Government") {{ totalCount }} payer(uuid: "{}") {{ name validityTo }} }}"#,
        payer_uuid(61)
    );
    let answer = data(&app, &token, &versions).await;
    // `…-061` updated (its history copy keeps the old name) then deleted (another copy).
    assert_eq!(answer["payer"]["name"], "Government");
    assert!(!answer["payer"]["validityTo"].is_null(), "{answer}");
    let of_61 = |what: &str| {
        format!(
            r#"SELECT COUNT(*) AS n FROM "tblPayer" WHERE "LegacyID" = (SELECT "PayerID" FROM "tblPayer" WHERE "PayerUUID" = '{}'){what}"#,
            payer_uuid(61)
        )
    };
    assert_eq!(db.number(&of_61("")), 2, "one copy per save");
    assert_eq!(
        db.number(&of_61(r#" AND "PayerName" = 'Government of Region 1'"#)),
        1,
        "the update's copy keeps the old name"
    );
    let links = |client_id: &str| {
        db.number(&format!(
            r#"SELECT COUNT(*) AS n FROM "payer_PayerMutation" pm JOIN "core_Mutation_Log" l ON l."id" = pm."mutation_id" WHERE l."client_mutation_id" = '{client_id}'"#
        ))
    };
    assert_eq!(
        RECORDED.map(links),
        [1, 1, 0, 0],
        "create and update link their payer"
    );
    // payer-08: payer 3 (the donor) funds product 1 (BASIC): pending, version 1, by Admin.
    let q = r#"{ fundings(receipt: "F-1") { totalCount edges { node { amount payDate status version isDeleted receipt payer { uuid } product { code } userCreated { username } userUpdated { username } } } } }"#;
    let answer = data(&app, &token, q).await;
    assert_eq!(answer["fundings"]["totalCount"], 1, "{answer}");
    assert_eq!(
        answer["fundings"]["edges"][0]["node"],
        json!({"amount": "100000.00", "payDate": "2024-06-03", "status": "N", "version": 1,
            "isDeleted": false, "receipt": "F-1", "payer": {"uuid": payer_uuid(63)},
            "product": {"code": "BASIC"}, "userCreated": {"username": "Admin"},
            "userUpdated": {"username": "Admin"}})
    );
    assert_eq!(
        db.number(
            r#"SELECT COUNT(*) AS n FROM "payer_historicalfunding" h JOIN "tblFunding" f ON f."UUID" = h."UUID" WHERE f."Receipt" = 'F-1' AND h."history_type" = '+' AND h."Amount" = 100000 AND h."history_user_id" = f."UserCreatedUUID""#
        ),
        1,
        "its simple_history row"
    );
}

/// Gives `user`'s roles `rights` (the demo's roles hold none; Admin holds all as an IMIS
/// administrator), before the user's first request.
fn grant(db: &Db, user: &str, rights: &[u32]) {
    for right in rights {
        db.execute(&format!(
            r#"INSERT INTO "tblRoleRight" ("RoleID", "RightID", "ValidityFrom", "AuditUserId")
               SELECT ur."RoleID", {right}, '2024-01-01 00:00:00', 1 FROM "tblUserRole" ur
               JOIN "tblUsers" u ON u."id" = ur."UserID"
               WHERE u."LoginName" = '{user}' AND ur."ValidityTo" IS NULL"#
        ));
    }
}

/// The key of location `code`.
fn location_id(db: &Db, code: &str) -> i64 {
    db.number(&format!(
        r#"SELECT CAST("LocationId" AS BIGINT) AS n FROM "tblLocations" WHERE "LocationCode" = '{code}' AND "ValidityTo" IS NULL"#
    ))
}

/// The relay id of `key` of `type_name`.
fn relay_id(type_name: &str, key: impl std::fmt::Display) -> String {
    openimis_sdk::relay::global_id(type_name, key)
}

/// The first error's message of `body` (which must have one).
fn first_error(body: &Value) -> String {
    body["errors"][0]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("an error: {body}"))
        .to_owned()
}

on_sqlite_and_postgres! {
    lists_on:
        lists_filter_order_and_keep_to_the_users_locations,
        lists_filter_order_and_keep_to_the_users_locations_on_postgres,
        "payer_lists"
}

async fn lists_on(vars: &[(String, String)]) {
    let (dir, runtime) = started_on(vars);
    let db = Db::of(&dir, vars);
    // manager1 holds Region 1's districts; reception1 the update right alone.
    grant(&db, "manager1", &[121801]);
    grant(&db, "reception1", &[122103]);
    let (region_1, jambero) = (location_id(&db, "R1"), location_id(&db, "R1D1"));
    let (_rt, app) = service(runtime).await;
    let admin = login(&app, "Admin", "admin123").await;
    let names =
        |args: &str| format!("{{ payers({args}) {{ totalCount edges {{ node {{ name }} }} }} }}");
    let cases: Vec<(String, Vec<&str>)> = vec![
        (
            "first: 10".into(),
            vec![
                "Government of Region 1",
                "Coffee Farmers Association",
                "Global Health Donors Fund",
                "Tahida Local Authority",
                "Rapta Mining Company",
            ],
        ),
        (
            "orderBy: [\"-name\"]".into(),
            vec![
                "Tahida Local Authority",
                "Rapta Mining Company",
                "Government of Region 1",
                "Global Health Donors Fund",
                "Coffee Farmers Association",
            ],
        ),
        (
            "phone_Icontains: \"000\"".into(),
            vec![
                "Government of Region 1",
                "Global Health Donors Fund",
                "Tahida Local Authority",
            ],
        ),
        (
            "phone: \"+2552127867576\"".into(),
            vec!["Coffee Farmers Association"],
        ),
        (
            "email_Icontains: \"EXAMPLE.org\"".into(),
            vec![
                "Government of Region 1",
                "Global Health Donors Fund",
                "Rapta Mining Company",
            ],
        ),
        (
            "email: \"grants@ghdf.example.org\"".into(),
            vec!["Global Health Donors Fund"],
        ),
        (
            "name: \"Rapta Mining Company\"".into(),
            vec!["Rapta Mining Company"],
        ),
        ("name_Icontains: \"_\"".into(), vec![]),
        ("type: \"D\"".into(), vec!["Global Health Donors Fund"]),
        ("search: \"rapta\"".into(), vec!["Rapta Mining Company"]),
        ("search: \"+41\"".into(), vec!["Global Health Donors Fund"]),
        ("search: \"REGION1\"".into(), vec!["Government of Region 1"]),
        (
            format!("uuid: \"{}\"", payer_uuid(64)),
            vec!["Tahida Local Authority"],
        ),
        (
            format!("id: \"{}\"", relay_id("PayerGQLType", 3)),
            vec!["Global Health Donors Fund"],
        ),
        // The location itself or its direct children: Region 1 and its districts.
        (
            format!("location: {region_1}"),
            vec![
                "Government of Region 1",
                "Coffee Farmers Association",
                "Rapta Mining Company",
            ],
        ),
        (
            format!("location: {jambero}"),
            vec!["Coffee Farmers Association"],
        ),
        (
            "showHistory: true, name_Icontains: \"coffee\", orderBy: [\"validityFrom\"]".into(),
            vec!["Coffee Farmers Co-operative", "Coffee Farmers Association"],
        ),
    ];
    for (args, expected) in cases {
        let answer = data(&app, &admin, &names(&args)).await;
        let found: Vec<Value> = column(&answer, "payers", "name");
        let expected: Vec<Value> = expected.into_iter().map(Value::from).collect();
        assert_eq!(found, expected, "{args}");
        assert_eq!(answer["payers"]["totalCount"], found.len(), "{args}");
    }
    // The co-operative's ended version, as the original's demo keeps it.
    let q = format!(
        r#"{{ payers(showHistory: true, uuid: "{}") {{ edges {{ node {{ name validityFrom validityTo legacyId auditUserId }} }} }} }}"#,
        payer_uuid(66)
    );
    let old = data(&app, &admin, &q).await;
    let coop_key = db.number(&format!(
        r#"SELECT CAST("PayerID" AS BIGINT) AS n FROM "tblPayer" WHERE "PayerUUID" = '{}'"#,
        payer_uuid(62)
    ));
    assert_eq!(
        old["payers"]["edges"][0]["node"],
        json!({"name": "Coffee Farmers Co-operative", "validityFrom": "2016-01-01T00:00:00",
            "validityTo": "2018-12-31T00:00:00", "legacyId": coop_key, "auditUserId": 1})
    );

    // The fundings: every one (no validity, the ignored arguments ignored), their filters.
    let receipts = |args: &str| {
        format!("{{ fundings({args}) {{ totalCount edges {{ node {{ receipt }} }} }} }}")
    };
    let basic = db.number(r#"SELECT CAST("ProdID" AS BIGINT) AS n FROM "tblProduct" WHERE "ProductCode" = 'BASIC' AND "ValidityTo" IS NULL"#);
    let cases: Vec<(String, Vec<&str>)> = vec![
        ("orderBy: [\"-amount\"]".into(), vec!["DON-2024-001", "GOV-2024-001", "DON-2023-007"]),
        ("orderBy: [\"payer__name\", \"payDate\"]".into(), vec!["DON-2023-007", "DON-2024-001", "GOV-2024-001"]),
        ("payerId: \"999\", showHistory: true, parentLocationLevel: 1, clientMutationId: \"x\", orderBy: [\"receipt\"]".into(), vec!["DON-2023-007", "DON-2024-001", "GOV-2024-001"]),
        ("status: P".into(), vec!["GOV-2024-001"]),
        ("status: R".into(), vec!["DON-2023-007"]),
        ("amount_Gte: \"20000\", orderBy: [\"amount\"]".into(), vec!["GOV-2024-001", "DON-2024-001"]),
        ("amount: \"12500.5\"".into(), vec!["DON-2023-007"]),
        ("amount_Lt: 12500.5".into(), vec![]),
        ("payDate_Lt: \"2024-01-01\"".into(), vec!["DON-2023-007"]),
        ("payDate: \"2024-01-15\"".into(), vec!["DON-2024-001"]),
        ("receipt_Icontains: \"don-\", orderBy: [\"receipt\"]".into(), vec!["DON-2023-007", "DON-2024-001"]),
        ("receipt: \"GOV-2024-001\"".into(), vec!["GOV-2024-001"]),
        (format!("product: \"{basic}\", orderBy: [\"payDate\"]"), vec!["DON-2023-007", "GOV-2024-001"]),
        (format!("product: \"{}\", orderBy: [\"payDate\"]", relay_id("ProductGQLType", basic)), vec!["DON-2023-007", "GOV-2024-001"]),
        (format!("uuid: \"{}\"", funding_uuid(73)), vec!["DON-2024-001"]),
        (format!("id: \"{}\"", relay_id("FundingGQLType", funding_uuid(72))), vec!["DON-2023-007"]),
    ];
    for (args, expected) in cases {
        let answer = data(&app, &admin, &receipts(&args)).await;
        let found = column(&answer, "fundings", "receipt");
        let expected: Vec<Value> = expected.into_iter().map(Value::from).collect();
        assert_eq!(found, expected, "{args}");
        assert_eq!(answer["fundings"]["totalCount"], found.len(), "{args}");
    }
    // One funding, every field; `funding(uuid:)` has no resolver in the original: null.
    let q = format!(
        r#"{{ fundings(uuid: "{u}") {{ edges {{ node {{ id uuid isDeleted jsonExt dateCreated dateUpdated version amount payDate status receipt payer {{ name }} product {{ code }} userCreated {{ username }} }} }} }} funding(uuid: "{u}") {{ receipt }} }}"#,
        u = funding_uuid(71)
    );
    let answer = data(&app, &admin, &q).await;
    assert_eq!(
        answer["fundings"]["edges"][0]["node"],
        json!({"id": relay_id("FundingGQLType", funding_uuid(71)), "uuid": funding_uuid(71),
            "isDeleted": false, "jsonExt": null, "dateCreated": "2024-03-01T09:00:00",
            "dateUpdated": "2024-03-01T09:00:00", "version": 1, "amount": "25000.00",
            "payDate": "2024-03-01", "status": "P", "receipt": "GOV-2024-001",
            "payer": {"name": "Government of Region 1"}, "product": {"code": "BASIC"},
            "userCreated": {"username": "Admin"}})
    );
    assert_eq!(answer["funding"], Value::Null);
    // A page, and the count on it.
    let q = r#"{ fundings(first: 1, orderBy: ["receipt"]) { totalCount edgeCount pageInfo { hasNextPage } edges { node { receipt } } } }"#;
    let page = data(&app, &admin, q).await;
    assert_eq!(
        page["fundings"],
        json!({"totalCount": 3, "edgeCount": 1, "pageInfo": {"hasNextPage": true}, "edges": [{"node": {"receipt": "DON-2023-007"}}]})
    );

    // The reverse relations: a payer's by -payDate (paged), a product's (filtered), a user's.
    let q = format!(
        r#"{{ payer(uuid: "{}") {{ all: fundings {{ totalCount edges {{ node {{ receipt }} }} }} one: fundings(first: 1) {{ totalCount pageInfo {{ hasNextPage }} edges {{ node {{ receipt payer {{ name fundings {{ totalCount }} }} }} }} }} }} }}"#,
        payer_uuid(63)
    );
    let donor = data(&app, &admin, &q).await;
    assert_eq!(
        column(&donor["payer"], "all", "receipt"),
        [json!("DON-2024-001"), json!("DON-2023-007")]
    );
    assert_eq!(
        donor["payer"]["one"],
        json!({"totalCount": 2, "pageInfo": {"hasNextPage": true}, "edges": [{"node": {"receipt": "DON-2024-001",
            "payer": {"name": "Global Health Donors Fund", "fundings": {"totalCount": 2}}}}]})
    );
    let q = r#"{ products { edges { node { code fundings { totalCount } paid: fundings(status: P) { edges { node { receipt } } } } } } }"#;
    let products = data(&app, &admin, q).await;
    let counts: Vec<Value> = products["products"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            json!([
                e["node"]["code"],
                e["node"]["fundings"]["totalCount"],
                e["node"]["paid"]["edges"].as_array().map(Vec::len)
            ])
        })
        .collect();
    assert_eq!(counts, [json!(["BASIC", 2, 1]), json!(["FCUL0001", 1, 0])]);
    let q = format!(
        r#"{{ fundings(uuid: "{}") {{ edges {{ node {{ userCreated {{ username fundingUserCreated {{ totalCount }} pending: fundingUserUpdated(status: N) {{ edges {{ node {{ receipt }} }} }} }} }} }} }} }}"#,
        funding_uuid(71)
    );
    let by_user = data(&app, &admin, &q).await;
    assert_eq!(
        by_user["fundings"]["edges"][0]["node"]["userCreated"],
        json!({"username": "Admin", "fundingUserCreated": {"totalCount": 3}, "pending": {"edges": [{"node": {"receipt": "DON-2024-001"}}]}})
    );
    // The same relations on the stubs a funding carries (payer answers them as their producer).
    let q = format!(
        r#"{{ fundings(uuid: "{}") {{ edges {{ node {{ product {{ code fundings {{ totalCount }} }} }} }} }} }}"#,
        funding_uuid(72)
    );
    let by_product = data(&app, &admin, &q).await;
    assert_eq!(
        by_product["fundings"]["edges"][0]["node"]["product"],
        json!({"code": "BASIC", "fundings": {"totalCount": 2}})
    );
    // `node`: a funding by its uuid, a payer by its key.
    let q = format!(
        r#"{{ a: node(id: "{}") {{ ... on FundingGQLType {{ receipt }} }} b: node(id: "{}") {{ ... on PayerGQLType {{ name }} }} }}"#,
        relay_id("FundingGQLType", funding_uuid(72)),
        relay_id("PayerGQLType", 3)
    );
    assert_eq!(
        data(&app, &admin, &q).await,
        json!({"a": {"receipt": "DON-2023-007"}, "b": {"name": "Global Health Donors Fund"}})
    );

    // Row security: manager1 sees the payers of Region 1 and those placed nowhere, not
    // Tahida's; `payer(uuid)` is a plain get, as the original's.
    let manager = login(&app, "manager1", "Demo12345!").await;
    let answer = data(&app, &manager, &names("first: 100")).await;
    assert_eq!(
        column(&answer, "payers", "name"),
        [
            json!("Government of Region 1"),
            json!("Coffee Farmers Association"),
            json!("Global Health Donors Fund"),
            json!("Rapta Mining Company")
        ]
    );
    let q = format!(r#"{{ payer(uuid: "{}") {{ name }} }}"#, payer_uuid(64));
    assert_eq!(
        data(&app, &manager, &q).await["payer"]["name"],
        "Tahida Local Authority"
    );
    // Without 121801: the lists refused; a payer reached through a funding (a login only),
    // but its fundings refused, that field alone.
    let reception = login(&app, "reception1", "Demo12345!").await;
    for q in [
        names("first: 100"),
        format!(r#"{{ payer(uuid: "{}") {{ name }} }}"#, payer_uuid(61)),
    ] {
        let body = ask(&app, Some(&reception), &q).await;
        assert_eq!(first_error(&body), "unauthorized", "{q}");
    }
    let q = format!(
        r#"{{ fundings(uuid: "{}") {{ edges {{ node {{ receipt payer {{ name fundings {{ totalCount }} }} }} }} }} }}"#,
        funding_uuid(71)
    );
    let body = ask(&app, Some(&reception), &q).await;
    assert_eq!(first_error(&body), "unauthorized", "{body}");
    assert_eq!(
        body["data"]["fundings"]["edges"][0]["node"]["payer"],
        json!({"name": "Government of Region 1", "fundings": null})
    );
    let body = ask(&app, None, "{ fundings { totalCount } }").await;
    assert_eq!(first_error(&body), "unauthorized", "{body}");

    // Bad arguments: a clear error naming the argument, no data.
    for (q, message) in [
        (names("first: 101"), "Requesting 101 records on the `payers` connection exceeds the `first` limit of 100 records."),
        (names("orderBy: [\"nope\"]"), "Cannot resolve keyword 'nope' into field."),
        (receipts("amount_Gte: \"abc\""), "`amount_Gte` must be a decimal number"),
        (receipts("payDate: \"x\""), "`payDate` must be a date (YYYY-MM-DD)"),
        (receipts("id: \"bm9wZQ==\""), "`id` must be a UUID"),
        (receipts("orderBy: [\"nope\"]"), "Cannot resolve keyword 'nope' into field."),
        ("{ payer(uuid: \"nope\") { name } }".into(), "`uuid` must be a UUID"),
        ("{ funding(uuid: \"nope\") { receipt } }".into(), "`uuid` must be a UUID"),
        (format!(r#"{{ payer(uuid: "{}") {{ name }} }}"#, payer_uuid(99)), "Payer matching query does not exist."),
    ] {
        let body = ask(&app, Some(&admin), &q).await;
        assert_eq!(first_error(&body), message, "{q}");
    }
}

/// Counts of the rows mutations write: payers (any validity), link rows, fundings, their
/// history rows.
fn rows(db: &Db) -> [i64; 4] {
    [
        r#""tblPayer""#,
        r#""payer_PayerMutation""#,
        r#""tblFunding""#,
        r#""payer_historicalfunding""#,
    ]
    .map(|table| db.number(&format!("SELECT COUNT(*) AS n FROM {table}")))
}

/// A mutation as the frontend sends it, with a bad scalar: a GraphQL error, nothing logged.
async fn refused_before_logging<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    mutation: &str,
    input: Value,
    client_id: &str,
    message: &str,
) {
    let mut input = input;
    input["clientMutationId"] = json!(client_id);
    let mut chars = mutation.chars();
    let type_name: String = chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect());
    let document = format!(
        "mutation ($input: {type_name}MutationInput!) {{ {mutation}(input: $input) {{ internalId }} }}"
    );
    let request = graphql_as(&document, json!({ "input": input }), token);
    let (_, body) = json_of(actix_web::test::call_service(app, request).await).await;
    assert_eq!(first_error(&body), message, "{mutation}: {body}");
    assert_eq!(
        log_of(app, token, client_id).await,
        Value::Null,
        "not logged"
    );
}

on_sqlite_and_postgres! {
    mutations_on:
        mutations_write_the_originals_rows_and_refuse_bad_inputs,
        mutations_write_the_originals_rows_and_refuse_bad_inputs_on_postgres,
        "payer_mutations"
}

async fn mutations_on(vars: &[(String, String)]) {
    let (dir, runtime) = started_on(vars);
    let db = Db::of(&dir, vars);
    let (_rt, app) = service(runtime).await;
    let admin = login(&app, "Admin", "admin123").await;
    let admin_key = db
        .number(r#"SELECT CAST("id" AS BIGINT) AS n FROM "tblUsers" WHERE "LoginName" = 'Admin'"#);
    let jambero = "2ea0e0a0-0000-4000-8000-000000000002";
    let ok = json!({"status": 2, "error": null});

    // createPayer: every field; the link row; the audit user.
    let input = json!({"name": "Ministry of Finance", "type": "G", "address": "Treasury Road 1",
        "phone": "+255 22 111", "fax": "+255 22 112", "email": "mof@example.org",
        "locationUuid": jambero, "clientMutationLabel": "Create payer Ministry of Finance"});
    assert_eq!(
        mutate_input(&app, &admin, "createPayer", input, "p-1").await,
        ok
    );
    let q = r#"{ payers(name: "Ministry of Finance") { edges { node { id uuid type address phone fax email location { code } validityFrom validityTo legacyId auditUserId } } } }"#;
    let created = data(&app, &admin, q).await["payers"]["edges"][0]["node"].clone();
    let uuid = created["uuid"].as_str().unwrap().to_owned();
    assert_eq!(
        (
            &created["type"],
            &created["address"],
            &created["phone"],
            &created["fax"],
            &created["email"],
            &created["location"]["code"]
        ),
        (
            &json!("G"),
            &json!("Treasury Road 1"),
            &json!("+255 22 111"),
            &json!("+255 22 112"),
            &json!("mof@example.org"),
            &json!("R1D1")
        )
    );
    assert_eq!(
        (
            &created["validityTo"],
            &created["legacyId"],
            &created["auditUserId"]
        ),
        (&Value::Null, &Value::Null, &json!(admin_key))
    );
    let key = db.number(&format!(
        r#"SELECT CAST("PayerID" AS BIGINT) AS n FROM "tblPayer" WHERE "PayerUUID" = '{uuid}'"#
    ));
    let linked = |client_id: &str| {
        db.number(&format!(
            r#"SELECT COUNT(*) AS n FROM "payer_PayerMutation" pm JOIN "core_Mutation_Log" l ON l."id" = pm."mutation_id" WHERE l."client_mutation_id" = '{client_id}' AND pm."payer_id" = {key}"#
        ))
    };
    assert_eq!(linked("p-1"), 1);

    // updatePayer: the fields it names (a null clears one), the others kept; a history copy
    // of the row as it was; ValidityFrom kept (the original's save does not restamp it).
    let input = json!({"uuid": uuid, "name": "Ministry of Finance and Planning", "type": "G",
        "email": "mofp@example.org", "phone": null, "locationUuid": jambero});
    assert_eq!(
        mutate_input(&app, &admin, "updatePayer", input, "p-2").await,
        ok
    );
    let updated = data(
        &app,
        &admin,
        q.replace("Ministry of Finance", "Ministry of Finance and Planning")
            .as_str(),
    )
    .await["payers"]["edges"][0]["node"]
        .clone();
    assert_eq!(
        (
            &updated["uuid"],
            &updated["email"],
            &updated["phone"],
            &updated["fax"],
            &updated["address"],
            &updated["validityFrom"]
        ),
        (
            &json!(uuid),
            &json!("mofp@example.org"),
            &Value::Null,
            &json!("+255 22 112"),
            &json!("Treasury Road 1"),
            &created["validityFrom"]
        )
    );
    let copy = r#"{ payers(showHistory: true, name: "Ministry of Finance") { edges { node { uuid email phone validityTo legacyId } } } }"#;
    let copy = data(&app, &admin, copy).await["payers"]["edges"][0]["node"].clone();
    assert_ne!(copy["uuid"], json!(uuid), "a copy has its own uuid");
    assert_eq!(
        (&copy["email"], &copy["phone"], &copy["legacyId"]),
        (
            &json!("mof@example.org"),
            &json!("+255 22 111"),
            &json!(key)
        )
    );
    assert!(!copy["validityTo"].is_null(), "{copy}");
    assert_eq!(linked("p-2"), 1);

    // Refusals with the original's texts, nothing written.
    let before = rows(&db);
    let good = json!({"name": "X", "type": "O", "locationUuid": jambero});
    let with = |changes: Value| {
        let mut input = good.clone();
        for (k, v) in changes.as_object().unwrap() {
            input[k] = v.clone();
        }
        input
    };
    let create_failed = "payer.mutation.failed_to_create_payer";
    let update_failed = "payer.mutation.failed_to_update_payer";
    for (n, mutation, input, message, detail) in [
        (1, "createPayer", with(json!({"type": "X", "name": ""})), create_failed,
            r#"['Object Payer is not respecting the mandatory fields: {\'type\': ["Value \'X\' is not a valid choice."], \'name\': [\'This field cannot be blank.\']}']"#.to_owned()),
        (2, "createPayer", with(json!({"email": format!("{}@example.org", "m".repeat(40))})), create_failed,
            r#"["Object Payer is not respecting the mandatory fields: {'email': ['Ensure this value has at most 50 characters (it has 52).']}"]"#.to_owned()),
        (3, "createPayer", with(json!({"locationUuid": "2ea0e0a0-0000-4000-8000-0000000000ff"})), create_failed,
            "Location matching query does not exist.".to_owned()),
        (4, "createPayer", with(json!({"clientMutationDetails": ["x"]})), create_failed,
            "Payer() got unexpected keyword arguments: 'client_mutation_details'".to_owned()),
        (5, "updatePayer", with(json!({"uuid": payer_uuid(66)})), update_failed,
            "['Cannot update historical values']".to_owned()),
        (6, "updatePayer", with(json!({"uuid": payer_uuid(99)})), update_failed,
            "Payer matching query does not exist.".to_owned()),
        (7, "updatePayer", with(json!({"uuid": uuid, "name": "y".repeat(101)})), update_failed,
            r#"["Object Payer is not respecting the mandatory fields: {'name': ['Ensure this value has at most 100 characters (it has 101).']}"]"#.to_owned()),
    ] {
        let log = mutate_input(&app, &admin, mutation, input, &format!("bad-{n}")).await;
        failed_with(&log, message, Some(&detail));
    }
    for (mutation, input, client_id, error) in [
        (
            "createPayer",
            with(json!({"locationUuid": "nowhere"})),
            "bad-8",
            "`locationUuid` must be a UUID",
        ),
        (
            "updatePayer",
            with(json!({"uuid": "x"})),
            "bad-9",
            "`uuid` must be a UUID",
        ),
    ] {
        refused_before_logging(&app, &admin, mutation, input, client_id, error).await;
    }
    assert_eq!(rows(&db), before, "nothing written");

    // deletePayer: `delete_history` of each (a copy, then the row ends with ValidityFrom =
    // ValidityTo); a missing uuid is the original's TypeError and nothing is deleted.
    let log = mutate_input(
        &app,
        &admin,
        "deletePayer",
        json!({"uuids": [payer_uuid(64), payer_uuid(99)]}),
        "d-1",
    )
    .await;
    assert_eq!(
        log["error"],
        json!(
            r#"[{"message":"The mutation threw a <class 'TypeError'>, check logs for details"}]"#
        ),
        "{log}"
    );
    let log = mutate_input(&app, &admin, "deletePayer", json!({}), "d-2").await;
    assert_eq!(
        log["error"],
        json!(r#"[{"message":"The mutation threw a <class 'KeyError'>, check logs for details"}]"#),
        "{log}"
    );
    assert_eq!(rows(&db), before, "nothing deleted");
    let log = mutate_input(
        &app,
        &admin,
        "deletePayer",
        json!({"uuids": [uuid, payer_uuid(65)]}),
        "d-3",
    )
    .await;
    assert_eq!(log, ok);
    let ended = |u: &str| {
        db.number(&format!(
            r#"SELECT COUNT(*) AS n FROM "tblPayer" WHERE "PayerUUID" = '{u}' AND "ValidityTo" IS NOT NULL AND "ValidityTo" = "ValidityFrom""#
        ))
    };
    assert_eq!(
        (ended(&uuid), ended(&payer_uuid(65)), ended(&payer_uuid(64))),
        (1, 1, 0)
    );
    let [payers, links, fundings, history] = rows(&db);
    assert_eq!(
        [payers, links],
        [before[0] + 2, before[1]],
        "two copies, no link"
    );

    // addFunding: payer 2 (the co-operative) funds FCUL0001; the amount saved as core's
    // receiver formats it (two places, through a float); a simple_history row.
    let fcul = db.number(r#"SELECT CAST("ProdID" AS BIGINT) AS n FROM "tblProduct" WHERE "ProductCode" = 'FCUL0001' AND "ValidityTo" IS NULL"#);
    let funding = json!({"payerId": "2", "productId": fcul.to_string(), "payDate": "2024-07-01", "amount": "1234.567", "receipt": "COOP-1"});
    assert_eq!(
        mutate_input(&app, &admin, "addFunding", funding.clone(), "f-1").await,
        ok
    );
    let q = r#"{ fundings(receipt: "COOP-1") { edges { node { uuid amount payDate status version payer { uuid } product { code } userUpdated { username } } } } }"#;
    let node = data(&app, &admin, q).await["fundings"]["edges"][0]["node"].clone();
    assert_eq!(
        (
            &node["amount"],
            &node["payDate"],
            &node["status"],
            &node["version"],
            &node["payer"]["uuid"],
            &node["product"]["code"],
            &node["userUpdated"]["username"]
        ),
        (
            &json!("1234.57"),
            &json!("2024-07-01"),
            &json!("N"),
            &json!(1),
            &json!(payer_uuid(62)),
            &json!("FCUL0001"),
            &json!("Admin")
        )
    );
    let key = uuid::Uuid::parse_str(node["uuid"].as_str().unwrap()).unwrap();
    assert_eq!(key.get_version_num(), 7, "a time-ordered key");
    assert_eq!(rows(&db)[2..], [fundings + 1, history + 1]);
    assert_eq!(
        db.number(&format!(
            r#"SELECT COUNT(*) AS n FROM "payer_historicalfunding" WHERE CAST("UUID" AS TEXT) = '{key}' AND "history_type" = '+' AND "Receipt" = 'COOP-1' AND "Status" = 'N' AND "version" = 1"#
        )),
        1
    );
    // Its refusals: the uncaught lookups of the original, then its caught save failures.
    let before = rows(&db);
    let change = |changes: Value| {
        let mut input = funding.clone();
        for (k, v) in changes.as_object().unwrap() {
            input[k] = v.clone();
        }
        input
    };
    let threw = |class: &str| {
        format!(
            r#"[{{"message":"The mutation threw a <class '{class}'>, check logs for details"}}]"#
        )
    };
    let coop_history = db.number(&format!(
        r#"SELECT CAST("PayerID" AS BIGINT) AS n FROM "tblPayer" WHERE "PayerUUID" = '{}'"#,
        payer_uuid(66)
    ));
    for (n, input, error) in [
        (
            1,
            change(json!({"payerId": "999"})),
            threw("payer.models.Payer.DoesNotExist"),
        ),
        (
            2,
            change(json!({"payerId": coop_history.to_string()})),
            threw("payer.models.Payer.DoesNotExist"),
        ),
        (3, change(json!({"payerId": "abc"})), threw("ValueError")),
        (
            4,
            change(json!({"productId": "999"})),
            threw("product.models.Product.DoesNotExist"),
        ),
    ] {
        let log = mutate_input(&app, &admin, "addFunding", input, &format!("bad-f{n}")).await;
        assert_eq!(log["error"], json!(error), "{n}: {log}");
    }
    let add_failed = "payer.mutation.failed_to_add_funding";
    for (n, input, detail) in [
        (
            5,
            change(json!({"receipt": ""})),
            r#"["Object Funding is not respecting the mandatory fields: {'receipt': ['This field cannot be blank.']}"]"#,
        ),
        (
            6,
            change(json!({"amount": "12345678901234567", "receipt": "r".repeat(51)})),
            r#"["Object Funding is not respecting the mandatory fields: {'amount': ['Ensure that there are no more than 18 digits in total.'], 'receipt': ['Ensure this value has at most 50 characters (it has 51).']}"]"#,
        ),
    ] {
        let log = mutate_input(&app, &admin, "addFunding", input, &format!("bad-f{n}")).await;
        failed_with(&log, add_failed, Some(detail));
    }
    for (input, client_id, error) in [
        (
            change(json!({"amount": "1e5"})),
            "bad-f7",
            "`amount` must be a decimal number",
        ),
        (
            change(json!({"payDate": "2024-02-30"})),
            "bad-f8",
            "`payDate` must be a date (YYYY-MM-DD)",
        ),
    ] {
        refused_before_logging(&app, &admin, "addFunding", input, client_id, error).await;
    }
    assert_eq!(rows(&db), before, "nothing written");
}

#[actix_rt::test]
async fn each_mutation_needs_its_right_as_the_original_checks_it() {
    let (dir, runtime) = started_on(&[]);
    let db = Db::of(&dir, &[]);
    // manager1: the four codes a reader would expect (121801-121804); reception1: 122103, the
    // code the original's update and addFunding really check; CA00001: none.
    grant(&db, "manager1", &[121801, 121802, 121803, 121804]);
    grant(&db, "reception1", &[122103]);
    let (_rt, app) = service(runtime).await;
    let jambero = "2ea0e0a0-0000-4000-8000-000000000002";
    let create = json!({"name": "Rights Test", "type": "O", "locationUuid": jambero});
    let update = json!({"uuid": payer_uuid(63), "name": "Global Health Donors Fund", "type": "D", "locationUuid": jambero});
    let funding = json!({"payerId": "3", "productId": "1", "payDate": "2024-07-01", "amount": "10", "receipt": "R-1"});
    let delete = json!({"uuids": [payer_uuid(65)]});
    let denied = json!(
        r#"[{"message":"The mutation threw a <class 'django.core.exceptions.PermissionDenied'>, check logs for details"}]"#
    );
    let unauthorized = |message: &str| {
        json!(format!(
            r#"[{{"message":"{message}","detail":"unauthorized"}}]"#
        ))
    };
    let create_refused = unauthorized("payer.mutation.failed_to_create_payer");
    let update_refused = unauthorized("payer.mutation.failed_to_update_payer");
    let before = rows(&db);
    for (user, password, outcomes) in [
        (
            "CA00001",
            "Demo12345!",
            [&create_refused, &update_refused, &denied, &denied],
        ),
        (
            "manager1",
            "Demo12345!",
            [&Value::Null, &update_refused, &denied, &Value::Null],
        ),
        (
            "reception1",
            "Demo12345!",
            [&create_refused, &Value::Null, &Value::Null, &denied],
        ),
    ] {
        let token = login(&app, user, password).await;
        for (n, (mutation, input)) in [
            ("createPayer", &create),
            ("updatePayer", &update),
            ("addFunding", &funding),
            ("deletePayer", &delete),
        ]
        .into_iter()
        .enumerate()
        {
            let log = mutate_input(
                &app,
                &token,
                mutation,
                input.clone(),
                &format!("{user}-{n}"),
            )
            .await;
            assert_eq!(&log["error"], outcomes[n], "{user} {mutation}: {log}");
            assert_eq!(
                log["status"],
                if outcomes[n].is_null() { 2 } else { 1 },
                "{user} {mutation}"
            );
        }
    }
    // What went through: manager1's create and delete, reception1's update and funding.
    let [payers, links, fundings, history] = rows(&db);
    assert_eq!(
        [payers, links, fundings, history],
        [before[0] + 3, before[1] + 2, before[2] + 1, before[3] + 1]
    );
}

/// On the original's own databases (PostgreSQL): the migrated one's payer tables (and every
/// other) are left as they are, the fresh install's legacy `tblPayer`/`tblPayerType` too (the
/// original's first start does not reshape them), and both serve the payers they hold.
#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn the_originals_databases_serve_their_payers_unchanged() {
    use openimis_system_tests::conformance::shared_openimis;
    use openimis_system_tests::postgres_db::{load_dump, table_columns};
    for (dump, tag) in [
        (
            "openimis-demo-database-migrated.sql.gz",
            "payer_dump_migrated",
        ),
        ("openimis-demo-database.sql.gz", "payer_dump_fresh"),
    ] {
        let vars = postgres(tag);
        load_dump(&vars, &shared_openimis().join("database").join(dump));
        let before = table_columns(&vars);
        let modules = ["core", "location", "medical", "product", "payer"];
        let dir = ModulesDir::with(&modules);
        let db = Db::of(&dir, &vars);
        let types_before = db.number(r#"SELECT COUNT(*) AS n FROM "tblPayerType""#);
        let entries: Vec<Value> = modules.iter().map(|m| json!({ "name": m })).collect();
        let env: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let runtime = start(settings(&modules_json(&entries), &dir, &env)).expect("starts");
        let after = table_columns(&vars);
        for table in [
            "tblPayer",
            "tblPayerType",
            "tblFunding",
            "payer_historicalfunding",
            "payer_PayerMutation",
        ] {
            if let Some(columns) = before.get(table) {
                assert_eq!(after.get(table), Some(columns), "{dump}: {table} unchanged");
            } else {
                assert!(after.contains_key(table), "{dump}: {table} created");
            }
        }
        assert_eq!(
            db.number(r#"SELECT COUNT(*) AS n FROM "tblPayerType""#),
            types_before,
            "{dump}"
        );
        assert_eq!(types_before, 6, "{dump}: the original's six payer types");
        let (_rt, app) = service(runtime).await;
        let admin = login(&app, "Admin", "admin123").await;
        let q = r#"{ valid: payers { totalCount edges { node { name type location { code } } } } all: payers(showHistory: true) { totalCount } }"#;
        let answer = data(&app, &admin, q).await;
        assert_eq!(answer["all"]["totalCount"], 2, "{dump}: {answer}");
        assert_eq!(answer["valid"]["totalCount"], 1, "{dump}: {answer}");
        assert_eq!(
            answer["valid"]["edges"][0]["node"]["name"],
            "Coffee Farmers Association"
        );
        // Its payer funds one of its products.
        let product = db.number(r#"SELECT CAST(MIN("ProdID") AS BIGINT) AS n FROM "tblProduct" WHERE "ValidityTo" IS NULL"#);
        let input = json!({"payerId": "1", "productId": product.to_string(), "payDate": "2024-06-03", "amount": "500", "receipt": "ORIG-1"});
        let log = mutate_input(&app, &admin, "addFunding", input, &format!("{tag}-f")).await;
        assert_eq!(log, json!({"status": 2, "error": null}), "{dump}");
        let q = r#"{ payers { edges { node { fundings { totalCount edges { node { amount receipt } } } } } } }"#;
        let answer = data(&app, &admin, q).await;
        assert_eq!(
            answer["payers"]["edges"][0]["node"]["fundings"],
            json!({"totalCount": 1, "edges": [{"node": {"amount": "500.00", "receipt": "ORIG-1"}}]}),
            "{dump}"
        );
    }
}
