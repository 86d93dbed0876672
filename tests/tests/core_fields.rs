//! The nested fields core fills itself, over HTTP on the demo data: a language's
//! `interactiveuserSet`, a role's `userRoles`, a right's `role`, a mutation log's `user` and
//! `users`, a user's `mutationlogSet` and `mutations` (only the caller's logs unless an IMIS
//! administrator), and `claimAdmins(healthFacility_Status:)` with the enum core now defines.

use actix_web::test as web_test;
use openimis_system_tests::*;
use serde_json::{json, Value};

/// Core alone with the demo data, on SQLite or on the database `backend` names.
fn demo_core(backend: &[(String, String)]) -> (ModulesDir, openimis_host::runtime::Runtime) {
    let dir = ModulesDir::with(&["core"]);
    let mut vars: Vec<(&str, &str)> = vec![("DEMO_DATASET", "True")];
    vars.extend(backend.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let runtime = start(settings(
        &modules_json(&[json!({"name": "core"})]),
        &dir,
        &vars,
    ))
    .expect("core starts");
    (dir, runtime)
}

/// The `data` of a query as `token`, failing on any error.
async fn data<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    query: &str,
) -> Value {
    let (status, body) =
        json_of(web_test::call_service(app, graphql_as(query, json!(null), token)).await).await;
    assert_eq!(status, 200, "{query}: {body}");
    assert!(body.get("errors").is_none(), "{query}: {body}");
    body["data"].clone()
}

/// The `node`s of a connection.
fn nodes(connection: &Value) -> Vec<Value> {
    connection["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("not a connection: {connection}"))
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

/// The strings at `key` of each item.
fn texts(items: &[Value], key: &str) -> Vec<String> {
    items
        .iter()
        .map(|i| {
            i[key]
                .as_str()
                .unwrap_or_else(|| panic!("{key} of {i}"))
                .to_owned()
        })
        .collect()
}

#[actix_rt::test]
async fn languages_list_their_interactive_users_on_sqlite() {
    languages_list_their_interactive_users(&[]).await;
}

#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn languages_list_their_interactive_users_on_postgres() {
    languages_list_their_interactive_users(&postgres_db::fresh_database("fields_0")).await;
}

#[actix_rt::test]
async fn roles_list_their_user_roles_and_rights_their_role_on_sqlite() {
    roles_list_their_user_roles_and_rights_their_role(&[]).await;
}

#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn roles_list_their_user_roles_and_rights_their_role_on_postgres() {
    roles_list_their_user_roles_and_rights_their_role(&postgres_db::fresh_database("fields_1"))
        .await;
}

#[actix_rt::test]
async fn mutation_logs_and_users_point_at_each_other_on_sqlite() {
    mutation_logs_and_users_point_at_each_other(&[]).await;
}

#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn mutation_logs_and_users_point_at_each_other_on_postgres() {
    mutation_logs_and_users_point_at_each_other(&postgres_db::fresh_database("fields_2")).await;
}

#[actix_rt::test]
async fn only_administrators_read_the_logs_of_others_on_sqlite() {
    only_administrators_read_the_logs_of_others(&[]).await;
}

#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn only_administrators_read_the_logs_of_others_on_postgres() {
    only_administrators_read_the_logs_of_others(&postgres_db::fresh_database("fields_3")).await;
}

#[actix_rt::test]
async fn claim_admins_accept_the_health_facility_status_on_sqlite() {
    claim_admins_accept_the_health_facility_status(&[]).await;
}

#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn claim_admins_accept_the_health_facility_status_on_postgres() {
    claim_admins_accept_the_health_facility_status(&postgres_db::fresh_database("fields_4")).await;
}

async fn languages_list_their_interactive_users(backend: &[(String, String)]) {
    let (_dir, runtime) = demo_core(backend);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;

    let answer = data(&app, &token, "{ languages { code interactiveuserSet { totalCount edges { node { loginName language { code } } } } } }").await;
    let languages = answer["languages"].as_array().unwrap();
    assert_eq!(texts(languages, "code"), ["en", "fr"]);
    let english = nodes(&languages[0]["interactiveuserSet"]);
    assert_eq!(
        texts(&english, "loginName"),
        ["Admin", "manager1", "E00001", "CA00001"]
    );
    assert!(english.iter().all(|u| u["language"]["code"] == "en"));
    assert_eq!(languages[0]["interactiveuserSet"]["totalCount"], 4);
    assert_eq!(
        languages[1]["interactiveuserSet"],
        json!({"totalCount": 1, "edges": [{"node": {"loginName": "reception1", "language": {"code": "fr"}}}]})
    );

    // The connection's own filters and pages, and the set reached through a user's language.
    let answer = data(&app, &token, r#"{ languages { code interactiveuserSet(lastName_Icontains: "CLAIM") { edges { node { loginName } } } } interactiveUsers(loginName_Iexact: "reception1") { edges { node { language { name interactiveuserSet(first: 1) { totalCount pageInfo { hasNextPage } edges { node { loginName } } } } } } } }"#).await;
    assert_eq!(
        answer["languages"][0]["interactiveuserSet"],
        json!({"edges": [{"node": {"loginName": "CA00001"}}]})
    );
    assert_eq!(
        answer["languages"][1]["interactiveuserSet"],
        json!({"edges": []})
    );
    assert_eq!(
        nodes(&answer["interactiveUsers"])[0]["language"],
        json!({"name": "Français", "interactiveuserSet": {"totalCount": 1, "pageInfo": {"hasNextPage": false}, "edges": [{"node": {"loginName": "reception1"}}]}})
    );
}

async fn roles_list_their_user_roles_and_rights_their_role(backend: &[(String, String)]) {
    let (_dir, runtime) = demo_core(backend);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;

    let answer = data(&app, &token, r#"{ role(name: "Manager") { edges { node { name userRoles { id validityTo role { name } user { loginName roles { name } } } } } } }"#).await;
    let manager = &nodes(&answer["role"])[0];
    let user_roles = manager["userRoles"].as_array().unwrap();
    assert_eq!(
        user_roles
            .iter()
            .map(|ur| ur["user"]["loginName"].as_str().unwrap())
            .collect::<Vec<_>>(),
        ["Admin", "manager1"]
    );
    assert!(user_roles
        .iter()
        .all(|ur| ur["role"]["name"] == "Manager" && ur["validityTo"].is_null()));
    assert!(user_roles[0]["id"].as_str().unwrap().parse::<i64>().is_ok());
    assert_eq!(
        user_roles[1]["user"]["roles"],
        json!([{"name": "Manager"}]),
        "the nested user's own roles"
    );

    // A role with rights: each right names its role, both from `role` and from `roleRight`.
    let create = r#"mutation { createRole(input: { clientMutationId: "f-role", name: "Auditor", isSystem: false, isBlocked: false, rightsId: [101001, 101002] }) { internalId } }"#;
    data(&app, &token, create).await;
    let answer = data(&app, &token, r#"{ role(name: "Auditor") { edges { node { name userRoles { id } rights { totalCount edges { node { rightId role { name isSystem } } } } } } } roleRight(role_Name: "Auditor") { edges { node { rightId role { name rights(rightId: 101002) { edges { node { rightId } } } } } } } }"#).await;
    assert_eq!(
        nodes(&answer["role"])[0],
        json!({"name": "Auditor", "userRoles": [], "rights": {"totalCount": 2, "edges": [
            {"node": {"rightId": 101001, "role": {"name": "Auditor", "isSystem": 0}}},
            {"node": {"rightId": 101002, "role": {"name": "Auditor", "isSystem": 0}}}]}})
    );
    let rights = nodes(&answer["roleRight"]);
    assert_eq!(rights.len(), 2);
    for right in &rights {
        assert_eq!(
            right["role"],
            json!({"name": "Auditor", "rights": {"edges": [{"node": {"rightId": 101002}}]}})
        );
    }

    // The same role reached from a user's userRoles.
    let answer = data(&app, &token, r#"{ interactiveUsers(loginName_Iexact: "manager1") { edges { node { userRoles { role { name userRoles { user { loginName } } } } } } } }"#).await;
    assert_eq!(
        nodes(&answer["interactiveUsers"])[0]["userRoles"],
        json!([{"role": {"name": "Manager", "userRoles": [{"user": {"loginName": "Admin"}}, {"user": {"loginName": "manager1"}}]}}])
    );
}

const CREATE_USER: &str = r#"mutation { createUser(input: { clientMutationId: "f-user", username: "field1", userTypes: [INTERACTIVE], lastName: "Field", otherNames: "One", language: "en", roles: [], password: "S3cret!pass" }) { internalId } }"#;

async fn mutation_logs_and_users_point_at_each_other(backend: &[(String, String)]) {
    let (_dir, runtime) = demo_core(backend);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    data(&app, &token, CREATE_USER).await;

    let answer = data(&app, &token, r#"{ mutationLogs(clientMutationId: "f-user") { edges { node { status clientMutationId user { username iUser { loginName } } users { id coreUser { username } mutation { clientMutationId user { username } } } } } } }"#).await;
    let log = &nodes(&answer["mutationLogs"])[0];
    assert_eq!(log["status"], 2, "{log}");
    assert_eq!(
        log["user"],
        json!({"username": "Admin", "iUser": {"loginName": "Admin"}})
    );
    let users = log["users"].as_array().unwrap();
    assert_eq!(users.len(), 1, "{log}");
    assert!(uuid::Uuid::parse_str(users[0]["id"].as_str().unwrap()).is_ok());
    assert_eq!(users[0]["coreUser"], json!({"username": "field1"}));
    assert_eq!(
        users[0]["mutation"],
        json!({"clientMutationId": "f-user", "user": {"username": "Admin"}})
    );

    // The created user's mutations, and the logs Admin asked for.
    let answer = data(&app, &token, r#"{ users(username: "field1") { edges { node { username mutations { coreUser { username } mutation { clientMutationId status } } mutationlogSet { totalCount } } } } user { username mutations { id } mutationlogSet(clientMutationId: "f-user") { totalCount edges { node { clientMutationId user { username } users { coreUser { username } } } } } } }"#).await;
    assert_eq!(
        nodes(&answer["users"])[0],
        json!({"username": "field1", "mutations": [{"coreUser": {"username": "field1"}, "mutation": {"clientMutationId": "f-user", "status": 2}}],
               "mutationlogSet": {"totalCount": 0}})
    );
    let me = &answer["user"];
    assert_eq!(me["username"], "Admin");
    assert_eq!(me["mutations"], json!([]));
    assert_eq!(
        me["mutationlogSet"],
        json!({"totalCount": 1, "edges": [{"node": {"clientMutationId": "f-user", "user": {"username": "Admin"}, "users": [{"coreUser": {"username": "field1"}}]}}]})
    );

    // The log filters on the set: by time and status.
    for (filter, expected) in [
        (
            r#"requestDateTime_Gte: "2000-01-01T00:00:00", status: 2"#,
            1,
        ),
        (r#"requestDateTime_Lte: "2000-01-01T00:00:00""#, 0),
        ("status_Gte: 1", 1),
        ("status: 1", 0),
    ] {
        let answer = data(
            &app,
            &token,
            &format!("{{ user {{ mutationlogSet({filter}) {{ totalCount }} }} }}"),
        )
        .await;
        assert_eq!(
            answer["user"]["mutationlogSet"]["totalCount"], expected,
            "{filter}"
        );
    }
}

async fn only_administrators_read_the_logs_of_others(backend: &[(String, String)]) {
    let (_dir, runtime) = demo_core(backend);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    data(&app, &token, CREATE_USER).await;
    // A user who may read users (121701) but is no IMIS administrator.
    data(&app, &token, r#"mutation { createRole(input: { clientMutationId: "f-viewer-role", name: "User viewer", isSystem: false, isBlocked: false, rightsId: [121701] }) { internalId } }"#).await;
    let role = data(
        &app,
        &token,
        r#"{ role(name: "User viewer") { edges { node { id } } } }"#,
    )
    .await;
    let role_id = String::from_utf8(
        base64::Engine::decode(
            &base64::engine::general_purpose::STANDARD,
            nodes(&role["role"])[0]["id"].as_str().unwrap(),
        )
        .unwrap(),
    )
    .unwrap();
    let role_pk = role_id.split(':').nth(1).unwrap();
    data(&app, &token, &format!(r#"mutation {{ createUser(input: {{ clientMutationId: "f-viewer", username: "viewer1", userTypes: [INTERACTIVE], lastName: "Viewer", otherNames: "Vic", language: "en", roles: [{role_pk}], password: "S3cret!pass" }}) {{ internalId }} }}"#)).await;

    let query =
        r#"{ users(username: "Admin") { edges { node { mutationlogSet { totalCount } } } } }"#;
    let as_admin = data(&app, &token, query).await;
    assert_eq!(
        nodes(&as_admin["users"])[0]["mutationlogSet"]["totalCount"],
        3,
        "Admin's three mutations"
    );
    let viewer = login(&app, "viewer1", "S3cret!pass").await;
    let as_viewer = data(&app, &viewer, query).await;
    assert_eq!(
        nodes(&as_viewer["users"])[0]["mutationlogSet"]["totalCount"],
        0,
        "{as_viewer}"
    );
}

async fn claim_admins_accept_the_health_facility_status(backend: &[(String, String)]) {
    let (_dir, runtime) = demo_core(backend);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let answer = data(
        &app,
        &token,
        "{ claimAdmins(healthFacility_Status: AC) { edges { node { code } } } }",
    )
    .await;
    assert_eq!(
        texts(&nodes(&answer["claimAdmins"]), "code"),
        Vec::<String>::new(),
        "accepted, and without location no facility matches (as core_gaps checks for the others)"
    );
    // Core defines the enum, so it exists without location.
    let answer = data(
        &app,
        &token,
        r#"{ __type(name: "HealthFacilityStatus") { kind enumValues { name } } }"#,
    )
    .await;
    assert_eq!(
        answer["__type"],
        json!({"kind": "ENUM", "enumValues": [{"name": "AC"}, {"name": "IN"}, {"name": "DE"}, {"name": "ID"}]})
    );
}
