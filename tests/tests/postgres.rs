//! The PostgreSQL suite (feature `postgres`): migrations and a served request on a fresh
//! database created per run from `OPENIMIS_TEST_POSTGRES_URL`.
#![cfg(feature = "postgres")]

use diesel::{Connection, RunQueryDsl};
use openimis_host::db::migrate;
use openimis_system_tests::postgres_db::fresh_database;
use openimis_system_tests::*;
use serde_json::json;

#[actix_rt::test]
async fn migrations_and_health_on_postgres() {
    let vars = fresh_database("migrate");
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let dir = ModulesDir::with(&["fx_base", "fx_ext"]);
    let conf = modules_json(&[
        json!({"name": "ext", "library": "fx_ext"}),
        json!({"name": "base", "library": "fx_base"}),
    ]);
    let settings = settings(&conf, &dir, &vars);
    let database = settings.database.clone();
    let runtime = start(settings).expect("migrates on PostgreSQL");
    assert_eq!(
        migrate::pending(&database, &runtime.migrations).unwrap(),
        Vec::<String>::new()
    );
    assert_eq!(
        migrate::run(&database, &runtime.migrations).unwrap(),
        Vec::<String>::new()
    );
    let (_rt, app) = service(runtime).await;
    let (status, body) = json_of(
        actix_web::test::call_service(
            &app,
            actix_web::test::TestRequest::get().uri("/ht/").to_request(),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, body["DatabaseBackend"].clone()),
        (200, json!("OK"))
    );
}

#[test]
fn a_failing_migration_rolls_back_on_postgres() {
    let vars = fresh_database("broken");
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let dir = ModulesDir::with(&["fx_base", "fx_ext"]);
    let conf = modules_json(&[
        json!({"name": "ext", "library": "fx_ext", "config": {"broken_migration": true}}),
        json!({"name": "base", "library": "fx_base"}),
    ]);
    let settings = settings(&conf, &dir, &vars);
    let database = settings.database.clone();
    let err = start(settings).map(|_| ()).unwrap_err();
    assert!(
        err.to_string()
            .contains("migration ext:0002 (broken) failed"),
        "{err}"
    );
    let openimis_host::settings::Database::Postgres { url } = database else {
        unreachable!()
    };
    let mut conn = diesel::PgConnection::establish(&url).unwrap();
    #[derive(diesel::QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let half: Vec<Count> = diesel::sql_query(
        "SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'fixture_Half'",
    )
    .load(&mut conn)
    .unwrap();
    assert_eq!(half[0].n, 0);
}

#[actix_rt::test]
async fn core_creates_its_tables_seeds_the_demo_and_logs_in_on_postgres() {
    let vars = fresh_database("core");
    let mut vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    vars.push(("DEMO_DATASET", "True"));
    let dir = ModulesDir::with(&["core", "fx_base"]);
    let conf = modules_json(&[
        json!({"name": "core"}),
        json!({"name": "base", "library": "fx_base"}),
    ]);
    let runtime = start(settings(&conf, &dir, &vars)).expect("core starts on PostgreSQL");
    let (_rt, app) = service(runtime).await;
    let login =
        r#"mutation { tokenAuth(username: "Admin", password: "admin123") { token payload } }"#;
    let (status, body) =
        json_of(actix_web::test::call_service(&app, graphql_request(login, json!(null))).await)
            .await;
    assert_eq!(status, 200, "{body}");
    let token = body["data"]["tokenAuth"]["token"]
        .as_str()
        .expect("a token")
        .to_owned();
    let request = actix_web::test::TestRequest::get()
        .uri("/api/core/users/current_user/")
        .insert_header(("Authorization", format!("Bearer {token}")))
        .to_request();
    let (status, user) = json_of(actix_web::test::call_service(&app, request).await).await;
    assert_eq!(
        (
            status,
            user["username"].clone(),
            user["i_user"]["language"].clone()
        ),
        (200, json!("Admin"), json!("en"))
    );
    let (_, body) = json_of(
        actix_web::test::call_service(
            &app,
            graphql_request(
                r#"mutation { tokenAuth(username: "Admin", password: "nope") { token } }"#,
                json!(null),
            ),
        )
        .await,
    )
    .await;
    assert_eq!(body["errors"][0]["message"], "INCORRECT_CREDENTIALS");
    // A logged mutation and its poll (uuid ids and user, naive UTC timestamps).
    let post = |query: &str| {
        actix_web::test::TestRequest::post()
            .uri("/api/graphql")
            .insert_header(("Authorization", format!("Bearer {token}")))
            .set_json(json!({"query": query}))
            .to_request()
    };
    let mutation = r#"mutation { createThingLogged(input: { clientMutationId: "pg-1", code: "PG9" }) { internalId } }"#;
    let (status, body) = json_of(actix_web::test::call_service(&app, post(mutation)).await).await;
    assert_eq!((status, body.get("errors")), (200, None), "{body}");
    let poll = r#"{ mutationLogs(clientMutationId: "pg-1") { edges { node { status requestDateTime } } } }"#;
    let (_, body) = json_of(actix_web::test::call_service(&app, post(poll)).await).await;
    let node = &body["data"]["mutationLogs"]["edges"][0]["node"];
    assert_eq!(node["status"], 2, "{body}");
    let stamp = node["requestDateTime"].as_str().expect("a timestamp");
    assert!(
        stamp.as_bytes()[10] == b'T'
            && (stamp.len() == 19 || (stamp.len() == 26 && stamp.as_bytes()[19] == b'.')),
        "naive ISO with six fractional digits, as the original: {stamp}"
    );
    // Role filters and anonymous module configuration (typed parameters in LIKE / IS NULL).
    let roles = r#"{ role(name_Icontains: "admin", isSystem: true) { totalCount } moduleConfigurations(layer: "fe") { module } }"#;
    let (_, body) = json_of(actix_web::test::call_service(&app, post(roles)).await).await;
    assert_eq!(
        body,
        json!({"data": {"role": {"totalCount": 5}, "moduleConfigurations": []}})
    );
    // Role mutations: creation with rights, an update with its history copy.
    let create = r#"mutation { createRole(input: { clientMutationId: "pg-r1", name: "PG role", isSystem: false, isBlocked: false, rightsId: [101001] }) { internalId } }"#;
    json_of(actix_web::test::call_service(&app, post(create)).await).await;
    let (_, body) = json_of(
        actix_web::test::call_service(
            &app,
            post(r#"{ role(name: "PG role") { edges { node { uuid } } } }"#),
        )
        .await,
    )
    .await;
    let uuid = body["data"]["role"]["edges"][0]["node"]["uuid"]
        .as_str()
        .expect("created")
        .to_owned();
    let update = format!(
        r#"mutation {{ updateRole(input: {{ clientMutationId: "pg-r2", uuid: "{uuid}", name: "PG role 2", isSystem: false, isBlocked: true, rightsId: [101001, 101002] }}) {{ internalId }} }}"#
    );
    json_of(actix_web::test::call_service(&app, post(&update)).await).await;
    let check = r#"{ mutationLogs(status: 2, clientMutationId: "pg-r2") { totalCount } role(name: "PG role 2") { edges { node { isBlocked rights { totalCount } } } } history: role(name: "PG role", showHistory: true) { totalCount } }"#;
    let (_, body) = json_of(actix_web::test::call_service(&app, post(check)).await).await;
    assert_eq!(
        body["data"],
        json!({"mutationLogs": {"totalCount": 1}, "role": {"edges": [{"node": {"isBlocked": true, "rights": {"totalCount": 2}}}]}, "history": {"totalCount": 1}}),
        "{body}"
    );
}
