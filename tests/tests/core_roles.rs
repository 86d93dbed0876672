//! Roles and rights through HTTP on the demo data: the `role` connection and its filters,
//! `validateRoleName`, `modulesPermissions`, all guarded by right 122001.

use actix_web::test as web;
use openimis_system_tests::*;
use serde_json::json;

#[actix_rt::test]
async fn roles_rights_and_module_permissions() {
    let dir = ModulesDir::with(&["core"]);
    let runtime = start(settings(
        &modules_json(&[json!({"name": "core"})]),
        &dir,
        &[("DEMO_DATASET", "True")],
    ))
    .unwrap();
    let (_rt, app) = service(runtime).await;
    let (_, body) = json_of(
        web::call_service(
            &app,
            graphql_request("{ role { totalCount } }", json!(null)),
        )
        .await,
    )
    .await;
    assert_eq!(
        body["errors"][0]["message"], "unauthorized",
        "anonymous users are refused by the host"
    );
    let token = login(&app, "Admin", "admin123").await;

    let (status, body) = json_of(web::call_service(&app, graphql_as("{ role(isSystem: true, first: 3) { totalCount pageInfo { hasNextPage } edges { node { name isSystem systemRoleId isBlocked rights { totalCount } } } } }", json!(null), &token)).await).await;
    assert_eq!(status, 200, "{body}");
    let roles = &body["data"]["role"];
    assert_eq!(roles["totalCount"], 12);
    assert_eq!(roles["pageInfo"]["hasNextPage"], true);
    let names: Vec<&str> = roles["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Enrolment Officer", "Manager", "Accountant"]);
    assert_eq!(
        roles["edges"][1]["node"],
        json!({"name": "Manager", "isSystem": 2, "systemRoleId": 2, "isBlocked": false, "rights": {"totalCount": 0}})
    );

    let (_, body) = json_of(web::call_service(&app, graphql_as(r#"{ role(systemRoleId: 64) { edges { node { name } } } byName: role(name_Icontains: "admin") { totalCount } }"#, json!(null), &token)).await).await;
    assert_eq!(
        body["data"]["role"]["edges"],
        json!([{"node": {"name": "IMIS Administrator"}}])
    );
    assert_eq!(
        body["data"]["byName"]["totalCount"], 5,
        "Scheme, IMIS, Claim, HF and Offline Administrator: {body}"
    );

    let (_, body) = json_of(web::call_service(&app, graphql_as(r#"{ taken: validateRoleName(roleName: "Manager") free: validateRoleName(roleName: "Auditor") }"#, json!(null), &token)).await).await;
    assert_eq!(body["data"], json!({"taken": false, "free": true}));

    let (_, body) = json_of(web::call_service(&app, graphql_as("{ modulesPermissions { modulePermsList { moduleName permissions { permsName permsValue } } } }", json!(null), &token)).await).await;
    let list = body["data"]["modulesPermissions"]["modulePermsList"]
        .as_array()
        .unwrap();
    assert_eq!(list[0]["moduleName"], "core");
    let permissions = list[0]["permissions"].as_array().unwrap();
    assert_eq!(permissions.len(), 20);
    assert!(
        permissions.contains(&json!({"permsName": "gql_query_roles_perms", "permsValue": 122001})),
        "{permissions:?}"
    );
}

#[actix_rt::test]
async fn password_policy_username_checks_and_changing_language() {
    let dir = ModulesDir::with(&["core"]);
    let runtime = start(settings(
        &modules_json(&[json!({"name": "core"})]),
        &dir,
        &[("DEMO_DATASET", "True"), ("PASSWORD_MIN_LENGTH", "10")],
    ))
    .unwrap();
    let (_rt, app) = service(runtime).await;
    let (_, body) =
        json_of(web::call_service(&app, graphql_request("{ passwordPolicy }", json!(null))).await)
            .await;
    assert_eq!(
        body["data"]["passwordPolicy"],
        r#"{"min_length": 10, "require_upper_case": 1, "require_lower_case": 1, "require_numbers": 1, "require_special_characters": 1}"#
    );
    let (_, body) =
        json_of(web::call_service(&app, graphql_request("{ usernameLength }", json!(null))).await)
            .await;
    assert_eq!(body["errors"][0]["message"], "unauthorized");
    let token = login(&app, "Admin", "admin123").await;
    let q = r#"{ usernameLength taken: validateUsername(username: "Admin") free: validateUsername(username: "Nobody") email: validateUserEmail(userEmail: "nobody@example.org") }"#;
    let (_, body) =
        json_of(web::call_service(&app, graphql_as(q, json!(null), &token)).await).await;
    assert_eq!(
        body["data"],
        json!({"usernameLength": 12, "taken": false, "free": true, "email": true})
    );

    let change = |lang: &str, id: &str| {
        format!(
            r#"mutation {{ changeUserLanguage(input: {{ clientMutationId: "{id}", languageId: "{lang}" }}) {{ clientMutationId internalId }} }}"#
        )
    };
    let poll = |id: &str| {
        format!(
            r#"{{ mutationLogs(clientMutationId: "{id}") {{ edges {{ node {{ status error }} }} }} }}"#
        )
    };
    json_of(
        web::call_service(
            &app,
            graphql_as(&change("fr", "lang-1"), json!(null), &token),
        )
        .await,
    )
    .await;
    let (_, body) =
        json_of(web::call_service(&app, graphql_as(&poll("lang-1"), json!(null), &token)).await)
            .await;
    assert_eq!(
        body["data"]["mutationLogs"]["edges"][0]["node"],
        json!({"status": 2, "error": null})
    );
    let request = web::TestRequest::get()
        .uri("/api/core/users/current_user/")
        .insert_header(("Authorization", format!("Bearer {token}")))
        .to_request();
    let (_, user) = json_of(web::call_service(&app, request).await).await;
    assert_eq!(user["i_user"]["language"], "fr");
    json_of(
        web::call_service(
            &app,
            graphql_as(&change("xx", "lang-2"), json!(null), &token),
        )
        .await,
    )
    .await;
    let (_, body) =
        json_of(web::call_service(&app, graphql_as(&poll("lang-2"), json!(null), &token)).await)
            .await;
    let node = &body["data"]["mutationLogs"]["edges"][0]["node"];
    assert_eq!(node["status"], 1);
    let errors: serde_json::Value = serde_json::from_str(node["error"].as_str().unwrap()).unwrap();
    assert_eq!(
        errors[0]["message"],
        "core.mutation.failed_to_update_user_language"
    );
    assert_eq!(errors[0]["detail"], user["id"]);
}

#[actix_rt::test]
async fn the_role_lifecycle_through_the_mutation_log() {
    let dir = ModulesDir::with(&["core"]);
    let runtime = start(settings(
        &modules_json(&[json!({"name": "core"})]),
        &dir,
        &[("DEMO_DATASET", "True")],
    ))
    .unwrap();
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let run = |q: String| graphql_as(&q, json!(null), &token);
    let status_of = |id: &str| {
        format!(
            r#"{{ mutationLogs(clientMutationId: "{id}") {{ edges {{ node {{ status error }} }} }} }}"#
        )
    };
    let rights_of = |name: &str| {
        format!(
            r#"{{ role(name: "{name}") {{ edges {{ node {{ uuid rights {{ edges {{ node {{ rightId }} }} }} }} }} }} }}"#
        )
    };

    let create = r#"mutation { createRole(input: { clientMutationId: "r1", name: "Auditor", isSystem: false, isBlocked: false, rightsId: [101001, 101002] }) { internalId } }"#;
    json_of(web::call_service(&app, run(create.into())).await).await;
    let (_, body) = json_of(web::call_service(&app, run(status_of("r1"))).await).await;
    assert_eq!(
        body["data"]["mutationLogs"]["edges"][0]["node"],
        json!({"status": 2, "error": null})
    );
    let (_, body) = json_of(web::call_service(&app, run(rights_of("Auditor"))).await).await;
    let node = &body["data"]["role"]["edges"][0]["node"];
    let uuid = node["uuid"].as_str().unwrap().to_owned();
    assert_eq!(
        node["rights"]["edges"],
        json!([{"node": {"rightId": 101001}}, {"node": {"rightId": 101002}}])
    );

    // The same name again fails as the original reports it.
    json_of(web::call_service(&app, run(create.replace("\"r1\"", "\"r2\""))).await).await;
    let (_, body) = json_of(web::call_service(&app, run(status_of("r2"))).await).await;
    let node = &body["data"]["mutationLogs"]["edges"][0]["node"];
    assert_eq!(node["status"], 1);
    assert_eq!(
        node["error"],
        r#"[{"message":"core.mutation.failed_to_create_role","detail":"['mutation.duplicate_of_role_name']"}]"#
    );

    // Update: renamed, rights 101002 kept and 101003 added; the old version stays as history.
    let update = format!(
        r#"mutation {{ updateRole(input: {{ clientMutationId: "r3", uuid: "{uuid}", name: "Auditor 2", isSystem: false, isBlocked: false, rightsId: [101002, 101003] }}) {{ internalId }} }}"#
    );
    json_of(web::call_service(&app, run(update)).await).await;
    let (_, body) = json_of(web::call_service(&app, run(status_of("r3"))).await).await;
    assert_eq!(
        body["data"]["mutationLogs"]["edges"][0]["node"]["status"], 2,
        "{body}"
    );
    let (_, body) = json_of(web::call_service(&app, run(rights_of("Auditor 2"))).await).await;
    let node = &body["data"]["role"]["edges"][0]["node"];
    assert_eq!(
        node["uuid"],
        uuid.as_str(),
        "an update keeps the role's identity"
    );
    assert_eq!(
        node["rights"]["edges"],
        json!([{"node": {"rightId": 101002}}, {"node": {"rightId": 101003}}])
    );
    let (_, body) = json_of(web::call_service(&app, run(r#"{ current: role(name: "Auditor") { totalCount } history: role(name: "Auditor", showHistory: true) { edges { node { validityTo } } } }"#.into())).await).await;
    assert_eq!(body["data"]["current"]["totalCount"], 0);
    assert!(
        body["data"]["history"]["edges"][0]["node"]["validityTo"].is_string(),
        "{body}"
    );

    // Duplicate keeps the rights; delete end-dates the role.
    let duplicate = format!(
        r#"mutation {{ duplicateRole(input: {{ clientMutationId: "r4", uuid: "{uuid}", name: "Auditor copy", isSystem: false, isBlocked: false }}) {{ internalId }} }}"#
    );
    json_of(web::call_service(&app, run(duplicate)).await).await;
    let (_, body) = json_of(web::call_service(&app, run(rights_of("Auditor copy"))).await).await;
    assert_eq!(
        body["data"]["role"]["edges"][0]["node"]["rights"]["edges"],
        json!([{"node": {"rightId": 101002}}, {"node": {"rightId": 101003}}])
    );
    let delete = format!(
        r#"mutation {{ deleteRole(input: {{ clientMutationId: "r5", uuids: ["{uuid}"] }}) {{ internalId }} }}"#
    );
    json_of(web::call_service(&app, run(delete)).await).await;
    let (_, body) = json_of(
        web::call_service(
            &app,
            run(r#"{ role(name_Icontains: "auditor") { edges { node { name } } } }"#.into()),
        )
        .await,
    )
    .await;
    assert_eq!(
        body["data"]["role"]["edges"],
        json!([{"node": {"name": "Auditor copy"}}])
    );
}
