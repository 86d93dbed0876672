//! The `insuree` module with core, location, medical and medical_pricelist on the demo data:
//! schema parity with the reference (the diff printed), the frontend's recorded `insuree`
//! operations, the lists' filters, rights and row security, each mutation's effect, history,
//! links and failures (nothing half-written), and the services other modules call. Each
//! database test runs on SQLite and, with `--features postgres`, on PostgreSQL (`*_on_postgres`).

use actix_web::test as web_test;
use openimis_system_tests::calls::{
    ask, column, data, failed_with, log_of, mutate_input as mutate, replay_frontend,
};
use openimis_system_tests::conformance::{
    assert_extensions_as_reference, module_surface, parse_schema,
};
use openimis_system_tests::*;
use serde_json::{json, Value};

const TYPES: &[&str] = &[
    "ConfirmationTypeGQLType",
    "EducationGQLType",
    "FamilyGQLType",
    "FamilyGQLTypeConnection",
    "FamilyGQLTypeEdge",
    "FamilyHeadInsureeInputType",
    "FamilyMutationGQLType",
    "FamilyTypeGQLType",
    "GenderGQLType",
    "IdentificationTypeGQLType",
    "InsureeGQLType",
    "InsureeGQLTypeConnection",
    "InsureeGQLTypeEdge",
    "InsureeMutationGQLType",
    "InsureePolicyGQLType",
    "InsureePolicyGQLTypeConnection",
    "InsureePolicyGQLTypeEdge",
    "InsureeStatus",
    "InsureeStatusReasonGQLType",
    "InsureeStatusReasonGQLTypeConnection",
    "InsureeStatusReasonGQLTypeEdge",
    "PhotoGQLType",
    "PhotoInputType",
    "ProfessionGQLType",
    "RelationGQLType",
    "CreateFamilyMutationInput",
    "CreateFamilyMutationPayload",
    "UpdateFamilyMutationInput",
    "UpdateFamilyMutationPayload",
    "DeleteFamiliesMutationInput",
    "DeleteFamiliesMutationPayload",
    "CreateInsureeMutationInput",
    "CreateInsureeMutationPayload",
    "UpdateInsureeMutationInput",
    "UpdateInsureeMutationPayload",
    "DeleteInsureesMutationInput",
    "DeleteInsureesMutationPayload",
    "RemoveInsureesMutationInput",
    "RemoveInsureesMutationPayload",
    "SetFamilyHeadMutationInput",
    "SetFamilyHeadMutationPayload",
    "ChangeInsureeFamilyMutationInput",
    "ChangeInsureeFamilyMutationPayload",
];

const ROOTS: &[(&str, &str)] = &[
    ("Query", "canAddInsuree"),
    ("Query", "insureeGenders"),
    ("Query", "insurees"),
    ("Query", "identificationTypes"),
    ("Query", "educations"),
    ("Query", "professions"),
    ("Query", "familyTypes"),
    ("Query", "confirmationTypes"),
    ("Query", "relations"),
    ("Query", "insureeStatusReasons"),
    ("Query", "families"),
    ("Query", "familyMembers"),
    ("Query", "insureeOfficers"),
    ("Query", "insureePolicy"),
    ("Query", "insureeNumberValidity"),
    ("Query", "insureesExport"),
    ("Mutation", "createFamily"),
    ("Mutation", "updateFamily"),
    ("Mutation", "deleteFamilies"),
    ("Mutation", "createInsuree"),
    ("Mutation", "updateInsuree"),
    ("Mutation", "deleteInsurees"),
    ("Mutation", "removeInsurees"),
    ("Mutation", "setFamilyHead"),
    ("Mutation", "changeInsureeFamily"),
];

/// Fields typed by modules that do not exist yet (policy, claim, policyholder).
const NOT_SERVED: &[&str] = &[
    "FamilyGQLType.policies: awaits the module owning PolicyGQLTypeConnection",
    "InsureeGQLType.claimDedRems: awaits the module owning ClaimDedRemGQLTypeConnection",
    "InsureeGQLType.claimSet: awaits the module owning ClaimGQLTypeConnection",
    "InsureeGQLType.policyRenewals: awaits the module owning PolicyRenewalGQLTypeConnection",
    "InsureeGQLType.policyholderinsureeSet: awaits the module owning PolicyHolderInsureeGQLTypeConnection",
    "InsureePolicyGQLType.policy: awaits the module owning PolicyGQLType",
];

const MODULES: [&str; 5] = [
    "core",
    "location",
    "medical",
    "medical_pricelist",
    "insuree",
];

/// The five modules on the demo data, photos kept under `photos`, with `vars` (a PostgreSQL
/// database's DB_* variables, or none for SQLite).
fn started(
    vars: &[(String, String)],
    photos: &std::path::Path,
) -> (ModulesDir, openimis_host::runtime::Runtime) {
    let mut all: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    all.push(("DEMO_DATASET", "True"));
    let dir = ModulesDir::with(&MODULES);
    let root = photos.to_string_lossy().to_string();
    let entries = MODULES.map(|name| match name {
        "insuree" => json!({"name": name, "config": {"insuree_photos_root_path": root}}),
        _ => json!({ "name": name }),
    });
    let runtime = start(settings(&modules_json(&entries), &dir, &all)).unwrap_or_else(|e| {
        panic!("core + location + medical + medical_pricelist + insuree start: {e:?}")
    });
    (dir, runtime)
}

#[test]
fn the_insuree_surface_is_the_references() {
    let photos = tempfile::tempdir().unwrap();
    let (_dir, runtime) = started(&[], photos.path());
    let sdl = runtime.engine.composed.sdl();
    let (diff, awaiting) = module_surface(&sdl, TYPES, ROOTS);
    assert_eq!(diff, Vec::<String>::new(), "see the diff above");
    assert_eq!(awaiting, NOT_SERVED);
    assert_extensions_as_reference(
        &sdl,
        &[
            ("LocationGQLType", "familySet"),
            ("LocationGQLType", "insureeSet"),
            ("HealthFacilityGQLType", "insurees"),
            ("MutationLogGQLType", "insurees"),
            ("MutationLogGQLType", "families"),
        ],
    );
}

fn ok() -> Value {
    json!({"status": 2, "error": null})
}

on_sqlite_and_postgres! {
    the_frontends_insuree_operations_validate_and_run_on:
        the_frontends_insuree_operations_validate_and_run,
        the_frontends_insuree_operations_validate_and_run_on_postgres,
        "insuree_frontend"
}

async fn the_frontends_insuree_operations_validate_and_run_on(vars: &[(String, String)]) {
    let photos = tempfile::tempdir().unwrap();
    let (_dir, runtime) = started(vars, photos.path());
    let schema = parse_schema(&runtime.engine.composed.sdl());
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let answers = replay_frontend(&app, &schema, &token, "insuree", 33).await;
    for (id, client_id, failure) in RECORDED_MUTATIONS {
        let log = log_of(&app, &token, client_id).await;
        match failure {
            None => assert_eq!(log, ok(), "{id}"),
            Some((message, detail)) => failed_with(&log, message, *detail),
        }
    }
    let family = &answers["insuree-01"]["families"]["edges"][0]["node"];
    assert_eq!(
        family["uuid"], "f0000000-0000-4000-8000-000000000021",
        "{family}"
    );
    assert_eq!(family["location"]["parent"]["parent"]["code"], "R1D1");
    assert_eq!(
        column(&answers["insuree-02"], "insurees", "chfId")[0],
        "070707070"
    );
    let full = &answers["insuree-07"]["insurees"]["edges"][0]["node"];
    assert_eq!(
        full["family"]["headInsuree"]["uuid"],
        "10000000-0000-4000-8000-000000000031"
    );
    assert_eq!(full["gender"]["gender"], "Male");
    assert_eq!(full["family"]["confirmationType"]["code"], "C");
    let members = &answers["insuree-11"]["familyMembers"];
    assert_eq!(members["totalCount"], 2, "{members}");
    assert_eq!(
        answers["insuree-13"]["insureeGenders"],
        json!([{"code": "M"}, {"code": "F"}, {"code": "O"}])
    );
    // The original's resolver returns nothing without contextual selection, and
    // graphene-django's connection field then answers its default queryset: every valid
    // officer (the demo's two), whatever the `locationId`. The nodes are core's, completed
    // through federation from the keys insuree answers.
    assert_eq!(
        column(&answers["insuree-20"], "insureeOfficers", "code"),
        [json!("E00002"), json!("E00001")]
    );
    assert_eq!(
        column(&answers["insuree-33"], "insureeStatusReasons", "code"),
        [json!("MA"), json!("UC")]
    );
}

/// The recorded mutations' outcome on the demo data, in their order: the create's head number
/// is the demo head's (the original's uniqueness check runs with the new row's default uuid);
/// the delete ends family 21 with its members; the insuree update takes the number the create
/// just took; the head cannot be removed or deleted; the recorded moves then run.
type Outcome = Option<(&'static str, Option<&'static str>)>;
const RECORDED_MUTATIONS: &[(&str, &str, Outcome)] = &[
    (
        "insuree-24",
        "00000000-0000-4000-8000-00000000000e",
        Some((
            "insuree.mutation.failed_to_create_family",
            Some("['invalid_insuree_number']"),
        )),
    ),
    ("insuree-25", "00000000-0000-4000-8000-00000000000f", None),
    ("insuree-26", "00000000-0000-4000-8000-000000000010", None),
    ("insuree-27", "00000000-0000-4000-8000-000000000011", None),
    (
        "insuree-28",
        "00000000-0000-4000-8000-000000000012",
        Some((
            "insuree.mutation.failed_to_update_insuree",
            Some("['invalid_insuree_number']"),
        )),
    ),
    (
        "insuree-29",
        "00000000-0000-4000-8000-000000000013",
        Some((
            "Cannot remove head insuree 10000000-0000-4000-8000-000000000031 from family",
            None,
        )),
    ),
    (
        "insuree-30",
        "00000000-0000-4000-8000-000000000014",
        Some((
            "Cannot delete family head insuree 10000000-0000-4000-8000-000000000031",
            None,
        )),
    ),
    ("insuree-31", "00000000-0000-4000-8000-000000000015", None),
    ("insuree-32", "00000000-0000-4000-8000-000000000016", None),
];

/// The integer key inside a relay id (`base64("<Type>:<pk>")`).
fn pk_of(id: &Value) -> i64 {
    use base64::Engine;
    let text = base64::engine::general_purpose::STANDARD
        .decode(id.as_str().unwrap_or_default())
        .unwrap_or_default();
    let text = String::from_utf8(text).unwrap_or_default();
    text.rsplit(':')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_default()
}

/// A head (or member) as the frontend sends it.
fn person(chf_id: &str, last_name: &str) -> Value {
    json!({"chfId": chf_id, "lastName": last_name, "otherNames": "Ann", "genderId": "F",
        "dob": "1990-04-02", "marital": "S", "phone": "555-7", "currentVillageId": 4,
        "cardIssued": true, "professionId": 2, "educationId": 3, "typeOfIdId": "N", "status": "AC",
        "jsonExt": "{\"nationality\":\"X\"}"})
}

fn family_input(head: Value) -> Value {
    json!({"locationId": 4, "poverty": true, "familyTypeId": "H", "address": "Plot 90",
        "confirmationTypeId": "C", "confirmationNo": "CN-90", "headInsuree": head})
}

const FAMILY_FIELDS: &str = "id uuid address poverty validityTo familyType { code type } headInsuree { uuid chfId head photo { uuid folder filename photo date officerId } photoDate } members { totalCount edges { node { uuid chfId head } } } location { code }";

async fn family_by_head<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    chf_id: &str,
) -> Value {
    let found = data(app, token, &format!("{{ families(headInsuree_ChfId: \"{chf_id}\") {{ edges {{ node {{ {FAMILY_FIELDS} }} }} }} }}")).await;
    found["families"]["edges"][0]["node"].clone()
}

/// Every version of the insuree with `chf_id` (a history copy has its own uuid, as the
/// original's `save_history`).
async fn insuree_versions<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    chf_id: &str,
) -> Vec<Value> {
    let found = data(app, token, &format!("{{ insurees(chfId: \"{chf_id}\", showHistory: true) {{ edges {{ node {{ lastName head validityTo family {{ uuid }} }} }} }} }}")).await;
    found["insurees"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect()
}

async fn counts<B: actix_web::body::MessageBody>(app: &impl TestApp<B>, token: &str) -> Value {
    data(
        app,
        token,
        "{ insurees(showHistory: true) { totalCount } families(showHistory: true) { totalCount } }",
    )
    .await
}

on_sqlite_and_postgres! {
    mutations_write_rows_history_photos_links_and_fail_cleanly_on:
        mutations_write_rows_history_photos_links_and_fail_cleanly,
        mutations_write_rows_history_photos_links_and_fail_cleanly_on_postgres,
        "insuree_mutations"
}

async fn mutations_write_rows_history_photos_links_and_fail_cleanly_on(vars: &[(String, String)]) {
    let photos = tempfile::tempdir().unwrap();
    let (_dir, runtime) = started(vars, photos.path());
    let (_rt, app) = service(runtime).await;
    let admin = login(&app, "Admin", "admin123").await;

    // createFamily: the head, its photo (file and row), the family, the link.
    let mut head = person("900000001", "Tester");
    head["photo"] = json!({"officerId": 1, "date": "2024-06-01", "photo": "iVBORw0KGgo="});
    assert_eq!(
        mutate(
            &app,
            &admin,
            "createFamily",
            family_input(head.clone()),
            "m1"
        )
        .await,
        ok()
    );
    let family = family_by_head(&app, &admin, "900000001").await;
    let family_uuid = family["uuid"].as_str().unwrap().to_owned();
    let family_pk = pk_of(&family["id"]);
    let head_uuid = family["headInsuree"]["uuid"].as_str().unwrap().to_owned();
    assert_eq!(
        (
            &family["address"],
            &family["poverty"],
            &family["familyType"]["type"],
            &family["location"]["code"]
        ),
        (
            &json!("Plot 90"),
            &json!(true),
            &json!("Household"),
            &json!("R1D1M1V1")
        )
    );
    assert_eq!(family["headInsuree"]["head"], true);
    let photo = &family["headInsuree"]["photo"];
    assert_eq!(
        (&photo["photo"], &photo["date"], &photo["officerId"]),
        (&json!("iVBORw0KGgo="), &json!("2024-06-01"), &json!(1)),
        "{photo}"
    );
    let file = photos
        .path()
        .join(photo["folder"].as_str().unwrap())
        .join(photo["filename"].as_str().unwrap());
    assert_eq!(
        std::fs::read(&file).unwrap(),
        [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a],
        "{file:?}"
    );
    assert_eq!(family["headInsuree"]["photoDate"], "2024-06-01");
    let linked = data(&app, &admin, r#"{ mutationLogs(clientMutationId: "m1") { edges { node { families { family { uuid } } } } } }"#).await;
    assert_eq!(
        linked["mutationLogs"]["edges"][0]["node"]["families"][0]["family"]["uuid"],
        family_uuid.as_str()
    );

    // createInsuree: a member, linked to its log.
    let mut member = person("900000002", "Member");
    member["familyId"] = json!(family_pk);
    member["relationshipId"] = json!(4);
    assert_eq!(
        mutate(&app, &admin, "createInsuree", member.clone(), "m2").await,
        ok()
    );
    let linked = data(&app, &admin, r#"{ mutationLogs(clientMutationId: "m2") { edges { node { insurees { insuree { uuid chfId } } } } } }"#).await;
    let member_uuid = linked["mutationLogs"]["edges"][0]["node"]["insurees"][0]["insuree"]["uuid"]
        .as_str()
        .unwrap()
        .to_owned();
    let family = family_by_head(&app, &admin, "900000001").await;
    assert_eq!(family["members"]["totalCount"], 2, "{family}");

    // updateInsuree: a history row, the row keeps its uuid; `insurees(uuid:)` lists both.
    member["uuid"] = json!(member_uuid);
    member["lastName"] = json!("Renamed");
    assert_eq!(
        mutate(&app, &admin, "updateInsuree", member.clone(), "m3").await,
        ok()
    );
    let versions = insuree_versions(&app, &admin, "900000002").await;
    assert_eq!(versions.len(), 2, "{versions:?}");
    assert!(
        versions
            .iter()
            .any(|v| v["lastName"] == "Renamed" && v["validityTo"].is_null()),
        "{versions:?}"
    );
    assert!(
        versions
            .iter()
            .any(|v| v["lastName"] == "Member" && !v["validityTo"].is_null()),
        "{versions:?}"
    );

    // setFamilyHead: history for the family and both insurees; heads swapped.
    let input = json!({"uuid": family_uuid, "insureeUuid": member_uuid});
    assert_eq!(
        mutate(&app, &admin, "setFamilyHead", input, "m4").await,
        ok()
    );
    let family = family_by_head(&app, &admin, "900000002").await;
    assert_eq!(family["uuid"], family_uuid.as_str());
    assert_eq!(family["headInsuree"]["head"], true);
    let old_head = insuree_versions(&app, &admin, "900000001").await;
    assert!(
        old_head
            .iter()
            .any(|v| v["head"] == false && v["validityTo"].is_null()),
        "{old_head:?}"
    );
    let history = data(
        &app,
        &admin,
        r#"{ families(confirmationNo: "CN-90", showHistory: true) { totalCount } }"#,
    )
    .await;
    assert_eq!(
        history["families"]["totalCount"], 2,
        "the family's history copy"
    );

    // changeInsureeFamily: the old head moves to demo family 22.
    let other = "f0000000-0000-4000-8000-000000000022";
    let input = json!({"familyUuid": other, "insureeUuid": head_uuid, "cancelPolicies": true});
    assert_eq!(
        mutate(&app, &admin, "changeInsureeFamily", input, "m5").await,
        ok()
    );
    let moved = insuree_versions(&app, &admin, "900000001").await;
    assert!(
        moved
            .iter()
            .any(|v| v["family"]["uuid"] == other && v["validityTo"].is_null()),
        "{moved:?}"
    );

    // removeInsurees: out of its family; deleteInsurees: ended.
    let input = json!({"uuid": other, "uuids": [head_uuid], "cancelPolicies": true});
    assert_eq!(
        mutate(&app, &admin, "removeInsurees", input, "m6").await,
        ok()
    );
    let removed = insuree_versions(&app, &admin, "900000001").await;
    assert!(
        removed
            .iter()
            .any(|v| v["family"].is_null() && v["validityTo"].is_null()),
        "{removed:?}"
    );
    let input = json!({"uuids": [head_uuid]});
    assert_eq!(
        mutate(&app, &admin, "deleteInsurees", input, "m7").await,
        ok()
    );
    let deleted = insuree_versions(&app, &admin, "900000001").await;
    assert!(
        deleted.iter().all(|v| !v["validityTo"].is_null()),
        "{deleted:?}"
    );

    // updateFamily: the family and its head overwritten, with history.
    let mut head = member.clone();
    head["lastName"] = json!("Head");
    let mut update = family_input(head);
    update["uuid"] = json!(family_uuid);
    update["address"] = json!("Plot 91");
    assert_eq!(
        mutate(&app, &admin, "updateFamily", update.clone(), "m8").await,
        ok()
    );
    let family = family_by_head(&app, &admin, "900000002").await;
    assert_eq!(
        (&family["address"], &family["uuid"]),
        (&json!("Plot 91"), &json!(family_uuid))
    );

    // Failures: the original's messages, nothing written.
    let before = counts(&app, &admin).await;
    let (no_delete, no_remove) = (
        format!("Cannot delete family head insuree {member_uuid}"),
        format!("Cannot remove head insuree {member_uuid} from family"),
    );
    let cases: Vec<(&str, Value, &str, Option<&str>)> = vec![
        (
            "createFamily",
            family_input(person("900000002", "Again")),
            "insuree.mutation.failed_to_create_family",
            Some("['invalid_insuree_number']"),
        ),
        (
            "createFamily",
            json!({"locationId": 4}),
            "insuree.mutation.failed_to_create_family",
            Some("no head insuree found"),
        ),
        (
            "createFamily",
            family_input(
                json!({"chfId": "900000009", "lastName": "X", "otherNames": "Y", "genderId": "M", "dob": "2000-01-01", "status": "XX"}),
            ),
            "insuree.mutation.failed_to_create_family",
            Some("['mutation.insuree.wrong_status']"),
        ),
        (
            "updateFamily",
            json!({"uuid": "00000000-0000-4000-8000-0000000000aa", "headInsuree": person("900000010", "X")}),
            "insuree.mutation.failed_to_update_family",
            Some("Family matching query does not exist."),
        ),
        (
            "createInsuree",
            person("900000002", "Taken"),
            "insuree.mutation.failed_to_create_insuree",
            Some("['invalid_insuree_number']"),
        ),
        (
            "createInsuree",
            json!({"chfId": "900000011", "lastName": "X", "otherNames": "Y", "genderId": "M", "status": "IN", "statusReason": "DC", "dob": "2000-01-01"}),
            "insuree.mutation.failed_to_create_insuree",
            Some("['mutation.insuree.wrong_status']"),
        ),
        (
            "updateInsuree",
            json!({"chfId": "900000012", "lastName": "X", "otherNames": "Y", "genderId": "M", "dob": "2000-01-01"}),
            "insuree.mutation.failed_to_update_insuree",
            Some("['There is no uuid in updateMutation input!']"),
        ),
        (
            "updateInsuree",
            json!({"uuid": "00000000-0000-4000-8000-0000000000bb", "lastName": "X", "otherNames": "Y", "genderId": "M", "dob": "2000-01-01"}),
            "insuree.mutation.failed_to_update_insuree",
            Some("Insuree matching query does not exist."),
        ),
        (
            "deleteFamilies",
            json!({"uuids": ["00000000-0000-4000-8000-0000000000cc"]}),
            "Failed to delete family 00000000-0000-4000-8000-0000000000cc",
            None,
        ),
        (
            "deleteInsurees",
            json!({"uuids": [member_uuid]}),
            &no_delete,
            None,
        ),
        (
            "deleteInsurees",
            json!({"uuids": ["00000000-0000-4000-8000-0000000000dd"]}),
            "Insuree 00000000-0000-4000-8000-0000000000dd doesn't exist",
            None,
        ),
        (
            "removeInsurees",
            json!({"uuids": [member_uuid], "cancelPolicies": false}),
            &no_remove,
            None,
        ),
        (
            "setFamilyHead",
            json!({"uuid": family_uuid, "insureeUuid": "00000000-0000-4000-8000-0000000000ee"}),
            "insuree.mutation.failed_to_set_head_insuree",
            Some("Insuree matching query does not exist."),
        ),
        (
            "changeInsureeFamily",
            json!({"familyUuid": "00000000-0000-4000-8000-0000000000ff", "insureeUuid": member_uuid}),
            "insuree.mutation.failed_to_change_insuree_family",
            Some("Family matching query does not exist."),
        ),
    ];
    for (n, (mutation, input, message, detail)) in cases.into_iter().enumerate() {
        let log = mutate(&app, &admin, mutation, input, &format!("f{n}")).await;
        assert_eq!(log["status"], 1, "case {n}, {mutation}: {log}");
        failed_with(&log, message, detail);
    }
    // A malformed input is a GraphQL error before anything runs, for every mutation.
    let person_fields =
        json!({"lastName": "X", "otherNames": "Y", "genderId": "M", "dob": "2000-01-01"});
    let mut bad_int = person_fields.clone();
    bad_int["familyId"] = json!("x");
    for (mutation, input) in [
        (
            "createFamily",
            json!({"locationId": "x", "headInsuree": person_fields}),
        ),
        (
            "updateFamily",
            json!({"uuid": family_uuid, "poverty": "maybe"}),
        ),
        (
            "deleteFamilies",
            json!({"uuids": family_uuid, "deleteMembers": "yes"}),
        ),
        ("createInsuree", bad_int.clone()),
        ("updateInsuree", bad_int),
        ("deleteInsurees", json!({"uuids": [{"id": 1}]})),
        (
            "removeInsurees",
            json!({"uuids": [member_uuid], "cancelPolicies": "no"}),
        ),
        (
            "setFamilyHead",
            json!({"uuid": 21, "insureeUuid": [member_uuid]}),
        ),
        (
            "changeInsureeFamily",
            json!({"familyUuid": family_uuid, "insureeUuid": member_uuid, "cancelPolicies": 3}),
        ),
    ] {
        let mut chars = mutation.chars();
        let type_name: String = chars
            .next()
            .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect());
        let document = format!("mutation ($input: {type_name}MutationInput!) {{ {mutation}(input: $input) {{ internalId }} }}");
        let request = graphql_as(&document, json!({ "input": input }), &admin);
        let (_, body) = json_of(web_test::call_service(&app, request).await).await;
        assert!(body.get("errors").is_some(), "{mutation}: {body}");
    }
    // A date the scalar lets through fails the mutation before anything is written.
    let mut bad_date = person("900000070", "Dated");
    bad_date["dob"] = json!("not a date");
    let log = mutate(&app, &admin, "createInsuree", bad_date, "f80").await;
    assert_eq!(log["status"], 1, "{log}");
    // A delete of a good and a missing row deletes neither.
    let input = json!({"uuids": [family_uuid, "00000000-0000-4000-8000-0000000000cc"], "deleteMembers": true});
    let log = mutate(&app, &admin, "deleteFamilies", input, "f90").await;
    assert_eq!(log["status"], 1, "{log}");
    assert_eq!(counts(&app, &admin).await, before, "nothing written");

    // deleteFamilies without deleteMembers: the members stay, outside any family.
    let input = json!({"uuids": [family_uuid], "deleteMembers": false});
    assert_eq!(
        mutate(&app, &admin, "deleteFamilies", input, "m9").await,
        ok()
    );
    let gone = data(
        &app,
        &admin,
        &format!("{{ families(uuid: \"{family_uuid}\") {{ edges {{ node {{ validityTo }} }} }} }}"),
    )
    .await;
    assert!(
        column(&gone, "families", "validityTo")
            .iter()
            .all(|v| !v.is_null()),
        "{gone}"
    );
    let kept = insuree_versions(&app, &admin, "900000002").await;
    assert!(
        kept.iter()
            .any(|v| v["family"].is_null() && v["validityTo"].is_null()),
        "{kept:?}"
    );
}

/// Gives `user`'s roles the insuree rights (the demo users hold none), in the SQLite database.
fn grant_insuree_rights(dir: &ModulesDir, user: &str) {
    let database = dir.path().join("test.sqlite3");
    for right in [
        101001, 101002, 101003, 101004, 101101, 101102, 101103, 101104,
    ] {
        sqlite_execute(
            &database,
            &format!(
                r#"INSERT INTO "tblRoleRight" ("RoleID", "RightID", "ValidityFrom", "AuditUserId")
                   SELECT ur."RoleID", {right}, '2024-01-01 00:00:00', 1 FROM "tblUserRole" ur
                   JOIN "tblUsers" u ON u."id" = ur."UserID"
                   WHERE u."LoginName" = '{user}' AND ur."ValidityTo" IS NULL"#
            ),
        );
    }
}

#[actix_rt::test]
async fn lists_filter_order_and_keep_to_the_users_districts() {
    let photos = tempfile::tempdir().unwrap();
    let (dir, runtime) = started(&[], photos.path());
    grant_insuree_rights(&dir, "manager1");
    let (_rt, app) = service(runtime).await;
    let admin = login(&app, "Admin", "admin123").await;
    let all = data(
        &app,
        &admin,
        "{ insurees { totalCount } families { totalCount } }",
    )
    .await;
    assert_eq!(
        (
            &all["insurees"]["totalCount"],
            &all["families"]["totalCount"]
        ),
        (&json!(60), &json!(24))
    );
    for (args, expected) in [
        ("chfId: \"070707070\"", 1),
        ("chfId_Istartswith: \"0707\"", 1),
        ("lastName_Icontains: \"doe\"", 11),
        ("lastName_Icontains: \"_\"", 0),
        ("gender_Code: \"F\"", 24),
        ("dob_Gte: \"2000-01-01\"", 23),
        ("head: true", 24),
        (
            "parentLocation: \"2ea0e0a0-0000-4000-8000-000000000002\", parentLocationLevel: 1",
            22,
        ),
        ("family_Isnull: true", 0),
        ("photo_Isnull: false", 0),
        ("status: AC", 60),
    ] {
        let found = data(
            &app,
            &admin,
            &format!("{{ insurees({args}) {{ totalCount }} }}"),
        )
        .await;
        assert_eq!(found["insurees"]["totalCount"], expected, "{args}");
    }
    let ordered = data(
        &app,
        &admin,
        "{ insurees(first: 3, orderBy: [\"-chfId\"]) { edges { node { chfId } } } }",
    )
    .await;
    assert_eq!(
        column(&ordered, "insurees", "chfId")[0],
        "100000242",
        "{ordered}"
    );
    let families = data(&app, &admin, r#"{ a: families(members_Gender_Code: "F", headInsuree_Dob_Lte: "1970-01-01") { totalCount } b: families(nullAsFalsePoverty: true) { totalCount } c: families(headInsuree_LastName: "Doe") { totalCount } }"#).await;
    assert_eq!(
        families,
        json!({"a": {"totalCount": 9}, "b": {"totalCount": 8}, "c": {"totalCount": 4}})
    );
    let bad = ask(
        &app,
        Some(&admin),
        "{ insurees(dob_Gte: \"soon\") { totalCount } }",
    )
    .await;
    assert!(bad.get("errors").is_some(), "{bad}");
    let bad = ask(
        &app,
        Some(&admin),
        "{ insurees(parentLocation: \"2ea0e0a0-0000-4000-8000-000000000002\") { totalCount } }",
    )
    .await;
    assert!(
        bad["errors"][0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("parentLocationLevel"),
        "{bad}"
    );
    // Coverage rows: none without policies; an `additionalFilter` needs a signal receiver.
    let coverage = data(&app, &admin, r#"{ insureePolicy(insuree_ChfId: "070707070", parentLocation: "2ea0e0a0-0000-4000-8000-000000000001", parentLocationLevel: 0) { totalCount } }"#).await;
    assert_eq!(coverage["insureePolicy"]["totalCount"], 0);
    let refused = ask(
        &app,
        Some(&admin),
        r#"{ insureePolicy(additionalFilter: "{}") { totalCount } }"#,
    )
    .await;
    assert_eq!(refused["errors"][0]["message"], "unauthorized", "{refused}");
    // The reverse relations on location's types.
    let village = data(&app, &admin, "{ locations(code: \"R1D1M1V1\") { edges { node { familySet { totalCount } insureeSet { totalCount } } } } }").await;
    let node = &village["locations"]["edges"][0]["node"];
    assert_eq!(
        (
            &node["familySet"]["totalCount"],
            &node["insureeSet"]["totalCount"]
        ),
        (&json!(3), &json!(6)),
        "{node}"
    );

    // manager1 holds Region 1's districts: the families of Region 2 are out of reach, in lists
    // and for mutations, unless the insurees list is asked to ignore locations.
    let manager = login(&app, "manager1", "Demo12345!").await;
    let seen = data(
        &app,
        &manager,
        "{ insurees { totalCount } families { totalCount } }",
    )
    .await;
    assert_eq!(
        (
            &seen["insurees"]["totalCount"],
            &seen["families"]["totalCount"]
        ),
        (&json!(42), &json!(17)),
        "{seen}"
    );
    let ignoring = data(
        &app,
        &manager,
        "{ insurees(ignoreLocation: true) { totalCount } }",
    )
    .await;
    assert_eq!(ignoring["insurees"]["totalCount"], 60);
    let far = "f0000000-0000-4000-8000-000000000009";
    let log = mutate(
        &app,
        &manager,
        "deleteFamilies",
        json!({"uuids": [far]}),
        "d1",
    )
    .await;
    failed_with(&log, &format!("Failed to delete family {far}"), None);
    let log = mutate(
        &app,
        &manager,
        "setFamilyHead",
        json!({"uuid": far, "insureeUuid": "10000000-0000-4000-8000-000000000031"}),
        "d2",
    )
    .await;
    failed_with(
        &log,
        "insuree.mutation.failed_to_set_head_insuree",
        Some("Family matching query does not exist."),
    );
    let mut update = family_input(person("900000050", "Far"));
    update["uuid"] = json!(far);
    let log = mutate(&app, &manager, "updateFamily", update, "d3").await;
    failed_with(
        &log,
        "insuree.mutation.failed_to_update_family",
        Some("Family matching query does not exist."),
    );
    let far_member = "10000000-0000-4000-8000-000000000122";
    let far_head = "10000000-0000-4000-8000-000000000121";
    let reached = data(&app, &admin, &format!("{{ insurees(uuid: \"{far_member}\") {{ edges {{ node {{ head family {{ uuid }} }} }} }} }}")).await;
    assert_eq!(
        reached["insurees"]["edges"][0]["node"]["family"]["uuid"], far,
        "{reached}"
    );
    for (mutation, input, message, detail) in [
        (
            "deleteInsurees",
            json!({"uuids": [far_member]}),
            format!("Insuree {far_member} doesn't exist"),
            None,
        ),
        (
            "removeInsurees",
            json!({"uuids": [far_member]}),
            format!("Insuree {far_member} doesn't exist"),
            None,
        ),
        (
            "changeInsureeFamily",
            json!({"familyUuid": "f0000000-0000-4000-8000-000000000001", "insureeUuid": far_member}),
            "insuree.mutation.failed_to_change_insuree_family".to_owned(),
            Some("Insuree matching query does not exist."),
        ),
        (
            "updateInsuree",
            json!({"uuid": far_head, "lastName": "X", "otherNames": "Y", "genderId": "M", "dob": "2000-01-01"}),
            "insuree.mutation.failed_to_update_insuree".to_owned(),
            Some("Insuree matching query does not exist."),
        ),
    ] {
        let log = mutate(&app, &manager, mutation, input, &format!("d-{mutation}")).await;
        failed_with(&log, &message, detail);
    }
    let untouched = data(&app, &admin, &format!("{{ insurees(uuid: \"{far_member}\") {{ edges {{ node {{ validityTo family {{ uuid }} }} }} }} }}")).await;
    assert_eq!(
        untouched["insurees"]["edges"][0]["node"]["family"]["uuid"], far,
        "{untouched}"
    );
    let still = data(&app, &admin, &format!("{{ families(uuid: \"{far}\") {{ edges {{ node {{ validityTo headInsuree {{ chfId }} }} }} }} }}")).await;
    assert_eq!(
        still["families"]["edges"][0]["node"]["validityTo"],
        Value::Null,
        "{still}"
    );

    // Rights: a user without them is refused, queries and mutations alike.
    let plain = login(&app, "reception1", "Demo12345!").await;
    for refused in [
        "{ insurees { totalCount } }",
        "{ families { totalCount } }",
        "{ insureeGenders { code } }",
    ] {
        let body = ask(&app, Some(&plain), refused).await;
        assert!(
            body["errors"][0]["message"]
                .as_str()
                .unwrap_or_default()
                .contains("unauthorized"),
            "{refused}: {body}"
        );
    }
    let log = mutate(
        &app,
        &plain,
        "createFamily",
        family_input(person("900000060", "No")),
        "r1",
    )
    .await;
    failed_with(
        &log,
        "insuree.mutation.failed_to_create_family",
        Some("unauthorized"),
    );
    let log = mutate(
        &app,
        &plain,
        "deleteInsurees",
        json!({"uuids": ["10000000-0000-4000-8000-000000000032"]}),
        "r2",
    )
    .await;
    failed_with(&log, "The mutation threw a <class 'django.core.exceptions.PermissionDenied'>, check logs for details", None);
    let reasons = ask(&app, None, "{ insureeStatusReasons { totalCount } }").await;
    assert_eq!(
        reasons["data"]["insureeStatusReasons"]["totalCount"], 3,
        "no right needed: {reasons}"
    );
}

#[actix_rt::test]
async fn other_modules_find_insurees_and_members() {
    let photos = tempfile::tempdir().unwrap();
    let (_dir, runtime) = started(&[], photos.path());
    let (rt, _app) = service(runtime).await;
    let insuree = rt.modules.get("insuree").expect("loaded");
    let call = |method: &str, payload: Value| -> Value {
        let answer = insuree
            .service(method, &payload.to_string())
            .unwrap_or_else(|e| panic!("{method}: {e:?}"));
        serde_json::from_str(&answer).unwrap()
    };
    let found = call("insurees.get", json!({"chf_ids": ["070707070"]}));
    assert_eq!(found[0]["uuid"], "10000000-0000-4000-8000-000000000031");
    assert_eq!(
        (&found[0]["gender"], &found[0]["head"], &found[0]["dob"]),
        (&json!("M"), &json!(true), &json!("1981-05-01"))
    );
    let family = found[0]["familyId"].as_i64().unwrap();
    assert_eq!(family, 21);
    let by_uuid = call(
        "insurees.get",
        json!({"uuids": ["10000000-0000-4000-8000-000000000032"]}),
    );
    assert_eq!(by_uuid[0]["familyId"], 21);
    let none = call(
        "insurees.get",
        json!({"chf_ids": ["070707070"], "valid_at": "2000-01-01"}),
    );
    assert_eq!(none, json!([]), "not valid then");
    let members = call("family.members", json!({"family_id": 21}));
    let chf_ids: Vec<&Value> = members
        .as_array()
        .unwrap()
        .iter()
        .map(|m| &m["chfId"])
        .collect();
    assert_eq!(
        chf_ids,
        [&json!("070707070"), &json!("100000211")],
        "head first"
    );
    let checked = call(
        "insuree_number.validate",
        json!({"number": "070707070", "uuid": "00000000-0000-4000-8000-000000000001"}),
    );
    assert_eq!(checked[0]["errorCode"], 1);
    assert!(insuree
        .service(
            "insurees.get",
            &json!({"ids": [1], "chf_ids": []}).to_string()
        )
        .is_err());
    assert!(insuree.service("nope", "{}").is_err());
}

/// A foreign key naming no row (the original's databases hold `CurrentVillage = 0`) answers
/// null, as Django does, and not an object of nulls: the host's rule for a reference its owner
/// does not know, for the village, the facility and the family's location alike.
#[actix_rt::test]
async fn dangling_references_answer_null() {
    let photos = tempfile::tempdir().unwrap();
    let (dir, runtime) = started(&[], photos.path());
    let rows = openimis_system_tests::test_rows::TestRows::of(&dir, &[]);
    rows.execute(r#"UPDATE "tblInsuree" SET "CurrentVillage" = 0, "HFID" = 999999 WHERE "CHFID" = '070707070'"#);
    rows.execute(r#"UPDATE "tblFamilies" SET "LocationId" = 999999 WHERE "FamilyID" = 21"#);
    let (_rt, app) = service(runtime).await;
    let admin = login(&app, "Admin", "admin123").await;
    let selection = "id code name type parent { id code parent { id code } }";
    let query = format!(
        r#"{{ familyMembers(familyUuid: "f0000000-0000-4000-8000-000000000021", orderBy: ["chfId"]) {{ edges {{ node {{ chfId currentVillage {{ {selection} }} healthFacility {{ id code }} family {{ location {{ {selection} }} }} }} }} }} }}"#
    );
    let found = data(&app, &admin, &query).await;
    let nodes: Vec<&Value> = found["familyMembers"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"])
        .collect();
    assert_eq!(nodes[0]["chfId"], "070707070");
    assert_eq!(
        (
            &nodes[0]["currentVillage"],
            &nodes[0]["healthFacility"],
            &nodes[0]["family"]["location"]
        ),
        (&Value::Null, &Value::Null, &Value::Null)
    );
    assert_eq!(
        nodes[1]["family"]["location"],
        Value::Null,
        "the same family"
    );
    // The village and the family's location select the same fields: one call to location.
    let request = web_test::TestRequest::post()
        .uri("/api/graphql?prof=True")
        .insert_header(("Authorization", format!("Bearer {admin}")))
        .set_json(json!({ "query": query }))
        .to_request();
    let profile: Value = web_test::call_and_read_body_json(&app, request).await;
    let calls: Vec<&Value> = profile["profile"]["module_calls"]
        .as_array()
        .unwrap_or_else(|| panic!("a profile: {profile}"))
        .iter()
        .map(|c| &c["call"])
        .collect();
    let to_location = calls.iter().filter(|c| **c == "entities LocationGQLType");
    assert_eq!(to_location.count(), 1, "{calls:?}");
}

/// On the original's databases, migrated and fresh (database_postgresql's, before the Django
/// migrations): insuree's migrations leave the migrated tables as they are and bring the fresh
/// ones to the same columns, the frontend's queries answer, and the mutations write rows the
/// original reads back.
#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn the_original_databases_serve_insurees_unchanged() {
    use openimis_system_tests::conformance::shared_openimis;
    use openimis_system_tests::postgres_db::{fresh_database, load_dump, table_columns};
    const TABLES: [&str; 15] = [
        "tblInsuree",
        "tblFamilies",
        "tblPhotos",
        "tblGender",
        "tblFamilyTypes",
        "tblConfirmationTypes",
        "tblProfessions",
        "tblEducations",
        "tblIdentificationTypes",
        "tblRelations",
        "tblInsureeStatusReason",
        "tblInsureePolicy",
        "tblPolicyRenewalDetails",
        "insuree_InsureeMutation",
        "insuree_FamilyMutation",
    ];
    let mut migrated_shape = None;
    for (tag, dump) in [
        ("insuree_dump", "openimis-demo-database-migrated.sql.gz"),
        ("insuree_fresh", "openimis-demo-database.sql.gz"),
    ] {
        let vars = fresh_database(tag);
        load_dump(&vars, &shared_openimis().join("database").join(dump));
        let before = table_columns(&vars);
        let dir = ModulesDir::with(&MODULES);
        let photos = tempfile::tempdir().unwrap();
        let root = photos.path().to_string_lossy().to_string();
        let entries = MODULES.map(|name| match name {
            "insuree" => json!({"name": name, "config": {"insuree_photos_root_path": root}}),
            _ => json!({ "name": name }),
        });
        let env: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let runtime = start(settings(&modules_json(&entries), &dir, &env))
            .expect("starts on the original's database");
        let after = table_columns(&vars);
        // Each table's columns as `name type nullable`, sorted (a fresh database's added
        // columns come last, and without the original's defaults).
        let shape: Vec<Vec<String>> = TABLES
            .iter()
            .map(|table| {
                let mut columns: Vec<String> = after
                    .get(*table)
                    .into_iter()
                    .flatten()
                    .map(|c| {
                        let words: Vec<&str> = c.split(' ').collect();
                        let end = words
                            .iter()
                            .position(|w| *w == "YES" || *w == "NO")
                            .map_or(words.len(), |p| p + 1);
                        words[..end].join(" ")
                    })
                    .collect();
                columns.sort();
                columns
            })
            .collect();
        match &migrated_shape {
            None => {
                for table in TABLES {
                    assert!(before.contains_key(table), "{table} is the original's");
                    assert_eq!(before.get(table), after.get(table), "{table} unchanged");
                }
                migrated_shape = Some(shape);
            }
            Some(migrated) => {
                for ((table, fresh), original) in TABLES.iter().zip(&shape).zip(migrated) {
                    assert_eq!(
                        fresh, original,
                        "{table}: a fresh database takes the migrated shape"
                    );
                }
            }
        }
        let schema = parse_schema(&runtime.engine.composed.sdl());
        let (_rt, app) = service(runtime).await;
        let admin = login(&app, "Admin", "admin123").await;
        for op in openimis_system_tests::conformance::frontend_operations("insuree")
            .iter()
            .filter(|op| op.kind != "mutation")
        {
            openimis_system_tests::conformance::validate(&schema, op)
                .unwrap_or_else(|e| panic!("{e}"));
            let request = graphql_as(&op.document, op.variables.clone(), &admin);
            let (status, body) = json_of(web_test::call_service(&app, request).await).await;
            assert_eq!(status, 200, "{tag} {}: {body}", op.id);
            assert!(body.get("errors").is_none(), "{tag} {}: {body}", op.id);
        }
        let village = data(
            &app,
            &admin,
            r#"{ locations(type: "V", first: 1) { edges { node { id } } } }"#,
        )
        .await;
        let village = pk_of(&village["locations"]["edges"][0]["node"]["id"]);
        let mut head = person("800000001", "Dump");
        head["currentVillageId"] = json!(village);
        head["photo"] = json!({"officerId": 1, "date": "2024-06-01", "photo": "iVBORw0KGgo="});
        let mut family = family_input(head);
        family["locationId"] = json!(village);
        assert_eq!(
            mutate(
                &app,
                &admin,
                "createFamily",
                family.clone(),
                &format!("{tag}1")
            )
            .await,
            ok(),
            "{tag}"
        );
        let created = family_by_head(&app, &admin, "800000001").await;
        let mut member = person("800000002", "Dump");
        member["currentVillageId"] = json!(village);
        member["familyId"] = json!(pk_of(&created["id"]));
        assert_eq!(
            mutate(&app, &admin, "createInsuree", member, &format!("{tag}2")).await,
            ok(),
            "{tag}"
        );
        let linked = data(&app, &admin, &format!("{{ mutationLogs(clientMutationId: \"{tag}2\") {{ edges {{ node {{ insurees {{ insuree {{ uuid }} }} }} }} }} }}")).await;
        let member_uuid =
            linked["mutationLogs"]["edges"][0]["node"]["insurees"][0]["insuree"]["uuid"].clone();
        let input = json!({"uuid": created["uuid"], "insureeUuid": member_uuid});
        assert_eq!(
            mutate(&app, &admin, "setFamilyHead", input, &format!("{tag}3")).await,
            ok(),
            "{tag}"
        );
        family["uuid"] = created["uuid"].clone();
        family["headInsuree"] = person("800000002", "Dump");
        family["headInsuree"]["uuid"] = member_uuid.clone();
        family["headInsuree"]["currentVillageId"] = json!(village);
        assert_eq!(
            mutate(&app, &admin, "updateFamily", family, &format!("{tag}4")).await,
            ok(),
            "{tag}"
        );
        let input = json!({"uuids": [created["uuid"]], "deleteMembers": true});
        assert_eq!(
            mutate(&app, &admin, "deleteFamilies", input, &format!("{tag}5")).await,
            ok(),
            "{tag}"
        );
        let versions = data(&app, &admin, r#"{ families(confirmationNo: "CN-90", showHistory: true) { totalCount } insurees(lastName: "Dump", showHistory: true) { totalCount } }"#).await;
        assert_eq!(
            versions["families"]["totalCount"], 4,
            "{tag}: created, head set, updated, deleted: {versions}"
        );
    }
}
