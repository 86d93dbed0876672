//! location's row security for officers and claim administrators, `userDistricts` and the
//! 121101 guard on a facility's `catchments` and `clientMutationId`, as the original
//! (`Location.get_queryset`, `LocationManager.get_allowed_ids`, `get_user_districts`,
//! `HealthFacilityGQLType`), over HTTP on core's and location's demo data.

use actix_web::test as web_test;
use openimis_host::runtime::Runtime;
use openimis_system_tests::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn started(location: Value) -> (ModulesDir, Runtime, PathBuf) {
    let dir = ModulesDir::with(&["core", "location"]);
    let runtime = start(settings(
        &modules_json(&[json!({"name": "core"}), location]),
        &dir,
        &[("DEMO_DATASET", "True")],
    ))
    .expect("core and location start");
    let db = dir.path().join("test.sqlite3");
    (dir, runtime, db)
}

/// The ids of the locations with these codes, in id order.
fn location_ids(db: &Path, codes: &[&str]) -> Vec<i64> {
    let list = codes
        .iter()
        .map(|c| format!("'{c}'"))
        .collect::<Vec<_>>()
        .join(", ");
    sqlite_numbers(
        db,
        &format!(
            r#"SELECT CAST("LocationId" AS BIGINT) AS n FROM "tblLocations" WHERE "LocationCode" IN ({list}) ORDER BY "LocationId""#
        ),
    )
}

/// An interactive user `login` (password `admin123`, no rights) holding district `district`;
/// its `tblUsers` id. `n` keeps its uuids apart from other users'.
fn add_user(db: &Path, n: u32, login: &str, district: &str) -> i64 {
    sqlite_execute(
        db,
        &format!(
            r#"INSERT INTO "tblUsers" ("UUID", "LanguageID", "LastName", "OtherNames", "LoginName", "PrivateKey", "StoredPassword", "active", "version")
               SELECT '11111111-2222-4333-8444-{n:012}', 'en', '{login}', 'User', '{login}', "PrivateKey", "StoredPassword", 1, 1 FROM "tblUsers" WHERE "LoginName" = 'Admin'"#
        ),
    );
    sqlite_execute(
        db,
        &format!(
            r#"INSERT INTO "core_User" ("id", "version", "username", "i_user_id")
               SELECT '99999999-2222-4333-8444-{n:012}', 1, '{login}', "id" FROM "tblUsers" WHERE "LoginName" = '{login}'"#
        ),
    );
    sqlite_execute(
        db,
        &format!(
            r#"INSERT INTO "tblUsersDistricts" ("UserID", "LocationId", "AuditUserID")
               SELECT u."id", l."LocationId", 1 FROM "tblUsers" u, "tblLocations" l WHERE u."LoginName" = '{login}' AND l."LocationCode" = '{district}'"#
        ),
    );
    sqlite_numbers(
        db,
        &format!(
            r#"SELECT CAST("id" AS BIGINT) AS n FROM "tblUsers" WHERE "LoginName" = '{login}'"#
        ),
    )[0]
}

/// A valid officer with a login whose code is `login`, assigned `villages`; its id.
fn add_officer(db: &Path, n: u32, login: &str, villages: &[&str]) -> i64 {
    sqlite_execute(
        db,
        &format!(
            r#"INSERT INTO "tblOfficer" ("OfficerUUID", "Code", "LastName", "OtherNames", "AuditUserID", "HasLogin")
               VALUES ('33333333-2222-4333-8444-{n:012}', '{login}', '{login}', 'Officer', 1, 1)"#
        ),
    );
    let officer = sqlite_numbers(
        db,
        &format!(
            r#"SELECT CAST("OfficerID" AS BIGINT) AS n FROM "tblOfficer" WHERE "Code" = '{login}'"#
        ),
    )[0];
    for village in villages {
        sqlite_execute(
            db,
            &format!(
                r#"INSERT INTO "tblOfficerVillages" ("OfficerId", "LocationId", "AuditUserID")
                   SELECT {officer}, "LocationId", 1 FROM "tblLocations" WHERE "LocationCode" = '{village}'"#
            ),
        );
    }
    officer
}

/// A valid claim administrator with a login whose code is `login`, at facility `facility`
/// (which also becomes the user's own `HFID`, as core writes it).
fn add_claim_admin(db: &Path, n: u32, login: &str, facility: &str) {
    sqlite_execute(
        db,
        &format!(
            r#"INSERT INTO "tblClaimAdmin" ("ClaimAdminUUID", "ClaimAdminCode", "LastName", "OtherNames", "HFId", "HasLogin", "AuditUserId")
               SELECT '44444444-2222-4333-8444-{n:012}', '{login}', '{login}', 'Admin', "HfID", 1, 1 FROM "tblHF" WHERE "HFCode" = '{facility}'"#
        ),
    );
    sqlite_execute(
        db,
        &format!(
            r#"UPDATE "tblUsers" SET "HFID" = (SELECT "HfID" FROM "tblHF" WHERE "HFCode" = '{facility}') WHERE "LoginName" = '{login}'"#
        ),
    );
}

/// Gives `login` a non-system role holding `right`.
fn grant(db: &Path, n: u32, login: &str, right: u32) {
    let role = format!("Role {n}");
    sqlite_execute(
        db,
        &format!(
            r#"INSERT INTO "tblRole" ("RoleUUID", "RoleName", "IsSystem", "IsBlocked") VALUES ('77777777-2222-4333-8444-{n:012}', '{role}', 0, 0)"#
        ),
    );
    sqlite_execute(
        db,
        &format!(
            r#"INSERT INTO "tblRoleRight" ("RoleID", "RightID") SELECT "RoleID", {right} FROM "tblRole" WHERE "RoleName" = '{role}'"#
        ),
    );
    sqlite_execute(
        db,
        &format!(
            r#"INSERT INTO "tblUserRole" ("UserID", "RoleID") SELECT u."id", r."RoleID" FROM "tblUsers" u, "tblRole" r WHERE u."LoginName" = '{login}' AND r."RoleName" = '{role}'"#
        ),
    );
}

/// The answer to `query` (HTTP 200 expected; errors are the caller's to check).
async fn answer<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    query: &str,
    token: &str,
) -> Value {
    let (status, body) =
        json_of(web_test::call_service(app, graphql_as(query, json!(null), token)).await).await;
    assert_eq!(status, 200, "{query}: {body}");
    body
}

/// The answer to `query`, which must have no errors.
async fn ask<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    query: &str,
    token: &str,
) -> Value {
    let body = answer(app, query, token).await;
    assert!(body.get("errors").is_none(), "{query}: {body}");
    body
}

fn codes(connection: &Value) -> Vec<String> {
    connection["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("no edges in {connection}"))
        .iter()
        .map(|e| e["node"]["code"].as_str().unwrap_or_default().to_owned())
        .collect()
}

fn district_codes(list: &Value) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not a list: {list}"))
        .iter()
        .map(|d| d["code"].as_str().unwrap_or_default().to_owned())
        .collect()
}

const LISTS: &str = r#"{ locations(first: 100) { edges { node { code } } }
    healthFacilities(first: 100) { totalCount edges { node { code } } }
    healthFacilitiesStr(str: "") { edges { node { code } } } }"#;

#[actix_rt::test]
async fn an_officer_sees_its_villages_with_their_ancestors_and_no_facilities() {
    let (_dir, runtime, db) = started(json!({"name": "location"}));
    // Its own district (R1D1) is not what bounds an officer: its villages are.
    let user = add_user(&db, 1, "Ofc1", "R1D1");
    add_officer(&db, 1, "Ofc1", &["R2D1M1V2"]);
    let (rt, app) = service(runtime).await;
    let cache = rt.services.cache();
    let officer = login(&app, "Ofc1", "admin123").await;

    let body = ask(&app, LISTS, &officer).await;
    let data = &body["data"];
    assert_eq!(
        codes(&data["locations"]),
        ["R2", "R2D1", "R2D1M1", "R2D1M1V2"],
        "the village and all its ancestors"
    );
    assert_eq!(
        cache.get(&format!("rowsec_{user}")),
        Some(json!(location_ids(
            &db,
            &["R2", "R2D1", "R2D1M1", "R2D1M1V2"]
        ))),
        "the officer's scope is cached"
    );
    // The original's facility filter keeps the districts at or below a village: none.
    assert_eq!(data["healthFacilities"]["totalCount"], 0, "{body}");
    assert_eq!(codes(&data["healthFacilitiesStr"]), Vec::<String>::new());
    let all = ask(
        &app,
        r#"{ locationsAll(type: "R") { edges { node { code } } } }"#,
        &officer,
    )
    .await;
    assert_eq!(codes(&all["data"]["locationsAll"]), ["R1", "R2"]);

    // New villages forget the cached scopes; the next list shows the new village's branch.
    let location = rt.modules.get("location").unwrap();
    let officer_id = sqlite_numbers(
        &db,
        r#"SELECT CAST("OfficerID" AS BIGINT) AS n FROM "tblOfficer" WHERE "Code" = 'Ofc1'"#,
    )[0];
    location
        .service(
            "officer_villages.replace",
            &json!({"officer_id": officer_id, "village_ids": location_ids(&db, &["R1D2M1V1"]), "audit_user_id": 1})
                .to_string(),
        )
        .unwrap();
    assert_eq!(
        cache.get(&format!("rowsec_{user}")),
        None,
        "officer_villages.replace forgets rowsec_*"
    );
    let body = ask(&app, LISTS, &officer).await;
    assert_eq!(
        codes(&body["data"]["locations"]),
        ["R1", "R1D2", "R1D2M1", "R1D2M1V1"]
    );
}

#[actix_rt::test]
async fn a_claim_admin_sees_its_facilitys_district_with_parent_and_subtree() {
    let (_dir, runtime, db) = started(json!({"name": "location"}));
    // Its own district is R1D1; its facility (Rajo Health Centre) is in R2D1.
    add_user(&db, 2, "Cadm1", "R1D1");
    add_claim_admin(&db, 2, "Cadm1", "ROHC001");
    let (rt, app) = service(runtime).await;
    let claim_admin = login(&app, "Cadm1", "admin123").await;

    let body = ask(&app, LISTS, &claim_admin).await;
    let data = &body["data"];
    assert_eq!(
        codes(&data["locations"]),
        ["R2", "R2D1", "R2D1M1", "R2D1M1V1", "R2D1M1V2"]
    );
    assert_eq!(data["healthFacilities"]["totalCount"], 2, "{body}");
    assert_eq!(codes(&data["healthFacilities"]), ["ROHOS001", "ROHC001"]);
    assert_eq!(codes(&data["healthFacilitiesStr"]), ["ROHOS001", "ROHC001"]);
    let nested = ask(
        &app,
        r#"{ locations(code: "R2D1") { edges { node { healthfacilitySet { edges { node { code } } } } } } }"#,
        &claim_admin,
    )
    .await;
    assert_eq!(
        codes(&nested["data"]["locations"]["edges"][0]["node"]["healthfacilitySet"]),
        ["ROHOS001", "ROHC001"]
    );

    // Without a login the claim administrator is a plain district user again (once the
    // cached scopes are gone, as after any user change the TTL bounds).
    sqlite_execute(&db, r#"UPDATE "tblClaimAdmin" SET "HasLogin" = 0"#);
    rt.services.cache().delete_prefix("rowsec_");
    let body = ask(&app, LISTS, &claim_admin).await;
    assert_eq!(
        codes(&body["data"]["locations"])[..2],
        ["R1".to_owned(), "R1D1".to_owned()]
    );
    assert_eq!(
        codes(&body["data"]["healthFacilities"]),
        ["JMHOS001", "JMHC001"]
    );
}

#[actix_rt::test]
async fn user_districts_are_the_users_own_unless_admin_or_no_location_check() {
    let (_dir, runtime, db) = started(json!({"name": "location"}));
    add_user(&db, 3, "Keeper", "R2D1");
    grant(&db, 3, "Keeper", 121906);
    // A user without an interactive user: an officer's core_User alone.
    add_officer(&db, 4, "Ofc4", &["R2D1M1V1"]);
    sqlite_execute(
        &db,
        r#"INSERT INTO "core_User" ("id", "version", "username", "officer_id")
           SELECT '99999999-2222-4333-8444-000000000004', 1, 'Ofc4', "OfficerID" FROM "tblOfficer" WHERE "Code" = 'Ofc4'"#,
    );
    let (_rt, app) = service(runtime).await;
    let keeper = login(&app, "Keeper", "admin123").await;
    let admin = login(&app, "Admin", "admin123").await;
    let query = "{ userDistricts { code parent { code } } }";

    let body = ask(&app, query, &keeper).await;
    assert_eq!(
        body["data"]["userDistricts"],
        json!([{"code": "R2D1", "parent": {"code": "R2"}}]),
        "121906 does not give every district"
    );
    let body = ask(&app, query, &admin).await;
    assert_eq!(
        district_codes(&body["data"]["userDistricts"]),
        ["R1D1", "R1D2", "R1D3", "R2D1", "R2D2"]
    );

    let officer = openimis_host::auth::JwtKeys::hs256("test-secret")
        .issue("Ofc4", None)
        .unwrap()
        .token;
    let body = answer(&app, query, &officer).await;
    assert_eq!(
        body["errors"][0]["message"], "Only Interactive Users are registered for districts",
        "{body}"
    );
    assert_eq!(body["data"]["userDistricts"], Value::Null);

    // no_location_check: every district for everyone.
    let (_dir, runtime, db) =
        started(json!({"name": "location", "config": {"no_location_check": true}}));
    add_user(&db, 3, "Keeper", "R2D1");
    let (_rt, app) = service(runtime).await;
    let keeper = login(&app, "Keeper", "admin123").await;
    let body = ask(&app, query, &keeper).await;
    assert_eq!(
        district_codes(&body["data"]["userDistricts"]),
        ["R1D1", "R1D2", "R1D3", "R2D1", "R2D2"]
    );
}

#[actix_rt::test]
async fn catchments_and_client_mutation_id_of_a_facility_need_121101() {
    let (_dir, runtime, db) = started(json!({"name": "location"}));
    add_user(&db, 5, "Plain", "R2D1");
    add_user(&db, 6, "Viewer", "R2D1");
    grant(&db, 6, "Viewer", 121101);
    sqlite_execute(
        &db,
        r#"INSERT INTO "tblHFCatchment" ("HFID", "LocationId", "Catchment")
           SELECT h."HfID", l."LocationId", 80 FROM "tblHF" h, "tblLocations" l WHERE h."HFCode" = 'ROHC001' AND l."LocationCode" = 'R2D1M1V1'"#,
    );
    let (_rt, app) = service(runtime).await;
    let plain = login(&app, "Plain", "admin123").await;
    let viewer = login(&app, "Viewer", "admin123").await;
    let catchments = r#"{ healthFacilities(code: "ROHC001") { edges { node { code catchments { catchment } } } } }"#;
    let mutation_id =
        r#"{ healthFacilities(first: 100) { edges { node { code clientMutationId } } } }"#;

    // Without 121101: each facility's non-null `catchments` fails, so its node is null.
    let body = answer(&app, catchments, &plain).await;
    assert_eq!(
        body["data"]["healthFacilities"]["edges"],
        json!([{"node": null}]),
        "{body}"
    );
    assert_eq!(body["errors"].as_array().map(Vec::len), Some(1), "{body}");
    assert_eq!(body["errors"][0]["message"], "unauthorized");
    assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHORIZED");

    // The nullable `clientMutationId` is null with one error per facility.
    let body = answer(&app, mutation_id, &plain).await;
    let edges = body["data"]["healthFacilities"]["edges"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(edges.len(), 2, "{body}");
    assert!(edges
        .iter()
        .all(|e| e["node"]["clientMutationId"].is_null() && e["node"]["code"].is_string()));
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 2, "{body}");
    assert!(errors.iter().all(|e| e["message"] == "unauthorized"));

    // Anywhere a facility appears, e.g. under a location.
    let nested = r#"{ locations(code: "R2D1") { edges { node { code healthfacilitySet { edges { node { catchments { catchment } } } } } } } }"#;
    let body = answer(&app, nested, &plain).await;
    assert_eq!(body["errors"][0]["message"], "unauthorized", "{body}");

    // With 121101 both fields answer.
    let body = ask(&app, catchments, &viewer).await;
    assert_eq!(
        body["data"]["healthFacilities"]["edges"],
        json!([{"node": {"code": "ROHC001", "catchments": [{"catchment": 80}]}}])
    );
    let body = ask(&app, mutation_id, &viewer).await;
    assert_eq!(
        codes(&body["data"]["healthFacilities"]),
        ["ROHOS001", "ROHC001"]
    );
}
