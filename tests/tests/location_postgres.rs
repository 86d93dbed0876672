//! location on PostgreSQL (feature `postgres`): a district user is bounded by row security, the
//! mutations write their history, and the frontend's operations run, on a fresh database.
#![cfg(feature = "postgres")]

use actix_web::test as web_test;
use diesel::{Connection, PgConnection, RunQueryDsl};
use openimis_system_tests::conformance::{
    frontend_operations, is_known_bug, parse_schema, validate,
};
use openimis_system_tests::postgres_db::fresh_database;
use openimis_system_tests::*;
use serde_json::{json, Value};

#[derive(diesel::QueryableByName)]
struct N {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn url(vars: &[(String, String)]) -> String {
    let get = |k: &str| {
        vars.iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let auth = match get("DB_PASSWORD").as_str() {
        "" => get("DB_USER"),
        password => format!("{}:{password}", get("DB_USER")),
    };
    format!(
        "postgres://{auth}@{}:{}/{}",
        get("DB_HOST"),
        get("DB_PORT"),
        get("DB_NAME")
    )
}

#[actix_rt::test]
async fn location_on_postgres() {
    let vars = fresh_database("location");
    let db = url(&vars);
    let mut settings_vars: Vec<(&str, &str)> =
        vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    settings_vars.push(("DEMO_DATASET", "True"));
    let dir = ModulesDir::with(&["core", "location"]);
    let conf = modules_json(&[json!({"name": "core"}), json!({"name": "location"})]);
    let runtime = start(settings(&conf, &dir, &settings_vars)).unwrap();
    let schema = parse_schema(&runtime.engine.composed.sdl());
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;

    let mut conn = PgConnection::establish(&db).unwrap();
    for statement in [
        r#"INSERT INTO "tblUsers" ("UUID", "LanguageID", "LastName", "OtherNames", "LoginName", "PrivateKey", "StoredPassword", "active", "version")
           SELECT '11111111-2222-4333-8444-555555555555', 'en', 'District', 'User', 'District', "PrivateKey", "StoredPassword", true, 1 FROM "tblUsers" WHERE "LoginName" = 'Admin'"#,
        r#"INSERT INTO "core_User" ("id", "version", "username", "i_user_id")
           SELECT '99999999-2222-4333-8444-555555555555', 1, 'District', "id" FROM "tblUsers" WHERE "LoginName" = 'District'"#,
        r#"INSERT INTO "tblUsersDistricts" ("UserID", "LocationId", "AuditUserID")
           SELECT u."id", l."LocationId", 1 FROM "tblUsers" u, "tblLocations" l WHERE u."LoginName" = 'District' AND l."LocationCode" = 'R2D1'"#,
    ] {
        diesel::sql_query(statement).execute(&mut conn).unwrap();
    }
    let district = login(&app, "District", "admin123").await;
    let ask = |query: &str, token: &str| graphql_as(query, json!(null), token);
    let lists = r#"{ locations { edges { node { code } } } healthFacilities { totalCount edges { node { code location { parent { code } } } } } userDistricts { code } }"#;
    let (_, body) = json_of(web_test::call_service(&app, ask(lists, &district)).await).await;
    let codes: Vec<&str> = body["data"]["locations"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["R2", "R2D1", "R2D1M1", "R2D1M1V1", "R2D1M1V2"],
        "{body}"
    );
    assert_eq!(body["data"]["healthFacilities"]["totalCount"], 2);
    assert_eq!(
        body["data"]["healthFacilities"]["edges"][0]["node"]["location"]["parent"]["code"],
        "R2"
    );
    assert_eq!(body["data"]["userDistricts"], json!([{"code": "R2D1"}]));
    let (_, body) = json_of(web_test::call_service(&app, ask(lists, &token)).await).await;
    assert_eq!(body["data"]["healthFacilities"]["totalCount"], 10);

    let poll = |id: &str| {
        graphql_as(
            r#"query ($id: String) { mutationLogs(clientMutationId: $id) { edges { node { status error } } } }"#,
            json!({"id": id}),
            &token,
        )
    };
    let district_id = diesel::sql_query(r#"SELECT CAST("LocationId" AS BIGINT) AS n FROM "tblLocations" WHERE "LocationCode" = 'R1D1'"#).load::<N>(&mut conn).unwrap()[0].n;
    let mutations = [
        ("p1", r#"mutation { createLocation(input: {clientMutationId: "p1", code: "R1D9", name: "New", type: "D", parentUuid: "2ea0e0a0-0000-4000-8000-000000000001"}) { internalId } }"#.to_owned()),
        ("p2", r#"mutation { moveLocation(input: {clientMutationId: "p2", uuid: "2ea0e0a0-0000-4000-8000-000000000003", newParentUuid: "2ea0e0a0-0000-4000-8000-000000000011"}) { internalId } }"#.to_owned()),
        ("p3", r#"mutation { deleteLocation(input: {clientMutationId: "p3", uuid: "2ea0e0a0-0000-4000-8000-000000000009"}) { internalId } }"#.to_owned()),
        ("p4", format!(r#"mutation {{ createHealthFacility(input: {{clientMutationId: "p4", code: "HF001", name: "A", locationId: {district_id}, level: "C", legalFormId: "G", careType: "B", contractStartDate: "2024-01-01", contractEndDate: "2026-12-31", catchments: [{{locationId: {district_id}, catchment: 5}}]}}) {{ internalId }} }}"#)),
        ("p5", r#"mutation { updateHealthFacility(input: {clientMutationId: "p5", uuid: "6a3f5b0c-0000-4000-8000-000000000011", code: "JMHOS001", name: "Renamed", locationId: 2, level: "H", legalFormId: "G", careType: "I"}) { internalId } }"#.to_owned()),
    ];
    for (id, mutation) in mutations {
        let (_, body) =
            json_of(web_test::call_service(&app, graphql_as(&mutation, json!(null), &token)).await)
                .await;
        assert!(body.get("errors").is_none(), "{id}: {body}");
        let (_, log) = json_of(web_test::call_service(&app, poll(id)).await).await;
        assert_eq!(
            log["data"]["mutationLogs"]["edges"][0]["node"],
            json!({"status": 2, "error": null}),
            "{id}"
        );
    }
    let history: Value = json!(
        diesel::sql_query(
            r#"SELECT COUNT(*) AS n FROM "tblLocations" WHERE "LegacyID" IS NOT NULL"#
        )
        .load::<N>(&mut conn)
        .unwrap()[0]
            .n
    );
    assert_eq!(history, 3, "the moved ward and its two villages");
    let hf_history = diesel::sql_query(r#"SELECT COUNT(*) AS n FROM "tblHF" WHERE "LegacyID" IS NOT NULL AND "HFName" = 'Jambero District Hospital'"#).load::<N>(&mut conn).unwrap()[0].n;
    assert_eq!(hf_history, 1);

    // Last: the recorded operations include mutations that change the demo tree.
    let mut ops = frontend_operations("location");
    ops.extend(
        frontend_operations("admin")
            .into_iter()
            .filter(|op| op.id == "admin-08" || op.id == "admin-09"),
    );
    for op in ops
        .iter()
        .filter(|op| !is_known_bug(op) && validate(&schema, op).is_ok())
    {
        let (status, body) = json_of(
            web_test::call_service(&app, graphql_as(&op.document, op.variables.clone(), &token))
                .await,
        )
        .await;
        assert!(
            status == 200 && body.get("errors").is_none(),
            "{}: {body}",
            op.id
        );
    }
}
