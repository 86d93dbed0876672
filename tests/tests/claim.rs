//! The `claim` module's reads with every module it needs on the demo data: schema parity with
//! the reference (the diff printed), its tables, the frontend's recorded `claim` reads replayed
//! (their answers on the demo claims), on SQLite and, with `--features postgres`, on PostgreSQL
//! (`*_on_postgres`); the `claims` filters of claim.md §4 and their bad values, the other root
//! queries, row security (a facility's user, a district's user, a technical-free admin) and the
//! rights, the reverse relations claim adds to other modules' types and relay `node`. The
//! mutations' cases are `claim_mutations.rs`, the adjudication's `claim_adjudication.rs`.

use openimis_system_tests::calls::{ask, column, data};
use openimis_system_tests::conformance::{
    assert_extensions_as_reference, frontend_operations, module_surface, parse_schema, validate,
};
use openimis_system_tests::test_rows::TestRows as Db;
use openimis_system_tests::*;
use serde_json::{json, Value};

/// Every module claim's reads reach, in openimis.json's order.
const MODULES: &[&str] = &[
    "core",
    "location",
    "medical",
    "medical_pricelist",
    "product",
    "insuree",
    "policy",
    "payer",
    "contribution",
    "claim",
];

const TYPES: &[&str] = &[
    "ClaimGQLType",
    "ClaimGQLTypeConnection",
    "ClaimGQLTypeEdge",
    "ClaimItemGQLType",
    "ClaimServiceGQLType",
    "ClaimServiceItemGQLType",
    "ClaimServiceServiceGQLType",
    "FeedbackGQLType",
    "ClaimAttachmentGQLType",
    "ClaimAttachmentGQLTypeConnection",
    "ClaimAttachmentGQLTypeEdge",
    "ClaimAttachmentGeneralType",
    "ClaimAttachmentTypeGQLType",
    "ClaimAttachmentTypeGQLTypeConnection",
    "ClaimAttachmentTypeGQLTypeEdge",
    "ClaimAttachmentTypeClaimGeneralType",
    "ClaimDedRemGQLType",
    "ClaimDedRemGQLTypeConnection",
    "ClaimDedRemGQLTypeEdge",
    "ClaimCodeInputType",
    "ClaimGuaranteeIdInputType",
    "ClaimAttachmentInputType",
    "ClaimItemInputType",
    "ClaimServiceInputType",
    "ClaimSubItemInputType",
    "ClaimSubServiceInputType",
    "FeedbackInputType",
    "CreateClaimMutationInput",
    "CreateClaimMutationPayload",
    "UpdateClaimMutationInput",
    "UpdateClaimMutationPayload",
    "CreateAttachmentMutationInput",
    "CreateAttachmentMutationPayload",
    "UpdateAttachmentMutationInput",
    "UpdateAttachmentMutationPayload",
    "DeleteAttachmentMutationInput",
    "DeleteAttachmentMutationPayload",
    "SubmitClaimsMutationInput",
    "SubmitClaimsMutationPayload",
    "SelectClaimsForFeedbackMutationInput",
    "SelectClaimsForFeedbackMutationPayload",
    "DeliverClaimFeedbackMutationInput",
    "DeliverClaimFeedbackMutationPayload",
    "BypassClaimsFeedbackMutationInput",
    "BypassClaimsFeedbackMutationPayload",
    "SkipClaimsFeedbackMutationInput",
    "SkipClaimsFeedbackMutationPayload",
    "SelectClaimsForReviewMutationInput",
    "SelectClaimsForReviewMutationPayload",
    "SaveClaimReviewMutationInput",
    "SaveClaimReviewMutationPayload",
    "DeliverClaimsReviewMutationInput",
    "DeliverClaimsReviewMutationPayload",
    "BypassClaimsReviewMutationInput",
    "BypassClaimsReviewMutationPayload",
    "SkipClaimsReviewMutationInput",
    "SkipClaimsReviewMutationPayload",
    "ProcessClaimsMutationInput",
    "ProcessClaimsMutationPayload",
    "DeleteClaimsMutationInput",
    "DeleteClaimsMutationPayload",
];

const ROOTS: &[(&str, &str)] = &[
    ("Query", "claims"),
    ("Query", "claim"),
    ("Query", "claimAttachments"),
    ("Query", "claimOfficers"),
    ("Query", "insureeNameByChfid"),
    ("Query", "validateClaimCode"),
    ("Query", "fspFromClaim"),
    ("Query", "claimWithSameDiagnosis"),
    ("Query", "claimAttachmentType"),
    ("Query", "claimHistory"),
    ("Mutation", "createClaim"),
    ("Mutation", "updateClaim"),
    ("Mutation", "createClaimAttachment"),
    ("Mutation", "updateClaimAttachment"),
    ("Mutation", "deleteClaimAttachment"),
    ("Mutation", "submitClaims"),
    ("Mutation", "selectClaimsForFeedback"),
    ("Mutation", "deliverClaimFeedback"),
    ("Mutation", "bypassClaimsFeedback"),
    ("Mutation", "skipClaimsFeedback"),
    ("Mutation", "selectClaimsForReview"),
    ("Mutation", "saveClaimReview"),
    ("Mutation", "deliverClaimsReview"),
    ("Mutation", "bypassClaimsReview"),
    ("Mutation", "skipClaimsReview"),
    ("Mutation", "processClaims"),
    ("Mutation", "deleteClaims"),
];

/// The fields claim adds to other modules' types (claim.md §3 related names).
const EXTENDED: &[(&str, &str)] = &[
    ("ClaimAdminGQLType", "claimSet"),
    ("DiagnosisGQLType", "claimIcds"),
    ("DiagnosisGQLType", "claimIcd1s"),
    ("DiagnosisGQLType", "claimIcd2s"),
    ("DiagnosisGQLType", "claimIcd3s"),
    ("DiagnosisGQLType", "claimIcd4s"),
    ("HealthFacilityGQLType", "claimSet"),
    ("HealthFacilityGQLType", "referFromHF"),
    ("HealthFacilityGQLType", "referToHF"),
    ("InsureeGQLType", "claimSet"),
    ("InsureeGQLType", "claimDedRems"),
    ("InteractiveUserGQLType", "claimSet"),
    ("ItemGQLType", "claimitemSet"),
    ("ItemGQLType", "serviceItems"),
    ("PolicyGQLType", "claimDedRems"),
    ("PolicyGQLType", "claimitemSet"),
    ("PolicyGQLType", "claimserviceSet"),
    ("ProductGQLType", "claimItems"),
    ("ProductGQLType", "claimServices"),
    ("ServiceGQLType", "claimserviceSet"),
    ("ServiceGQLType", "serviceServices"),
];

/// Typed by a module nobody serves (claim_batch).
const AWAITING: &[&str] = &["ClaimGQLType.batchRun: awaits the module owning BatchRunGQLType"];

/// The demo's claims: `d0000000-…-0NN`.
fn claim_uuid(n: u32) -> String {
    format!("d0000000-0000-4000-8000-{n:012}")
}

fn started_on(vars: &[(String, String)]) -> (ModulesDir, openimis_host::runtime::Runtime) {
    started_on_demo(MODULES, vars)
}

/// Grants the claims' query right (111001) to the demo roles of `roles` (they hold none).
fn grant_query_right(db: &Db, roles: &[&str]) {
    for role in roles {
        db.execute(&format!(
            r#"INSERT INTO "tblRoleRight" ("RoleID", "RightID", "ValidityFrom") SELECT "RoleID", 111001, CURRENT_TIMESTAMP FROM "tblRole" WHERE "RoleName" = '{role}' AND "ValidityTo" IS NULL"#
        ));
    }
}

#[test]
fn the_claim_surface_is_the_references() {
    let (_dir, runtime) = started_on(&[]);
    let sdl = runtime.engine.composed.sdl();
    let (diff, awaiting) = module_surface(&sdl, TYPES, ROOTS);
    assert_eq!(diff, Vec::<String>::new(), "see the diff above");
    assert_eq!(awaiting, AWAITING);
    assert_extensions_as_reference(&sdl, EXTENDED);
}

on_sqlite_and_postgres! {
    tables_on:
        claims_tables_exist_with_the_demo_claims,
        claims_tables_exist_with_the_demo_claims_on_postgres,
        "claim_tables"
}

async fn tables_on(vars: &[(String, String)]) {
    let (dir, _runtime) = started_on(vars);
    let db = Db::of(&dir, vars);
    let counts = db.counts([
        "tblClaim",
        "tblClaimItems",
        "tblClaimServices",
        "tblClaimServicesItems",
        "tblClaimServicesService",
        "tblClaimDedRem",
        "tblFeedback",
        "tblFeedbackPrompt",
        "claim_ClaimAttachment",
        "claim_ClaimAttachment_ClaimAttachmentType",
        "claim_ClaimMutation",
        "claim_ClaimAttachmentsCountView",
        "tblBatchRun",
    ]);
    assert_eq!(counts, [7, 5, 6, 0, 0, 1, 1, 0, 1, 2, 0, 1, 0]);
    // The recorded operations' lines of claim 81: service line 41, item line 42.
    let claim = db.pk("tblClaim", "ClaimID", "ClaimUUID", &claim_uuid(81));
    assert_eq!(
        db.count(
            "tblClaimServices",
            &format!(r#""ClaimServiceID" = 41 AND "ClaimID" = {claim}"#)
        ),
        1
    );
    assert_eq!(
        db.count(
            "tblClaimItems",
            &format!(r#""ClaimItemID" = 42 AND "ClaimID" = {claim}"#)
        ),
        1
    );
}

on_sqlite_and_postgres! {
    replay_on:
        the_frontends_claim_reads_answer,
        the_frontends_claim_reads_answer_on_postgres,
        "claim_replay"
}

async fn replay_on(vars: &[(String, String)]) {
    let (_dir, runtime) = started_on(vars);
    let schema = parse_schema(&runtime.engine.composed.sdl());
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let reads: Vec<_> = frontend_operations("claim")
        .into_iter()
        .filter(|op| op.kind == "query")
        .collect();
    assert_eq!(reads.len(), 17, "claim's recorded reads");
    let mut answers = std::collections::BTreeMap::new();
    for op in &reads {
        validate(&schema, op).unwrap_or_else(|e| panic!("{e}"));
        let request = graphql_as(&op.document, op.variables.clone(), &token);
        let (status, body) = json_of(actix_web::test::call_service(&app, request).await).await;
        assert_eq!(status, 200, "{}: {body}", op.id);
        assert!(body.get("errors").is_none(), "{}: {body}", op.id);
        answers.insert(op.id.clone(), body["data"].clone());
    }
    // claim-33: John Doe's first point of service at 2024-06-03, the demo facility.
    assert_eq!(
        answers["claim-33"]["fspFromClaim"]["uuid"],
        "6a3f5b0c-0000-4000-8000-000000000011"
    );
    // claim-01: the facility's entered claims, by -dateClaimed.
    let claims = &answers["claim-01"]["claims"];
    assert_eq!(claims["totalCount"], 2);
    assert_eq!(
        column(&answers["claim-01"], "claims", "code"),
        ["CLM-0002", "CLM-0001"]
    );
    let first = &claims["edges"][1]["node"];
    assert_eq!(first["uuid"], claim_uuid(81));
    assert_eq!(
        (
            &first["claimed"],
            &first["attachmentsCount"],
            &first["jsonExt"]
        ),
        (&json!("1125.00"), &json!(1), &json!("{}"))
    );
    assert_eq!(first["healthFacility"]["code"], "JMHOS001");
    assert_eq!(first["insuree"]["chfId"], "070707070");
    // claim-02: checked, claimed ≥ 1000 (diagnosisVariance 0 is no filter).
    assert_eq!(column(&answers["claim-02"], "claims", "code"), ["CLM-0003"]);
    // claim-03: every filter at once: nothing matches (no batch run, no such admin).
    assert_eq!(answers["claim-03"]["claims"]["totalCount"], 0);
    // claim-04: the random sample without its `?`.
    assert_eq!(column(&answers["claim-04"], "claims", "code"), ["CLM-0003"]);
    // claim-05: the insuree's claims.
    assert_eq!(
        column(&answers["claim-05"], "claims", "code"),
        ["CLM-0002", "CLM-0001", "CLM-0004", "CLM-0005"]
    );
    // claim-06: the claim's page: its lines (service line 41, item line 42) and relations.
    let claim = &answers["claim-06"]["claim"];
    assert_eq!(claim["code"], "CLM-0001");
    assert_eq!(claim["icd"]["code"], "A000");
    assert_eq!(claim["icd1"]["code"], "A001");
    assert_eq!(claim["icd2"], Value::Null);
    assert_eq!(claim["admin"]["code"], "CA00001");
    assert_eq!(claim["healthFacility"]["location"]["parent"]["code"], "R1");
    assert_eq!(claim["services"][0]["id"], "41");
    assert_eq!(claim["services"][0]["service"]["code"], "M5");
    assert_eq!(claim["services"][0]["priceAsked"], "1000.00");
    assert_eq!(claim["services"][0]["items"], json!([]));
    assert_eq!(claim["items"][0]["id"], "42");
    assert_eq!(claim["items"][0]["item"]["code"], "0010");
    assert_eq!(claim["items"][0]["qtyProvided"], "10.00");
    assert_eq!(answers["claim-07"]["claim"]["feedback"], Value::Null);
    // claim-08: the insuree's last claim before 2024-06-01 above entered.
    assert_eq!(column(&answers["claim-08"], "claims", "code"), ["CLM-0004"]);
    // claim-09: no diagnosis A01 in the demo.
    assert_eq!(
        answers["claim-09"]["claimWithSameDiagnosis"]["edges"],
        json!([])
    );
    // claim-10: claim 81's invoice.
    let attachment = &answers["claim-10"]["claimAttachments"]["edges"][0]["node"];
    assert_eq!(
        (
            &attachment["title"],
            &attachment["generalType"],
            &attachment["predefinedType"]["claimAttachmentType"]
        ),
        (&json!("Invoice"), &json!("FILE"), &json!("default"))
    );
    // claim-11: claim 81's history copy.
    let history = &answers["claim-11"]["claimHistory"];
    assert_eq!(history["totalCount"], 1);
    assert_eq!(history["edges"][0]["node"]["uuid"], claim_uuid(91));
    assert_eq!(
        history["edges"][0]["node"]["validityTo"],
        "2024-06-03T09:30:00"
    );
    assert_eq!(history["edges"][0]["node"]["claimed"], "1000.00");
    // claim-12: the officers; claim-13: CLM-0001 is taken.
    assert_eq!(
        column(&answers["claim-12"], "claimOfficers", "code"),
        ["E00002", "E00001"]
    );
    assert_eq!(answers["claim-13"]["isValid"], false);
    // claim-34: the original's two default attachment types.
    assert_eq!(
        column(
            &answers["claim-34"],
            "claimAttachmentType",
            "claimGeneralType"
        ),
        ["FILE", "URL"]
    );
}

/// The codes of `claims(<args>)` as `token`.
async fn codes<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    args: &str,
) -> Vec<Value> {
    let args = match args {
        "" => String::new(),
        args => format!("({args})"),
    };
    let q = format!("{{ claims{args} {{ edges {{ node {{ code }} }} }} }}");
    column(&data(app, token, &q).await, "claims", "code")
}

on_sqlite_and_postgres! {
    filters_on:
        the_claims_filters_answer_as_the_original,
        the_claims_filters_answer_as_the_original_on_postgres,
        "claim_filters"
}

async fn filters_on(vars: &[(String, String)]) {
    let (_dir, runtime) = started_on(vars);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let all = [
        "CLM-0001", "CLM-0002", "CLM-0003", "CLM-0004", "CLM-0005", "CLM-0006",
    ];
    let cases: &[(&str, &[&str])] = &[
        // Valid claims only, by key.
        ("", &all),
        (r#"code_Icontains: "m-000""#, &all),
        (r#"code: "CLM-0003""#, &["CLM-0003"]),
        (
            r#"codeIsNot: "CLM-0003", status_Gt: 2"#,
            &["CLM-0004", "CLM-0005"],
        ),
        ("status: 16", &["CLM-0005"]),
        (
            r#"dateClaimed_Gte: "2024-06-01", dateClaimed_Lt: "2024-06-10""#,
            &["CLM-0001", "CLM-0002"],
        ),
        (
            r#"claimed_Gt: "1000", claimed_Lte: "1630.00""#,
            &["CLM-0001", "CLM-0003", "CLM-0005"],
        ),
        (r#"approved: "362.5""#, &["CLM-0004"]),
        ("feedbackStatus: 8", &["CLM-0005"]),
        ("reviewStatus: 4", &["CLM-0003"]),
        (r#"visitType: "E""#, &["CLM-0005"]),
        ("preAuthorization: false", &all),
        // Lines by item or service code.
        (r#"items: ["0182"]"#, &["CLM-0002", "CLM-0004", "CLM-0005"]),
        (
            r#"services: ["A1", "I7"]"#,
            &["CLM-0002", "CLM-0003", "CLM-0005", "CLM-0006"],
        ),
        (r#"services: []"#, &all),
        ("attachmentStatus: 1", &["CLM-0001"]),
        (
            "attachmentStatus: 2",
            &["CLM-0002", "CLM-0003", "CLM-0004", "CLM-0005", "CLM-0006"],
        ),
        ("attachmentsCount_Value: 1", &["CLM-0001"]),
        ("attachmentsCount_Value_Lt: 1", &[]),
        (r#"careType: "O""#, &all),
        (r#"careType: "I""#, &[]),
        ("showRestored: true", &[]),
        ("showRestored: false", &all),
        (r#"jsonExt: "{}""#, &all),
        (r#"jsonExt: "{\"x\": 1}""#, &[]),
        // Prefixed filter sets.
        (
            r#"insuree_ChfId: "070707070""#,
            &["CLM-0001", "CLM-0002", "CLM-0004", "CLM-0005"],
        ),
        (
            r#"insuree_LastName_Icontains: "DOE", insuree_Dob_Lt: "2000-01-01""#,
            &["CLM-0001", "CLM-0002", "CLM-0004", "CLM-0005"],
        ),
        (
            r#"insuree_Uuid_Iexact: "10000000-0000-4000-8000-000000000032""#,
            &["CLM-0003"],
        ),
        (r#"healthFacility_Code: "JMHC001""#, &["CLM-0004"]),
        (
            r#"healthFacility_Location_Parent_Uuid: "2ea0e0a0-0000-4000-8000-000000000001", healthFacility_CareType: "O""#,
            &["CLM-0004"],
        ),
        (
            r#"healthFacility_Location_Uuid: "2ea0e0a0-0000-4000-8000-000000000009""#,
            &["CLM-0006"],
        ),
        (r#"healthFacility_LegalForm_Code: "Z""#, &[]),
        (
            r#"icd_Code_Istartswith: "A00""#,
            &["CLM-0001", "CLM-0002", "CLM-0003", "CLM-0006"],
        ),
        (r#"icd_Id: "RGlhZ25vc2lzR1FMVHlwZTo1""#, &["CLM-0004"]),
        (
            r#"admin_Code: "CA00001""#,
            &["CLM-0001", "CLM-0002", "CLM-0003", "CLM-0005"],
        ),
        (
            r#"admin_HealthFacility_Code_Icontains: "jmhos""#,
            &["CLM-0001", "CLM-0002", "CLM-0003", "CLM-0005"],
        ),
        (r#"batchRun_Id: "QmF0Y2hSdW5HUUxUeXBlOjE=""#, &[]),
        ("healthFacility_Status: AC, insuree_Status: AC", &all),
        ("healthFacility_Status: IN", &[]),
        // The variance against the last year's average of the same diagnosis (none in the last
        // year: the demo claims are of 2024): nothing.
        ("diagnosisVariance: 10", &[]),
        // Orders: django names or camelCase, `?` left out.
        (
            r#"orderBy: ["-claimed"]"#,
            &[
                "CLM-0005", "CLM-0001", "CLM-0003", "CLM-0006", "CLM-0004", "CLM-0002",
            ],
        ),
        (
            r#"orderBy: ["date_from", "?"], status: 2"#,
            &["CLM-0001", "CLM-0002"],
        ),
        (r#"orderBy: "-dateFrom", first: 1"#, &["CLM-0006"]),
    ];
    for (args, expected) in cases {
        let args = if args.is_empty() { "first: 50" } else { args };
        assert_eq!(codes(&app, &token, args).await, *expected, "claims({args})");
    }
    for (args, message) in [
        (r#"claimed_Gt: "x""#, "`claimed_Gt` must be a decimal"),
        (
            r#"orderBy: ["nope"]"#,
            "Cannot resolve keyword 'nope' into field.",
        ),
        (r#"insuree_Dob_Lt: "x""#, "must be a date"),
    ] {
        let q = format!("{{ claims({args}) {{ edges {{ node {{ code }} }} }} }}");
        let body = ask(&app, Some(&token), &q).await;
        let error = body["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(error.contains(message), "claims({args}): {body}");
    }
}

on_sqlite_and_postgres! {
    queries_on:
        the_other_root_queries_answer_as_the_original,
        the_other_root_queries_answer_as_the_original_on_postgres,
        "claim_queries"
}

async fn queries_on(vars: &[(String, String)]) {
    let (dir, runtime) = started_on(vars);
    let db = Db::of(&dir, vars);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let id = db.pk("tblClaim", "ClaimID", "ClaimUUID", &claim_uuid(85));
    let q = format!(
        r#"{{ byId: claim(id: {id}) {{ code status valuated feedbackAvailable feedback {{ id careRendered asessment officerId feedbackDate }}
            dedrems {{ edges {{ node {{ remG remHospitalization policy {{ uuid }} insuree {{ chfId }} claim {{ code }} }} }} }}
            services {{ product {{ code }} policy {{ uuid }} priceValuated remuneratedAmount }} clientMutationId dateProcessedTo restoreId }}
           missing: claimHistory(claimUuid: "d0000000-0000-4000-8000-000000000999") {{ totalCount }}
           name: insureeNameByChfid(chfId: "070707070") nobody: insureeNameByChfid(chfId: "nope")
           free: validateClaimCode(claimCode: "CLM-0099")
           same: claimWithSameDiagnosis(icd: "A000", chfid: "070707070") {{ edges {{ node {{ code }} }} }}
           officers: claimOfficers(search: "sub") {{ edges {{ node {{ code }} }} }} }}"#
    );
    let answer = data(&app, &token, &q).await;
    let claim = &answer["byId"];
    assert_eq!(
        (&claim["code"], &claim["status"], &claim["valuated"]),
        (&json!("CLM-0005"), &json!(16), &json!("1630.00"))
    );
    assert_eq!(claim["feedbackAvailable"], true);
    let feedback = &claim["feedback"];
    assert_eq!(
        (&feedback["careRendered"], &feedback["asessment"]),
        (&json!(true), &json!(4))
    );
    assert_eq!(feedback["feedbackDate"], "2024-03-15T00:00:00");
    assert!(
        feedback["id"]
            .as_str()
            .is_some_and(|id| id.parse::<i64>().is_ok()),
        "{feedback}"
    );
    let dedrem = &claim["dedrems"]["edges"][0]["node"];
    assert_eq!(
        (&dedrem["remG"], &dedrem["remHospitalization"]),
        (&json!("1630.00"), &json!("1630.00"))
    );
    assert_eq!(
        dedrem["policy"]["uuid"],
        "90000000-0000-4000-8000-000000000042"
    );
    assert_eq!(
        (&dedrem["insuree"]["chfId"], &dedrem["claim"]["code"]),
        (&json!("070707070"), &json!("CLM-0005"))
    );
    assert_eq!(claim["services"][0]["product"]["code"], "FCUL0001");
    assert_eq!(claim["services"][0]["priceValuated"], "1600.00");
    assert_eq!(
        (
            &claim["clientMutationId"],
            &claim["dateProcessedTo"],
            &claim["restoreId"]
        ),
        (&Value::Null, &Value::Null, &Value::Null)
    );
    assert_eq!(answer["missing"]["totalCount"], 0);
    assert_eq!(
        (&answer["name"], &answer["nobody"]),
        (&json!("John Doe"), &json!(""))
    );
    assert_eq!(answer["free"], true);
    assert_eq!(column(&answer, "same", "code"), ["CLM-0001"]);
    assert_eq!(column(&answer, "officers", "code"), ["E00002"]);
    // `claim` needs a key or uuid, and fails as `Claim.objects.get` on an unknown one.
    let body = ask(
        &app,
        Some(&token),
        r#"{ claim(uuid: "d0000000-0000-4000-8000-000000000999") { code } }"#,
    )
    .await;
    assert_eq!(
        body["errors"][0]["message"],
        "Claim matching query does not exist."
    );
    let body = ask(&app, Some(&token), "{ claim { code } }").await;
    assert_eq!(body["data"]["claim"], Value::Null);
    // The history copy is reached by key, not listed.
    let history = claim_uuid(91);
    let q = format!(
        r#"{{ claim(uuid: "{history}") {{ code validityTo }} claims(uuid: "{history}") {{ totalCount }} }}"#
    );
    let answer = data(&app, &token, &q).await;
    assert_eq!(answer["claim"]["validityTo"], "2024-06-03T09:30:00");
    assert_eq!(answer["claims"]["totalCount"], 0);
}

on_sqlite_and_postgres! {
    relations_on:
        the_reverse_relations_and_node_answer,
        the_reverse_relations_and_node_answer_on_postgres,
        "claim_relations"
}

async fn relations_on(vars: &[(String, String)]) {
    let (_dir, runtime) = started_on(vars);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let q = r#"{
      insurees(chfId: "070707070") { edges { node { claimSet { totalCount edges { node { code } } }
        claimDedRems { edges { node { remG } } } } } }
      policies(uuid: "90000000-0000-4000-8000-000000000042") { edges { node { claimDedRems { edges { node { remG claim { code } } } }
        claimitemSet { qtyApproved claim { code } } claimserviceSet { claim { code } } } } }
      healthFacilities(code: "JMHC001") { edges { node { claimSet { edges { node { code } } } referFromHF { totalCount } } } }
      diagnoses(code: "A0100") { edges { node { claimIcds { edges { node { code } } } claimIcd1s { totalCount } } } }
      medicalItems(code: "0182") { edges { node { claimitemSet { claim { code } } serviceItems { id } } } }
      policiesByInsuree(chfId: "070707070") { edges { node { policyUuid ded dedInPatient balance } } }
      claim(uuid: "d0000000-0000-4000-8000-000000000081") { attachments(title_Icontains: "voic") { totalCount edges { node { filename claim { code } } } }
        none: attachments(mime: "text/plain") { totalCount } }
      claimAttachmentType(claimGeneralType: FILE) { edges { node { typeDropdown { edges { node { title claim { code } } } } } } }
    }"#;
    let answer = data(&app, &token, q).await;
    let insuree = &answer["insurees"]["edges"][0]["node"];
    assert_eq!(insuree["claimSet"]["totalCount"], 4);
    assert_eq!(
        column(insuree, "claimSet", "code"),
        ["CLM-0001", "CLM-0002", "CLM-0004", "CLM-0005"]
    );
    assert_eq!(column(insuree, "claimDedRems", "remG"), ["1630.00"]);
    let policy = &answer["policies"]["edges"][0]["node"];
    assert_eq!(
        policy["claimDedRems"]["edges"][0]["node"]["claim"]["code"],
        "CLM-0005"
    );
    let item_claims: Vec<&Value> = policy["claimitemSet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["claim"]["code"])
        .collect();
    assert_eq!(
        item_claims,
        [&json!("CLM-0003"), &json!("CLM-0004"), &json!("CLM-0005")]
    );
    let facility = &answer["healthFacilities"]["edges"][0]["node"];
    assert_eq!(column(facility, "claimSet", "code"), ["CLM-0004"]);
    assert_eq!(facility["referFromHF"]["totalCount"], 0);
    let diagnosis = &answer["diagnoses"]["edges"][0]["node"];
    assert_eq!(column(diagnosis, "claimIcds", "code"), ["CLM-0005"]);
    let item = &answer["medicalItems"]["edges"][0]["node"];
    let item_claims: Vec<&Value> = item["claimitemSet"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| &l["claim"]["code"])
        .collect();
    assert_eq!(
        item_claims,
        [&json!("CLM-0002"), &json!("CLM-0004"), &json!("CLM-0005")]
    );
    // policy's summaries read claim's ded/rem rows: FCUL0001's (…-042) deducted nothing.
    let summaries = answer["policiesByInsuree"]["edges"].as_array().unwrap();
    let fcul = summaries
        .iter()
        .map(|e| &e["node"])
        .find(|n| n["policyUuid"] == "90000000-0000-4000-8000-000000000042")
        .unwrap_or_else(|| panic!("{answer}"));
    assert_eq!(
        (&fcul["ded"], &fcul["dedInPatient"]),
        (&json!(0.0), &Value::Null)
    );
    let attachments = &answer["claim"]["attachments"];
    assert_eq!(attachments["totalCount"], 1);
    assert_eq!(attachments["edges"][0]["node"]["filename"], "invoice.pdf");
    assert_eq!(answer["claim"]["none"]["totalCount"], 0);
    let dropdown = &answer["claimAttachmentType"]["edges"][0]["node"]["typeDropdown"];
    assert_eq!(dropdown["edges"][0]["node"]["claim"]["code"], "CLM-0001");
    // relay `node` reaches claims and attachments.
    let claim_id = global_id("ClaimGQLType", 1);
    let attachment_id = global_id(
        "ClaimAttachmentGQLType",
        "a7000000-0000-4000-8000-000000000081",
    );
    let q = format!(
        r#"{{ c: node(id: "{claim_id}") {{ ... on ClaimGQLType {{ code items {{ id }} }} }}
            a: node(id: "{attachment_id}") {{ ... on ClaimAttachmentGQLType {{ title claim {{ code }} }} }} }}"#
    );
    let answer = data(&app, &token, &q).await;
    assert_eq!(answer["c"]["code"], "CLM-0001");
    assert_eq!(answer["c"]["items"], json!([{"id": "42"}]));
    assert_eq!(answer["a"]["claim"]["code"], "CLM-0001");
}

/// relay's global id.
fn global_id(type_name: &str, pk: impl std::fmt::Display) -> String {
    openimis_sdk::relay::global_id(type_name, pk)
}

on_sqlite_and_postgres! {
    security_on:
        claims_are_row_secured_and_guarded_by_rights,
        claims_are_row_secured_and_guarded_by_rights_on_postgres,
        "claim_security"
}

async fn security_on(vars: &[(String, String)]) {
    let (dir, runtime) = started_on(vars);
    let db = Db::of(&dir, vars);
    grant_query_right(&db, &["Claim Administrator", "Manager"]);
    // manager1 keeps Jambero and Uptol of its districts (not Rapta, CLM-0006's).
    db.execute(
        r#"UPDATE "tblUsersDistricts" SET "ValidityTo" = CURRENT_TIMESTAMP WHERE "LocationId" = 9 AND "UserID" = (SELECT "id" FROM "tblUsers" WHERE "LoginName" = 'manager1')"#,
    );
    let (_rt, app) = service(runtime).await;
    let all = [
        "CLM-0001", "CLM-0002", "CLM-0003", "CLM-0004", "CLM-0005", "CLM-0006",
    ];
    // The admin sees every claim.
    let admin = login(&app, "Admin", "admin123").await;
    assert_eq!(codes(&app, &admin, "").await, all);
    // CA00001's user has a facility (Jambero District Hospital): its claims only.
    let facility_user = login(&app, "CA00001", "Demo12345!").await;
    assert_eq!(
        codes(&app, &facility_user, "").await,
        ["CLM-0001", "CLM-0002", "CLM-0003", "CLM-0005"]
    );
    // manager1's districts are Jambero and Uptol: their facilities' claims.
    let district_user = login(&app, "manager1", "Demo12345!").await;
    assert_eq!(
        codes(&app, &district_user, "").await,
        ["CLM-0001", "CLM-0002", "CLM-0003", "CLM-0004", "CLM-0005"]
    );
    // Nested claim lists are secured too; a claim by key and the history are not.
    let q = r#"{ diagnoses(code: "A001") { edges { node { claimIcds { totalCount } claimIcd1s { totalCount } } } }
                claim(uuid: "d0000000-0000-4000-8000-000000000086") { code }
                claimHistory(claimUuid: "d0000000-0000-4000-8000-000000000081") { totalCount } }"#;
    let answer = data(&app, &district_user, q).await;
    assert_eq!(answer["claim"]["code"], "CLM-0006");
    assert_eq!(answer["claimHistory"]["totalCount"], 1);
    let diagnosis = &answer["diagnoses"]["edges"][0]["node"];
    assert_eq!(
        diagnosis["claimIcds"]["totalCount"], 0,
        "CLM-0006 is at another district's facility"
    );
    assert_eq!(
        diagnosis["claimIcd1s"]["totalCount"], 1,
        "CLM-0001's secondary diagnosis"
    );
    // Without 111001: refused; the attachment types are readable anonymously.
    let clerk = login(&app, "reception1", "Demo12345!").await;
    for q in [
        "{ claims { totalCount } }",
        r#"{ claim(uuid: "d0000000-0000-4000-8000-000000000081") { code } }"#,
        r#"{ claimHistory(claimUuid: "x") { totalCount } }"#,
        r#"{ validateClaimCode(claimCode: "x") }"#,
        "{ claimAttachments { totalCount } }",
        r#"{ insureeNameByChfid(chfId: "070707070") }"#,
    ] {
        let body = ask(&app, Some(&clerk), q).await;
        assert_eq!(body["errors"][0]["message"], "unauthorized", "{q}: {body}");
    }
    let body = ask(
        &app,
        None,
        "{ claimAttachmentType { edges { node { claimGeneralType } } } }",
    )
    .await;
    assert_eq!(
        column(&body["data"], "claimAttachmentType", "claimGeneralType"),
        ["FILE", "URL"]
    );
    let body = ask(&app, None, "{ claims { totalCount } }").await;
    assert!(body.get("errors").is_some(), "{body}");
}
