//! The cache behind row security and module configuration (issue 5 item 9), over HTTP on the
//! demo data with the host's memory cache: a district user's allowed locations are served from
//! `rowsec_<user>`, location mutations and district changes forget them, facilities are
//! bounded for 121906 holders who are not IMIS administrators, and `moduleConfigurations`
//! answers from `module_configurations_<layer>_<validity>`.

use actix_web::test as web_test;
use openimis_host::runtime::Runtime;
use openimis_system_tests::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

fn started() -> (ModulesDir, Runtime, PathBuf) {
    let dir = ModulesDir::with(&["core", "location"]);
    let runtime = start(settings(
        &modules_json(&[json!({"name": "core"}), json!({"name": "location"})]),
        &dir,
        &[("DEMO_DATASET", "True")],
    ))
    .expect("core and location start");
    let db = dir.path().join("test.sqlite3");
    (dir, runtime, db)
}

/// A user `District` (password `admin123`, no rights) holding only district R2D1; its
/// `tblUsers` id.
fn add_district_user(db: &Path) -> i64 {
    sqlite_execute(
        db,
        r#"INSERT INTO "tblUsers" ("UUID", "LanguageID", "LastName", "OtherNames", "LoginName", "PrivateKey", "StoredPassword", "active", "version")
               SELECT '11111111-2222-4333-8444-555555555555', 'en', 'District', 'User', 'District', "PrivateKey", "StoredPassword", 1, 1 FROM "tblUsers" WHERE "LoginName" = 'Admin'"#,
    );
    sqlite_execute(
        db,
        r#"INSERT INTO "core_User" ("id", "version", "username", "i_user_id")
               SELECT '99999999-2222-4333-8444-555555555555', 1, 'District', "id" FROM "tblUsers" WHERE "LoginName" = 'District'"#,
    );
    sqlite_execute(
        db,
        r#"INSERT INTO "tblUsersDistricts" ("UserID", "LocationId", "AuditUserID")
               SELECT u."id", l."LocationId", 1 FROM "tblUsers" u, "tblLocations" l WHERE u."LoginName" = 'District' AND l."LocationCode" = 'R2D1'"#,
    );
    sqlite_numbers(
        db,
        r#"SELECT CAST("id" AS BIGINT) AS n FROM "tblUsers" WHERE "LoginName" = 'District'"#,
    )[0]
}

/// Gives user `District` a non-system role holding 121906 (regions and districts).
fn grant_regions_and_districts(db: &Path) {
    sqlite_execute(
        db,
        r#"INSERT INTO "tblRole" ("RoleUUID", "RoleName", "IsSystem", "IsBlocked") VALUES ('77777777-2222-4333-8444-555555555555', 'Region keeper', 0, 0)"#,
    );
    sqlite_execute(
        db,
        r#"INSERT INTO "tblRoleRight" ("RoleID", "RightID") SELECT "RoleID", 121906 FROM "tblRole" WHERE "RoleName" = 'Region keeper'"#,
    );
    sqlite_execute(
        db,
        r#"INSERT INTO "tblUserRole" ("UserID", "RoleID") SELECT u."id", r."RoleID" FROM "tblUsers" u, "tblRole" r WHERE u."LoginName" = 'District' AND r."RoleName" = 'Region keeper'"#,
    );
}

async fn ask<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    query: &str,
    token: &str,
) -> Value {
    let (status, body) =
        json_of(web_test::call_service(app, graphql_as(query, json!(null), token)).await).await;
    assert_eq!(status, 200, "{query}: {body}");
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

const VILLAGES: &str = r#"{ locations(type: "V") { edges { node { code } } } }"#;

/// The uuid of the valid location with `code`, as the admin sees it.
async fn uuid_of<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    admin: &str,
    code: &str,
) -> String {
    let query = format!(r#"{{ locations(code: "{code}") {{ edges {{ node {{ uuid }} }} }} }}"#);
    let body = ask(app, &query, admin).await;
    body["data"]["locations"]["edges"][0]["node"]["uuid"]
        .as_str()
        .unwrap_or_else(|| panic!("no location {code}: {body}"))
        .to_owned()
}

#[actix_rt::test]
async fn a_district_users_scope_is_cached_and_forgotten_when_the_tree_changes() {
    let (_dir, runtime, db) = started();
    let user = add_district_user(&db);
    let (rt, app) = service(runtime).await;
    let cache = rt.services.cache();
    let key = format!("rowsec_{user}");
    let admin = login(&app, "Admin", "admin123").await;
    let district = login(&app, "District", "admin123").await;
    assert_eq!(
        cache.get(&key),
        None,
        "nothing cached before the first list"
    );

    let body = ask(&app, VILLAGES, &district).await;
    assert_eq!(codes(&body["data"]["locations"]), ["R2D1M1V1", "R2D1M1V2"]);
    let expected = sqlite_numbers(
        &db,
        r#"SELECT CAST("LocationId" AS BIGINT) AS n FROM "tblLocations" WHERE "LocationCode" IN ('R2', 'R2D1', 'R2D1M1', 'R2D1M1V1', 'R2D1M1V2') ORDER BY "LocationId""#,
    );
    assert_eq!(
        cache.get(&key),
        Some(json!(expected)),
        "the region, the district and its subtree"
    );

    // The next list reads the cached ids, not the tables: a narrowed entry narrows the view.
    let first_village = sqlite_numbers(
        &db,
        r#"SELECT CAST("LocationId" AS BIGINT) AS n FROM "tblLocations" WHERE "LocationCode" = 'R2D1M1V1'"#,
    );
    cache.set(&key, &json!(first_village), Some(300));
    let body = ask(&app, VILLAGES, &district).await;
    assert_eq!(codes(&body["data"]["locations"]), ["R2D1M1V1"]);

    // A new village under the user's ward: the cached scopes are forgotten, the user sees it.
    let ward = uuid_of(&app, &admin, "R2D1M1").await;
    let create = format!(
        r#"mutation {{ createLocation(input: {{clientMutationId: "c1", code: "R2D1M1V9", name: "New village", type: "V", parentUuid: "{ward}"}}) {{ internalId }} }}"#
    );
    ask(&app, &create, &admin).await;
    assert_eq!(cache.get(&key), None, "createLocation forgets rowsec_*");
    let body = ask(&app, VILLAGES, &district).await;
    assert_eq!(
        codes(&body["data"]["locations"]),
        ["R2D1M1V1", "R2D1M1V2", "R2D1M1V9"]
    );
    assert!(cache.get(&key).is_some(), "cached again");

    // Moving ward R1D1M1 (with its villages) under R2D1 brings them into the user's view.
    let moved = uuid_of(&app, &admin, "R1D1M1").await;
    let new_parent = uuid_of(&app, &admin, "R2D1").await;
    let move_ward = format!(
        r#"mutation {{ moveLocation(input: {{clientMutationId: "c2", uuid: "{moved}", newParentUuid: "{new_parent}"}}) {{ internalId }} }}"#
    );
    ask(&app, &move_ward, &admin).await;
    assert_eq!(cache.get(&key), None, "moveLocation forgets rowsec_*");
    let body = ask(&app, VILLAGES, &district).await;
    let seen = codes(&body["data"]["locations"]);
    assert!(
        seen.iter().any(|c| c.starts_with("R1D1M1V")),
        "the moved ward's villages are visible: {seen:?}"
    );
}

#[actix_rt::test]
async fn changing_a_users_districts_forgets_the_cached_scopes() {
    let (_dir, runtime, db) = started();
    let user = add_district_user(&db);
    let (rt, app) = service(runtime).await;
    let cache = rt.services.cache();
    let key = format!("rowsec_{user}");
    let district = login(&app, "District", "admin123").await;
    ask(&app, VILLAGES, &district).await;
    assert!(cache.get(&key).is_some());
    let location = rt.modules.get("location").unwrap();
    let r1d1 = sqlite_numbers(
        &db,
        r#"SELECT CAST("LocationId" AS BIGINT) AS n FROM "tblLocations" WHERE "LocationCode" = 'R1D1'"#,
    )[0];
    location
        .service(
            "user_districts.replace",
            &json!({"user_id": user, "district_ids": [r1d1], "audit_user_id": 1}).to_string(),
        )
        .unwrap();
    assert_eq!(
        cache.get(&key),
        None,
        "user_districts.replace forgets rowsec_*"
    );
    let body = ask(&app, VILLAGES, &district).await;
    let seen = codes(&body["data"]["locations"]);
    assert!(
        !seen.is_empty() && seen.iter().all(|c| c.starts_with("R1D1")),
        "only the new district's villages: {seen:?}"
    );
}

#[actix_rt::test]
async fn a_121906_holder_who_is_not_admin_sees_every_location_but_only_their_facilities() {
    let (_dir, runtime, db) = started();
    add_district_user(&db);
    grant_regions_and_districts(&db);
    let (_rt, app) = service(runtime).await;
    let district = login(&app, "District", "admin123").await;
    let admin = login(&app, "Admin", "admin123").await;
    let lists = r#"{ locations(first: 100) { edges { node { code } } }
        healthFacilities(first: 100) { totalCount edges { node { code } } }
        healthFacilitiesStr(str: "") { edges { node { code } } } }"#;
    let body = ask(&app, lists, &district).await;
    let data = &body["data"];
    assert_eq!(
        codes(&data["locations"]).len(),
        25,
        "121906 bypasses location security"
    );
    assert_eq!(data["healthFacilities"]["totalCount"], 2, "{body}");
    assert_eq!(codes(&data["healthFacilities"]), ["ROHOS001", "ROHC001"]);
    assert_eq!(codes(&data["healthFacilitiesStr"]).len(), 2, "{body}");

    let body = ask(&app, lists, &admin).await;
    assert_eq!(
        body["data"]["healthFacilities"]["totalCount"], 10,
        "IMIS admins see all"
    );
}

#[actix_rt::test]
async fn module_configurations_answer_from_the_cache() {
    let (_dir, runtime, _db) = started();
    let (rt, app) = service(runtime).await;
    let cache = rt.services.cache();
    let query = r#"{ moduleConfigurations(layer: "fe") { module layer } }"#;
    let (status, body) =
        json_of(web_test::call_service(&app, graphql_request(query, json!(null))).await).await;
    assert_eq!(status, 200, "{body}");
    let key = "module_configurations_fe_now";
    let cached = cache.get(key).expect("cached after the first request");
    assert_eq!(
        cached.as_array().map(Vec::len),
        body["data"]["moduleConfigurations"]
            .as_array()
            .map(Vec::len)
    );
    cache.set(
        key,
        &json!([{"id": "1", "module": "from-cache", "layer": "FE", "version": "1", "config": "{}",
                 "isExposed": true, "isDisabledUntil": null, "controls": []}]),
        Some(300),
    );
    let (_, body) =
        json_of(web_test::call_service(&app, graphql_request(query, json!(null))).await).await;
    assert_eq!(
        body["data"]["moduleConfigurations"],
        json!([{"module": "from-cache", "layer": "FE"}])
    );
}
