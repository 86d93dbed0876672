//! policy's five mutations on the demo data (core, location, medical, product, insuree and
//! policy), on SQLite and, with `--features postgres`, on PostgreSQL (`*_on_postgres`): what
//! each one writes (`tblPolicy` with its history copies, `tblInsureePolicy`, the renewals a
//! renewal withdraws, `policy_PolicyMutation`), and for each a malformed input, an unknown
//! uuid or row, a broken rule and a user without the right, each a failed log entry saying
//! why with nothing half-written. The demo (plugins/policy/src/demo.rs): `…-041` family 21's
//! active BASIC policy, `…-042` its expired FCUL0001 one, `…-043` family 1's idle BASIC policy
//! covering its head only; products 1 BASIC and 2 FCUL0001; officer 1 E00002.

use openimis_system_tests::calls::{data, failed_with, mutate_input as mutate, node_by_uuid, OK};
use openimis_system_tests::test_rows::TestRows as Rows;
use openimis_system_tests::*;
use serde_json::{json, Value};

const ACTIVE: &str = "90000000-0000-4000-8000-000000000041";
const EXPIRED: &str = "90000000-0000-4000-8000-000000000042";
const IDLE: &str = "90000000-0000-4000-8000-000000000043";
const UNKNOWN: &str = "90000000-0000-4000-8000-0000000000ff";

fn started(vars: &[(String, String)]) -> (ModulesDir, openimis_host::runtime::Runtime) {
    started_on_demo(
        &[
            "core", "location", "medical", "product", "insuree", "policy",
        ],
        vars,
    )
}

/// The tables the mutations write: policies (with history), coverage, links.
const WRITTEN: [&str; 3] = ["tblPolicy", "tblInsureePolicy", "policy_PolicyMutation"];
const LINKS: (&str, &str) = ("policy_PolicyMutation", "policy_id");

/// The key of the policy `uuid`.
fn policy_pk(rows: &Rows, uuid: &str) -> i64 {
    rows.pk("tblPolicy", "PolicyID", "PolicyUUID", uuid)
}

/// The valid policy `uuid` as the list answers it.
async fn policy<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    uuid: &str,
) -> Value {
    let fields = "stage status value enrollDate startDate expiryDate effectiveDate product { code } officer { code }";
    node_by_uuid(app, token, ("policies", uuid), fields).await
}

/// A create/update/renew input for `family` (its key) under `product`.
fn input(family: i64, product: i64, dates: [&str; 3], value: &str) -> Value {
    json!({"enrollDate": dates[0], "startDate": dates[1], "expiryDate": dates[2], "value": value,
        "productId": product, "familyId": family, "officerId": 1})
}

/// Runs the failing `mutation` and checks its log and that the tables are as they were.
struct Refusals<'a, A> {
    app: &'a A,
    rows: &'a Rows,
}

impl<A> Refusals<'_, A> {
    async fn refused<B: actix_web::body::MessageBody>(
        &self,
        token: &str,
        mutation: &str,
        input: Value,
        client_id: &str,
        (message, detail): (&str, &str),
    ) where
        A: TestApp<B>,
    {
        let before = self.rows.counts(WRITTEN);
        let log = mutate(self.app, token, mutation, input, client_id).await;
        failed_with(&log, message, Some(detail));
        let mut after = self.rows.counts(WRITTEN);
        if mutation == "suspendPolicies" || mutation == "deletePolicies" {
            // Linked when logged, as the original's validation signal: the rest is unchanged.
            after[2] = before[2];
        }
        assert_eq!(after, before, "{client_id}: nothing written");
    }
}

on_sqlite_and_postgres! {
    each_mutation_on:
        each_mutation_writes_what_the_original_does_and_fails_cleanly,
        each_mutation_writes_what_the_original_does_and_fails_cleanly_on_postgres,
        "policy_mutations"
}

async fn each_mutation_on(vars: &[(String, String)]) {
    let (dir, runtime) = started(vars);
    let rows = Rows::of(&dir, vars);
    let (_rt, app) = service(runtime).await;
    let admin = login(&app, "Admin", "admin123").await;
    let plain = login(&app, "reception1", "Demo12345!").await;
    let check = Refusals {
        app: &app,
        rows: &rows,
    };
    let family_of = |n: u32| {
        rows.number(&format!(
            r#"SELECT CAST("FamilyID" AS BIGINT) AS n FROM "tblFamilies" WHERE "FamilyUUID" = 'f0000000-0000-4000-8000-{n:012}' AND "ValidityTo" IS NULL"#
        ))
    };
    let (family1, family21) = (family_of(1), family_of(21));
    let members_of = |family: i64| {
        rows.count(
            "tblInsuree",
            &format!(r#""FamilyID" = {family} AND "ValidityTo" IS NULL"#),
        )
    };

    // createPolicy: an idle new policy as given, every valid member covered with its dates,
    // linked to its log.
    let dates = ["2024-03-01", "2024-07-01", "2025-06-30"];
    let log = mutate(
        &app,
        &admin,
        "createPolicy",
        input(family1, 2, dates, "1000"),
        "c1",
    )
    .await;
    assert_eq!(log, OK());
    let pk = rows.number(&format!(
        r#"SELECT CAST("PolicyID" AS BIGINT) AS n FROM "tblPolicy" WHERE "FamilyID" = {family1} AND "EnrollDate" = '2024-03-01' AND "ValidityTo" IS NULL"#
    ));
    let uuid: String = {
        let q = r#"{ policies(enrollDate: "2024-03-01") { edges { node { uuid } } } }"#;
        data(&app, &admin, q).await["policies"]["edges"][0]["node"]["uuid"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(policy_pk(&rows, &uuid), pk);
    assert_eq!(
        policy(&app, &admin, &uuid).await,
        json!({"stage": "N", "status": 1, "value": "1000.00", "enrollDate": "2024-03-01",
            "startDate": "2024-07-01", "expiryDate": "2025-06-30", "effectiveDate": null,
            "product": {"code": "FCUL0001"}, "officer": {"code": "E00002"}})
    );
    let covered = rows.count(
        "tblInsureePolicy",
        &format!(r#""PolicyId" = {pk} AND "ValidityTo" IS NULL AND "StartDate" = '2024-07-01' AND "ExpiryDate" = '2025-06-30' AND "EnrollmentDate" = '2024-03-01'"#),
    );
    assert_eq!(covered, members_of(family1), "every member covered");
    assert!(covered > 0);
    assert_eq!(rows.links(LINKS, pk, "c1"), 1);

    // createPolicy refused: malformed, unknown row, a future enrolment, isPaid without the
    // contribution module, no right.
    let created_failed = "policy.mutation.failed_to_create_policy";
    let mut bad = input(family1, 2, dates, "1000");
    bad["enrollDate"] = json!("2024-13-45");
    let malformed = "`enrollDate` must be a date (YYYY-MM-DD)";
    check
        .refused(
            &admin,
            "createPolicy",
            bad,
            "c2",
            (created_failed, malformed),
        )
        .await;
    let unknown_family = input(999_999, 2, dates, "1000");
    let missing = "Family matching query does not exist.";
    check
        .refused(
            &admin,
            "createPolicy",
            unknown_family,
            "c3",
            (created_failed, missing),
        )
        .await;
    let future = input(
        family1,
        2,
        ["2999-01-01", "2999-01-01", "2999-12-31"],
        "1000",
    );
    let in_future = "['policy.enroll_date_in_the_future']";
    check
        .refused(
            &admin,
            "createPolicy",
            future,
            "c4",
            (created_failed, in_future),
        )
        .await;
    let mut paid = input(family1, 2, dates, "1000");
    paid["isPaid"] = json!(true);
    paid["payerUuid"] = json!("b0000000-0000-4000-8000-000000000061");
    let before = rows.counts(WRITTEN);
    let log = mutate(&app, &admin, "createPolicy", paid, "c5").await;
    let errors: Value = serde_json::from_str(log["error"].as_str().unwrap()).unwrap();
    assert_eq!(errors[0]["message"], created_failed, "{log}");
    let detail = errors[0]["detail"].as_str().unwrap();
    assert!(
        detail.contains("contribution module")
            && detail.contains("RE-FCUL0001-2024-03-01-00001")
            && detail.contains("1000.00"),
        "{detail}"
    );
    assert_eq!(
        rows.counts(WRITTEN),
        before,
        "the insert and coverage rolled back"
    );
    let ok = input(family1, 2, dates, "1000");
    let denied = (created_failed, "unauthorized");
    check
        .refused(&plain, "createPolicy", ok, "c6", denied)
        .await;

    // updatePolicy: always refused, as the original's `data["stage"]` (see policy_save.rs);
    // its writes roll back.
    let update_failed = "policy.mutation.failed_to_update_policy";
    let idle_pk = policy_pk(&rows, IDLE);
    let mut update = input(
        family1,
        1,
        ["2024-02-01", "2024-02-01", "2025-01-31"],
        "9000",
    );
    update["uuid"] = json!(IDLE);
    check
        .refused(
            &admin,
            "updatePolicy",
            update.clone(),
            "u1",
            (update_failed, "'stage'"),
        )
        .await;
    assert_eq!(policy(&app, &admin, IDLE).await["value"], "10000.00");
    assert_eq!(
        rows.count("tblPolicy", &format!(r#""LegacyID" = {idle_pk}"#)),
        0
    );
    let mut unknown = update.clone();
    unknown["uuid"] = json!(UNKNOWN);
    let no_such = (update_failed, "policy.validation.id_does_not_exist");
    check
        .refused(&admin, "updatePolicy", unknown, "u2", no_such)
        .await;
    let mut active = update.clone();
    active["uuid"] = json!(ACTIVE);
    let not_idle = (update_failed, "policy.mutation.policy_not_idle");
    check
        .refused(&admin, "updatePolicy", active, "u3", not_idle)
        .await;
    let mut bad = update.clone();
    bad["value"] = json!("abc");
    let not_decimal = (update_failed, "`value` must be a decimal number");
    check
        .refused(&admin, "updatePolicy", bad, "u4", not_decimal)
        .await;
    let denied = (update_failed, "unauthorized");
    check
        .refused(&plain, "updatePolicy", update, "u5", denied)
        .await;

    // renewPolicy without a uuid: a new idle policy of stage R; the renewed policy's (family
    // 21's active BASIC one) renewal proposals and their details are deleted with history.
    let active_pk = policy_pk(&rows, ACTIVE);
    let head = rows.number(
        r#"SELECT CAST("InsureeID" AS BIGINT) AS n FROM "tblInsuree" WHERE "CHFID" = '070707070' AND "ValidityTo" IS NULL"#,
    );
    let renewal = "a0000000-0000-4000-8000-000000000001";
    rows.execute(&format!(
        r#"INSERT INTO "tblPolicyRenewals" ("RenewalPromptDate", "RenewalDate", "NewOfficerID", "SMSStatus", "InsureeID", "PolicyID", "NewProdID", "ValidityFrom", "AuditCreateUser", "RenewalUUID")
           VALUES ('2025-05-17', '2025-06-01', 1, 0, {head}, {active_pk}, 1, '2025-05-17 08:00:00', 1, '{renewal}')"#
    ));
    let renewal_pk = rows.number(&format!(
        r#"SELECT CAST("RenewalID" AS BIGINT) AS n FROM "tblPolicyRenewals" WHERE CAST("RenewalUUID" AS TEXT) = '{renewal}'"#
    ));
    rows.execute(&format!(
        r#"INSERT INTO "tblPolicyRenewalDetails" ("RenewalID", "InsureeID", "ValidityFrom", "AuditCreateUser") VALUES ({renewal_pk}, {head}, '2025-05-17 08:00:00', 1)"#
    ));
    let renew_dates = ["2025-05-20", "2025-06-01", "2026-05-31"];
    let log = mutate(
        &app,
        &admin,
        "renewPolicy",
        input(family21, 1, renew_dates, "10000.00"),
        "r1",
    )
    .await;
    assert_eq!(log, OK());
    let renewed_pk = rows.number(&format!(
        r#"SELECT CAST("PolicyID" AS BIGINT) AS n FROM "tblPolicy" WHERE "FamilyID" = {family21} AND "EnrollDate" = '2025-05-20' AND "ValidityTo" IS NULL"#
    ));
    assert_eq!(
        rows.count(
            "tblPolicy",
            &format!(r#""PolicyID" = {renewed_pk} AND "PolicyStage" = 'R' AND "PolicyStatus" = 1"#)
        ),
        1
    );
    assert_eq!(
        rows.count(
            "tblInsureePolicy",
            &format!(r#""PolicyId" = {renewed_pk} AND "ValidityTo" IS NULL"#)
        ),
        members_of(family21)
    );
    assert_eq!(rows.links(LINKS, renewed_pk, "r1"), 1);
    let ended = |table: &str, key: &str, pk: i64| {
        [
            rows.count(
                table,
                &format!(r#""{key}" = {pk} AND "ValidityTo" IS NOT NULL"#),
            ),
            rows.count(
                table,
                &format!(r#""LegacyID" = {pk} AND "ValidityTo" IS NOT NULL"#),
            ),
        ]
    };
    assert_eq!(ended("tblPolicyRenewals", "RenewalID", renewal_pk), [1, 1]);
    let detail_pk = rows.number(&format!(
        r#"SELECT CAST(MIN("RenewalDetailID") AS BIGINT) AS n FROM "tblPolicyRenewalDetails" WHERE "RenewalID" = {renewal_pk}"#
    ));
    assert_eq!(
        ended("tblPolicyRenewalDetails", "RenewalDetailID", detail_pk),
        [1, 1]
    );

    // renewPolicy with a uuid: the original updates that idle policy (history copy, stage R,
    // the dates and value set, its covered members refreshed each with a history copy).
    let mut renew = input(
        family1,
        1,
        ["2025-01-10", "2025-02-01", "2026-01-31"],
        "9500",
    );
    renew["uuid"] = json!(IDLE);
    assert_eq!(
        mutate(&app, &admin, "renewPolicy", renew.clone(), "r2").await,
        OK()
    );
    let renewed = policy(&app, &admin, IDLE).await;
    assert_eq!(
        (
            &renewed["stage"],
            &renewed["status"],
            &renewed["value"],
            &renewed["startDate"]
        ),
        (
            &json!("R"),
            &json!(1),
            &json!("9500.00"),
            &json!("2025-02-01")
        ),
        "{renewed}"
    );
    let history = format!(
        r#""LegacyID" = {idle_pk} AND "ValidityTo" IS NOT NULL AND "PolicyStage" = 'N' AND "StartDate" = '2024-02-01'"#
    );
    assert_eq!(rows.count("tblPolicy", &history), 1, "the history copy");
    let coverage = |condition: &str| {
        rows.count(
            "tblInsureePolicy",
            &format!(r#""PolicyId" = {idle_pk} AND {condition}"#),
        )
    };
    assert_eq!(
        coverage(r#""ValidityTo" IS NULL AND "StartDate" = '2025-02-01'"#),
        1,
        "its head only"
    );
    assert_eq!(
        coverage(r#""ValidityTo" IS NOT NULL AND "StartDate" = '2024-02-01'"#),
        1
    );
    assert_eq!(rows.links(LINKS, idle_pk, "r2"), 1);

    // renewPolicy refused.
    let renew_failed = "policy.mutation.failed_to_renew_policy";
    let mut unknown = renew.clone();
    unknown["uuid"] = json!(UNKNOWN);
    let no_such = (update_failed, "policy.validation.id_does_not_exist");
    check
        .refused(&admin, "renewPolicy", unknown, "r3", no_such)
        .await;
    let mut active = renew.clone();
    active["uuid"] = json!(ACTIVE);
    let not_idle = (update_failed, "policy.mutation.policy_not_idle");
    check
        .refused(&admin, "renewPolicy", active, "r4", not_idle)
        .await;
    let mut bad = input(family21, 1, renew_dates, "1");
    bad["startDate"] = json!("x");
    let malformed = (renew_failed, "`startDate` must be a date (YYYY-MM-DD)");
    check
        .refused(&admin, "renewPolicy", bad, "r5", malformed)
        .await;
    let unknown_product = input(family21, 999_999, renew_dates, "1");
    let missing = (renew_failed, "Product matching query does not exist.");
    check
        .refused(&admin, "renewPolicy", unknown_product, "r6", missing)
        .await;
    let denied = (renew_failed, "unauthorized");
    check
        .refused(
            &plain,
            "renewPolicy",
            input(family21, 1, renew_dates, "1"),
            "r7",
            denied,
        )
        .await;

    // suspendPolicies: a history copy, then status 4; linked when logged.
    let expired_pk = policy_pk(&rows, EXPIRED);
    let log = mutate(
        &app,
        &admin,
        "suspendPolicies",
        json!({"uuids": [EXPIRED]}),
        "s1",
    )
    .await;
    assert_eq!(log, OK());
    assert_eq!(policy(&app, &admin, EXPIRED).await["status"], 4);
    let copy =
        format!(r#""LegacyID" = {expired_pk} AND "PolicyStatus" = 8 AND "ValidityTo" IS NOT NULL"#);
    assert_eq!(rows.count("tblPolicy", &copy), 1);
    assert_eq!(rows.links(LINKS, expired_pk, "s1"), 1);
    // Refused: an unknown uuid (with a known one: neither is suspended), malformed, no right.
    let suspend_failed = "policy.mutation.failed_to_suspend_policy";
    let both = json!({"uuids": [ACTIVE, UNKNOWN]});
    let no_such = ("policy.mutation.id_does_not_exist", UNKNOWN);
    check
        .refused(&admin, "suspendPolicies", both, "s2", no_such)
        .await;
    assert_eq!(policy(&app, &admin, ACTIVE).await["status"], 2);
    assert_eq!(rows.links(LINKS, active_pk, "s2"), 1, "linked when logged");
    let malformed = (suspend_failed, "'uuids'");
    check
        .refused(&admin, "suspendPolicies", json!({}), "s3", malformed)
        .await;
    let denied = (suspend_failed, "unauthorized");
    check
        .refused(
            &plain,
            "suspendPolicies",
            json!({"uuids": [ACTIVE]}),
            "s4",
            denied,
        )
        .await;

    // deletePolicies: every policy is used in claims for the original (policy.md §5).
    let used = ("policy.mutation.policy_is_used_in_claims", ACTIVE);
    check
        .refused(
            &admin,
            "deletePolicies",
            json!({"uuids": [ACTIVE]}),
            "d1",
            used,
        )
        .await;
    assert_eq!(
        policy(&app, &admin, ACTIVE).await["status"],
        2,
        "still there"
    );
    assert_eq!(rows.links(LINKS, active_pk, "d1"), 1, "linked when logged");
    let no_such = ("policy.validation.id_does_not_exist", UNKNOWN);
    check
        .refused(
            &admin,
            "deletePolicies",
            json!({"uuids": [UNKNOWN]}),
            "d2",
            no_such,
        )
        .await;
    let delete_failed = "policy.mutation.failed_to_delete_policies";
    check
        .refused(
            &admin,
            "deletePolicies",
            json!({}),
            "d3",
            (delete_failed, "'uuids'"),
        )
        .await;
    let denied = (delete_failed, "unauthorized");
    check
        .refused(
            &plain,
            "deletePolicies",
            json!({"uuids": [ACTIVE]}),
            "d4",
            denied,
        )
        .await;
}
