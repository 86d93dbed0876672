//! The `location` module and its replacement `location-dhis2` on core's demo data, through
//! HTTP: the frontend's recorded operations, row security for a district user, and the
//! mutations through the mutation log with the history the original keeps. Every scenario runs
//! against both implementations: switching `openimis.json` changes nothing here.

use actix_web::test as web_test;
use openimis_system_tests::conformance::{
    frontend_operations, is_known_bug, parse_schema, validate,
};
use openimis_system_tests::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

/// `(library, openimis.json entry)` of both implementations of the logical name `location`.
fn implementations() -> [(&'static str, Value); 2] {
    [
        ("location", json!({"name": "location"})),
        (
            "location_dhis2",
            json!({"name": "location", "library": "location_dhis2", "config": {"base_url": "http://127.0.0.1:9"}}),
        ),
    ]
}

fn started(
    library: &str,
    entry: &Value,
    vars: &[(&str, &str)],
) -> (ModulesDir, openimis_host::runtime::Runtime, PathBuf) {
    let dir = ModulesDir::with(&["core", library]);
    let mut all = vec![("DEMO_DATASET", "True")];
    all.extend_from_slice(vars);
    let runtime = start(settings(
        &modules_json(&[json!({"name": "core"}), entry.clone()]),
        &dir,
        &all,
    ))
    .unwrap_or_else(|e| panic!("core + {library} start: {e:?}"));
    let db = dir.path().join("test.sqlite3");
    (dir, runtime, db)
}

/// A user `District` (password `admin123`, no rights) holding only district R2D1 (Rajo).
fn add_district_user(db: &Path) {
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
}

async fn ask<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    query: &str,
    token: &str,
) -> Value {
    let (status, body) =
        json_of(web_test::call_service(app, graphql_as(query, json!(null), token)).await).await;
    assert_eq!(status, 200, "{query}: {body}");
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

#[actix_rt::test]
async fn every_frontend_location_operation_validates_and_runs_on_the_demo_data() {
    for (library, entry) in implementations() {
        // medical_pricelist serves the facilities' `servicesPricelist` / `itemsPricelist`.
        let dir = ModulesDir::with(&["core", library, "medical", "medical_pricelist"]);
        let conf = modules_json(&[
            json!({"name": "core"}),
            entry,
            json!({"name": "medical"}),
            json!({"name": "medical_pricelist"}),
        ]);
        let runtime = start(settings(&conf, &dir, &[("DEMO_DATASET", "True")])).unwrap();
        let schema = parse_schema(&runtime.engine.composed.sdl());
        let (_rt, app) = service(runtime).await;
        let token = login(&app, "Admin", "admin123").await;
        let mut ops = frontend_operations("location");
        ops.extend(
            frontend_operations("admin")
                .into_iter()
                .filter(|op| op.id == "admin-08" || op.id == "admin-09"),
        );
        for op in ops.iter().filter(|op| !is_known_bug(op)) {
            validate(&schema, op).unwrap_or_else(|e| panic!("{library}: {e}"));
            let (status, body) = json_of(
                web_test::call_service(
                    &app,
                    graphql_as(&op.document, op.variables.clone(), &token),
                )
                .await,
            )
            .await;
            assert_eq!(status, 200, "{library} {}: {body}", op.id);
            assert!(body.get("errors").is_none(), "{library} {}: {body}", op.id);
        }
    }
}

#[actix_rt::test]
async fn a_district_user_sees_only_their_subtree_and_an_admin_sees_all() {
    for (library, entry) in implementations() {
        let (_dir, runtime, db) = started(library, &entry, &[]);
        add_district_user(&db);
        let (_rt, app) = service(runtime).await;
        let admin = login(&app, "Admin", "admin123").await;
        let district = login(&app, "District", "admin123").await;
        let lists = r#"{ locations(first: 100) { edges { node { code } } }
            healthFacilities(first: 100) { totalCount edges { node { code location { code } } } }
            villages: locationsStr(str: "", type: "V") { edges { node { code parent { code parent { code } } } } }
            all: locationsAll(type: "R") { edges { node { code } } }
            userDistricts { code name parent { code } } }"#;
        let body = ask(&app, lists, &district).await;
        let data = &body["data"];
        assert_eq!(
            codes(&data["locations"]),
            ["R2", "R2D1", "R2D1M1", "R2D1M1V1", "R2D1M1V2"],
            "{library}"
        );
        assert_eq!(
            data["healthFacilities"]["totalCount"], 2,
            "{library}: {body}"
        );
        assert_eq!(codes(&data["healthFacilities"]), ["ROHOS001", "ROHC001"]);
        assert_eq!(
            data["healthFacilities"]["edges"][0]["node"]["location"]["code"],
            "R2D1"
        );
        assert_eq!(codes(&data["villages"]), ["R2D1M1V1", "R2D1M1V2"]);
        assert_eq!(
            data["villages"]["edges"][0]["node"]["parent"]["parent"]["code"],
            "R2D1"
        );
        assert_eq!(
            codes(&data["all"]),
            ["R1", "R2"],
            "locationsAll skips row security"
        );
        assert_eq!(
            data["userDistricts"],
            json!([{"code": "R2D1", "name": "Rajo", "parent": {"code": "R2"}}])
        );

        let body = ask(&app, lists, &admin).await;
        let data = &body["data"];
        assert_eq!(codes(&data["locations"]).len(), 25, "{library}: {body}");
        assert_eq!(data["healthFacilities"]["totalCount"], 10);
        assert_eq!(data["userDistricts"].as_array().unwrap().len(), 5);
        let related = r#"{ inR2: healthFacilities(location_Parent_Uuid: "2ea0e0a0-0000-4000-8000-000000000011") { totalCount }
            inR1D1: healthFacilities(location_Uuid: "2ea0e0a0-0000-4000-8000-000000000002", code_Icontains: "hos") { edges { node { code } } }
            wards: locations(type: "W", parent_Parent_Uuid: "2ea0e0a0-0000-4000-8000-000000000011") { edges { node { code } } } }"#;
        let body = ask(&app, related, &admin).await;
        assert_eq!(body["data"]["inR2"]["totalCount"], 4, "{library}: {body}");
        assert_eq!(codes(&body["data"]["inR1D1"]), ["JMHOS001"]);
        assert_eq!(codes(&body["data"]["wards"]), ["R2D1M1", "R2D2M1"]);

        let (_, body) = json_of(
            web_test::call_service(
                &app,
                graphql_request("{ locations { edges { node { code } } } }", json!(null)),
            )
            .await,
        )
        .await;
        assert_eq!(
            body["errors"][0]["message"], "unauthorized",
            "anonymous users get nothing"
        );
        let body = ask(
            &app,
            r#"{ validateLocationCode(locationCode: "R1") }"#,
            &district,
        )
        .await;
        assert_eq!(
            body["errors"][0]["message"], "unauthorized",
            "121901 guards validateLocationCode"
        );
    }
}

/// The original's `resolve_health_facilities` (location/schema.py) ALWAYS applies
/// `LocationManager().build_user_location_filter_query(user._u, queryset=query)` to a
/// non-superuser interactive user, with its default `loc_types` R, D, W, V (the allowed
/// locations and everything below, or no location), even when ROW_SECURITY is off; with it on,
/// `HealthFacility.get_queryset` adds the districts-only rule (`loc_types=["D"]`) on top. So a
/// facility on a ward of the user's district is listed with ROW_SECURITY off and not with it
/// on, while `locations` and `healthFacilitiesStr` are only restricted with it on.
#[actix_rt::test]
async fn without_row_security_a_district_user_still_lists_only_the_facilities_below_their_district()
{
    let (library, entry) = &implementations()[0];
    for (row_security, facilities, locations, by_str) in [
        ("False", vec!["JMHOS001", "ROHC001", "ROHOS001"], 25, 10),
        ("True", vec!["ROHC001", "ROHOS001"], 5, 2),
    ] {
        let (_dir, runtime, db) = started(library, entry, &[("ROW_SECURITY", row_security)]);
        add_district_user(&db);
        sqlite_execute(
            &db,
            r#"UPDATE "tblHF" SET "LocationId" = (SELECT "LocationId" FROM "tblLocations" WHERE "LocationCode" = 'R2D1M1')
               WHERE "HFCode" = 'JMHOS001'"#,
        );
        let user = sqlite_count(
            &db,
            r#"SELECT CAST("id" AS BIGINT) AS n FROM "tblUsers" WHERE "LoginName" = 'District'"#,
        );
        let (rt, app) = service(runtime).await;
        let district = login(&app, "District", "admin123").await;
        let admin = login(&app, "Admin", "admin123").await;
        let lists = r#"{ healthFacilities(first: 100) { totalCount edges { node { code } } }
            locations(first: 100) { edges { node { code } } } healthFacilitiesStr(str: "") { totalCount } }"#;
        let body = ask(&app, lists, &district).await;
        let data = &body["data"];
        let mut listed = codes(&data["healthFacilities"]);
        listed.sort();
        assert_eq!(listed, facilities, "ROW_SECURITY={row_security}: {body}");
        assert_eq!(codes(&data["locations"]).len(), locations, "{body}");
        assert_eq!(data["healthFacilitiesStr"]["totalCount"], by_str, "{body}");
        let body = ask(&app, lists, &admin).await;
        assert_eq!(
            body["data"]["healthFacilities"]["totalCount"], 10,
            "an IMIS administrator sees every facility"
        );
        if row_security == "False" {
            // The every-level rule is cached like the other scopes (forgotten with rowsec_*).
            let below_r2d1 = sqlite_numbers(
                &db,
                r#"SELECT CAST("LocationId" AS BIGINT) AS n FROM "tblLocations"
                   WHERE "LocationCode" IN ('R2D1', 'R2D1M1', 'R2D1M1V1', 'R2D1M1V2') ORDER BY "LocationId""#,
            );
            assert_eq!(
                rt.services.cache().get(&format!("rowsec_hft_{user}")),
                Some(json!(below_r2d1))
            );
        }
    }
}

const POLL: &str = r#"query ($id: String) { mutationLogs(clientMutationId: $id) { edges { node { status error } } } }"#;

async fn mutate<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    mutation: &str,
    client_id: &str,
) -> Value {
    let body = ask(app, mutation, token).await;
    assert!(body.get("errors").is_none(), "{mutation}: {body}");
    let (_, log) = json_of(
        web_test::call_service(app, graphql_as(POLL, json!({"id": client_id}), token)).await,
    )
    .await;
    log["data"]["mutationLogs"]["edges"][0]["node"].clone()
}

#[actix_rt::test]
async fn location_and_facility_mutations_go_through_the_log_with_history() {
    for (library, entry) in implementations() {
        let (_dir, runtime, db) = started(library, &entry, &[]);
        let (_rt, app) = service(runtime).await;
        let token = login(&app, "Admin", "admin123").await;
        let ok = json!({"status": 2, "error": null});

        let create = r#"mutation { createLocation(input: {clientMutationId: "m1", code: "R1D9", name: "New District", type: "D", parentUuid: "2ea0e0a0-0000-4000-8000-000000000001", malePopulation: 10}) { clientMutationId internalId } }"#;
        assert_eq!(mutate(&app, &token, create, "m1").await, ok, "{library}");
        let again = create.replace("\"m1\"", "\"m2\"");
        let failed = mutate(&app, &token, &again, "m2").await;
        assert_eq!(failed["status"], 1, "a duplicate code and type is refused");
        let body = ask(&app, r#"{ locations(code: "R1D9") { edges { node { code name malePopulation parent { code } } } } }"#, &token).await;
        assert_eq!(
            body["data"]["locations"]["edges"][0]["node"],
            json!({"code": "R1D9", "name": "New District", "malePopulation": 10, "parent": {"code": "R1"}})
        );
        assert_eq!(
            sqlite_count(
                &db,
                r#"SELECT COUNT(*) AS n FROM "location_LocationMutation""#
            ),
            1
        );
        assert_eq!(
            sqlite_count(
                &db,
                r#"SELECT COUNT(*) AS n FROM "tblUsersDistricts" ud JOIN "tblLocations" l ON l."LocationId" = ud."LocationId" WHERE l."LocationCode" = 'R1D9'"#
            ),
            1,
            "a new district is assigned to its creator"
        );

        // R1D1 (uuid …02) is updated in place: no history row.
        let update = r#"mutation { updateLocation(input: {clientMutationId: "m3", uuid: "2ea0e0a0-0000-4000-8000-000000000002", code: "R1D1", name: "Jambero North", type: "D", parentUuid: "2ea0e0a0-0000-4000-8000-000000000001"}) { internalId } }"#;
        assert_eq!(mutate(&app, &token, update, "m3").await, ok);
        assert_eq!(
            sqlite_count(
                &db,
                r#"SELECT COUNT(*) AS n FROM "tblLocations" WHERE "LegacyID" IS NOT NULL"#
            ),
            0
        );

        // Moving ward R1D1M1 under region R2 re-types it (a district) and its villages (wards),
        // each saved to history first.
        let ward_uuid = "2ea0e0a0-0000-4000-8000-000000000003";
        let move_ward = format!(
            r#"mutation {{ moveLocation(input: {{clientMutationId: "m4", uuid: "{ward_uuid}", newParentUuid: "2ea0e0a0-0000-4000-8000-000000000011"}}) {{ internalId }} }}"#
        );
        let region_two: i64 = sqlite_count(
            &db,
            r#"SELECT CAST("LocationId" AS BIGINT) AS n FROM "tblLocations" WHERE "LocationCode" = 'R2'"#,
        );
        assert_eq!(
            sqlite_count(
                &db,
                r#"SELECT CAST("LocationId" AS BIGINT) AS n FROM "tblLocations" WHERE "LocationUUID" = '2ea0e0a0-0000-4000-8000-000000000011'"#
            ),
            region_two,
            "uuid …11 is R2"
        );
        assert_eq!(mutate(&app, &token, &move_ward, "m4").await, ok);
        let body = ask(&app, &format!(r#"{{ locationsAll(uuid: "{ward_uuid}") {{ edges {{ node {{ type parent {{ code }} children {{ edges {{ node {{ type }} }} }} }} }} }} }}"#), &token).await;
        assert_eq!(
            body["data"]["locationsAll"]["edges"][0]["node"],
            json!({"type": "D", "parent": {"code": "R2"}, "children": {"edges": [{"node": {"type": "W"}}, {"node": {"type": "W"}}]}}),
            "{body}"
        );
        assert_eq!(
            sqlite_count(
                &db,
                r#"SELECT COUNT(*) AS n FROM "tblLocations" WHERE "LegacyID" IS NOT NULL AND "ValidityTo" IS NOT NULL"#
            ),
            3,
            "the ward and its two villages"
        );

        // Deleting district R1D2 ends it, its subtree and its user districts.
        let delete = r#"mutation { deleteLocation(input: {clientMutationId: "m5", uuid: "2ea0e0a0-0000-4000-8000-000000000009", code: "R1D2"}) { internalId } }"#;
        assert_eq!(
            sqlite_count(
                &db,
                r#"SELECT COUNT(*) AS n FROM "tblLocations" WHERE "LocationUUID" = '2ea0e0a0-0000-4000-8000-000000000009' AND "LocationCode" = 'R1D2'"#
            ),
            1
        );
        assert_eq!(mutate(&app, &token, delete, "m5").await, ok);
        let body = ask(
            &app,
            r#"{ locationsAll(code_Istartswith: "R1D2") { edges { node { code } } } }"#,
            &token,
        )
        .await;
        assert_eq!(body["data"]["locationsAll"]["edges"], json!([]));
        assert_eq!(
            sqlite_count(
                &db,
                r#"SELECT COUNT(*) AS n FROM "tblUsersDistricts" ud JOIN "tblLocations" l ON l."LocationId" = ud."LocationId" WHERE l."LocationCode" = 'R1D2' AND ud."ValidityTo" IS NULL"#
            ),
            0
        );

        // Facilities: created with a catchment, updated with a history copy, deleted.
        let district_id = sqlite_count(
            &db,
            r#"SELECT CAST("LocationId" AS BIGINT) AS n FROM "tblLocations" WHERE "LocationCode" = 'R1D1'"#,
        );
        let village_id = sqlite_count(
            &db,
            r#"SELECT CAST("LocationId" AS BIGINT) AS n FROM "tblLocations" WHERE "LocationCode" = 'R1D1M2V1'"#,
        );
        let create_hf = format!(
            r#"mutation {{ createHealthFacility(input: {{clientMutationId: "h1", code: "HF001", name: "Health Centre", locationId: {district_id}, level: "C", legalFormId: "G", careType: "B", contractStartDate: "2024-01-01", contractEndDate: "2026-12-31", status: "AC", catchments: [{{locationId: {village_id}, catchment: 100}}]}}) {{ internalId }} }}"#
        );
        assert_eq!(
            mutate(&app, &token, &create_hf, "h1").await,
            ok,
            "{library}"
        );
        let only_one_date = create_hf
            .replace("\"h1\"", "\"h2\"")
            .replace(r#"contractEndDate: "2026-12-31", "#, "")
            .replace("HF001", "HF002");
        let failed = mutate(&app, &token, &only_one_date, "h2").await;
        assert!(
            failed["error"]
                .as_str()
                .unwrap()
                .contains("mutation.single_date_hf_contract"),
            "{failed}"
        );
        let hf = r#"{ healthFacilities(code: "HF001") { totalCount edges { node { uuid name contractEndDate catchments { catchment location { code } } } } } }"#;
        let body = ask(&app, hf, &token).await;
        let node = body["data"]["healthFacilities"]["edges"][0]["node"].clone();
        assert_eq!(
            node["catchments"],
            json!([{"catchment": 100, "location": {"code": "R1D1M2V1"}}])
        );
        assert_eq!(node["contractEndDate"], "2026-12-31");
        let uuid = node["uuid"].as_str().unwrap().to_owned();
        let update_hf = create_hf
            .replace("createHealthFacility", "updateHealthFacility")
            .replace("\"h1\"", &format!("\"h3\", uuid: \"{uuid}\""))
            .replace("Health Centre", "Renamed Centre");
        assert_eq!(mutate(&app, &token, &update_hf, "h3").await, ok);
        let body = ask(&app, hf, &token).await;
        assert_eq!(
            body["data"]["healthFacilities"]["edges"][0]["node"]["name"],
            "Renamed Centre"
        );
        assert_eq!(
            sqlite_count(
                &db,
                r#"SELECT COUNT(*) AS n FROM "tblHF" WHERE "HFCode" = 'HF001' AND "LegacyID" IS NOT NULL AND "ValidityTo" IS NOT NULL AND "HFName" = 'Health Centre'"#
            ),
            1,
            "the history copy keeps the old name"
        );
        let history = ask(
            &app,
            r#"{ healthFacilities(code: "HF001", showHistory: true) { totalCount } }"#,
            &token,
        )
        .await;
        assert_eq!(history["data"]["healthFacilities"]["totalCount"], 2);
        let delete_hf = format!(
            r#"mutation {{ deleteHealthFacility(input: {{clientMutationId: "h4", uuid: "{uuid}"}}) {{ internalId }} }}"#
        );
        assert_eq!(mutate(&app, &token, &delete_hf, "h4").await, ok);
        let body = ask(&app, hf, &token).await;
        assert_eq!(body["data"]["healthFacilities"]["totalCount"], 0);
        assert_eq!(
            sqlite_count(
                &db,
                r#"SELECT COUNT(*) AS n FROM "location_HealthFacilityMutation""#
            ),
            3
        );
    }
}

#[test]
fn openimis_demo_scale_grows_a_large_tree_that_row_security_still_bounds() {
    let dir = ModulesDir::with(&["core", "location"]);
    let db = dir.path().join("test.sqlite3");
    let output = std::process::Command::new(openimis_binary())
        .args(["demo", "--scale", "2500"])
        .env_clear()
        .env(
            "OPENIMIS_CONF_JSON",
            modules_json(&[json!({"name": "core"}), json!({"name": "location"})]).to_string(),
        )
        .env("MODULES_DIR", dir.path())
        .env("NO_DATABASE", "True")
        .env("SQLITE_PATH", &db)
        .env("MODE", "DEV")
        .env("DEMO_DATASET", "True")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_str(stdout.trim()).unwrap();
    assert_eq!(
        report,
        json!({"regions": 1, "districts": 10, "wards": 200, "villages": 2500, "health_facilities": 10})
    );
    assert_eq!(
        sqlite_count(
            &db,
            r#"SELECT COUNT(*) AS n FROM "tblLocations" WHERE "LocationType" = 'V' AND "LocationCode" LIKE 'S1-%'"#
        ),
        2500
    );
    // A user of one generated district sees that district's facility only.
    add_district_user(&db);
    sqlite_execute(
        &db,
        r#"UPDATE "tblUsersDistricts" SET "LocationId" = (SELECT "LocationId" FROM "tblLocations" WHERE "LocationCode" = 'S1-R1D1') WHERE "UserID" = (SELECT "id" FROM "tblUsers" WHERE "LoginName" = 'District')"#,
    );
    let visible = sqlite_count(
        &db,
        r#"SELECT COUNT(*) AS n FROM "tblLocations" WHERE "LocationCode" LIKE 'S1-R1D1W%' AND "LocationType" = 'W'"#,
    );
    assert_eq!(visible, 20);
    let runtime = start(settings(
        &modules_json(&[json!({"name": "core"}), json!({"name": "location"})]),
        &dir,
        &[],
    ))
    .unwrap();
    let location = runtime.modules.get("location").unwrap();
    let user = sqlite_count(
        &db,
        r#"SELECT CAST("id" AS BIGINT) AS n FROM "tblUsers" WHERE "LoginName" = 'District'"#,
    );
    let scope: Value = serde_json::from_str(
        &location
            .service("row_security.scope", &json!({"user_id": user}).to_string())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(scope["all"], false);
    assert_eq!(
        scope["health_facility_ids"].as_array().unwrap().len(),
        1,
        "{scope}"
    );
    let generated_wards_and_villages = sqlite_count(
        &db,
        r#"SELECT COUNT(*) AS n FROM "tblLocations" WHERE "LocationCode" LIKE 'S1-R1D1W%'"#,
    );
    assert_eq!(
        scope["location_ids"].as_array().unwrap().len() as i64,
        2 + generated_wards_and_villages,
        "region, district, its wards and villages"
    );
    let admin: Value = serde_json::from_str(
        &location
            .service(
                "row_security.scope",
                &json!({"user_id": user, "rights": [121906]}).to_string(),
            )
            .unwrap(),
    )
    .unwrap();
    assert_eq!(admin["all"], true);
}

#[actix_rt::test]
async fn location_fields_on_cores_users_and_officers() {
    for (library, entry) in implementations() {
        let (_dir, runtime, db) = started(library, &entry, &[]);
        let officer = sqlite_count(
            &db,
            r#"SELECT CAST(MIN("OfficerID") AS BIGINT) AS n FROM "tblOfficer" WHERE "ValidityTo" IS NULL"#,
        );
        let village = sqlite_count(
            &db,
            r#"SELECT CAST("LocationId" AS BIGINT) AS n FROM "tblLocations" WHERE "LocationCode" = 'R2D1M1V2'"#,
        );
        let location = runtime.modules.get("location").unwrap();
        location
            .service(
                "officer_villages.replace",
                &json!({"officer_id": officer, "village_ids": [village], "audit_user_id": 1})
                    .to_string(),
            )
            .unwrap();
        let (_rt, app) = service(runtime).await;
        let token = login(&app, "Admin", "admin123").await;
        let body = ask(&app, r#"{ interactiveUsers(first: 100) { edges { node { loginName userdistrictSet { location { code } } } } } }"#, &token).await;
        assert!(body.get("errors").is_none(), "{library}: {body}");
        let admin = body["data"]["interactiveUsers"]["edges"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["node"]["loginName"] == "Admin")
            .unwrap()
            .clone();
        let districts: Vec<&str> = admin["node"]["userdistrictSet"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["location"]["code"].as_str().unwrap())
            .collect();
        assert_eq!(
            districts,
            ["R1D1", "R1D2", "R1D3", "R2D1", "R2D2"],
            "{library}"
        );
        let body = ask(&app, "{ users(first: 100) { edges { node { username officer { officerVillages { location { code parent { code } } } } } } } }", &token).await;
        let villages: Vec<Value> = body["data"]["users"]["edges"]
            .as_array()
            .unwrap_or_else(|| panic!("{library}: {body}"))
            .iter()
            .flat_map(|e| {
                e["node"]["officer"]["officerVillages"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
            })
            .collect();
        // E00001 covers its demo villages; E00002 (the first officer) the one just given.
        assert_eq!(
            villages,
            [
                json!({"location": {"code": "R1D1M1V1", "parent": {"code": "R1D1M1"}}}),
                json!({"location": {"code": "R1D1M1V2", "parent": {"code": "R1D1M1"}}}),
                json!({"location": {"code": "R2D1M1V2", "parent": {"code": "R2D1M1"}}})
            ],
            "{library}: {body}"
        );
    }
}

/// The embedded demo's users page: the frontend asks `users(regionIds: …)` with the logged-in
/// user's regions, and every demo user holds districts (officers their villages) as the
/// original demo's users do, so the page lists them all, not Admin alone.
#[actix_rt::test]
async fn the_demo_users_page_lists_every_user_of_the_admins_regions() {
    let (_dir, runtime, db) = started("location", &implementations()[0].1, &[]);
    let region = |code: &str| {
        sqlite_count(
            &db,
            &format!(
                r#"SELECT CAST("LocationId" AS BIGINT) AS n FROM "tblLocations" WHERE "LocationCode" = '{code}'"#
            ),
        )
    };
    let regions = [region("R1"), region("R2")];
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let body = ask(
        &app,
        &format!(
            r#"{{ users(first: 10, orderBy: ["username"], regionIds: [{}, {}]) {{ totalCount edges {{ node {{ username }} }} }} }}"#,
            regions[0], regions[1]
        ),
        &token,
    )
    .await;
    let names: Vec<&str> = body["data"]["users"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .filter_map(|e| e["node"]["username"].as_str())
        .collect();
    for user in ["Admin", "CA00001", "E00001", "manager1", "reception1"] {
        assert!(names.contains(&user), "{user} is listed: {body}");
    }
}
