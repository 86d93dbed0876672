//! Filters taken strictly (issue 13, items 3, 7 and 8), on SQLite and PostgreSQL: every
//! `orderBy` the frontend sends orders as the original's django `order_by`; `*_Icontains`,
//! `*_Istartswith` and `str` filters of locations, facilities, roles, users, officers, claim
//! administrators, price lists and medical rows match `_`, `%` and `\` literally; bad filter
//! values are a `BAD_ARGUMENT` naming the argument, parsed before any SQL; and a database
//! failure reaches the client as a generic message, never the database's own.

use actix_web::test as web_test;
use openimis_system_tests::*;
use serde_json::{json, Value};

/// core, location, medical and medical_pricelist on the demo data, with `vars` (a PostgreSQL
/// database's DB_* variables, or none for SQLite).
fn started(vars: &[(String, String)]) -> (ModulesDir, openimis_host::runtime::Runtime) {
    started_on_demo(&["core", "location", "medical", "medical_pricelist"], vars)
}

/// Runs `statements` on the test's database (SQLite in `dir` when `vars` is empty).
fn execute(dir: &ModulesDir, vars: &[(String, String)], statements: &[&str]) {
    if vars.is_empty() {
        for statement in statements {
            sqlite_execute(&dir.path().join("test.sqlite3"), statement);
        }
        return;
    }
    use diesel::{Connection, RunQueryDsl};
    let mut conn = diesel::PgConnection::establish(&postgres_db::url(vars))
        .expect("connect to the test database");
    for statement in statements {
        diesel::sql_query(*statement)
            .execute(&mut conn)
            .unwrap_or_else(|e| panic!("{statement}: {e}"));
    }
}

/// The texts a database shows in its own errors; none may reach a client.
const DATABASE_WORDS: &[&str] = &[
    "invalid input syntax",
    "invalid byte sequence",
    "syntax error",
    "sqlite",
    "SQLite",
    "too big",
    "relation \"",
    "no such table",
    "tblRole",
];

fn assert_no_database_text(body: &Value) {
    let text = body.to_string();
    for word in DATABASE_WORDS {
        assert!(!text.contains(word), "the answer shows `{word}`: {text}");
    }
}

/// The demo rows renamed so each wildcard of `LIKE` occurs literally somewhere.
const WILD_ROWS: &[&str] = &[
    r#"UPDATE "tblLocations" SET "LocationName" = 'Per%cent_Under\Back' WHERE "LocationCode" = 'R1D1M1'"#,
    r#"UPDATE "tblLocations" SET "LocationName" = 'Q_Only' WHERE "LocationCode" = 'R2D1'"#,
    r#"UPDATE "tblRole" SET "RoleName" = 'Cl\erk_%' WHERE "RoleName" = 'Clerk'"#,
    r#"UPDATE "tblHF" SET "HFName" = 'Wild_Card%Clinic\' WHERE "HFCode" = (SELECT MIN("HFCode") FROM "tblHF")"#,
    r#"UPDATE "tblUsers" SET "LastName" = 'O_Brien%\' WHERE "LoginName" = 'manager1'"#,
    r#"UPDATE "tblItems" SET "ItemName" = 'SYRUP_10%\5ML' WHERE "ItemCode" = (SELECT MIN("ItemCode") FROM "tblItems")"#,
];

/// `(query, connection)`: a list query with `$f` where the filter goes, and its connection.
const LIKE_FILTERS: &[(&str, &str)] = &[
    ("{ users($f) { edges { node { username email iUser { lastName otherNames } officer { lastName otherNames } claimAdmin { lastName otherNames } } } } }", "users"),
    ("{ role($f) { edges { node { name } } } }", "role"),
    ("{ locations($f) { edges { node { code name } } } }", "locations"),
    ("{ locationsStr($f) { edges { node { code name } } } }", "locationsStr"),
    ("{ healthFacilities($f) { edges { node { code name } } } }", "healthFacilities"),
    ("{ healthFacilitiesStr($f) { edges { node { code name } } } }", "healthFacilitiesStr"),
    ("{ medicalItems($f) { edges { node { code name } } } }", "medicalItems"),
    ("{ medicalItemsStr($f) { edges { node { code name } } } }", "medicalItemsStr"),
    ("{ medicalServices($f) { edges { node { code name } } } }", "medicalServices"),
    ("{ diagnosesStr($f) { edges { node { code name } } } }", "diagnosesStr"),
    ("{ servicesPricelists($f) { edges { node { name } } } }", "servicesPricelists"),
    ("{ itemsPricelists($f) { edges { node { name } } } }", "itemsPricelists"),
    ("{ enrolmentOfficers($f) { edges { node { code lastName otherNames } } } }", "enrolmentOfficers"),
    ("{ claimAdmins($f) { edges { node { code lastName otherNames } } } }", "claimAdmins"),
];

const USER_NAMES: &[&str] = &[
    "username",
    "iUser.lastName",
    "iUser.otherNames",
    "officer.lastName",
    "officer.otherNames",
    "claimAdmin.lastName",
    "claimAdmin.otherNames",
];
const CODE_NAME: &[&str] = &["code", "name"];
const PERSON: &[&str] = &["code", "lastName", "otherNames"];

/// `(query index in LIKE_FILTERS, argument, starts-with, the node fields one of which must
/// hold the pattern)`.
#[rustfmt::skip] // one argument a line
const LIKE_ARGUMENTS: &[(usize, &str, bool, &[&str])] = &[
    (0, "username_Icontains", false, &["username"]),
    (0, "lastName", false, &["iUser.lastName", "officer.lastName", "claimAdmin.lastName"]),
    (0, "otherNames", false, &["iUser.otherNames", "officer.otherNames", "claimAdmin.otherNames"]),
    (0, "iUser_LastName_Icontains", false, &["iUser.lastName"]),
    (0, "officer_LastName_Icontains", false, &["officer.lastName"]),
    (0, "str", false, USER_NAMES),
    (1, "str", false, &["name"]),
    (1, "name_Icontains", false, &["name"]),
    (2, "code_Icontains", false, &["code"]),
    (2, "name_Icontains", false, &["name"]),
    (2, "code_Istartswith", true, &["code"]),
    (3, "str", false, CODE_NAME),
    (4, "code_Icontains", false, &["code"]),
    (4, "name_Icontains", false, &["name"]),
    (5, "str", false, CODE_NAME),
    (6, "code_Icontains", false, &["code"]),
    (6, "name_Icontains", false, &["name"]),
    (7, "str", false, CODE_NAME),
    (8, "name_Icontains", false, &["name"]),
    (9, "str", false, CODE_NAME),
    (10, "name_Icontains", false, &["name"]),
    (10, "name_Istartswith", true, &["name"]),
    (11, "name_Icontains", false, &["name"]),
    (12, "str", false, PERSON),
    (13, "search", false, PERSON),
];

const PATTERNS: &[&str] = &[
    "_", "%", "\\", "Q_", "r1_", "t_u", "%c", "\\b", "_%", "r_", "%\\", "0%", "r1d", "a",
];

fn texts_of(node: &Value, fields: &[&str]) -> Vec<String> {
    fields
        .iter()
        .filter_map(|path| {
            path.split('.')
                .try_fold(node, |v, key| v.get(key))
                .and_then(Value::as_str)
                .map(str::to_lowercase)
        })
        .collect()
}

fn keys(body: &Value, connection: &str) -> Vec<String> {
    let mut keys: Vec<String> = body["data"][connection]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{connection}: {body}"))
        .iter()
        .map(|e| e["node"].to_string())
        .collect();
    keys.sort();
    keys
}

async fn ask<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    query: &str,
    variables: Value,
) -> (u16, Value) {
    json_of(web_test::call_service(app, graphql_as(query, variables, token)).await).await
}

#[actix_rt::test]
async fn like_filters_match_wildcards_literally() {
    like_filters_match_wildcards_literally_on(&[]).await;
}

#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn like_filters_match_wildcards_literally_on_postgres() {
    like_filters_match_wildcards_literally_on(&postgres_db::fresh_database("filters_like")).await;
}

/// Each filter's answer is exactly the rows of the unfiltered list whose fields hold the
/// pattern literally (case-blind), `_`, `%` and `\` included.
async fn like_filters_match_wildcards_literally_on(vars: &[(String, String)]) {
    let (dir, runtime) = started(vars);
    execute(&dir, vars, WILD_ROWS);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let mut wrong = Vec::new();
    let mut matched = 0;
    for (index, arg, starts, fields) in LIKE_ARGUMENTS {
        let (query, connection) = LIKE_FILTERS[*index];
        // The argument that selects everything: `str` filters answer nothing without a text.
        let all_query = if matches!(*arg, "str" | "search") {
            query.replace("$f", &format!("{arg}: \"\""))
        } else {
            query.replace("($f)", "")
        };
        let (status, all) = ask(&app, &token, &all_query, json!(null)).await;
        assert_eq!(status, 200, "{all}");
        assert!(all.get("errors").is_none(), "{query}: {all}");
        let every = all["data"][connection]["edges"].as_array().unwrap().clone();
        assert!(!every.is_empty(), "{query}: {all}");
        for pattern in PATTERNS {
            let needle = pattern.to_lowercase();
            let mut expected: Vec<String> = every
                .iter()
                .map(|e| &e["node"])
                .filter(|node| {
                    texts_of(node, fields).iter().any(|t| {
                        if *starts {
                            t.starts_with(&needle)
                        } else {
                            t.contains(&needle)
                        }
                    })
                })
                .map(Value::to_string)
                .collect();
            expected.sort();
            let filtered = query.replace("$f", &format!("{arg}: $p"));
            let filtered = format!("query ($p: String) {}", filtered);
            let (status, body) = ask(&app, &token, &filtered, json!({"p": pattern})).await;
            assert_eq!(status, 200, "{body}");
            assert!(body.get("errors").is_none(), "{connection}({arg}): {body}");
            matched += expected.len();
            let got = keys(&body, connection);
            if got != expected {
                wrong.push(format!(
                    "{connection}({arg}: {pattern:?}): {} rows, expected {}",
                    got.len(),
                    expected.len()
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(
        matched > 100,
        "too few rows matched to mean anything: {matched}"
    );
}

#[actix_rt::test]
async fn bad_filter_values_are_refused_before_sql() {
    bad_filter_values_are_refused_before_sql_on(&[]).await;
}

#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn bad_filter_values_are_refused_before_sql_on_postgres() {
    bad_filter_values_are_refused_before_sql_on(&postgres_db::fresh_database("filters_bad")).await;
}

/// `(field, argument, its GraphQL type, the field's selection)`.
const ARGUMENTS: &[(&str, &str, &str, &str)] = &[
    ("users", "username_Icontains", "String", "totalCount"),
    ("users", "str", "String", "totalCount"),
    ("users", "lastName", "String", "totalCount"),
    ("users", "iUser_Id", "String", "totalCount"),
    ("users", "officer_Id", "String", "totalCount"),
    ("users", "birthDateFrom", "Date", "totalCount"),
    ("role", "str", "String", "totalCount"),
    ("role", "name_Icontains", "String", "totalCount"),
    (
        "locations",
        "code_Icontains",
        "String",
        "edges { node { code } }",
    ),
    (
        "locations",
        "parent_Id",
        "String",
        "edges { node { code } }",
    ),
    ("locationsStr", "str", "String", "edges { node { code } }"),
    ("healthFacilities", "name_Icontains", "String", "totalCount"),
    ("healthFacilities", "location_Id", "String", "totalCount"),
    ("healthFacilitiesStr", "str", "String", "totalCount"),
    ("medicalItems", "code_Icontains", "String", "totalCount"),
    ("medicalItemsStr", "str", "String", "totalCount"),
    ("medicalServicesStr", "str", "String", "totalCount"),
    ("diagnosesStr", "str", "String", "totalCount"),
    (
        "servicesPricelists",
        "name_Icontains",
        "String",
        "totalCount",
    ),
    ("itemsPricelists", "location_Id", "String", "totalCount"),
    ("enrolmentOfficers", "str", "String", "totalCount"),
    ("claimAdmins", "search", "String", "totalCount"),
    ("claimAdmins", "healthFacility_Id", "String", "totalCount"),
];

/// Whether `arg` is an integer id (refuses `1x`), else a text (refuses NUL and 1 MB).
fn is_integer(arg: &str) -> bool {
    arg.ends_with("_Id")
}

async fn bad_filter_values_are_refused_before_sql_on(vars: &[(String, String)]) {
    let (_dir, runtime) = started(vars);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let huge = "x".repeat(1 << 20);
    let mut wrong = Vec::new();
    for (field, arg, ty, selection) in ARGUMENTS {
        let values: Vec<Value> = if is_integer(arg) {
            vec![json!("1 OR 1=1"), json!("1x"), json!("1.5"), json!("1\0")]
        } else if *ty == "Date" {
            vec![json!("2020-01-01' OR '1'='1"), json!("x\0")]
        } else {
            vec![json!("ab\0c"), json!(huge)]
        };
        let ty = if is_integer(arg) { "ID" } else { ty };
        for value in values {
            let query = format!("query ($v: {ty}) {{ {field}({arg}: $v) {{ {selection} }} }}");
            let (status, body) = ask(&app, &token, &query, json!({"v": value})).await;
            assert_no_database_text(&body);
            let error = &body["errors"][0];
            let shown: String = value.to_string().chars().take(40).collect();
            if status != 200
                || !body["data"][field].is_null()
                || error["extensions"]["code"] != "BAD_ARGUMENT"
                || !error["message"]
                    .as_str()
                    .unwrap_or_default()
                    .contains(&format!("`{arg}`"))
            {
                let body: String = body.to_string().chars().take(300).collect();
                wrong.push(format!("{field}({arg}: {shown}): {status} {body}"));
            }
        }
    }
    // A list of ids takes each item strictly too.
    for bad in ["1 OR 1=1", "1x", "1.5"] {
        let query = "query ($v: [ID]) { locations(parent_Id_In: $v) { edges { node { code } } } }";
        let (_, body) = ask(&app, &token, query, json!({"v": ["1", bad]})).await;
        assert_no_database_text(&body);
        if body["errors"][0]["extensions"]["code"] != "BAD_ARGUMENT" {
            wrong.push(format!("locations(parent_Id_In: {bad:?}): {body}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[actix_rt::test]
async fn the_frontends_order_by_orders_as_the_original() {
    the_frontends_order_by_orders_as_the_original_on(&[]).await;
}

#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn the_frontends_order_by_orders_as_the_original_on_postgres() {
    the_frontends_order_by_orders_as_the_original_on(&postgres_db::fresh_database("filters_order"))
        .await;
}

/// Every `orderBy` of core's, admin's, location's and medical's recorded operations (ops.json;
/// core's `mutationLogs` one below, on logs the test writes):
/// `(field and its other arguments, orderBy as sent, the node field ordered)`.
const ORDERINGS: &[(&str, &str, &str)] = &[
    ("role(isSystem: true, first: 10", r#"["name"]"#, "name"),
    ("role(isSystem: true, first: 10", r#"["-name"]"#, "name"),
    ("role(first: 50", r#"["name"]"#, "name"),
    ("healthFacilities(first: 50", r#"["code"]"#, "code"),
    ("healthFacilities(first: 50", r#"["-name"]"#, "name"),
    ("locations(type: \"D\"", r#""code""#, "code"),
    ("locations(type: \"V\"", r#""code""#, "code"),
    ("medicalItems(first: 50", r#"["code"]"#, "code"),
    ("medicalServices(first: 50", r#"["code"]"#, "code"),
    ("medicalItems(first: 50", r#"["-name"]"#, "name"),
    ("medicalServices(first: 50", r#"["-code"]"#, "code"),
    ("users(first: 50", r#"["-username"]"#, "username"),
    ("users(first: 50", r#"["username"]"#, "username"),
];

/// As django: `order_by` on the named field (the database's own collation, ties unspecified);
/// a descending name reverses. Checked as a case-blind order, which both backends' collations
/// agree on for the demo's names.
async fn the_frontends_order_by_orders_as_the_original_on(vars: &[(String, String)]) {
    let (_dir, runtime) = started(vars);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    for (field, order, key) in ORDERINGS {
        let root = field.split('(').next().unwrap();
        let query = format!("{{ {field}, orderBy: {order}) {{ edges {{ node {{ {key} }} }} }} }}");
        let (status, body) = ask(&app, &token, &query, json!(null)).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.get("errors").is_none(), "{query}: {body}");
        let got: Vec<String> = body["data"][root]["edges"]
            .as_array()
            .unwrap_or_else(|| panic!("{query}: {body}"))
            .iter()
            .map(|e| e["node"][key].as_str().unwrap_or_default().to_lowercase())
            .collect();
        assert!(got.len() > 2, "{query}: {body}");
        let mut sorted = got.clone();
        sorted.sort();
        if order.contains('-') {
            sorted.reverse();
        }
        assert_eq!(got, sorted, "{query}");
    }
    // `mutationLogs(orderBy: "-request_date_time")`, one name where a list is declared, as
    // core's frontend sends it: newest first.
    for n in 1..=3 {
        let create = format!(
            r#"mutation {{ createLocation(input: {{clientMutationId: "order-{n}", code: "R1D9{n}", name: "Ordered {n}", type: "D", parentUuid: "2ea0e0a0-0000-4000-8000-000000000001"}}) {{ clientMutationId }} }}"#
        );
        let (status, body) = ask(&app, &token, &create, json!(null)).await;
        assert_eq!(status, 200, "{body}");
        actix_rt::time::sleep(std::time::Duration::from_millis(1100)).await;
    }
    let (_, body) = ask(
        &app,
        &token,
        r#"{ mutationLogs(first: 10, orderBy: "-request_date_time") { edges { node { clientMutationId } } } }"#,
        json!(null),
    )
    .await;
    let ids: Vec<&str> = body["data"]["mutationLogs"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .filter_map(|e| e["node"]["clientMutationId"].as_str())
        .filter(|id| id.starts_with("order-"))
        .collect();
    assert_eq!(ids, ["order-3", "order-2", "order-1"], "{body}");
    // The role query of issue 13 in full: the five first system roles, alphabetically.
    let (_, body) = ask(
        &app,
        &token,
        r#"{ role(isSystem: true, first: 5, orderBy: ["name"]) { edges { node { name } } } }"#,
        json!(null),
    )
    .await;
    let names: Vec<&str> = body["data"]["role"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .filter_map(|e| e["node"]["name"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "Accountant",
            "Claim Administrator",
            "Claim Contributor",
            "Clerk",
            "Enrolment Officer"
        ]
    );
}

#[actix_rt::test]
async fn a_database_failure_answers_a_generic_message() {
    a_database_failure_answers_a_generic_message_on(&[]).await;
}

#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn a_database_failure_answers_a_generic_message_on_postgres() {
    a_database_failure_answers_a_generic_message_on(&postgres_db::fresh_database("filters_dberr"))
        .await;
}

/// A statement the database refuses (its table gone) is a `DATABASE_ERROR` whose message says
/// nothing of the database: the detail is in the log.
async fn a_database_failure_answers_a_generic_message_on(vars: &[(String, String)]) {
    let (dir, runtime) = started(vars);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    execute(
        &dir,
        vars,
        &[r#"ALTER TABLE "tblICDCodes" RENAME TO "tblICDCodes_gone""#],
    );
    let (status, body) = ask(
        &app,
        &token,
        r#"{ diagnosesStr(str: "a") { totalCount } }"#,
        json!(null),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_no_database_text(&body);
    assert!(!body.to_string().contains("ICD"), "{body}");
    let error = &body["errors"][0];
    assert_eq!(error["extensions"]["code"], "DATABASE_ERROR", "{body}");
    assert_eq!(
        error["message"],
        openimis_host::modules::DATABASE_ERROR_MESSAGE,
        "{body}"
    );
}
