//! Users, interactive users, officers and claim admins over HTTP on the demo data: each root
//! query with its filters, the rights the host enforces, and createUser/updateUser/deleteUser
//! through the mutation log (rows, history, links; a failure leaves no rows).

use actix_web::test as web_test;
use openimis_system_tests::*;
use serde_json::{json, Value};

fn core_only() -> (ModulesDir, openimis_host::runtime::Runtime) {
    let dir = ModulesDir::with(&["core"]);
    let runtime = start(settings(
        &modules_json(&[json!({"name": "core"})]),
        &dir,
        &[("DEMO_DATASET", "True")],
    ))
    .unwrap();
    (dir, runtime)
}

/// The `username`s of a users connection's nodes.
fn usernames(connection: &Value) -> Vec<String> {
    connection["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("not a connection: {connection}"))
        .iter()
        .map(|e| e["node"]["username"].as_str().unwrap().to_owned())
        .collect()
}

#[actix_rt::test]
async fn users_queries_filter_the_demo_users() {
    let (_dir, runtime) = core_only();
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let ask = |q: &str| graphql_as(q, json!(null), &token);

    let (status, body) = json_of(web_test::call_service(&app, ask(r#"{
        all: users(orderBy: ["-username"]) { totalCount edges { node { username } } }
        officers: users(userTypes: [OFFICER]) { edges { node { username officer { code dob hasLogin substitutionOfficer { code } } } } }
        named: users(username_Icontains: "ca", first: 1) { totalCount pageInfo { hasNextPage } edges { node { username } } }
        text: users(str: "cleo") { edges { node { username lastName otherNames claimAdmin { code emailId phone } } } }
        hf: users(healthFacilityId: 1) { edges { node { username } } }
        born: users(birthDateFrom: "1985-01-01") { edges { node { username } } }
        mail: users(email: "manager1@example.org") { edges { node { username email iUser { loginName languageId language { code } roles { name } } } } }
        both: users(userTypes: [INTERACTIVE, CLAIM_ADMIN], lastName: "claims") { edges { node { username } } }
    }"#)).await).await;
    assert_eq!(status, 200, "{body}");
    let data = &body["data"];
    assert_eq!(data["all"]["totalCount"], 7, "{body}");
    assert_eq!(
        usernames(&data["all"]),
        [
            "reception1",
            "manager1",
            "E00002",
            "E00001",
            "CA00002",
            "CA00001",
            "Admin"
        ]
    );
    assert_eq!(
        data["officers"]["edges"],
        json!([
            {"node": {"username": "E00001", "officer": {"code": "E00001", "dob": "1985-03-04", "hasLogin": true, "substitutionOfficer": {"code": "E00002"}}}},
            {"node": {"username": "E00002", "officer": {"code": "E00002", "dob": "1990-06-07", "hasLogin": false, "substitutionOfficer": null}}},
        ])
    );
    assert_eq!(data["named"]["totalCount"], 2);
    assert_eq!(data["named"]["pageInfo"]["hasNextPage"], true);
    assert_eq!(
        data["text"]["edges"][0]["node"],
        json!({"username": "CA00002", "lastName": "Claims", "otherNames": "Cleo",
               "claimAdmin": {"code": "CA00002", "emailId": "ca00002@example.org", "phone": "555-0300"}})
    );
    assert_eq!(usernames(&data["hf"]), ["CA00001", "reception1"]);
    assert_eq!(usernames(&data["born"]), ["E00001", "E00002"]);
    assert_eq!(
        data["mail"]["edges"][0]["node"],
        json!({"username": "manager1", "email": "manager1@example.org",
               "iUser": {"loginName": "manager1", "languageId": "en", "language": {"code": "en"}, "roles": [{"name": "Manager"}]}})
    );
    assert_eq!(usernames(&data["both"]), ["CA00001", "CA00002"]);

    // Roles, relay ids, the caller, interactive users, officers and claim admins.
    let (_, body) = json_of(
        web_test::call_service(
            &app,
            ask(r#"{ role(name: "Manager") { edges { node { id } } } }"#),
        )
        .await,
    )
    .await;
    let manager_role = base64_pk(
        body["data"]["role"]["edges"][0]["node"]["id"]
            .as_str()
            .unwrap(),
    );
    let (_, body) = json_of(web_test::call_service(&app, ask(&format!(r#"{{
        byRole: users(roles: [{manager_role}]) {{ edges {{ node {{ username }} }} }}
        byRoleId: users(roleId: {manager_role}) {{ edges {{ node {{ username }} }} }}
        me: user {{ username rights iUser {{ loginName }} }}
        iu: interactiveUsers(loginName_Iexact: "E00001") {{ totalCount edges {{ node {{ loginName isAssociated userRoles {{ role {{ name }} }} userSet {{ edges {{ node {{ username officer {{ code }} }} }} }} }} }} }}
        eoNone: enrolmentOfficers {{ totalCount }}
        eoAll: enrolmentOfficers(str: "") {{ totalCount }}
        eo: enrolmentOfficers(str: "oliv") {{ edges {{ node {{ code lastName otherNames officerSet {{ totalCount }} }} }} }}
        subst: substitutionEnrolmentOfficers(villagesUuids: ["2ea0e0a0-0000-4000-8000-000000000004"]) {{ edges {{ node {{ code }} }} }}
        ca: claimAdmins(search: "carl") {{ totalCount edges {{ node {{ code hasLogin userSet {{ edges {{ node {{ username }} }} }} }} }} }}
        noLocation: users(districtId: 1) {{ totalCount }}
        fields: userObligatoryFields
        eoFields: eoObligatoryFields
        filters: customFilters(moduleName: "insuree", objectTypeName: "Insuree") {{ type code objectClassName possibleFilters {{ field }} }}
    }}"#))).await).await;
    let data = &body["data"];
    assert_eq!(usernames(&data["byRole"]), ["Admin", "manager1"], "{body}");
    assert_eq!(usernames(&data["byRoleId"]), ["Admin", "manager1"]);
    assert_eq!(data["me"]["username"], "Admin");
    assert_eq!(data["me"]["iUser"]["loginName"], "Admin");
    assert_eq!(
        data["me"]["rights"],
        json!([]),
        "the demo roles hold no rights"
    );
    assert_eq!(data["iu"]["totalCount"], 1);
    assert_eq!(
        data["iu"]["edges"][0]["node"],
        json!({"loginName": "E00001", "isAssociated": true, "userRoles": [{"role": {"name": "Enrolment Officer"}}],
               "userSet": {"edges": [{"node": {"username": "E00001", "officer": {"code": "E00001"}}}]}})
    );
    assert_eq!(data["eoNone"], Value::Null, "without `str`, nothing");
    assert_eq!(data["eoAll"]["totalCount"], 2);
    assert_eq!(
        data["eo"]["edges"],
        json!([{"node": {"code": "E00001", "lastName": "Officer", "otherNames": "Olivia", "officerSet": {"totalCount": 0}}}])
    );
    assert_eq!(
        data["subst"]["edges"],
        json!([]),
        "no location module: no villages"
    );
    assert_eq!(data["ca"]["totalCount"], 1);
    assert_eq!(
        data["ca"]["edges"][0]["node"],
        json!({"code": "CA00001", "hasLogin": true, "userSet": {"edges": [{"node": {"username": "CA00001"}}]}})
    );
    assert_eq!(
        data["noLocation"]["totalCount"], 0,
        "location filters match nothing without location"
    );
    assert_eq!(data["fields"], json!({}));
    assert_eq!(data["eoFields"], json!({}));
    assert_eq!(
        data["filters"],
        json!({"type": "Insuree", "code": "insuree", "objectClassName": "Insuree", "possibleFilters": []})
    );

    let (_, body) = json_of(
        web_test::call_service(
            &app,
            ask(r#"{ users(orderBy: ["shoeSize"]) { totalCount } }"#),
        )
        .await,
    )
    .await;
    assert_eq!(
        body["errors"][0]["message"],
        "Cannot resolve keyword 'shoe_size' into field."
    );
    let (_, body) =
        json_of(web_test::call_service(&app, ask(r#"{ users(first: 101) { totalCount } }"#)).await)
            .await;
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("exceeds the `first` limit of 100"),
        "{body}"
    );
}

/// The pk inside a relay id.
fn base64_pk(id: &str) -> String {
    openimis_sdk::relay::parse_global_id(id).unwrap().1
}

#[actix_rt::test]
async fn user_queries_need_their_rights() {
    let (_dir, runtime) = core_only();
    let (_rt, app) = service(runtime).await;
    let (_, body) = json_of(
        web_test::call_service(
            &app,
            graphql_request("{ user { username } userObligatoryFields }", json!(null)),
        )
        .await,
    )
    .await;
    assert_eq!(
        body["data"],
        json!({"user": null, "userObligatoryFields": null}),
        "{body}"
    );
    let (_, body) = json_of(
        web_test::call_service(
            &app,
            graphql_request(
                r#"{ customFilters(moduleName: "a", objectTypeName: "B") { code } }"#,
                json!(null),
            ),
        )
        .await,
    )
    .await;
    assert_eq!(body["errors"][0]["message"], "Unauthorized");

    // The demo roles carry no rights: a manager may read itself, not the users.
    let token = login(&app, "manager1", "Demo12345!").await;
    for q in [
        "{ users { totalCount } }",
        "{ interactiveUsers { totalCount } }",
        r#"{ enrolmentOfficers(str: "") { totalCount } }"#,
    ] {
        let (_, body) =
            json_of(web_test::call_service(&app, graphql_as(q, json!(null), &token)).await).await;
        assert_eq!(body["errors"][0]["message"], "unauthorized", "{q}: {body}");
    }
    let (_, body) = json_of(
        web_test::call_service(
            &app,
            graphql_as(
                "{ user { username } claimAdmins { totalCount } }",
                json!(null),
                &token,
            ),
        )
        .await,
    )
    .await;
    assert_eq!(
        body["data"],
        json!({"user": {"username": "manager1"}, "claimAdmins": {"totalCount": 2}}),
        "{body}"
    );
}

#[actix_rt::test]
async fn user_mutations_through_the_mutation_log() {
    let (_dir, runtime) = core_only();
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let ask = |q: &str, v: Value| graphql_as(q, v, &token);
    let status_of = |id: &str| {
        format!(
            r#"{{ mutationLogs(clientMutationId: "{id}") {{ edges {{ node {{ status error }} }} }} }}"#
        )
    };
    let create = "mutation ($input: CreateUserMutationInput!) { createUser(input: $input) { clientMutationId internalId } }";
    let update =
        "mutation ($input: UpdateUserMutationInput!) { updateUser(input: $input) { internalId } }";
    let (_, body) = json_of(
        web_test::call_service(
            &app,
            ask(
                r#"{ role(name: "Clerk") { edges { node { id } } } }"#,
                json!(null),
            ),
        )
        .await,
    )
    .await;
    let clerk: i64 = base64_pk(
        body["data"]["role"]["edges"][0]["node"]["id"]
            .as_str()
            .unwrap(),
    )
    .parse()
    .unwrap();

    // An interactive user who is also an officer, as the frontend sends it (but with numbers:
    // the host does not coerce numeric strings to Int as graphene 2 does).
    let input = json!({"clientMutationId": "u1", "username": "clerk1", "userTypes": ["INTERACTIVE", "OFFICER"], "lastName": "Clerk",
        "otherNames": "One", "phone": "555", "email": "clerk1@example.org", "password": "S3cret!pass", "healthFacilityId": 7,
        "districts": [2], "language": "en", "roles": [clerk], "birthDate": "1990-01-01", "address": "Street 1", "villageIds": [4]});
    let (_, body) =
        json_of(web_test::call_service(&app, ask(create, json!({"input": input}))).await).await;
    assert_eq!(
        body["data"]["createUser"]["clientMutationId"], "u1",
        "{body}"
    );
    let (_, body) =
        json_of(web_test::call_service(&app, ask(&status_of("u1"), json!(null))).await).await;
    assert_eq!(
        body["data"]["mutationLogs"]["edges"][0]["node"],
        json!({"status": 2, "error": null})
    );
    let (_, body) = json_of(web_test::call_service(&app, ask(r#"{ users(clientMutationId: "u1") { edges { node { id username officer { code dob address hasLogin } iUser { loginName isAssociated healthFacilityId roles { name } } } } } }"#, json!(null))).await).await;
    let node = &body["data"]["users"]["edges"][0]["node"];
    assert_eq!(
        (
            node["username"].clone(),
            node["officer"].clone(),
            node["iUser"].clone()
        ),
        (
            json!("clerk1"),
            json!({"code": "clerk1", "dob": "1990-01-01", "address": "Street 1", "hasLogin": true}),
            json!({"loginName": "clerk1", "isAssociated": true, "healthFacilityId": 7, "roles": [{"name": "Clerk"}]})
        ),
        "{body}"
    );
    let uuid = base64_pk(node["id"].as_str().unwrap());
    // The new password works.
    login(&app, "clerk1", "S3cret!pass").await;

    // The same username again: refused, nothing written.
    let again = json!({"input": {"clientMutationId": "u2", "username": "clerk1", "userTypes": ["CLAIM_ADMIN"], "lastName": "X", "otherNames": "Y", "language": "en"}});
    json_of(web_test::call_service(&app, ask(create, again)).await).await;
    let (_, body) =
        json_of(web_test::call_service(&app, ask(&status_of("u2"), json!(null))).await).await;
    let node = &body["data"]["mutationLogs"]["edges"][0]["node"];
    assert_eq!(node["status"], 1);
    let errors: Value = serde_json::from_str(node["error"].as_str().unwrap()).unwrap();
    assert_eq!(
        errors,
        json!([{"message": "core.mutation.validation_error", "detail": "['User with this user name already exists.']"}])
    );

    // A failure half-way (an unknown role breaks the foreign key) leaves no rows at all.
    let broken = json!({"input": {"clientMutationId": "u3", "username": "ghost", "userTypes": ["INTERACTIVE", "CLAIM_ADMIN"], "lastName": "G",
        "otherNames": "H", "language": "en", "roles": [99999]}});
    json_of(web_test::call_service(&app, ask(create, broken)).await).await;
    let (_, body) = json_of(web_test::call_service(&app, ask(&format!("{} {}", &status_of("u3")[..status_of("u3").len() - 1], r#"ghost: users(username: "ghost") { totalCount } iu: interactiveUsers(loginName_Iexact: "ghost") { totalCount } ca: claimAdmins(code: "ghost") { totalCount } }"#), json!(null))).await).await;
    assert_eq!(
        body["data"]["mutationLogs"]["edges"][0]["node"]["status"], 1,
        "{body}"
    );
    assert_eq!(
        (
            body["data"]["ghost"]["totalCount"].clone(),
            body["data"]["iu"]["totalCount"].clone(),
            body["data"]["ca"]["totalCount"].clone()
        ),
        (json!(0), json!(0), json!(0))
    );

    // Update: email is required, then the officer gets a history copy and the user history rows.
    let mut changed = json!({"clientMutationId": "u4", "uuid": uuid, "username": "clerk1", "userTypes": ["INTERACTIVE", "OFFICER"],
        "lastName": "Clerk", "otherNames": "Uno", "language": "fr", "roles": [clerk]});
    json_of(web_test::call_service(&app, ask(update, json!({"input": changed.clone()}))).await)
        .await;
    let (_, body) =
        json_of(web_test::call_service(&app, ask(&status_of("u4"), json!(null))).await).await;
    let node = &body["data"]["mutationLogs"]["edges"][0]["node"];
    assert_eq!(node["status"], 1);
    assert_eq!(
        serde_json::from_str::<Value>(node["error"].as_str().unwrap()).unwrap()[0],
        json!({"message": "core.mutation.failed_to_update_user", "detail": "['mutation.user_no_email_provided']"})
    );
    changed["clientMutationId"] = json!("u5");
    changed["email"] = json!("clerk1@example.org");
    json_of(web_test::call_service(&app, ask(update, json!({"input": changed}))).await).await;
    let (_, body) = json_of(web_test::call_service(&app, ask(&format!(r#"{{ mutationLogs(clientMutationId: "u5") {{ edges {{ node {{ status error }} }} }}
        users(id: "{uuid}") {{ edges {{ node {{ otherNames iUser {{ languageId version }} officer {{ otherNames }} }} }} }}
        history: enrolmentOfficers(str: "clerk1") {{ totalCount }} }}"#), json!(null))).await).await;
    assert_eq!(
        body["data"]["mutationLogs"]["edges"][0]["node"],
        json!({"status": 2, "error": null}),
        "{body}"
    );
    assert_eq!(
        body["data"]["users"]["edges"][0]["node"],
        json!({"otherNames": "Uno", "iUser": {"languageId": "fr", "version": 2}, "officer": {"otherNames": "Uno"}})
    );
    assert_eq!(
        body["data"]["history"]["totalCount"], 1,
        "the history copy is not valid"
    );
    let (_, body) = json_of(web_test::call_service(&app, ask(r#"{ officers: enrolmentOfficers(str: "clerk1") { edges { node { validityTo legacyId } } } }"#, json!(null))).await).await;
    assert_eq!(
        body["data"]["officers"]["edges"][0]["node"],
        json!({"validityTo": null, "legacyId": null})
    );

    // Delete: the officer is end-dated; the interactive user stays, as in core 1.11.0.
    let delete = format!(
        r#"mutation {{ deleteUser(input: {{ clientMutationId: "u6", uuids: ["{uuid}"] }}) {{ internalId }} }}"#
    );
    json_of(web_test::call_service(&app, ask(&delete, json!(null))).await).await;
    let (_, body) = json_of(web_test::call_service(&app, ask(r#"{ mutationLogs(clientMutationId: "u6") { edges { node { status } } }
        eo: enrolmentOfficers(str: "clerk1") { totalCount } iu: interactiveUsers(loginName_Iexact: "clerk1") { totalCount } }"#, json!(null))).await).await;
    assert_eq!(
        body["data"],
        json!({"mutationLogs": {"edges": [{"node": {"status": 2}}]}, "eo": {"totalCount": 0}, "iu": {"totalCount": 1}}),
        "{body}"
    );

    // Without the right, the mutation is recorded as refused.
    let manager = login(&app, "manager1", "Demo12345!").await;
    let input = json!({"input": {"clientMutationId": "u7", "username": "nobody", "userTypes": ["INTERACTIVE"], "lastName": "N", "otherNames": "O", "language": "en", "roles": []}});
    json_of(web_test::call_service(&app, graphql_as(create, input, &manager)).await).await;
    let (_, body) =
        json_of(web_test::call_service(&app, ask(&status_of("u7"), json!(null))).await).await;
    assert_eq!(
        serde_json::from_str::<Value>(
            body["data"]["mutationLogs"]["edges"][0]["node"]["error"]
                .as_str()
                .unwrap()
        )
        .unwrap()[0],
        json!({"message": "core.mutation.failed_to_create_user", "detail": "unauthorized"})
    );
}
