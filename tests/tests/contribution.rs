//! The `contribution` module with core, location, medical, product, insuree, policy and payer
//! on the demo data, on SQLite and, with `--features postgres`, on PostgreSQL (`*_on_postgres`):
//! schema parity with the reference (the diff printed), the frontend's recorded `contribution`
//! operations replayed, a premium's activation of its policy table-driven (each case on a
//! policy of its own, under policy's `activation_option` 1, then 3), what each mutation writes
//! (`tblPremium` with its history copies, the policy's history copy and coverage dates,
//! `contribution_PremiumMutation`, the log), receipt uniqueness, rights and bad inputs (a
//! failed log entry saying why, nothing half-written), the reverse relations on policy's and
//! core's types, and `createPolicy` with `isPaid` creating its premium through contribution's
//! service. The demo (plugins/contribution/src/demo.rs): `…-041` family 21's active BASIC
//! policy paid by `a0000000-…-050` (`RCPT-0`) and `…-051` (`RCPT-1`); `…-043` family 1's idle
//! BASIC policy with a photo fee (`…-053`); products 1 BASIC and 2 FCUL0001; officer 1 E00002;
//! payer `b0000000-…-061` (`…-051`'s) and the donor `…-063` (payer 3, `…-055`'s).

use openimis_system_tests::calls::{
    ask, column, data, failed_with, log_of, mutate_input, node_by_uuid, replay_operations, OK,
};
use openimis_system_tests::conformance::{
    assert_extensions_as_reference, frontend_operations, module_surface, parse_schema,
};
use openimis_system_tests::test_rows::TestRows as Rows;
use openimis_system_tests::*;
use serde_json::{json, Value};

const TYPES: &[&str] = &[
    "PremiumGQLType",
    "PremiumGQLTypeConnection",
    "PremiumGQLTypeEdge",
    "PremiumMutationGQLType",
    "CreatePremiumMutationInput",
    "CreatePremiumMutationPayload",
    "UpdatePremiumMutationInput",
    "UpdatePremiumMutationPayload",
    "DeletePremiumsMutationInput",
    "DeletePremiumsMutationPayload",
];

const ROOTS: &[(&str, &str)] = &[
    ("Query", "premiums"),
    ("Query", "premiumsByPolicies"),
    ("Query", "validatePremiumCode"),
    ("Mutation", "createPremium"),
    ("Mutation", "updatePremium"),
    ("Mutation", "deletePremium"),
];

/// Fields typed by modules that are not loaded here.
const AWAITING: &[&str] =
    &["PremiumGQLType.paymentDetails: awaits the module owning PaymentDetailGQLTypeConnection"];

const MODULES: &[&str] = &[
    "core",
    "location",
    "medical",
    "product",
    "insuree",
    "policy",
    "payer",
    "contribution",
];

const ACTIVE: &str = "90000000-0000-4000-8000-000000000041";
const EXPIRED: &str = "90000000-0000-4000-8000-000000000042";
const IDLE: &str = "90000000-0000-4000-8000-000000000043";
const PAID_0: &str = "a0000000-0000-4000-8000-000000000050";
const PAID_1: &str = "a0000000-0000-4000-8000-000000000051";
const PHOTO_FEE: &str = "a0000000-0000-4000-8000-000000000053";
const CREATE_FAILED: &str = "contribution.mutation.failed_to_create_premium";
const UPDATE_FAILED: &str = "contribution.mutation.failed_to_update_premium";

/// The modules on the demo, on SQLite unless `vars` name a database; policy configured with
/// `policy` (its `"config"` entry).
fn started_on(
    vars: &[(String, String)],
    policy: Value,
) -> (ModulesDir, openimis_host::runtime::Runtime) {
    started_on_demo_configured(MODULES, &[("policy", policy)], vars)
}

fn started(vars: &[(String, String)]) -> (ModulesDir, openimis_host::runtime::Runtime) {
    started_on(vars, json!({}))
}

#[test]
fn the_contribution_surface_is_the_references() {
    let (_dir, runtime) = started(&[]);
    let sdl = runtime.engine.composed.sdl();
    let (diff, awaiting) = module_surface(&sdl, TYPES, ROOTS);
    assert_eq!(diff, Vec::<String>::new(), "see the diff above");
    assert_eq!(awaiting, AWAITING);
    let extended = [
        ("PolicyGQLType", "premiums"),
        ("MutationLogGQLType", "premiums"),
    ];
    assert_extensions_as_reference(&sdl, &extended);
}

/// The tables a premium's save writes: premiums, policies, coverage, links.
const WRITTEN: [&str; 5] = [
    "tblPremium",
    "tblPolicy",
    "tblInsureePolicy",
    "contribution_PremiumMutation",
    "policy_PolicyMutation",
];
const LINKS: (&str, &str) = ("contribution_PremiumMutation", "premium_id");

fn policy_pk(rows: &Rows, uuid: &str) -> i64 {
    rows.pk("tblPolicy", "PolicyID", "PolicyUUID", uuid)
}

fn premium_pk(rows: &Rows, uuid: &str) -> i64 {
    rows.pk("tblPremium", "PremiumId", "PremiumUUID", uuid)
}

/// A premium's input.
fn premium(policy: &str, amount: &str, receipt: &str, paid: &str) -> Value {
    json!({"policyUuid": policy, "amount": amount, "receipt": receipt, "payDate": paid,
        "payType": "C", "isPhotoFee": false})
}

/// The valid policy `uuid` as policy's list answers it.
async fn policy<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    uuid: &str,
) -> Value {
    let fields = "status value startDate effectiveDate expiryDate sumPremiums";
    node_by_uuid(app, token, ("policies", uuid), fields).await
}

/// `deletePremium` as the frontend sends it (its input type is `DeletePremiumsMutationInput`).
async fn delete<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    mut input: Value,
    client_id: &str,
) -> Value {
    input["clientMutationId"] = json!(client_id);
    let document = "mutation ($input: DeletePremiumsMutationInput!) { deletePremium(input: $input) { internalId clientMutationId } }";
    let request = graphql_as(document, json!({ "input": input }), token);
    let (status, body) = json_of(actix_web::test::call_service(app, request).await).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.get("errors").is_none(), "{body}");
    log_of(app, token, client_id).await
}

on_sqlite_and_postgres! {
    replay_on:
        the_frontends_contribution_operations_validate_and_answer,
        the_frontends_contribution_operations_validate_and_answer_on_postgres,
        "contribution_replay"
}

/// The recorded mutations in the order they run here: the update and delete of the demo's
/// `…-051` first, then the create of a premium with its receipt (`RCPT-1`), free again once
/// `…-051` is deleted: every one succeeds.
const MUTATIONS: [(&str, &str); 3] = [
    ("contribution-09", "00000000-0000-4000-8000-000000000027"),
    ("contribution-10", "00000000-0000-4000-8000-000000000028"),
    ("contribution-08", "00000000-0000-4000-8000-000000000026"),
];

async fn replay_on(vars: &[(String, String)]) {
    let (dir, runtime) = started(vars);
    let rows = Rows::of(&dir, vars);
    let schema = parse_schema(&runtime.engine.composed.sdl());
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let operations = frontend_operations("contribution");
    assert_eq!(operations.len(), 10, "contribution's recorded operations");
    let order = |id: &str| {
        MUTATIONS
            .iter()
            .position(|(m, _)| *m == id)
            .map_or(0, |n| n + 1)
    };
    let mut operations = operations;
    operations.sort_by_key(|op| order(&op.id));
    let answers = replay_operations(&app, &schema, &token, &operations).await;
    // contribution-01: this year's premiums that are not photo fees, latest first.
    let first = &answers["contribution-01"]["premiums"];
    assert_eq!(first["totalCount"], 3, "{first}");
    assert_eq!(
        column(&answers["contribution-01"], "premiums", "uuid"),
        [
            json!(PAID_1),
            json!(PAID_0),
            json!("a0000000-0000-4000-8000-000000000054")
        ]
    );
    let node = &first["edges"][0]["node"];
    assert_eq!(
        (
            &node["amount"],
            &node["receipt"],
            &node["payType"],
            &node["isPhotoFee"]
        ),
        (
            &json!("5000.00"),
            &json!("RCPT-1"),
            &json!("C"),
            &json!(false)
        )
    );
    // contribution-02: every filter at once: …-041's photo fee, paid in cash by payer 3.
    let all = &answers["contribution-02"]["premiums"];
    assert_eq!(all["totalCount"], 1, "{all}");
    let node = &all["edges"][0]["node"];
    assert_eq!(
        (
            &node["uuid"],
            &node["payer"]["uuid"],
            &node["payer"]["name"]
        ),
        (
            &json!("a0000000-0000-4000-8000-000000000055"),
            &json!("b0000000-0000-4000-8000-000000000063"),
            &json!("Global Health Donors Fund")
        )
    );
    // contribution-03/04: the policy's premiums, latest first (a single uuid coerced to a
    // list), its photo fee last.
    assert_eq!(
        column(&answers["contribution-03"], "premiumsByPolicies", "receipt"),
        [json!("RCPT-1"), json!("RCPT-0")]
    );
    assert_eq!(
        answers["contribution-04"]["premiumsByPolicies"]["totalCount"],
        3
    );
    // contribution-05: policy's `sumPremiums` reads these rows.
    let summary = &answers["contribution-05"]["policies"]["edges"][0]["node"];
    assert_eq!(
        (&summary["value"], &summary["sumPremiums"]),
        (&json!("10000.00"), &json!(10000.0))
    );
    // contribution-06: the premium, its other premiums (annotated), its policy from policy.
    let loaded = &answers["contribution-06"]["premiums"]["edges"][0]["node"];
    assert_eq!(loaded["otherPremiums"], 5000.0, "{loaded}");
    assert_eq!(loaded["clientMutationId"], Value::Null);
    assert_eq!(
        loaded["payer"]["uuid"],
        "b0000000-0000-4000-8000-000000000061"
    );
    assert_eq!(loaded["policy"]["uuid"], ACTIVE);
    assert_eq!(loaded["policy"]["product"]["code"], "BASIC");
    assert_eq!(
        loaded["policy"]["family"]["headInsuree"]["chfId"],
        "070707070"
    );
    // contribution-07: RCPT-1 is taken for BASIC.
    assert_eq!(answers["contribution-07"]["isValid"], false);

    for (id, client_id) in MUTATIONS {
        assert_eq!(log_of(&app, &token, client_id).await, OK(), "{id}");
    }
    // 09 saved …-051 again (history copy, linked when logged): 5000 of the 5000 left, so the
    // policy is active from max(pay date, start) = 2024-06-02, its coverage rows with it.
    let updated = premium_pk(&rows, PAID_1);
    assert_eq!(
        rows.count(
            "tblPremium",
            &format!(r#""LegacyID" = {updated} AND "Receipt" = 'RCPT-1'"#)
        ),
        2,
        "09's and 10's history copies"
    );
    assert_eq!(rows.links(LINKS, updated, MUTATIONS[0].1), 1);
    assert_eq!(rows.links(LINKS, updated, MUTATIONS[1].1), 1);
    // 10 deleted it (`delete_history`: the row ends, from and to the same moment).
    assert_eq!(
        rows.count("tblPremium", &format!(r#""PremiumId" = {updated} AND "ValidityTo" IS NOT NULL AND "ValidityFrom" = "ValidityTo""#)),
        1
    );
    // 08 created RCPT-1 again (ENFORCE, 5000 = the balance), linked to its log.
    let created = rows.number(
        r#"SELECT CAST("PremiumId" AS BIGINT) AS n FROM "tblPremium" WHERE "Receipt" = 'RCPT-1' AND "ValidityTo" IS NULL"#,
    );
    assert_eq!(rows.links(LINKS, created, MUTATIONS[2].1), 1);
    let active = policy(&app, &token, ACTIVE).await;
    assert_eq!(
        (
            &active["status"],
            &active["effectiveDate"],
            &active["sumPremiums"]
        ),
        (&json!(2), &json!("2024-06-02"), &json!(10000.0)),
        "{active}"
    );
    let pk = policy_pk(&rows, ACTIVE);
    assert_eq!(
        rows.count(
            "tblInsureePolicy",
            &format!(
                r#""PolicyId" = {pk} AND "ValidityTo" IS NULL AND "EffectiveDate" = '2024-06-02'"#
            )
        ),
        rows.count(
            "tblInsureePolicy",
            &format!(r#""PolicyId" = {pk} AND "ValidityTo" IS NULL"#)
        ),
        "every coverage row effective with the policy"
    );
    assert_eq!(
        rows.count("tblPolicy", &format!(r#""LegacyID" = {pk}"#)),
        2,
        "a policy history copy per save (09, 08)"
    );
}

/// One activation case: premiums `(amount, pay date, photo fee, offline, action)` saved in
/// order on a new idle BASIC policy (value 10000, start 2024-07-01), and the policy's status,
/// effective date and its coverage rows' effective date afterwards.
type Case = (
    &'static str,
    &'static [(&'static str, &'static str, bool, bool, Option<&'static str>)],
    (i64, Option<&'static str>, Option<&'static str>),
);

#[rustfmt::skip]
const CASES: &[Case] = &[
    ("below the value: an idle policy stays idle", &[("4000", "2024-07-05", false, false, None)], (1, None, None)),
    ("below, ENFORCE: active from the pay date", &[("4000", "2024-07-05", false, false, Some("ENFORCE"))], (2, Some("2024-07-05"), Some("2024-07-05"))),
    ("covering, paid before the start: active from the start", &[("10000", "2024-06-20", false, false, None)], (2, Some("2024-07-01"), Some("2024-07-01"))),
    ("covering, paid after the start: active from the pay date", &[("10000.00", "2024-07-10", false, false, None)], (2, Some("2024-07-10"), Some("2024-07-10"))),
    ("two installments: the second pays the rest", &[("4000", "2024-06-20", false, false, None), ("6000", "2024-07-03", false, false, None)], (2, Some("2024-07-03"), Some("2024-07-03"))),
    ("a photo fee is not counted in the balance", &[("3000", "2024-06-20", true, false, None), ("7000", "2024-07-03", false, false, None)], (1, None, None)),
    ("above the value: active from the pay date", &[("12000", "2024-06-20", false, false, None)], (2, Some("2024-06-20"), Some("2024-06-20"))),
    ("SUSPEND: suspended, whatever the amount", &[("10000", "2024-07-10", false, false, Some("SUSPEND"))], (4, None, None)),
    // The policy is not saved (an offline premium, an online policy), its coverage rows are.
    ("an offline premium", &[("10000", "2024-07-10", false, true, None)], (1, None, Some("2024-07-10"))),
];

/// Creates an idle BASIC policy for family 3 enrolled on `enroll`; answers its uuid and key.
async fn idle_policy<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    rows: &Rows,
    enroll: &str,
    client_id: &str,
) -> (String, i64) {
    let family = rows.number(
        r#"SELECT CAST("FamilyID" AS BIGINT) AS n FROM "tblFamilies" WHERE "FamilyUUID" = 'f0000000-0000-4000-8000-000000000003' AND "ValidityTo" IS NULL"#,
    );
    let input = json!({"enrollDate": enroll, "startDate": "2024-07-01", "expiryDate": "2025-06-30",
        "value": "10000", "productId": 1, "familyId": family, "officerId": 1});
    assert_eq!(
        mutate_input(app, token, "createPolicy", input, client_id).await,
        OK()
    );
    let q = format!(r#"{{ policies(enrollDate: "{enroll}") {{ edges {{ node {{ uuid }} }} }} }}"#);
    let uuid = data(app, token, &q).await["policies"]["edges"][0]["node"]["uuid"]
        .as_str()
        .expect("the new policy")
        .to_owned();
    let pk = policy_pk(rows, &uuid);
    (uuid, pk)
}

on_sqlite_and_postgres! {
    activation_on:
        a_premium_activates_its_policy_as_the_original,
        a_premium_activates_its_policy_as_the_original_on_postgres,
        "contribution_activation"
}

async fn activation_on(vars: &[(String, String)]) {
    let (dir, runtime) = started(vars);
    let rows = Rows::of(&dir, vars);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    for (n, (case, premiums, (status, effective, covered))) in CASES.iter().enumerate() {
        let enroll = format!("2024-03-{:02}", n + 1);
        let (uuid, pk) = idle_policy(&app, &token, &rows, &enroll, &format!("p{n}")).await;
        let mut paid = 0.0;
        for (i, (amount, on, photo, offline, action)) in premiums.iter().enumerate() {
            let mut input = premium(&uuid, amount, &format!("A-{n}-{i}"), on);
            input["isPhotoFee"] = json!(photo);
            input["isOffline"] = json!(offline);
            if let Some(action) = action {
                input["action"] = json!(action);
            }
            let log =
                mutate_input(&app, &token, "createPremium", input, &format!("a{n}-{i}")).await;
            assert_eq!(log, OK(), "{case}");
            if !photo {
                paid += amount.parse::<f64>().unwrap();
            }
        }
        let state = policy(&app, &token, &uuid).await;
        assert_eq!(
            (
                &state["status"],
                &state["effectiveDate"],
                &state["sumPremiums"]
            ),
            (&json!(status), &json!(effective), &json!(paid)),
            "{case}: {state}"
        );
        let coverage = |condition: &str| {
            rows.count(
                "tblInsureePolicy",
                &format!(r#""PolicyId" = {pk} AND "ValidityTo" IS NULL AND {condition}"#),
            )
        };
        let all = coverage("1 = 1");
        assert!(all > 0, "{case}: family 3 is covered");
        let matching = match covered {
            Some(date) => coverage(&format!(
                r#""EffectiveDate" = '{date}' AND "StartDate" = '2024-07-01' AND "ExpiryDate" = '2025-06-30'"#
            )),
            None => coverage(r#""EffectiveDate" IS NULL"#),
        };
        assert_eq!(matching, all, "{case}: the coverage rows' dates");
        assert_eq!(
            rows.count(
                "tblPolicy",
                &format!(r#""LegacyID" = {pk} AND "ValidityTo" IS NOT NULL"#)
            ),
            premiums.len() as i64,
            "{case}: one history copy of the policy per premium"
        );
    }
}

on_sqlite_and_postgres! {
    ready_on:
        with_activation_option_3_a_paid_policy_is_ready,
        with_activation_option_3_a_paid_policy_is_ready_on_postgres,
        "contribution_ready"
}

async fn ready_on(vars: &[(String, String)]) {
    let (dir, runtime) = started_on(vars, json!({"activation_option": 3}));
    let rows = Rows::of(&dir, vars);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    // An idle policy paid in full: ready (16) in memory, but the original saves a policy only
    // when its effective date is the pay date or its start date, and it has none: still idle.
    let (uuid, pk) = idle_policy(&app, &token, &rows, "2024-03-01", "p").await;
    let input = premium(&uuid, "10000", "B-1", "2024-07-10");
    assert_eq!(
        mutate_input(&app, &token, "createPremium", input, "b1").await,
        OK()
    );
    let state = policy(&app, &token, &uuid).await;
    assert_eq!(
        (&state["status"], &state["effectiveDate"]),
        (&json!(1), &Value::Null),
        "{state}"
    );
    assert_eq!(rows.count("tblPolicy", &format!(r#""LegacyID" = {pk}"#)), 1);
    // The demo's active policy, effective at its start: ready, saved.
    let input = premium(ACTIVE, "100", "B-2", "2024-07-10");
    assert_eq!(
        mutate_input(&app, &token, "createPremium", input, "b2").await,
        OK()
    );
    let state = policy(&app, &token, ACTIVE).await;
    assert_eq!(
        (&state["status"], &state["effectiveDate"]),
        (&json!(16), &json!("2024-06-01")),
        "{state}"
    );
}

on_sqlite_and_postgres! {
    each_mutation_on:
        each_mutation_writes_what_the_original_does_and_fails_cleanly,
        each_mutation_writes_what_the_original_does_and_fails_cleanly_on_postgres,
        "contribution_mutations"
}

/// Runs the failing `mutation` and checks its log and that no table changed.
async fn refused<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    rows: &Rows,
    token: &str,
    (mutation, input, client_id): (&str, Value, &str),
    (message, detail): (&str, Option<&str>),
) {
    let before = rows.counts(WRITTEN);
    let log = match mutation {
        "deletePremium" => delete(app, token, input, client_id).await,
        _ => mutate_input(app, token, mutation, input, client_id).await,
    };
    failed_with(&log, message, detail);
    let mut after = rows.counts(WRITTEN);
    // The premiums a mutation names are linked when it is logged, as the original's signal.
    after[3] = before[3];
    assert_eq!(after, before, "{client_id}: nothing written");
}

async fn each_mutation_on(vars: &[(String, String)]) {
    let (dir, runtime) = started(vars);
    let rows = Rows::of(&dir, vars);
    let (_rt, app) = service(runtime).await;
    let admin = login(&app, "Admin", "admin123").await;
    let plain = login(&app, "reception1", "Demo12345!").await;
    let idle_pk = policy_pk(&rows, IDLE);
    let taken = "['mutation.code_already_taken']";

    // createPremium on the idle policy (its photo fee pays nothing): the row as given, linked
    // to its log, the policy copied to history and left idle.
    let mut input = premium(IDLE, "2500.5", "R-100", "2024-03-01");
    input["payType"] = json!("B");
    assert_eq!(
        mutate_input(&app, &admin, "createPremium", input, "c1").await,
        OK()
    );
    let q = r#"{ premiums(receipt: "R-100") { totalCount edges { node { uuid amount payDate payType isPhotoFee isOffline auditUserId validityTo otherPremiums clientMutationId policy { uuid } mutations { id premium { receipt } } } } } }"#;
    let found = data(&app, &admin, q).await;
    assert_eq!(found["premiums"]["totalCount"], 1, "{found}");
    let node = found["premiums"]["edges"][0]["node"].clone();
    let uuid = node["uuid"].as_str().unwrap().to_owned();
    assert_eq!(
        json!([
            node["amount"],
            node["payDate"],
            node["payType"],
            node["isPhotoFee"],
            node["isOffline"],
            node["validityTo"],
            node["otherPremiums"],
            node["policy"]["uuid"]
        ]),
        json!(["2500.50", "2024-03-01", "B", false, false, null, null, IDLE]),
        "the photo fee is no other premium: null, as the annotation: {node}"
    );
    assert!(node["auditUserId"].as_i64().is_some());
    // `mutation { … }` is core's MutationLogGQLType, which core does not answer by key.
    assert_eq!(
        node["mutations"][0]["premium"]["receipt"], "R-100",
        "{node}"
    );
    assert_eq!(
        node["mutations"].as_array().map(Vec::len),
        Some(1),
        "{node}"
    );
    let pk = premium_pk(&rows, &uuid);
    assert_eq!(rows.links(LINKS, pk, "c1"), 1);
    assert_eq!(
        rows.count("tblPolicy", &format!(r#""LegacyID" = {idle_pk}"#)),
        1
    );
    assert_eq!(policy(&app, &admin, IDLE).await["status"], 1);

    // updatePremium: a history copy of the old row, then every field overwritten; linked when
    // logged.
    let mut input = premium(IDLE, "3000", "R-101", "2024-03-02");
    input["uuid"] = json!(uuid);
    assert_eq!(
        mutate_input(&app, &admin, "updatePremium", input.clone(), "u1").await,
        OK()
    );
    let copy = format!(
        r#""LegacyID" = {pk} AND "ValidityTo" IS NOT NULL AND "Receipt" = 'R-100' AND "PayType" = 'B' AND "PayDate" = '2024-03-01'"#
    );
    assert_eq!(rows.count("tblPremium", &copy), 1, "the history copy");
    let now = format!(
        r#""PremiumId" = {pk} AND "ValidityTo" IS NULL AND "Receipt" = 'R-101' AND "PayType" = 'C' AND "Amount" = 3000"#
    );
    assert_eq!(rows.count("tblPremium", &now), 1);
    assert_eq!(rows.links(LINKS, pk, "u1"), 1);
    assert_eq!(
        rows.count("tblPolicy", &format!(r#""LegacyID" = {idle_pk}"#)),
        2
    );

    // Receipts are unique among the valid premiums of a product: RCPT-0 is BASIC's (…-041).
    let again = premium(IDLE, "10", "RCPT-0", "2024-03-03");
    refused(
        &app,
        &rows,
        &admin,
        ("createPremium", again, "c2"),
        (CREATE_FAILED, Some(taken)),
    )
    .await;
    let other_product = premium(EXPIRED, "10", "RCPT-0", "2023-06-01");
    assert_eq!(
        mutate_input(&app, &admin, "createPremium", other_product, "c3").await,
        OK(),
        "FCUL0001 has none"
    );
    let mut changed = input.clone();
    changed["receipt"] = json!("RCPT-0");
    refused(
        &app,
        &rows,
        &admin,
        ("updatePremium", changed, "u2"),
        (UPDATE_FAILED, Some(taken)),
    )
    .await;
    assert_eq!(
        mutate_input(&app, &admin, "updatePremium", input.clone(), "u3").await,
        OK(),
        "an unchanged receipt is not checked"
    );
    let validate = |code: &str, policy: &str| {
        format!(r#"{{ isValid: validatePremiumCode(code: "{code}", policyUuid: "{policy}") }}"#)
    };
    assert_eq!(
        data(&app, &admin, &validate("RCPT-0", IDLE)).await["isValid"],
        false
    );
    assert_eq!(
        data(&app, &admin, &validate("R-999", IDLE)).await["isValid"],
        true
    );
    let unknown_policy = "90000000-0000-4000-8000-0000000000ff";
    let body = ask(&app, Some(&admin), &validate("R-999", unknown_policy)).await;
    assert_eq!(
        body["errors"][0]["message"], "'NoneType' object has no attribute 'product'",
        "{body}"
    );

    // Bad inputs: a clear error each, nothing written.
    let mut cases = Vec::new();
    let mut bad = premium(IDLE, "abc", "R-200", "2024-03-01");
    cases.push((bad.clone(), "`amount` must be a decimal number"));
    bad = premium(unknown_policy, "10", "R-200", "2024-03-01");
    cases.push((bad.clone(), "policy_uuid_not_found"));
    bad = premium("", "10", "R-200", "2024-03-01");
    cases.push((bad.clone(), "policy_uuid_required"));
    bad = premium(IDLE, "10", "R-200", "2024-03-01");
    bad["payType"] = json!("CASH");
    cases.push((bad.clone(), "`payType` must be one character"));
    bad = premium(IDLE, "10", "R-200", "2024-03-01");
    bad.as_object_mut().unwrap().remove("receipt");
    cases.push((bad.clone(), "`receipt` is required"));
    bad = premium(IDLE, "10", "R-200", "01/03/2024");
    cases.push((bad.clone(), "`payDate` must be a date (YYYY-MM-DD)"));
    for (n, (input, why)) in cases.into_iter().enumerate() {
        let id = format!("bad{n}");
        refused(
            &app,
            &rows,
            &admin,
            ("createPremium", input, &id),
            (CREATE_FAILED, Some(why)),
        )
        .await;
    }

    // Rights: a user without 101301-101304.
    let ok = premium(IDLE, "10", "R-300", "2024-03-01");
    refused(
        &app,
        &rows,
        &plain,
        ("createPremium", ok.clone(), "r1"),
        (CREATE_FAILED, Some("unauthorized")),
    )
    .await;
    let mut update = ok.clone();
    update["uuid"] = json!(uuid);
    refused(
        &app,
        &rows,
        &plain,
        ("updatePremium", update, "r2"),
        (UPDATE_FAILED, Some("unauthorized")),
    )
    .await;
    let denied = "The mutation threw a <class 'django.core.exceptions.PermissionDenied'>, check logs for details";
    refused(
        &app,
        &rows,
        &plain,
        ("deletePremium", json!({"uuids": [uuid]}), "r3"),
        (denied, None),
    )
    .await;
    for q in [
        r#"{ premiums { totalCount } }"#.to_owned(),
        format!(r#"{{ premiumsByPolicies(policyUuids: ["{IDLE}"]) {{ totalCount }} }}"#),
        validate("R-999", IDLE),
    ] {
        let body = ask(&app, Some(&plain), &q).await;
        let message = body["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains("unauthorized"), "{q}: {body}");
    }

    // deletePremium: `delete_history()` (a copy, then the row ends); linked when logged; the
    // policy is not recomputed. An unknown uuid refuses all of them.
    let unknown = "a0000000-0000-4000-8000-0000000000ff";
    let both = json!({"uuids": [uuid, unknown]});
    refused(
        &app,
        &rows,
        &admin,
        ("deletePremium", both, "d1"),
        ("contribution.validation.id_does_not_exist", Some(unknown)),
    )
    .await;
    assert_eq!(
        rows.count(
            "tblPremium",
            &format!(r#""PremiumId" = {pk} AND "ValidityTo" IS NULL"#)
        ),
        1
    );
    assert_eq!(rows.links(LINKS, pk, "d1"), 1, "linked when logged");
    let key_error = "The mutation threw a <class 'KeyError'>, check logs for details";
    refused(
        &app,
        &rows,
        &admin,
        ("deletePremium", json!({}), "d2"),
        (key_error, None),
    )
    .await;
    let copies = rows.count("tblPremium", &format!(r#""LegacyID" = {pk}"#));
    assert_eq!(
        delete(&app, &admin, json!({"uuids": [uuid]}), "d3").await,
        OK()
    );
    let ended = format!(
        r#""PremiumId" = {pk} AND "ValidityTo" IS NOT NULL AND "ValidityFrom" = "ValidityTo""#
    );
    assert_eq!(rows.count("tblPremium", &ended), 1);
    assert_eq!(
        rows.count("tblPremium", &format!(r#""LegacyID" = {pk}"#)),
        copies + 1
    );
    assert_eq!(rows.links(LINKS, pk, "d3"), 1);
    assert_eq!(policy(&app, &admin, IDLE).await["status"], 1);
    // Its receipt is free again.
    assert_eq!(
        data(&app, &admin, &validate("R-101", IDLE)).await["isValid"],
        true
    );

    // The list: valid rows unless `showHistory` or a `uuid`; `clientMutationId` names the log.
    let q = format!(
        r#"{{ premiums(uuid: "{uuid}") {{ edges {{ node {{ receipt validityTo }} }} }} }}"#
    );
    let answer = data(&app, &admin, &q).await;
    assert_eq!(
        column(&answer, "premiums", "receipt"),
        [json!("R-101")],
        "a uuid lifts the validity"
    );
    let q =
        r#"{ premiums(clientMutationId: "c1", showHistory: true) { edges { node { receipt } } } }"#;
    assert_eq!(
        column(&data(&app, &admin, q).await, "premiums", "receipt"),
        [json!("R-101")]
    );
    let q = r#"{ premiums(policy_Uuid: "90000000-0000-4000-8000-000000000043", policy_Product_Code: "BASIC", policy_InsureePolicies_Insuree_ChfId_Icontains: "0") { edges { node { uuid } } } }"#;
    assert_eq!(
        column(&data(&app, &admin, q).await, "premiums", "uuid"),
        [json!(PHOTO_FEE)]
    );
    // `parentLocation` at its level (the original's `parent__…__uuid` path): families 1, 2 and
    // 21 live in Jambero's villages (location 2, a district), in Region 1 (location 1).
    let under = |uuid: u32, level: u32| {
        format!(
            r#"{{ premiums(parentLocation: "2ea0e0a0-0000-4000-8000-{uuid:012}", parentLocationLevel: {level}, orderBy: ["receipt"]) {{ edges {{ node {{ receipt }} }} }} }}"#
        )
    };
    let jambero = [
        "PF-0001",
        "RCPT-0",
        "RCPT-0",
        "RCPT-1",
        "RCPT-PF-1",
        "RE-FCUL0001-2023-05-10-00001",
        "RE-FCUL0001-2024-01-10-00001",
    ]
    .map(|r| json!(r));
    for (uuid, level, expected) in [(2, 1, &jambero[..]), (1, 0, &jambero[..]), (2, 0, &[][..])] {
        let answer = data(&app, &admin, &under(uuid, level)).await;
        assert_eq!(
            column(&answer, "premiums", "receipt"),
            expected,
            "{uuid} at {level}"
        );
    }
    let body = ask(
        &app,
        Some(&admin),
        r#"{ premiums(parentLocation: "x") { totalCount } }"#,
    )
    .await;
    assert_eq!(
        body["errors"][0]["message"],
        "Missing parentLocationLevel argument when filtering on parentLocation"
    );

    // `clientMutationId`: the client id of a linked mutation still waiting (status 0); relay
    // `node` reaches a premium by its id.
    let paid = premium_pk(&rows, PAID_0);
    let log = "c0ffee00-0000-4000-8000-000000000001";
    rows.execute(&format!(
        r#"INSERT INTO "core_Mutation_Log" ("id", "json_content", "request_date_time", "client_mutation_id", "status")
           VALUES ('{log}', '{{}}', '2024-06-01 10:00:00', 'waiting-1', 0)"#
    ));
    rows.execute(&format!(
        r#"INSERT INTO "contribution_PremiumMutation" ("id", "mutation_id", "premium_id")
           VALUES ('c0ffee00-0000-4000-8000-000000000002', '{log}', {paid})"#
    ));
    let q = format!(
        r#"{{ premiums(uuid: "{PAID_0}") {{ edges {{ node {{ id clientMutationId }} }} }} }}"#
    );
    let node = data(&app, &admin, &q).await["premiums"]["edges"][0]["node"].clone();
    assert_eq!(node["clientMutationId"], "waiting-1", "{node}");
    let q = format!(
        r#"{{ node(id: "{}") {{ ... on PremiumGQLType {{ receipt amount }} }} }}"#,
        node["id"].as_str().unwrap()
    );
    assert_eq!(
        data(&app, &admin, &q).await["node"],
        json!({"receipt": "RCPT-0", "amount": "5000.00"})
    );

    // Reverse relations: every premium of a policy, history rows included; a log's premiums.
    let q = format!(
        r#"{{ policies(uuid: "{IDLE}") {{ edges {{ node {{ premiums {{ totalCount edges {{ node {{ receipt }} }} }} }} }} }} }}"#
    );
    let answer = data(&app, &admin, &q).await;
    let premiums = &answer["policies"]["edges"][0]["node"]["premiums"];
    assert_eq!(
        premiums["totalCount"],
        2 + copies + 1,
        "the photo fee, the premium and its copies: {premiums}"
    );
    let q = r#"{ mutationLogs(clientMutationId: "c1") { edges { node { premiums { premium { receipt } } } } } }"#;
    let answer = data(&app, &admin, q).await;
    assert_eq!(
        answer["mutationLogs"]["edges"][0]["node"]["premiums"],
        json!([{"premium": {"receipt": "R-101"}}])
    );
}

on_sqlite_and_postgres! {
    paid_on:
        a_policy_created_paid_gets_its_premium,
        a_policy_created_paid_gets_its_premium_on_postgres,
        "contribution_paid"
}

async fn paid_on(vars: &[(String, String)]) {
    let (dir, runtime) = started(vars);
    let rows = Rows::of(&dir, vars);
    let (_rt, app) = service(runtime).await;
    let admin = login(&app, "Admin", "admin123").await;
    let family = rows.number(
        r#"SELECT CAST("FamilyID" AS BIGINT) AS n FROM "tblFamilies" WHERE "FamilyUUID" = 'f0000000-0000-4000-8000-000000000005' AND "ValidityTo" IS NULL"#,
    );
    let input = |receipt: Option<&str>| {
        let mut input = json!({"enrollDate": "2024-04-01", "startDate": "2024-05-01",
            "expiryDate": "2025-04-30", "value": "10000", "productId": 1, "familyId": family,
            "officerId": 1, "isPaid": true});
        if let Some(receipt) = receipt {
            input["receipt"] = json!(receipt);
        }
        input
    };
    // Refused by contribution (a receipt longer than its column): the new policy is removed.
    let before = rows.counts(WRITTEN);
    let log = mutate_input(
        &app,
        &admin,
        "createPolicy",
        input(Some(&"X".repeat(51))),
        "p1",
    )
    .await;
    failed_with(
        &log,
        "policy.mutation.failed_to_create_policy",
        Some("`receipt` has more than 50 characters"),
    );
    assert_eq!(rows.counts(WRITTEN), before, "nothing left");
    // Refused by policy (the receipt is BASIC's already): nothing written.
    let log = mutate_input(&app, &admin, "createPolicy", input(Some("RCPT-0")), "p2").await;
    failed_with(
        &log,
        "policy.mutation.failed_to_create_policy",
        Some("['Receipt already exist for a given product.']"),
    );
    assert_eq!(rows.counts(WRITTEN), before, "nothing written");
    // Paid: a cash premium of the value on the enrolment date, with the generated receipt;
    // the policy is active from its start, its coverage rows with it.
    assert_eq!(
        mutate_input(&app, &admin, "createPolicy", input(None), "p3").await,
        OK()
    );
    let q = r#"{ policies(enrollDate: "2024-04-01") { edges { node { uuid status effectiveDate sumPremiums premiums { edges { node { receipt amount payDate payType isPhotoFee } } } } } } }"#;
    let answer = data(&app, &admin, q).await;
    let node = &answer["policies"]["edges"][0]["node"];
    assert_eq!(
        (
            &node["status"],
            &node["effectiveDate"],
            &node["sumPremiums"]
        ),
        (&json!(2), &json!("2024-05-01"), &json!(10000.0)),
        "{node}"
    );
    assert_eq!(
        node["premiums"]["edges"][0]["node"],
        json!({"receipt": "RE-BASIC-2024-04-01-00001", "amount": "10000.00", "payDate": "2024-04-01", "payType": "C", "isPhotoFee": false})
    );
    let pk = policy_pk(&rows, node["uuid"].as_str().unwrap());
    assert_eq!(
        rows.count(
            "tblInsureePolicy",
            &format!(
                r#""PolicyId" = {pk} AND "ValidityTo" IS NULL AND "EffectiveDate" = '2024-05-01'"#
            )
        ),
        rows.count(
            "tblInsuree",
            &format!(r#""FamilyID" = {family} AND "ValidityTo" IS NULL"#)
        ),
    );
}

/// On the original's own databases (the demo dump as a running installation has it, and as a
/// fresh `database_postgresql` install has it): contribution's migrations leave `tblPremium`
/// as it is (adding only the commission columns the original's first start adds), the
/// original's premiums are listed as they are, policy's sums agree with them, and a premium
/// saved on one of its policies activates it.
#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn the_originals_databases_keep_their_premiums_on_postgres() {
    use openimis_system_tests::conformance::shared_openimis;
    use openimis_system_tests::postgres_db::{fresh_database, load_dump, table_columns};
    for (tag, dump, added) in [
        (
            "contribution_migrated",
            "openimis-demo-database-migrated.sql.gz",
            0,
        ),
        ("contribution_fresh", "openimis-demo-database.sql.gz", 3),
    ] {
        let vars = fresh_database(tag);
        load_dump(&vars, &shared_openimis().join("database").join(dump));
        let before = table_columns(&vars);
        let rows = Rows::Postgres(openimis_system_tests::postgres_db::url(&vars));
        let valid = rows.count("tblPremium", r#""ValidityTo" IS NULL"#);
        let dir = ModulesDir::with(MODULES);
        let entries: Vec<Value> = MODULES.iter().map(|name| json!({ "name": name })).collect();
        let env: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let runtime = start(settings(&modules_json(&entries), &dir, &env)).expect(dump);
        let after = table_columns(&vars);
        let columns = &after["tblPremium"];
        assert_eq!(
            columns.len(),
            before["tblPremium"].len() + added,
            "{dump}: {columns:?}"
        );
        assert!(
            before["tblPremium"].iter().all(|c| columns.contains(c)),
            "{dump}: no column of tblPremium changed"
        );
        if added == 0 {
            assert_eq!(
                after["contribution_PremiumMutation"],
                before["contribution_PremiumMutation"]
            );
        }
        let (_rt, app) = service(runtime).await;
        let token = login(&app, "Admin", "admin123").await;
        let q = r#"{ premiums { totalCount } }"#;
        assert_eq!(
            data(&app, &token, q).await["premiums"]["totalCount"],
            valid,
            "{dump}"
        );
        // policy's `sumPremiums` and the premiums' own `otherPremiums` read the same rows.
        let q = r#"{ premiums(first: 20, orderBy: ["id"]) { edges { node { amount isPhotoFee otherPremiums policy { uuid value status sumPremiums } } } } }"#;
        let answer = data(&app, &token, q).await;
        for edge in answer["premiums"]["edges"].as_array().unwrap() {
            let node = &edge["node"];
            let sum = node["policy"]["sumPremiums"].as_f64().unwrap();
            let own: f64 = node["amount"].as_str().unwrap().parse().unwrap();
            let others = node["otherPremiums"].as_f64().unwrap_or(0.0);
            let counted = if node["isPhotoFee"] == true { 0.0 } else { own };
            assert!((sum - counted - others).abs() < 0.005, "{dump}: {node}");
        }
        // A premium above the balance of one of its active policies: active from the pay date.
        let q = r#"{ policies(status: 2, first: 1, orderBy: ["id"]) { edges { node { uuid } } } }"#;
        let answer = data(&app, &token, q).await;
        let uuid = answer["policies"]["edges"][0]["node"]["uuid"]
            .as_str()
            .expect(dump)
            .to_owned();
        let pk = policy_pk(&rows, &uuid);
        let paid = policy(&app, &token, &uuid).await["sumPremiums"]
            .as_f64()
            .unwrap();
        let input = premium(&uuid, "1", "NEW-RECEIPT-1", "2024-06-03");
        assert_eq!(
            mutate_input(&app, &token, "createPremium", input, tag).await,
            OK(),
            "{dump}"
        );
        let state = policy(&app, &token, &uuid).await;
        assert_eq!(
            (
                &state["status"],
                &state["effectiveDate"],
                &state["sumPremiums"]
            ),
            (&json!(2), &json!("2024-06-03"), &json!(paid + 1.0)),
            "{dump}"
        );
        assert_eq!(
            rows.count(
                "tblPolicy",
                &format!(
                    r#""LegacyID" = {pk} AND "ValidityTo" IS NOT NULL AND "PolicyStatus" = 2"#
                )
            ),
            1
        );
    }
}
