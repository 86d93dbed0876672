//! Core's gaps of issue 3 over HTTP on the demo data: `claimAdmins`' location arguments
//! (`districtUuid`, `regionUuid`, `healthFacility_*`) matched by location; user mutations whose
//! districts or villages location refuses leave no trace (a new user is gone, a changed one is
//! as it was) and fail with a clear error; `resetPassword` revokes nothing, as the original
//! (it keeps no long-running refresh tokens).

use actix_web::dev::{Service, ServiceResponse};
use actix_web::{body::MessageBody, test as web_test};
use openimis_host::runtime::Runtime;
use openimis_system_tests::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};

const CREATE: &str =
    "mutation ($input: CreateUserMutationInput!) { createUser(input: $input) { internalId } }";
const UPDATE: &str =
    "mutation ($input: UpdateUserMutationInput!) { updateUser(input: $input) { internalId } }";

fn started(modules: &[&str]) -> (ModulesDir, Runtime, PathBuf) {
    let dir = ModulesDir::with(modules);
    let conf: Vec<Value> = modules.iter().map(|m| json!({ "name": m })).collect();
    let runtime = start(settings(
        &modules_json(&conf),
        &dir,
        &[("DEMO_DATASET", "True")],
    ))
    .expect("the modules start");
    let db = dir.path().join("test.sqlite3");
    (dir, runtime, db)
}

/// The answer's `data` to `query` as the holder of `token` (panics on an error).
async fn ask<S, B>(app: &S, token: &str, query: &str, variables: Value) -> Value
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let (status, body) =
        json_of(web_test::call_service(app, graphql_as(query, variables, token)).await).await;
    assert!(
        status == 200 && body.get("errors").is_none(),
        "{query}: {body}"
    );
    body["data"].clone()
}

/// `(status, [{message, detail}])` of the mutation logged under `id`.
async fn logged<S, B>(app: &S, token: &str, id: &str) -> (i64, Value)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let query = format!(
        r#"{{ mutationLogs(clientMutationId: "{id}") {{ edges {{ node {{ status error }} }} }} }}"#
    );
    let data = ask(app, token, &query, json!(null)).await;
    let node = &data["mutationLogs"]["edges"][0]["node"];
    let errors = node["error"]
        .as_str()
        .map_or(Value::Null, |e| serde_json::from_str(e).unwrap());
    (node["status"].as_i64().expect("logged"), errors)
}

/// The sorted `code`s of a connection's nodes.
fn codes(connection: &Value) -> Vec<String> {
    let mut out: Vec<String> = connection["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("not a connection: {connection}"))
        .iter()
        .map(|e| e["node"]["code"].as_str().unwrap().to_owned())
        .collect();
    out.sort();
    out
}

/// The first node's relay id decoded to its primary key.
fn pk(connection: &Value) -> i64 {
    let id = connection["edges"][0]["node"]["id"]
        .as_str()
        .unwrap_or_else(|| panic!("no node: {connection}"));
    openimis_sdk::relay::parse_global_id(id)
        .unwrap()
        .1
        .parse()
        .unwrap()
}

fn uuid(connection: &Value) -> String {
    connection["edges"][0]["node"]["uuid"]
        .as_str()
        .unwrap_or_else(|| panic!("no node: {connection}"))
        .to_owned()
}

const PLACES: &str = r#"{
    r1: locations(code: "R1") { edges { node { id uuid } } }
    r2: locations(code: "R2") { edges { node { id uuid } } }
    d1: locations(code: "R1D1") { edges { node { id uuid } } }
    d2: locations(code: "R1D2") { edges { node { id uuid } } }
    v1: locations(code: "R1D1M1V1") { edges { node { id uuid } } }
    ra: healthFacilities(code: "RAHOS001") { edges { node { id uuid } } }
    ro: healthFacilities(code: "ROHOS001") { edges { node { id uuid } } }
}"#;

#[actix_rt::test]
async fn claim_admins_by_district_region_and_facility_filters() {
    let (_dir, runtime, _db) = started(&["core", "location"]);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let places = ask(&app, &token, PLACES, json!(null)).await;
    // Two more claim admins: one in district R1D2 (region R1), one in R2D1 (region R2). The
    // demo's CA00001 and CA00002 work at R1D1's hospital and health centre.
    for (code, hf) in [("CA00003", "ra"), ("CA00004", "ro")] {
        let input = json!({"clientMutationId": code, "username": code, "userTypes": ["CLAIM_ADMIN"], "lastName": "Claims",
            "otherNames": code, "language": "en", "healthFacilityId": pk(&places[hf])});
        ask(&app, &token, CREATE, json!({ "input": input })).await;
        assert_eq!(logged(&app, &token, code).await, (2, Value::Null));
    }

    let query = format!(
        r#"{{
        all: claimAdmins {{ edges {{ node {{ code }} }} }}
        district: claimAdmins(districtUuid: "{d2}") {{ edges {{ node {{ code }} }} }}
        region1: claimAdmins(regionUuid: "{r1}") {{ edges {{ node {{ code }} }} }}
        region2: claimAdmins(regionUuid: "{r2}") {{ edges {{ node {{ code }} }} }}
        districtWins: claimAdmins(districtUuid: "{d2}", regionUuid: "{r2}") {{ edges {{ node {{ code }} }} }}
        searched: claimAdmins(regionUuid: "{r1}", search: "cleo") {{ edges {{ node {{ code }} }} }}
        noFacilities: claimAdmins(districtUuid: "{v1}") {{ edges {{ node {{ code }} }} }}
        unknown: claimAdmins(regionUuid: "00000000-0000-4000-8000-000000000000") {{ totalCount }}
        hfUuid: claimAdmins(healthFacility_Uuid: "{ro}") {{ edges {{ node {{ code }} }} }}
        hfCode: claimAdmins(healthFacility_Code_Istartswith: "jm") {{ edges {{ node {{ code }} }} }}
        hfLevel: claimAdmins(healthFacility_Level: "C") {{ edges {{ node {{ code }} }} }}
        hfParent: claimAdmins(healthFacility_Location_Parent_Uuid: "{r2}") {{ edges {{ node {{ code }} }} }}
        hfAndRegion: claimAdmins(healthFacility_Level: "H", regionUuid: "{r1}") {{ edges {{ node {{ code }} }} }}
        hfId: claimAdmins(healthFacility_Id: {ra_pk}) {{ edges {{ node {{ code }} }} }}
        hfNull: claimAdmins(healthFacility_Uuid: null, regionUuid: null) {{ totalCount }}
    }}"#,
        d2 = uuid(&places["d2"]),
        r1 = uuid(&places["r1"]),
        r2 = uuid(&places["r2"]),
        v1 = uuid(&places["v1"]),
        ro = uuid(&places["ro"]),
        ra_pk = pk(&places["ra"]),
    );
    let data = ask(&app, &token, &query, json!(null)).await;
    let all = ["CA00001", "CA00002", "CA00003", "CA00004"];
    assert_eq!(codes(&data["all"]), all);
    assert_eq!(codes(&data["district"]), ["CA00003"]);
    assert_eq!(codes(&data["region1"]), ["CA00001", "CA00002", "CA00003"]);
    assert_eq!(codes(&data["region2"]), ["CA00004"]);
    assert_eq!(codes(&data["districtWins"]), ["CA00003"]);
    assert_eq!(codes(&data["searched"]), ["CA00002"]);
    assert_eq!(
        codes(&data["noFacilities"]),
        Vec::<String>::new(),
        "a place without facilities has no claim admins"
    );
    assert_eq!(data["unknown"]["totalCount"], 0);
    assert_eq!(codes(&data["hfUuid"]), ["CA00004"]);
    assert_eq!(codes(&data["hfCode"]), ["CA00001", "CA00002"]);
    assert_eq!(codes(&data["hfLevel"]), ["CA00002"]);
    assert_eq!(codes(&data["hfParent"]), ["CA00004"]);
    assert_eq!(codes(&data["hfAndRegion"]), ["CA00001", "CA00003"]);
    assert_eq!(codes(&data["hfId"]), ["CA00003"]);
    assert_eq!(data["hfNull"]["totalCount"], 4);
}

#[actix_rt::test]
async fn claim_admin_location_arguments_match_nothing_without_location() {
    let (_dir, runtime, _db) = started(&["core"]);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let data = ask(
        &app,
        &token,
        r#"{ all: claimAdmins { totalCount }
             region: claimAdmins(regionUuid: "2ea0e0a0-0000-4000-8000-000000000001") { totalCount }
             hf: claimAdmins(healthFacility_Code: "JMHOS001") { totalCount }
             hfId: claimAdmins(healthFacility_Id: 1) { edges { node { code } } } }"#,
        json!(null),
    )
    .await;
    assert_eq!(
        (
            &data["all"]["totalCount"],
            &data["region"]["totalCount"],
            &data["hf"]["totalCount"]
        ),
        (&json!(2), &json!(0), &json!(0))
    );
    assert_eq!(codes(&data["hfId"]), ["CA00001"]);
}

/// Rows anywhere in core's user tables for `name`, and location rows left without a holder.
fn traces(db: &Path, name: &str) -> Vec<i64> {
    sqlite_numbers(
        db,
        &format!(
            r#"SELECT COUNT(*) AS n FROM "core_User" WHERE "username" = '{name}'
               UNION ALL SELECT COUNT(*) FROM "core_historicaluser" WHERE "username" = '{name}'
               UNION ALL SELECT COUNT(*) FROM "tblUsers" WHERE "LoginName" = '{name}'
               UNION ALL SELECT COUNT(*) FROM "core_historicalinteractiveuser" WHERE "LoginName" = '{name}'
               UNION ALL SELECT COUNT(*) FROM "tblUserRole" WHERE "UserID" NOT IN (SELECT "id" FROM "tblUsers")
               UNION ALL SELECT COUNT(*) FROM "tblOfficer" WHERE "Code" = '{name}'
               UNION ALL SELECT COUNT(*) FROM "tblClaimAdmin" WHERE "ClaimAdminCode" = '{name}'
               UNION ALL SELECT COUNT(*) FROM "core_UserMutation" WHERE "core_user_id" NOT IN (SELECT "id" FROM "core_User")
               UNION ALL SELECT COUNT(*) FROM "tblUsersDistricts" WHERE "UserID" NOT IN (SELECT "id" FROM "tblUsers")
               UNION ALL SELECT COUNT(*) FROM "tblOfficerVillages" WHERE "OfficerId" NOT IN (SELECT "OfficerID" FROM "tblOfficer")"#
        ),
    )
}

/// The detail of a failed mutation's only error.
fn failure_detail(logged: &(i64, Value)) -> String {
    assert_eq!(logged.0, 1, "the mutation failed: {logged:?}");
    logged.1[0]["detail"].as_str().unwrap().to_owned()
}

#[actix_rt::test]
async fn a_user_whose_districts_or_villages_location_refuses_is_not_created() {
    let (_dir, runtime, db) = started(&["core", "location"]);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let places = ask(&app, &token, PLACES, json!(null)).await;
    let roles = ask(
        &app,
        &token,
        r#"{ role(name: "Clerk") { edges { node { id } } } }"#,
        json!(null),
    )
    .await;
    let clerk = pk(&roles["role"]);

    // Valid districts but an unknown village: location writes neither, core keeps nothing.
    let input = json!({"clientMutationId": "g1", "username": "ghost1", "userTypes": ["INTERACTIVE", "OFFICER", "CLAIM_ADMIN"],
        "lastName": "Ghost", "otherNames": "One", "email": "ghost1@example.org", "password": "S3cret!pass", "language": "en",
        "roles": [clerk], "healthFacilityId": pk(&places["ra"]), "districts": [pk(&places["d1"])], "villageIds": [99999]});
    ask(&app, &token, CREATE, json!({ "input": input })).await;
    let failed = logged(&app, &token, "g1").await;
    let detail = failure_detail(&failed);
    assert!(
        detail.starts_with("location refused the user's districts or villages")
            && detail.ends_with("the user was not saved"),
        "{detail}"
    );
    assert_eq!(
        failed.1[0]["message"],
        "core.mutation.failed_to_create_user"
    );
    assert_eq!(traces(&db, "ghost1"), [0; 10]);

    // An unknown district for an interactive user alone.
    let input = json!({"clientMutationId": "g2", "username": "ghost2", "userTypes": ["INTERACTIVE"], "lastName": "Ghost",
        "otherNames": "Two", "language": "en", "roles": [clerk], "districts": [99999]});
    ask(&app, &token, CREATE, json!({ "input": input })).await;
    failure_detail(&logged(&app, &token, "g2").await);
    assert_eq!(traces(&db, "ghost2"), [0; 10]);
    let data = ask(
        &app,
        &token,
        r#"{ users(username_Icontains: "ghost") { totalCount } }"#,
        json!(null),
    )
    .await;
    assert_eq!(data["users"]["totalCount"], 0);

    // The same user with places location knows is created, districts and villages included.
    let input = json!({"clientMutationId": "g3", "username": "ghost1", "userTypes": ["INTERACTIVE", "OFFICER"],
        "lastName": "Ghost", "otherNames": "One", "language": "en", "roles": [clerk], "districts": [pk(&places["d1"])],
        "villageIds": [pk(&places["v1"])]});
    ask(&app, &token, CREATE, json!({ "input": input })).await;
    assert_eq!(logged(&app, &token, "g3").await, (2, Value::Null));
    assert_eq!(
        sqlite_count(
            &db,
            r#"SELECT COUNT(*) AS n FROM "tblUsersDistricts" d JOIN "tblUsers" u ON u."id" = d."UserID" WHERE u."LoginName" = 'ghost1' AND d."ValidityTo" IS NULL"#
        ),
        1
    );
}

/// What a user looks like over GraphQL, and the row counts an update may add to.
async fn snapshot<S, B>(app: &S, token: &str, db: &Path) -> (Value, Vec<i64>)
where
    S: Service<actix_http::Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    let data = ask(app, token, r#"{ users(username: "keeper1") { edges { node { version username lastName otherNames email
        iUser { loginName lastName otherNames languageId version isAssociated healthFacilityId roles { name } }
        officer { code lastName otherNames dob address hasLogin validityTo }
        claimAdmin { code lastName otherNames dob healthFacility { code } hasLogin validityTo } } } } }"#, json!(null)).await;
    let rows = sqlite_numbers(
        db,
        r#"SELECT COUNT(*) AS n FROM "tblOfficer" WHERE "Code" = 'keeper1'
           UNION ALL SELECT COUNT(*) FROM "tblClaimAdmin" WHERE "ClaimAdminCode" = 'keeper1'
           UNION ALL SELECT COUNT(*) FROM "core_historicaluser" WHERE "username" = 'keeper1'
           UNION ALL SELECT COUNT(*) FROM "core_historicalinteractiveuser" WHERE "LoginName" = 'keeper1'
           UNION ALL SELECT COUNT(*) FROM "tblUserRole" r JOIN "tblUsers" u ON u."id" = r."UserID" WHERE u."LoginName" = 'keeper1'
           UNION ALL SELECT COUNT(*) FROM "tblUserRole" r JOIN "tblUsers" u ON u."id" = r."UserID" WHERE u."LoginName" = 'keeper1' AND r."ValidityTo" IS NULL
           UNION ALL SELECT COUNT(*) FROM "core_UserMutation" m JOIN "core_User" c ON c."id" = m."core_user_id" WHERE c."username" = 'keeper1'
           UNION ALL SELECT CAST(d."LocationId" AS BIGINT) FROM "tblUsersDistricts" d JOIN "tblUsers" u ON u."id" = d."UserID" WHERE u."LoginName" = 'keeper1' AND d."ValidityTo" IS NULL
           UNION ALL SELECT CAST(v."LocationId" AS BIGINT) FROM "tblOfficerVillages" v JOIN "tblOfficer" o ON o."OfficerID" = v."OfficerId" WHERE o."Code" = 'keeper1' AND v."ValidityTo" IS NULL"#,
    );
    (data["users"]["edges"][0]["node"].clone(), rows)
}

#[actix_rt::test]
async fn an_update_location_refuses_leaves_the_user_as_it_was() {
    let (_dir, runtime, db) = started(&["core", "location"]);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let places = ask(&app, &token, PLACES, json!(null)).await;
    let roles = ask(
        &app,
        &token,
        r#"{ clerk: role(name: "Clerk") { edges { node { id } } } manager: role(name: "Manager") { edges { node { id } } } }"#,
        json!(null),
    )
    .await;
    let (clerk, manager) = (pk(&roles["clerk"]), pk(&roles["manager"]));
    let input = json!({"clientMutationId": "k1", "username": "keeper1", "userTypes": ["INTERACTIVE", "OFFICER", "CLAIM_ADMIN"],
        "lastName": "Keeper", "otherNames": "One", "email": "keeper1@example.org", "phone": "555", "language": "en",
        "roles": [clerk], "healthFacilityId": pk(&places["ra"]), "birthDate": "1990-01-01", "address": "Street 1",
        "districts": [pk(&places["d1"])], "villageIds": [pk(&places["v1"])]});
    ask(&app, &token, CREATE, json!({ "input": input })).await;
    assert_eq!(logged(&app, &token, "k1").await, (2, Value::Null));
    let (before, rows_before) = snapshot(&app, &token, &db).await;
    assert_eq!(
        before["iUser"]["roles"],
        json!([{"name": "Clerk"}]),
        "{before}"
    );
    assert_eq!(before["officer"]["dob"], "1990-01-01");
    let uuid = openimis_sdk::relay::parse_global_id(
        ask(
            &app,
            &token,
            r#"{ users(username: "keeper1") { edges { node { id } } } }"#,
            json!(null),
        )
        .await["users"]["edges"][0]["node"]["id"]
            .as_str()
            .unwrap(),
    )
    .unwrap()
    .1;

    // Every part changes (names, language, roles, facility, officer and claim admin) and the
    // districts are unknown: location refuses, and every row is back as it was.
    let changed = json!({"clientMutationId": "k2", "uuid": uuid, "username": "keeper1", "userTypes": ["INTERACTIVE", "OFFICER", "CLAIM_ADMIN"],
        "lastName": "Changed", "otherNames": "Two", "email": "keeper1@example.org", "language": "fr", "roles": [manager],
        "healthFacilityId": pk(&places["ro"]), "districts": [99999], "villageIds": [pk(&places["v1"])]});
    ask(&app, &token, UPDATE, json!({ "input": changed })).await;
    let failed = logged(&app, &token, "k2").await;
    assert_eq!(
        failed.1[0]["message"],
        "core.mutation.failed_to_update_user"
    );
    assert!(
        failure_detail(&failed).ends_with("the user was not saved"),
        "{failed:?}"
    );
    let (after, rows_after) = snapshot(&app, &token, &db).await;
    assert_eq!(after, before);
    assert_eq!(rows_after, rows_before);
    assert_eq!(
        &rows_before[..4],
        [1, 1, 1, 1],
        "one officer, one claim admin and one history row each"
    );

    // The restored user takes a valid change.
    let mut valid = changed;
    valid["clientMutationId"] = json!("k3");
    valid["districts"] = json!([pk(&places["d2"])]);
    ask(&app, &token, UPDATE, json!({ "input": valid })).await;
    assert_eq!(logged(&app, &token, "k3").await, (2, Value::Null));
    let (after, rows) = snapshot(&app, &token, &db).await;
    assert_eq!(
        (
            &after["otherNames"],
            &after["iUser"]["version"],
            &after["iUser"]["roles"]
        ),
        (&json!("Two"), &json!(2), &json!([{"name": "Manager"}]))
    );
    assert_eq!(rows[7], pk(&places["d2"]), "{rows:?}");
}

#[actix_rt::test]
async fn reset_password_leaves_the_token_refreshable_as_the_original() {
    let (_dir, runtime, _db) = started(&["core"]);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "manager1", "Demo12345!").await;
    let reset = "mutation { resetPassword(input: { username: \"manager1\" }) { success error } }";
    let (_, body) =
        json_of(web_test::call_service(&app, graphql_request(reset, json!(null))).await).await;
    assert_eq!(
        body["data"]["resetPassword"],
        json!({"success": true, "error": null}),
        "{body}"
    );
    let data = ask(
        &app,
        &token,
        &format!(r#"mutation {{ refreshToken(token: "{token}") {{ payload }} }}"#),
        json!(null),
    )
    .await;
    assert_eq!(data["refreshToken"]["payload"]["username"], "manager1");
    // No long-running refresh tokens exist, so there is none to revoke.
    let (_, body) = json_of(
        web_test::call_service(
            &app,
            graphql_request(
                r#"mutation { revokeToken(refreshToken: "anything") { revoked } }"#,
                json!(null),
            ),
        )
        .await,
    )
    .await;
    assert_eq!(
        body["errors"][0]["message"], "Invalid refresh token",
        "{body}"
    );
}
