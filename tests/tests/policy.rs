//! The `policy` module with core, location, medical, product and insuree on the demo data:
//! schema parity with the reference (the diff printed), the frontend's recorded `policy`
//! operations replayed (reads with the eligibility queries, then the five mutations with their
//! logs and rows), on SQLite and, with `--features postgres`, on PostgreSQL (`*_on_postgres`),
//! the answers of the lists, the computed policies of a family or an insuree and
//! `policyValues`, and eligibility on claims written into claim's tables (created here: the
//! claim module does not exist yet) against hand-computed answers, with its bad inputs. The
//! mutations' own cases are `policy_mutations.rs`.

use openimis_system_tests::calls::{ask, column, data, failed_with, log_of, replay_operations};
use openimis_system_tests::conformance::{
    assert_extensions_as_reference, frontend_operations, module_surface, parse_schema,
};
use openimis_system_tests::test_rows::TestRows as Db;
use openimis_system_tests::*;
use serde_json::{json, Value};

const TYPES: &[&str] = &[
    "EligibilityGQLType",
    "PolicyAndWarningsGQLType",
    "PolicyByFamilyOrInsureeConnection",
    "PolicyByFamilyOrInsureeEdge",
    "PolicyByFamilyOrInsureeGQLType",
    "PolicyGQLType",
    "PolicyGQLTypeConnection",
    "PolicyGQLTypeEdge",
    "PolicyRenewalGQLType",
    "PolicyRenewalGQLTypeConnection",
    "PolicyRenewalGQLTypeEdge",
    "CreatePolicyMutationInput",
    "CreatePolicyMutationPayload",
    "UpdatePolicyMutationInput",
    "UpdatePolicyMutationPayload",
    "DeletePoliciesMutationInput",
    "DeletePoliciesMutationPayload",
    "RenewPolicyMutationInput",
    "RenewPolicyMutationPayload",
    "SuspendPoliciesMutationInput",
    "SuspendPoliciesMutationPayload",
];

const ROOTS: &[(&str, &str)] = &[
    ("Query", "policyValues"),
    ("Query", "policies"),
    ("Query", "policiesByInsuree"),
    ("Query", "policiesByFamily"),
    ("Query", "policyOfficers"),
    ("Query", "policyRenewals"),
    ("Query", "policyEligibilityByInsuree"),
    ("Query", "policyItemEligibilityByInsuree"),
    ("Query", "policyServiceEligibilityByInsuree"),
    ("Mutation", "createPolicy"),
    ("Mutation", "updatePolicy"),
    ("Mutation", "deletePolicies"),
    ("Mutation", "renewPolicy"),
    ("Mutation", "suspendPolicies"),
];

/// `insureePolicies` is insuree's `InsureePolicyGQLTypeConnection`: a module cannot answer
/// another module's connection type yet.
const NOT_SERVED: &[&str] = &["PolicyGQLType.insureePolicies: missing field"];

/// Fields typed by modules that do not exist yet.
const AWAITING: &[&str] = &[
    "PolicyGQLType.claimDedRems: awaits the module owning ClaimDedRemGQLTypeConnection",
    "PolicyGQLType.claimitemSet: awaits the module owning ClaimItemGQLType",
    "PolicyGQLType.claimserviceSet: awaits the module owning ClaimServiceGQLType",
    "PolicyGQLType.contributionPlan: awaits the module owning ContributionPlanGQLType",
    "PolicyGQLType.policyholderinsureeSet: awaits the module owning PolicyHolderInsureeGQLTypeConnection",
    "PolicyGQLType.premiums: awaits the module owning PremiumGQLTypeConnection",
];

/// The recorded operations not replayed: not served yet (policy-03 selects
/// `claimDedRems`, claim's type).
const NOT_REPLAYED: &[&str] = &["policy-03"];

/// The recorded mutations (their uuids are the demo's already: policy `…-041` is family 21's
/// active BASIC policy, product 1 BASIC, family 21, officer 1 E00002): each one's
/// `clientMutationId` and its log's first error (`None`: it succeeded).
/// A recorded mutation: its id, its `clientMutationId`, its log's first `(message, detail)`.
type Recorded = (
    &'static str,
    &'static str,
    Option<(&'static str, &'static str)>,
);

const RECORDED_MUTATIONS: [Recorded; 5] = [
    ("policy-13", "00000000-0000-4000-8000-000000000021", None),
    (
        "policy-14",
        "00000000-0000-4000-8000-000000000022",
        Some((
            "policy.mutation.failed_to_update_policy",
            "policy.mutation.policy_not_idle",
        )),
    ),
    // The original's renew with a `uuid` updates that policy, which must be idle.
    (
        "policy-15",
        "00000000-0000-4000-8000-000000000023",
        Some((
            "policy.mutation.failed_to_update_policy",
            "policy.mutation.policy_not_idle",
        )),
    ),
    ("policy-16", "00000000-0000-4000-8000-000000000024", None),
    // Every delete is refused (policy.md §5: `if policy.claim_ded_rems:` is always true).
    (
        "policy-17",
        "00000000-0000-4000-8000-000000000025",
        Some((
            "policy.mutation.policy_is_used_in_claims",
            "90000000-0000-4000-8000-000000000041",
        )),
    ),
];

/// The six modules on the demo, on SQLite unless `vars` name a database.
fn started_on(vars: &[(String, String)]) -> (ModulesDir, openimis_host::runtime::Runtime) {
    started_on_demo(
        &[
            "core", "location", "medical", "product", "insuree", "policy",
        ],
        vars,
    )
}

fn started() -> (ModulesDir, openimis_host::runtime::Runtime) {
    started_on(&[])
}

#[test]
fn the_policy_surface_is_the_references() {
    let (_dir, runtime) = started();
    let sdl = runtime.engine.composed.sdl();
    let (diff, awaiting) = module_surface(&sdl, TYPES, ROOTS);
    assert_eq!(diff, NOT_SERVED, "see the diff above");
    assert_eq!(awaiting, AWAITING);
    let extended = [
        ("FamilyGQLType", "policies"),
        ("InsureeGQLType", "policyRenewals"),
        ("InsureePolicyGQLType", "policy"),
        ("ProductGQLType", "policies"),
        ("ProductGQLType", "policyRenewals"),
        ("OfficerGQLType", "policies"),
        ("OfficerGQLType", "policyRenewals"),
    ];
    assert_extensions_as_reference(&sdl, &extended);
}

on_sqlite_and_postgres! {
    replay_on:
        the_frontends_policy_reads_validate_and_answer,
        the_frontends_policy_reads_validate_and_answer_on_postgres,
        "policy_replay"
}

async fn replay_on(vars: &[(String, String)]) {
    let (_dir, runtime) = started_on(vars);
    let schema = parse_schema(&runtime.engine.composed.sdl());
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let mut operations = frontend_operations("policy");
    assert_eq!(operations.len(), 18, "policy's recorded operations");
    // The reads on the demo as seeded, then the mutations in their recorded order.
    operations.sort_by_key(|op| op.kind == "mutation");
    operations.retain(|op| !NOT_REPLAYED.contains(&op.id.as_str()));
    let answers = replay_operations(&app, &schema, &token, &operations).await;
    // policy-01: region 1, BASIC, active: family 21's BASIC policy (Region 1's village).
    let first = &answers["policy-01"]["policies"];
    assert_eq!(first["totalCount"], 1, "{first}");
    let node = &first["edges"][0]["node"];
    assert_eq!(node["uuid"], "90000000-0000-4000-8000-000000000041");
    assert_eq!(node["product"]["code"], "BASIC");
    assert_eq!(node["family"]["headInsuree"]["chfId"], "070707070");
    assert_eq!(node["officer"]["code"], "E00001");
    assert_eq!(
        (&node["value"], &node["sumPremiums"]),
        (&json!("10000.00"), &json!(0.0))
    );
    // policy-02: every filter; balanceLte 100 with no premium matches nothing (the original's
    // NULL balance), as `showInactive` excludes the fully covered policy.
    assert_eq!(answers["policy-02"]["policies"]["totalCount"], 0);
    // policy-04: family 21's two policies in the query's order.
    let by_family = column(&answers["policy-04"], "policiesByFamily", "productCode");
    assert_eq!(by_family, [json!("BASIC"), json!("FCUL0001")]);
    let basic = &answers["policy-04"]["policiesByFamily"]["edges"][0]["node"];
    assert_eq!(basic["policyValue"], 10000.0);
    assert_eq!(basic["balance"], 10000.0);
    assert_eq!(basic["officerName"], "Officer Olivia");
    assert_eq!(
        basic["ceiling"], 500000.0,
        "BASIC's insuree ceiling, nothing used: {basic}"
    );
    // policy-05: the head's covered policies by expiry date.
    let by_insuree = column(&answers["policy-05"], "policiesByInsuree", "expiryDate");
    assert_eq!(by_insuree, [json!("2024-06-30"), json!("2025-05-31")]);
    // policy-06: one per product, after the 5th: none left.
    assert_eq!(answers["policy-06"]["policiesByInsuree"]["totalCount"], 2);
    // policy-07: the head's coverage expiring last is BASIC's (product 1), which sets no
    // maximum: no count or amount left to speak of (null), and no claim exists.
    let mut expected = json!({"prodId": "1"});
    for name in [
        "Admissions",
        "Visits",
        "Consultations",
        "Surgeries",
        "Deliveries",
        "Antenatal",
    ] {
        expected[format!("total{name}Left")] = Value::Null;
    }
    for name in [
        "consultation",
        "surgery",
        "delivery",
        "hospitalization",
        "antenatal",
    ] {
        expected[format!("{name}AmountLeft")] = Value::Null;
    }
    assert_eq!(answers["policy-07"]["policyEligibilityByInsuree"], expected);
    // policy-08/09: BASIC covers item 0001 and service A1, but without a claim of them the
    // original's inner joins leave no row: no waiting period, no limit, covered.
    assert_eq!(
        answers["policy-08"]["policyItemEligibilityByInsuree"],
        json!({"minDateItem": null, "itemLeft": null, "isItemOk": true})
    );
    assert_eq!(
        answers["policy-09"]["policyServiceEligibilityByInsuree"],
        json!({"minDateService": null, "serviceLeft": null, "isServiceOk": true})
    );
    // policy-10: BASIC for family 21 from 2024-06-01: its lump sum, 12 months.
    assert_eq!(
        answers["policy-10"]["policyValues"],
        json!({"policy": {"startDate": "2024-06-01", "expiryDate": "2025-05-31", "value": "10000.00"}, "warnings": []})
    );
    // policy-11: a renewal (no registration fee, BASIC has none anyway).
    assert_eq!(
        answers["policy-11"]["policyValues"]["policy"]["startDate"],
        "2025-06-01"
    );
    // policy-18: officers serving a village under location 1 (matched at every level, as the
    // original), whose code or names contain "E0", answered by core's `officers.connection`.
    assert_eq!(
        column(&answers["policy-18"], "policyOfficers", "code"),
        [json!("E00002"), json!("E00001")]
    );
    // By a district, a search on the code, and a location no officer serves.
    let officers = |args: &str| {
        format!("{{ policyOfficers({args}) {{ edges {{ node {{ code lastName }} }} }} }}")
    };
    let districts = r#"{ locations(type: "D", first: 1) { edges { node { id } } } }"#;
    let district = data(&app, &token, districts).await;
    let district = decode_global_id(
        district["locations"]["edges"][0]["node"]["id"]
            .as_str()
            .unwrap_or_default(),
    );
    let by_district = officers(&format!(r#"district: "{district}", search: "E00001""#));
    let body = data(&app, &token, &by_district).await;
    assert_eq!(
        column(&body, "policyOfficers", "code"),
        [json!("E00001")],
        "{body}"
    );
    let body = data(&app, &token, &officers(r#"region: "999999""#)).await;
    assert_eq!(
        column(&body, "policyOfficers", "code"),
        Vec::<Value>::new(),
        "{body}"
    );
    let body = ask(&app, Some(&token), &officers(r#"district: "abc""#)).await;
    let message = body["errors"][0]["message"].as_str().unwrap_or_default();
    assert!(
        message.contains("`district` must be a location id"),
        "{body}"
    );
    for (id, client_id, failure) in RECORDED_MUTATIONS {
        let log = log_of(&app, &token, client_id).await;
        match failure {
            None => assert_eq!(log, json!({"status": 2, "error": null}), "{id}"),
            Some((message, detail)) => failed_with(&log, message, Some(detail)),
        }
    }
    // policy-13 created an idle new BASIC policy for family 21, covering its two members;
    // policy-16 suspended `…-041`, which policy-14, 15 and 17 left as it was.
    let q = r#"{ policies(orderBy: ["enrollDate", "status"]) { edges { node { uuid stage status value enrollDate startDate expiryDate effectiveDate product { code } family { uuid } officer { code } } } } }"#;
    let answer = data(&app, &token, q).await;
    let rows: Vec<Value> = answer["policies"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["node"].clone())
        .collect();
    let created: Vec<&Value> = rows
        .iter()
        .filter(|r| !r["uuid"].as_str().unwrap().starts_with("90000000-"))
        .collect();
    assert_eq!(created.len(), 1, "{answer}");
    let created = created[0];
    assert_eq!(
        (
            &created["stage"],
            &created["status"],
            &created["value"],
            &created["startDate"],
            &created["expiryDate"],
            &created["effectiveDate"]
        ),
        (
            &json!("N"),
            &json!(1),
            &json!("10000.00"),
            &json!("2024-06-01"),
            &json!("2025-05-31"),
            &Value::Null
        ),
        "{created}"
    );
    assert_eq!(created["product"]["code"], "BASIC");
    assert_eq!(
        created["family"]["uuid"],
        "f0000000-0000-4000-8000-000000000021"
    );
    assert_eq!(
        created["officer"]["code"], "E00002",
        "officer 1 is the demo's E00002"
    );
    let suspended = rows
        .iter()
        .find(|r| r["uuid"] == "90000000-0000-4000-8000-000000000041")
        .unwrap();
    assert_eq!(
        (&suspended["status"], &suspended["value"]),
        (&json!(4), &json!("10000.00"))
    );
    let q = r#"{ insureePolicy(first: 100) { edges { node { insuree { chfId } startDate expiryDate policy { uuid } } } } }"#;
    let coverage = data(&app, &token, q).await;
    let mut covered: Vec<Value> = coverage["insureePolicy"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"])
        .filter(|n| n["policy"]["uuid"] == created["uuid"])
        .map(|n| json!([n["insuree"]["chfId"], n["startDate"], n["expiryDate"]]))
        .collect();
    covered.sort_by_key(|c| c.to_string());
    assert_eq!(covered.len(), 2, "family 21's two members: {coverage}");
    assert!(covered.contains(&json!(["070707070", "2024-06-01", "2025-05-31"])));
}

#[actix_rt::test]
async fn values_lists_and_relations_answer_the_demo() {
    let (_dir, runtime) = started();
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    // FCUL0001 (cycles 01-01/01-07, grace 2, 1000/500, 10 % for enrolling a month early) for
    // family 21 (an adult and a child) enrolled 2023-05-10: the demo's expired policy.
    let q = r#"{ policyValues(stage: "N", enrollDate: "2023-05-10T00:00:00", productId: 2, familyId: 21) { policy { startDate expiryDate value product { code } } warnings } }"#;
    let answer = data(&app, &token, q).await;
    assert_eq!(
        answer["policyValues"],
        json!({"policy": {"startDate": "2023-07-01", "expiryDate": "2024-06-30", "value": "1350.00", "product": {"code": "FCUL0001"}}, "warnings": []})
    );
    // The idle policy covering only family 1's head is the inactive one.
    let q = r#"{ policies(showInactive: true) { totalCount edges { node { uuid status } } } }"#;
    let answer = data(&app, &token, q).await;
    assert_eq!(
        column(&answer, "policies", "uuid"),
        [json!("90000000-0000-4000-8000-000000000043")]
    );
    // Filters through the coverage rows and product's and core's tables.
    let q = r#"{ policies(insureePolicies_Insuree_ChfId: "070707070", product_Code_Icontains: "fcul", officer_Code: "E00001", orderBy: ["-enrollDate"]) { edges { node { uuid } } } }"#;
    let answer = data(&app, &token, q).await;
    assert_eq!(
        column(&answer, "policies", "uuid"),
        [json!("90000000-0000-4000-8000-000000000042")]
    );
    // Reverse relations: a family's policies, a coverage row's policy.
    let q = r#"{ families(uuid: "f0000000-0000-4000-8000-000000000021") { edges { node { policies { edges { node { stage status enrollDate } } } } } } }"#;
    let answer = data(&app, &token, q).await;
    let policies = &answer["families"]["edges"][0]["node"]["policies"]["edges"];
    let statuses: Vec<&Value> = policies
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"]["status"])
        .collect();
    assert_eq!(statuses, [&json!(2), &json!(8)], "{answer}");
    let q = r#"{ insureePolicy(insuree_ChfId: "070707070", orderBy: ["expiryDate"]) { edges { node { policy { uuid value } } } } }"#;
    let answer = data(&app, &token, q).await;
    let rows = &answer["insureePolicy"]["edges"];
    assert_eq!(
        rows[1]["node"]["policy"]["uuid"], "90000000-0000-4000-8000-000000000041",
        "{answer}"
    );
    // A policy's product is product's object: the policies policy adds to it are asked of
    // policy by key, not read from the reference policy made (BASIC has the active and the
    // idle policy, FCUL0001 the expired and the suspended one).
    let q = r#"{ policies(orderBy: ["uuid"]) { edges { node { uuid product { code policies { totalCount } } } } } }"#;
    let answer = data(&app, &token, q).await;
    let products: Vec<&Value> = answer["policies"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| &e["node"]["product"])
        .collect();
    assert_eq!(
        products[0],
        &json!({"code": "BASIC", "policies": {"totalCount": 2}}),
        "{answer}"
    );
    assert_eq!(
        products[1],
        &json!({"code": "FCUL0001", "policies": {"totalCount": 2}}),
        "{answer}"
    );
    // Renewals: none in the demo, answered as an empty connection.
    let q = r#"{ policyRenewals { totalCount edges { node { uuid } } } }"#;
    assert_eq!(
        data(&app, &token, q).await["policyRenewals"]["totalCount"],
        0
    );
}

const HEAD: &str = "070707070";
/// Family 21's other member, made a child (born 2020) by the test.
const CHILD: &str = "100000211";

fn insuree_key(chf_id: &str) -> String {
    format!(
        r#"(SELECT "InsureeID" FROM "tblInsuree" WHERE "CHFID" = '{chf_id}' AND "ValidityTo" IS NULL)"#
    )
}

fn item_key(code: &str) -> String {
    format!(
        r#"(SELECT "ItemID" FROM "tblItems" WHERE "ItemCode" = '{code}' AND "ValidityTo" IS NULL)"#
    )
}

fn service_key(code: &str) -> String {
    format!(
        r#"(SELECT "ServiceID" FROM "tblServices" WHERE "ServCode" = '{code}' AND "ValidityTo" IS NULL)"#
    )
}

/// claim's three tables as the original's database has them (the columns eligibility reads),
/// BASIC's limits and waiting periods, and the family 21 claims the expectations count.
fn claims_and_limits(db: &Db) {
    for ddl in [
        r#"CREATE TABLE "tblClaim" ("ClaimID" INTEGER PRIMARY KEY, "InsureeID" INTEGER NOT NULL, "ClaimCategory" VARCHAR(1), "ClaimStatus" SMALLINT NOT NULL, "ValidityTo" TIMESTAMP NULL)"#,
        r#"CREATE TABLE "tblClaimItems" ("ClaimItemID" INTEGER PRIMARY KEY, "ClaimID" INTEGER NOT NULL, "ItemID" INTEGER NOT NULL, "ClaimItemStatus" SMALLINT NOT NULL, "QtyProvided" NUMERIC(18,2) NOT NULL, "QtyApproved" NUMERIC(18,2) NULL, "RejectionReason" SMALLINT NULL, "ValidityTo" TIMESTAMP NULL)"#,
        r#"CREATE TABLE "tblClaimServices" ("ClaimServiceID" INTEGER PRIMARY KEY, "ClaimID" INTEGER NOT NULL, "ServiceID" INTEGER NOT NULL, "ClaimServiceStatus" SMALLINT NOT NULL, "QtyProvided" NUMERIC(18,2) NOT NULL, "QtyApproved" NUMERIC(18,2) NULL, "RejectionReason" SMALLINT NULL, "ValidityTo" TIMESTAMP NULL)"#,
    ] {
        db.execute(ddl);
    }
    let basic = r#"(SELECT "ProdID" FROM "tblProduct" WHERE "ProductCode" = 'BASIC' AND "ValidityTo" IS NULL)"#;
    db.execute(&format!(r#"UPDATE "tblProduct" SET "MaxNoConsultation" = 5, "MaxNoSurgery" = 1, "MaxAmountConsultation" = 1000 WHERE "ProdID" = {basic}"#));
    for (code, waiting_adult, limit_adult, waiting_child) in
        [("0001", "3", "10", "600"), ("0182", "0", "2", "NULL")]
    {
        db.execute(&format!(r#"UPDATE "tblProductItems" SET "WaitingPeriodAdult" = {waiting_adult}, "LimitNoAdult" = {limit_adult}, "WaitingPeriodChild" = {waiting_child}, "LimitNoChild" = NULL WHERE "ProdID" = {basic} AND "ItemID" = {}"#, item_key(code)));
    }
    db.execute(&format!(r#"UPDATE "tblProductServices" SET "WaitingPeriodAdult" = NULL, "LimitNoAdult" = 4 WHERE "ProdID" = {basic} AND "ServiceID" = {}"#, service_key("A1")));
    db.execute(&format!(
        r#"UPDATE "tblInsuree" SET "DOB" = '2020-01-01' WHERE "InsureeID" = {}"#,
        insuree_key(CHILD)
    ));
    // (claim, insuree, category, status, deleted)
    for (id, who, category, status, deleted) in [
        (1, HEAD, "C", 4, false),
        (2, HEAD, "C", 2, false),
        (3, HEAD, "C", 8, false),
        (4, HEAD, "S", 16, false),
        (5, HEAD, "C", 4, true),
        (6, CHILD, "O", 4, false),
    ] {
        let to = if deleted { "'2024-07-01'" } else { "NULL" };
        db.execute(&format!(r#"INSERT INTO "tblClaim" ("ClaimID", "InsureeID", "ClaimCategory", "ClaimStatus", "ValidityTo") VALUES ({id}, {}, '{category}', {status}, {to})"#, insuree_key(who)));
    }
    // (detail, claim, code, status, provided, approved, rejection reason)
    for (id, claim, code, status, provided, approved) in [
        (1, 1, "0001", 1, "3", "2"),
        (2, 1, "0001", 2, "1", "NULL"),
        (3, 1, "0182", 1, "2", "NULL"),
        (4, 2, "0001", 1, "5", "NULL"),
        (5, 3, "0001", 1, "1.5", "NULL"),
        (6, 5, "0001", 1, "9", "NULL"),
        (7, 6, "0001", 1, "1", "NULL"),
    ] {
        db.execute(&format!(r#"INSERT INTO "tblClaimItems" ("ClaimItemID", "ClaimID", "ItemID", "ClaimItemStatus", "QtyProvided", "QtyApproved") VALUES ({id}, {claim}, {}, {status}, {provided}, {approved})"#, item_key(code)));
    }
    for (id, claim, status, rejection) in [(1, 1, 1, "0"), (2, 2, 1, "0"), (3, 3, 2, "1")] {
        db.execute(&format!(r#"INSERT INTO "tblClaimServices" ("ClaimServiceID", "ClaimID", "ServiceID", "ClaimServiceStatus", "QtyProvided", "RejectionReason") VALUES ({id}, {claim}, {}, {status}, 1, {rejection})"#, service_key("A1")));
    }
}

on_sqlite_and_postgres! {
    eligibility_on:
        eligibility_answers_the_originals_on_claims,
        eligibility_answers_the_originals_on_claims_on_postgres,
        "policy_eligibility"
}

async fn eligibility_on(vars: &[(String, String)]) {
    let (dir, runtime) = started_on(vars);
    let db = Db::of(&dir, vars);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    claims_and_limits(&db);
    let item = |chf: &str, code: &str| {
        format!(
            r#"{{ policyItemEligibilityByInsuree(chfId: "{chf}", itemCode: "{code}") {{ minDateItem itemLeft isItemOk serviceLeft isServiceOk }} }}"#
        )
    };
    let service_q = |chf: &str, code: &str| {
        format!(
            r#"{{ policyServiceEligibilityByInsuree(chfId: "{chf}", serviceCode: "{code}") {{ minDateService serviceLeft isServiceOk itemLeft isItemOk }} }}"#
        )
    };
    // Item 0001 for the head (adult: waiting 3 months, limit 10): BASIC's coverage row is
    // effective 2024-06-01, so 2024-09-01; claimed 2 (approved of 3) + 1.5 (claim 3): the
    // rejected detail, the entered claim 2 and the deleted claim 5 do not count. 10 − 3.5 = 6.5,
    // answered as graphene's Int: 6.
    let cases = [
        (
            item(HEAD, "0001"),
            json!({"minDateItem": "2024-09-01", "itemLeft": 6, "isItemOk": true, "serviceLeft": null, "isServiceOk": true}),
        ),
        // Item 0182: limit 2, claimed 2 → 0 left, refused.
        (
            item(HEAD, "0182"),
            json!({"minDateItem": "2024-06-01", "itemLeft": 0, "isItemOk": false, "serviceLeft": null, "isServiceOk": true}),
        ),
        // The child (waiting 600 months, no limit): not over, so no limit is read; refused.
        (
            item(CHILD, "0001"),
            json!({"minDateItem": "2074-06-01", "itemLeft": null, "isItemOk": false, "serviceLeft": null, "isServiceOk": true}),
        ),
        // Service A1 (no waiting period: the effective date; limit 4): claim 1's passed service
        // counts, claim 3's rejected one and the entered claim 2's do not: 3 left.
        (
            service_q(HEAD, "A1"),
            json!({"minDateService": "2024-06-01", "serviceLeft": 3, "isServiceOk": true, "itemLeft": null, "isItemOk": true}),
        ),
        // Lower case names the same service (`code__iexact`).
        (
            service_q(HEAD, "a1"),
            json!({"minDateService": "2024-06-01", "serviceLeft": 3, "isServiceOk": true, "itemLeft": null, "isItemOk": true}),
        ),
        // M1, a surgery BASIC does not cover, never claimed: no row, but the one surgery
        // BASIC allows is used (claim 4, without services): refused.
        (
            service_q(HEAD, "M1"),
            json!({"minDateService": null, "serviceLeft": null, "isServiceOk": false, "itemLeft": null, "isItemOk": true}),
        ),
        // I7, of no category that counts: covered for lack of any row.
        (
            service_q(HEAD, "I7"),
            json!({"minDateService": null, "serviceLeft": null, "isServiceOk": true, "itemLeft": null, "isItemOk": true}),
        ),
    ];
    for (q, expected) in cases {
        let answer = data(&app, &token, &q).await;
        let got = answer.as_object().unwrap().values().next().unwrap().clone();
        assert_eq!(got, expected, "{q}");
    }
    // The totals: consultations 5 − 1 (claim 1; claim 3's only service is rejected, claim 2
    // is entered, claim 5 deleted), surgeries 1 − 1 (claim 4), the amount as BASIC sets it.
    let totals = r#"{ policyEligibilityByInsuree(chfId: "CHF") { prodId totalConsultationsLeft totalSurgeriesLeft totalAdmissionsLeft consultationAmountLeft surgeryAmountLeft isItemOk isServiceOk itemLeft minDateItem } }"#;
    let answer = data(&app, &token, &totals.replace("CHF", HEAD)).await;
    assert_eq!(
        answer["policyEligibilityByInsuree"],
        json!({"prodId": "1", "totalConsultationsLeft": 4, "totalSurgeriesLeft": 0, "totalAdmissionsLeft": null,
            "consultationAmountLeft": 1000.0, "surgeryAmountLeft": null, "isItemOk": true, "isServiceOk": true,
            "itemLeft": null, "minDateItem": null})
    );
    let answer = data(&app, &token, &totals.replace("CHF", CHILD)).await;
    let child = &answer["policyEligibilityByInsuree"];
    assert_eq!(
        (
            &child["totalConsultationsLeft"],
            &child["totalSurgeriesLeft"]
        ),
        (&json!(5), &json!(1)),
        "{child}"
    );
    // Bad input: a clear error each, no data.
    for (q, message) in [
        (
            totals.replace("CHF", "000000000"),
            "Insuree matching query does not exist.",
        ),
        (item(HEAD, "ZZZZ"), "Item matching query does not exist."),
        (
            service_q(HEAD, "ZZZZ"),
            "Service matching query does not exist.",
        ),
    ] {
        let body = ask(&app, Some(&token), &q).await;
        assert_eq!(body["errors"][0]["message"], message, "{q}: {body}");
    }
    // A user without 101201: refused, as the original's `PermissionDenied(_("unauthorized"))`.
    let plain = login(&app, "manager1", "Demo12345!").await;
    for q in [
        totals.replace("CHF", HEAD),
        item(HEAD, "0001"),
        service_q(HEAD, "A1"),
    ] {
        let body = ask(&app, Some(&plain), &q).await;
        let message = body["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains("unauthorized"), "{q}: {body}");
    }
}

/// The key inside a relay global id (`base64("<Type>:<key>")`).
fn decode_global_id(id: &str) -> i64 {
    use base64::Engine;
    let raw = base64::engine::general_purpose::STANDARD
        .decode(id)
        .unwrap_or_else(|e| panic!("{id} is a global id: {e}"));
    let text = String::from_utf8(raw).expect("utf-8");
    text.rsplit(':')
        .next()
        .and_then(|k| k.parse().ok())
        .expect("a numeric key")
}
