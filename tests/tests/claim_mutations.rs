//! claim's 17 mutations with every module claim needs, on the demo data, on SQLite and, with
//! `--features postgres`, on PostgreSQL (`*_on_postgres`): each mutation's rows (history
//! copies of the claim and of its lines, link rows, the mutation log), its refusals with the
//! original's messages (a missing row, another district's claim, a violated rule, a missing
//! right) and nothing half-written; and the frontend's recorded mutations (claim-14..31)
//! replayed without errors.

use openimis_system_tests::calls::{data, failed_with, log_of, replay_operations, OK};
use openimis_system_tests::conformance::{
    frontend_operations, is_known_bug, parse_schema, validate,
};
use openimis_system_tests::test_rows::TestRows as Db;
use openimis_system_tests::*;
use serde_json::{json, Value};

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

fn started_with(
    config: Value,
    vars: &[(String, String)],
) -> (ModulesDir, openimis_host::runtime::Runtime) {
    started_on_demo_configured(MODULES, &[("claim", config)], vars)
}

/// Runs `field` with `input` (of GraphQL type `input_type`, `clientMutationId` = `client`)
/// as `token`; the answer must carry no error; answers its log entry.
async fn mutate<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    (field, input_type): (&str, &str),
    mut input: Value,
    client: &str,
) -> Value {
    input["clientMutationId"] = json!(client);
    let document = format!(
        "mutation ($input: {input_type}!) {{ {field}(input: $input) {{ internalId clientMutationId }} }}"
    );
    let request = graphql_as(&document, json!({ "input": input }), token);
    let (status, body) = json_of(actix_web::test::call_service(app, request).await).await;
    assert_eq!(status, 200, "{field}: {body}");
    assert!(body.get("errors").is_none(), "{field}: {body}");
    assert_eq!(body["data"][field]["clientMutationId"], client, "{body}");
    log_of(app, token, client).await
}

const CREATE: (&str, &str) = ("createClaim", "CreateClaimMutationInput");
const UPDATE: (&str, &str) = ("updateClaim", "UpdateClaimMutationInput");
const ATTACH: (&str, &str) = ("createClaimAttachment", "CreateAttachmentMutationInput");
const REATTACH: (&str, &str) = ("updateClaimAttachment", "UpdateAttachmentMutationInput");
const DETACH: (&str, &str) = ("deleteClaimAttachment", "DeleteAttachmentMutationInput");
const SUBMIT: (&str, &str) = ("submitClaims", "SubmitClaimsMutationInput");
const SELECT_FEEDBACK: (&str, &str) = (
    "selectClaimsForFeedback",
    "SelectClaimsForFeedbackMutationInput",
);
const SKIP_FEEDBACK: (&str, &str) = ("skipClaimsFeedback", "SkipClaimsFeedbackMutationInput");
const BYPASS_FEEDBACK: (&str, &str) = ("bypassClaimsFeedback", "BypassClaimsFeedbackMutationInput");
const DELIVER_FEEDBACK: (&str, &str) =
    ("deliverClaimFeedback", "DeliverClaimFeedbackMutationInput");
const SELECT_REVIEW: (&str, &str) = (
    "selectClaimsForReview",
    "SelectClaimsForReviewMutationInput",
);
const SKIP_REVIEW: (&str, &str) = ("skipClaimsReview", "SkipClaimsReviewMutationInput");
const BYPASS_REVIEW: (&str, &str) = ("bypassClaimsReview", "BypassClaimsReviewMutationInput");
const DELIVER_REVIEW: (&str, &str) = ("deliverClaimsReview", "DeliverClaimsReviewMutationInput");
const SAVE_REVIEW: (&str, &str) = ("saveClaimReview", "SaveClaimReviewMutationInput");
const PROCESS: (&str, &str) = ("processClaims", "ProcessClaimsMutationInput");
const DELETE: (&str, &str) = ("deleteClaims", "DeleteClaimsMutationInput");

/// The demo rows a claim is made of: the insuree `070707070`, the hospital of Jambero
/// (district R1D1), diagnosis `A000`, item `0182` and service `A1`.
struct Demo {
    insuree: i64,
    hospital: i64,
    icd: i64,
    item: i64,
    service: i64,
}

impl Demo {
    fn of(db: &Db) -> Demo {
        let key = |table: &str, key: &str, column: &str, value: &str| {
            db.number(&format!(
                r#"SELECT CAST(MIN("{key}") AS BIGINT) AS n FROM "{table}" WHERE "{column}" = '{value}' AND "ValidityTo" IS NULL"#
            ))
        };
        Demo {
            insuree: key("tblInsuree", "InsureeID", "CHFID", "070707070"),
            hospital: key("tblHF", "HfID", "HFCode", "JMHOS001"),
            icd: db.number(r#"SELECT CAST(MIN("ICDID") AS BIGINT) AS n FROM "tblICDCodes" WHERE "ICDCode" = 'A000'"#),
            item: key("tblItems", "ItemID", "ItemCode", "0182"),
            service: key("tblServices", "ServiceID", "ServCode", "A1"),
        }
    }

    /// A claim's input: two of the item at 10.00, one service at 400.00 (claimed 420.00).
    fn claim(&self, code: &str) -> Value {
        json!({"code": code, "insureeId": self.insuree, "dateFrom": "2024-06-01", "dateTo": "2024-06-02",
            "icdId": self.icd, "dateClaimed": "2024-06-03", "healthFacilityId": self.hospital,
            "visitType": "O", "explanation": "checked", "guaranteeId": "G-1",
            "items": [{"itemId": self.item, "status": 1, "qtyProvided": "2.00", "priceAsked": "10.00"}],
            "services": [{"serviceId": self.service, "status": 1, "qtyProvided": "1.00", "priceAsked": "400.00"}]})
    }
}

/// The uuid tests give a claim: `c1a10000-0000-4000-8000-<n>`.
fn uuid(n: u32) -> String {
    format!("c1a10000-0000-4000-8000-{n:012}")
}

/// Creates claim `code` as `token` and gives it uuid `n`; answers its key.
async fn created<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    db: &Db,
    demo: &Demo,
    code: &str,
    n: u32,
) -> i64 {
    let log = mutate(
        app,
        token,
        CREATE,
        demo.claim(code),
        &format!("create-{code}"),
    )
    .await;
    assert_eq!(log, OK(), "{code}");
    db.execute(&format!(
        r#"UPDATE "tblClaim" SET "ClaimUUID" = '{}' WHERE "ClaimCode" = '{code}' AND "ValidityTo" IS NULL"#,
        uuid(n)
    ));
    db.pk("tblClaim", "ClaimID", "ClaimUUID", &uuid(n))
}

/// Gives `user`'s roles `rights` before the user's first request (the demo roles hold none).
fn grant(db: &Db, user: &str, rights: &[u32]) {
    for right in rights {
        db.execute(&format!(
            r#"INSERT INTO "tblRoleRight" ("RoleID", "RightID", "ValidityFrom", "AuditUserId")
               SELECT ur."RoleID", {right}, '2024-01-01 00:00:00', 1 FROM "tblUserRole" ur
               JOIN "tblUsers" u ON u."id" = ur."UserID"
               WHERE u."LoginName" = '{user}' AND ur."ValidityTo" IS NULL"#
        ));
    }
}

/// `claimed` (or another amount column) of claim `pk`, in cents.
fn cents(db: &Db, column: &str, pk: i64) -> i64 {
    db.number(&format!(
        r#"SELECT CAST(ROUND("{column}" * 100) AS BIGINT) AS n FROM "tblClaim" WHERE "ClaimID" = {pk}"#
    ))
}

fn int(db: &Db, column: &str, pk: i64) -> i64 {
    db.number(&format!(
        r#"SELECT CAST(COALESCE("{column}", -1) AS BIGINT) AS n FROM "tblClaim" WHERE "ClaimID" = {pk}"#
    ))
}

/// The history copies of claim `pk`.
fn copies(db: &Db, pk: i64) -> i64 {
    db.count(
        "tblClaim",
        &format!(r#""LegacyID" = {pk} AND "ValidityTo" IS NOT NULL"#),
    )
}

/// The demo's rows are valid from the day it was seeded, so a claim of 2024 finds no policy or
/// price valid at its date: its policies, coverage, products, price lists and medical rows are
/// made valid from 2000 (the original's demo database has them so), and the hospital takes
/// in- and out-patients.
fn backdate(db: &Db) {
    for table in [
        "tblPolicy",
        "tblInsureePolicy",
        "tblProduct",
        "tblProductItems",
        "tblProductServices",
        "tblPLItems",
        "tblPLServices",
        "tblPLItemsDetail",
        "tblPLServicesDetail",
        "tblItems",
        "tblServices",
        "tblInsuree",
        "tblFamilies",
        "tblHF",
    ] {
        db.execute(&format!(
            r#"UPDATE "{table}" SET "ValidityFrom" = '2000-01-01 00:00:00'"#
        ));
    }
    db.execute(r#"UPDATE "tblHF" SET "HFCareType" = 'B'"#);
}

const LINKS: (&str, &str) = ("claim_ClaimMutation", "claim_id");

on_sqlite_and_postgres! {
    entry_on:
        claims_are_entered_updated_and_refused_as_the_original,
        claims_are_entered_updated_and_refused_as_the_original_on_postgres,
        "claim_mut_entry"
}

async fn entry_on(vars: &[(String, String)]) {
    let root = tempfile::tempdir().unwrap();
    let config = json!({"claim_max_restore": 1, "claim_attachments_root_path": root.path()});
    let (dir, runtime) = started_with(config, vars);
    let db = Db::of(&dir, vars);
    let demo = Demo::of(&db);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;

    // createClaim: entered (2), the lines passed (1), claimed 2 × 10.00 + 400.00.
    let pk = created(&app, &token, &db, &demo, "MUT-0001", 1).await;
    assert_eq!(
        (int(&db, "ClaimStatus", pk), cents(&db, "Claimed", pk)),
        (2, 42_000)
    );
    assert_eq!(int(&db, "FeedbackStatus", pk), 1);
    let items = db.count(
        "tblClaimItems",
        &format!(r#""ClaimID" = {pk} AND "ValidityTo" IS NULL AND "ClaimItemStatus" = 1"#),
    );
    let services = db.count(
        "tblClaimServices",
        &format!(r#""ClaimID" = {pk} AND "ValidityTo" IS NULL AND "ClaimServiceStatus" = 1"#),
    );
    assert_eq!((items, services), (1, 1));
    assert_eq!(copies(&db, pk), 0);

    // updateClaim: a history copy of the claim and of its lines (re-pointed to the copy); the
    // optional fields not sent reset; every line ended and the ones sent saved again (the one
    // named by `id` revived in place).
    let item_line = db.number(&format!(
        r#"SELECT CAST("ClaimItemID" AS BIGINT) AS n FROM "tblClaimItems" WHERE "ClaimID" = {pk}"#
    ));
    let mut update = demo.claim("MUT-0001");
    update["uuid"] = json!(uuid(1));
    update["explanation"] = Value::Null;
    update.as_object_mut().unwrap().remove("guaranteeId");
    update["items"] = json!([
        {"id": item_line, "itemId": demo.item, "status": 1, "qtyProvided": "3.00", "priceAsked": "10.00"},
        {"itemId": demo.item, "status": 1, "qtyProvided": "1.00", "priceAsked": "5.50"},
    ]);
    update["services"] = json!([]);
    assert_eq!(
        mutate(&app, &token, UPDATE, update.clone(), "update-1").await,
        OK()
    );
    assert_eq!(copies(&db, pk), 1);
    let copy = db.number(&format!(
        r#"SELECT CAST("ClaimID" AS BIGINT) AS n FROM "tblClaim" WHERE "LegacyID" = {pk}"#
    ));
    assert_eq!(
        db.count(
            "tblClaimItems",
            &format!(
                r#""ClaimID" = {copy} AND "LegacyID" = {item_line} AND "ValidityTo" IS NOT NULL"#
            )
        ),
        1
    );
    assert_eq!(
        db.count("tblClaimServices", &format!(r#""ClaimID" = {copy}"#)),
        1
    );
    assert_eq!(
        db.count(
            "tblClaimItems",
            &format!(r#""ClaimID" = {pk} AND "ValidityTo" IS NULL"#)
        ),
        2
    );
    assert_eq!(
        db.count(
            "tblClaimItems",
            &format!(
                r#""ClaimItemID" = {item_line} AND "ValidityTo" IS NULL AND "QtyProvided" = 3"#
            )
        ),
        1
    );
    assert_eq!(
        db.count(
            "tblClaimServices",
            &format!(r#""ClaimID" = {pk} AND "ValidityTo" IS NULL"#)
        ),
        0
    );
    assert_eq!(cents(&db, "Claimed", pk), 3_550);
    assert_eq!(
        db.count(
            "tblClaim",
            &format!(r#""ClaimID" = {pk} AND "Explanation" IS NULL AND "GuaranteeId" IS NULL"#)
        ),
        1
    );
    assert_eq!(
        cents(&db, "Claimed", copy),
        42_000,
        "the copy keeps what the claim was"
    );

    // A code a valid claim has: refused, nothing written.
    let claims = db.count("tblClaim", "1 = 1");
    let log = mutate(&app, &token, CREATE, demo.claim("MUT-0001"), "dup-1").await;
    failed_with(
        &log,
        "claim.mutation.failed_to_create_claim",
        Some("['mutation.code_name_duplicated']"),
    );
    // A service of quantity over 1 needs an explanation.
    let mut unexplained = demo.claim("MUT-0002");
    unexplained["services"][0]["qtyProvided"] = json!("2.00");
    unexplained["services"][0]["explanation"] = json!("");
    let log = mutate(&app, &token, CREATE, unexplained, "explain-1").await;
    failed_with(
        &log,
        "claim.mutation.failed_to_create_claim",
        Some("['mutation.service_explanation_required']"),
    );
    // A quantity over the item's maximum amount.
    db.execute(&format!(
        r#"UPDATE "tblItems" SET "MaximumAmount" = 1.5 WHERE "ItemID" = {}"#,
        demo.item
    ));
    let log = mutate(&app, &token, CREATE, demo.claim("MUT-0003"), "max-1").await;
    failed_with(
        &log,
        "claim.mutation.failed_to_create_claim",
        Some("['mutation.claim_item_service_maximum_amount_overshoot']"),
    );
    db.execute(&format!(
        r#"UPDATE "tblItems" SET "MaximumAmount" = NULL WHERE "ItemID" = {}"#,
        demo.item
    ));
    // An item that is not valid: the original's `Item.DoesNotExist`.
    let mut gone = demo.claim("MUT-0004");
    gone["items"][0]["itemId"] = json!(999_999);
    let log = mutate(&app, &token, CREATE, gone, "gone-1").await;
    failed_with(
        &log,
        "claim.mutation.failed_to_create_claim",
        Some("Item matching query does not exist."),
    );
    assert_eq!(
        db.count("tblClaim", "1 = 1"),
        claims,
        "nothing half-written"
    );

    // A claim past checked is not editable.
    db.execute(&format!(
        r#"UPDATE "tblClaim" SET "ClaimStatus" = 8 WHERE "ClaimID" = {pk}"#
    ));
    let log = mutate(&app, &token, UPDATE, update.clone(), "update-2").await;
    failed_with(
        &log,
        "claim.mutation.failed_to_update_claim",
        Some("['mutation.claim_not_editable']"),
    );
    assert_eq!(copies(&db, pk), 1, "no history copy of a refused update");
    // An unknown uuid: the original's `Claim.DoesNotExist`.
    update["uuid"] = json!(uuid(999));
    update["code"] = json!("MUT-0999");
    let log = mutate(&app, &token, UPDATE, update, "update-3").await;
    failed_with(
        &log,
        "claim.mutation.failed_to_update_claim",
        Some("Claim matching query does not exist."),
    );

    // Restoring: only a rejected claim, with 111012, at most `claim_max_restore` times.
    let mut restore = demo.claim("MUT-R1");
    restore["restore"] = json!(uuid(1));
    let log = mutate(&app, &token, CREATE, restore.clone(), "restore-1").await;
    failed_with(
        &log,
        "claim.mutation.failed_to_create_claim",
        Some("['mutation.cannot_restore_not_rejected_claim']"),
    );
    db.execute(&format!(
        r#"UPDATE "tblClaim" SET "ClaimStatus" = 1 WHERE "ClaimID" = {pk}"#
    ));
    assert_eq!(
        mutate(&app, &token, CREATE, restore.clone(), "restore-2").await,
        OK()
    );
    assert_eq!(
        db.count(
            "tblClaim",
            &format!(r#""ClaimCode" = 'MUT-R1' AND "RestoredClaim" = {pk}"#)
        ),
        1
    );
    restore["code"] = json!("MUT-R2");
    let log = mutate(&app, &token, CREATE, restore.clone(), "restore-3").await;
    failed_with(
        &log,
        "claim.mutation.failed_to_create_claim",
        Some("['mutation.max_restored_claim']"),
    );
    grant(&db, "manager1", &[111_002]);
    let manager = login(&app, "manager1", "Demo12345!").await;
    restore["restore"] = json!(uuid(1));
    let log = mutate(&app, &manager, CREATE, restore, "restore-4").await;
    failed_with(
        &log,
        "claim.mutation.failed_to_create_claim",
        Some("['mutation.no_restore_rights']"),
    );

    // Without the right: the mutation's message and `unauthorized`.
    let plain = login(&app, "reception1", "Demo12345!").await;
    let log = mutate(&app, &plain, CREATE, demo.claim("MUT-0005"), "norights-1").await;
    failed_with(
        &log,
        "claim.mutation.failed_to_create_claim",
        Some("unauthorized"),
    );

    // A code over `max_claim_length` is refused before anything is logged.
    let mut long = demo.claim(&"X".repeat(21));
    long["clientMutationId"] = json!("long-1");
    let request = graphql_as(
        "mutation ($input: CreateClaimMutationInput!) { createClaim(input: $input) { internalId } }",
        json!({"input": long}),
        &token,
    );
    let (_, body) = json_of(actix_web::test::call_service(&app, request).await).await;
    assert_eq!(
        body["errors"][0]["message"], "core.string.over_max_length",
        "{body}"
    );
    assert_eq!(log_of(&app, &token, "long-1").await, Value::Null);

    // Attachments sent with the claim: with a root path, a FILE's document is written under
    // <root>/YYYY/MM/DD/<claim id>/<uuid>, which becomes its url.
    let mut attached = demo.claim("MUT-0006");
    attached["attachments"] =
        json!([{"generalType": "FILE", "title": "Scan", "filename": "a.txt", "document": "aGk="}]);
    assert_eq!(
        mutate(&app, &token, CREATE, attached, "attached-1").await,
        OK()
    );
    let with_file = db.number(
        r#"SELECT CAST("ClaimID" AS BIGINT) AS n FROM "tblClaim" WHERE "ClaimCode" = 'MUT-0006'"#,
    );
    let path = db_text(
        &db,
        &format!(
            r#"SELECT "url" AS t FROM "claim_ClaimAttachment" WHERE "claim_id" = {with_file} AND "document" IS NULL"#
        ),
    );
    assert!(path.contains(&format!("/{with_file}/")), "{path}");
    assert_eq!(std::fs::read(root.path().join(&path)).unwrap(), b"hi");
    let mut unattached = demo.claim("MUT-0007");
    unattached["attachments"] =
        json!([{"generalType": "URL", "url": "https://x.org/a", "predefinedType": "nope"}]);
    let log = mutate(&app, &token, CREATE, unattached, "attached-2").await;
    failed_with(
        &log,
        "claim.mutation.failed_to_create_claim",
        Some("ClaimAttachmentType matching query does not exist."),
    );
    assert_eq!(
        db.count("tblClaim", "\"ClaimCode\" = 'MUT-0007'"),
        0,
        "the claim goes with its attachment"
    );

    // autogenerate: the Nepali fiscal year's code, told through the log.
    let mut auto = demo.claim("auto");
    auto["autogenerate"] = json!(true);
    assert_eq!(mutate(&app, &token, CREATE, auto, "auto-1").await, OK());
    let logs = data(&app, &token, r#"{ mutationLogs(clientMutationId: "auto-1") { edges { node { clientMutationLabel autogeneratedCode } } } }"#).await;
    let node = &logs["mutationLogs"]["edges"][0]["node"];
    let code = node["autogeneratedCode"].as_str().unwrap().to_owned();
    assert!(
        code.len() == 17 && code.ends_with("00000001") && code.as_bytes()[4] == b'-',
        "{code}"
    );
    assert_eq!(
        node["clientMutationLabel"],
        format!("Create Claim - {code}")
    );
    assert_eq!(
        db.count("tblClaim", &format!(r#""ClaimCode" = '{code}'"#)),
        1
    );
}

on_sqlite_and_postgres! {
    attachments_on:
        attachments_are_added_changed_and_removed_as_the_original,
        attachments_are_added_changed_and_removed_as_the_original_on_postgres,
        "claim_mut_attach"
}

async fn attachments_on(vars: &[(String, String)]) {
    let config = json!({"allowed_domains_attachments": ["/allowed/"]});
    let (dir, runtime) = started_with(config, vars);
    let db = Db::of(&dir, vars);
    let demo = Demo::of(&db);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let pk = created(&app, &token, &db, &demo, "ATT-0001", 11).await;
    let attachments = |condition: &str| {
        db.count(
            "claim_ClaimAttachment",
            &format!(r#""claim_id" = {pk} AND {condition}"#),
        )
    };

    // A FILE attachment kept as its base64 document.
    let file = json!({"claimUuid": uuid(11), "type": "PDF", "title": "Invoice", "date": "2024-06-03",
        "mime": "application/pdf", "generalType": "FILE", "predefinedType": "default",
        "filename": "invoice.pdf", "document": "JVBERi0xLjQK"});
    assert_eq!(
        mutate(&app, &token, ATTACH, file.clone(), "attach-1").await,
        OK()
    );
    assert_eq!(
        attachments(
            r#""document" = 'JVBERi0xLjQK' AND "general_type" = 'FILE' AND "module" = 'claim' AND "ValidityTo" IS NULL"#
        ),
        1
    );
    assert_eq!(db.links(LINKS, pk, "attach-1"), 1, "linked when logged");
    // An unknown type, a URL outside the allowed domains: refused, nothing added.
    let mut unknown = file.clone();
    unknown["predefinedType"] = json!("INVOICE");
    let log = mutate(&app, &token, ATTACH, unknown, "attach-2").await;
    failed_with(
        &log,
        "claim.mutation.failed_to_attach_document",
        Some("ClaimAttachmentType matching query does not exist."),
    );
    let url = json!({"claimUuid": uuid(11), "generalType": "URL", "url": "https://files.example.org/other/x.pdf", "title": "Scan"});
    let log = mutate(&app, &token, ATTACH, url.clone(), "attach-3").await;
    failed_with(
        &log,
        "claim.mutation.failed_to_attach_document",
        Some("['mutation.attachment_url_domain_not_allowed']"),
    );
    let mut allowed = url;
    allowed["url"] = json!("https://files.example.org/allowed/x.pdf");
    assert_eq!(
        mutate(&app, &token, ATTACH, allowed, "attach-4").await,
        OK()
    );
    assert_eq!(
        attachments(r#""general_type" = 'URL' AND "predefined_type_id" = 2"#),
        1
    );
    // An unknown claim, no right: `unauthorized`.
    let mut elsewhere = file.clone();
    elsewhere["claimUuid"] = json!(uuid(999));
    let log = mutate(&app, &token, ATTACH, elsewhere, "attach-5").await;
    failed_with(
        &log,
        "claim.mutation.failed_to_attach_document",
        Some("unauthorized"),
    );
    let plain = login(&app, "reception1", "Demo12345!").await;
    let log = mutate(&app, &plain, ATTACH, file.clone(), "attach-6").await;
    failed_with(
        &log,
        "claim.mutation.failed_to_attach_document",
        Some("unauthorized"),
    );
    assert_eq!(attachments("1 = 1"), 2);

    // Another district's claim: CA00001 (district R1D1) holds 111010, the claim is Rapta's.
    let rapta = db.number(
        r#"SELECT CAST(MIN("HfID") AS BIGINT) AS n FROM "tblHF" WHERE "HFCode" = 'RAHOS001'"#,
    );
    let far = created(&app, &token, &db, &demo, "ATT-0002", 12).await;
    db.execute(&format!(
        r#"UPDATE "tblClaim" SET "HFID" = {rapta} WHERE "ClaimID" = {far}"#
    ));
    grant(&db, "CA00001", &[111_010]);
    let admin = login(&app, "CA00001", "Demo12345!").await;
    let mut distant = file.clone();
    distant["claimUuid"] = json!(uuid(12));
    let log = mutate(&app, &admin, ATTACH, distant, "attach-7").await;
    failed_with(
        &log,
        "claim.mutation.failed_to_attach_document",
        Some("unauthorized"),
    );
    assert_eq!(
        db.count("claim_ClaimAttachment", &format!(r#""claim_id" = {far}"#)),
        0
    );
    assert_eq!(
        mutate(&app, &admin, ATTACH, file, "attach-8").await,
        OK(),
        "its own district's claim"
    );

    // updateClaimAttachment: a history copy, then the keys sent.
    assert_eq!(attachments(r#""title" = 'Invoice'"#), 2);
    let first = first_attachment(&db, pk);
    let change = json!({"id": first, "claimUuid": uuid(11), "generalType": "FILE", "predefinedType": "default", "title": "Invoice 2"});
    assert_eq!(
        mutate(&app, &token, REATTACH, change, "reattach-1").await,
        OK()
    );
    assert_eq!(
        attachments(r#""title" = 'Invoice 2' AND "ValidityTo" IS NULL"#),
        1
    );
    assert_eq!(
        attachments(&format!(
            r#"CAST("LegacyID" AS TEXT) = '{first}' AND "ValidityTo" IS NOT NULL"#
        )),
        1
    );
    // Without `generalType`: the original's KeyError; a malformed id, no right: its
    // UnboundLocalError; an unknown one: its AttributeError.
    let log = mutate(
        &app,
        &token,
        REATTACH,
        json!({"id": first, "claimUuid": uuid(11), "title": "T"}),
        "reattach-2",
    )
    .await;
    failed_with(
        &log,
        "claim.mutation.failed_to_update_claim_attachment",
        Some("'general_type'"),
    );
    let unbound = "The mutation threw a <class 'UnboundLocalError'>, check logs for details";
    let log = mutate(
        &app,
        &token,
        REATTACH,
        json!({"id": "12", "claimUuid": uuid(11)}),
        "reattach-3",
    )
    .await;
    failed_with(&log, unbound, None);
    let log = mutate(
        &app,
        &plain,
        REATTACH,
        json!({"id": first, "claimUuid": uuid(11)}),
        "reattach-4",
    )
    .await;
    failed_with(&log, unbound, None);
    let log = mutate(&app, &token, DETACH, json!({"id": uuid(999)}), "detach-1").await;
    failed_with(
        &log,
        "The mutation threw a <class 'AttributeError'>, check logs for details",
        None,
    );

    // deleteClaimAttachment: ended, with its copy.
    assert_eq!(
        mutate(&app, &token, DETACH, json!({"id": first}), "detach-2").await,
        OK()
    );
    assert_eq!(
        attachments(&format!(
            r#"CAST("id" AS TEXT) = '{first}' AND "ValidityTo" IS NOT NULL"#
        )),
        1
    );
    assert_eq!(
        attachments(&format!(r#"CAST("LegacyID" AS TEXT) = '{first}'"#)),
        2
    );
}

/// The id of the first valid attachment of claim `pk` (by title, then id).
fn first_attachment(db: &Db, pk: i64) -> String {
    db_text(
        db,
        &format!(
            r#"SELECT CAST("id" AS TEXT) AS t FROM "claim_ClaimAttachment" WHERE "claim_id" = {pk} AND "ValidityTo" IS NULL ORDER BY "title", "id" LIMIT 1"#
        ),
    )
}

/// The text of `sql`'s first column `t`, first row.
fn db_text(db: &Db, sql: &str) -> String {
    use diesel::{Connection, RunQueryDsl};
    #[derive(diesel::QueryableByName)]
    struct Text {
        #[diesel(sql_type = diesel::sql_types::Text)]
        t: String,
    }
    match db {
        Db::Sqlite(path) => {
            let mut conn = open_sqlite(path);
            let rows: Vec<Text> = diesel::sql_query(sql).load(&mut conn).unwrap();
            rows[0].t.clone()
        }
        Db::Postgres(url) => {
            let mut conn = diesel::PgConnection::establish(url).unwrap();
            let rows: Vec<Text> = diesel::sql_query(sql).load(&mut conn).unwrap();
            rows[0].t.clone()
        }
    }
}

on_sqlite_and_postgres! {
    statuses_on:
        feedback_review_and_deletion_change_claims_as_the_original,
        feedback_review_and_deletion_change_claims_as_the_original_on_postgres,
        "claim_mut_status"
}

async fn statuses_on(vars: &[(String, String)]) {
    let (dir, runtime) = started_with(json!({}), vars);
    let db = Db::of(&dir, vars);
    let demo = Demo::of(&db);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let pk = created(&app, &token, &db, &demo, "ST-0001", 21).await;
    let other = created(&app, &token, &db, &demo, "ST-0002", 22).await;
    let both = json!({"uuids": [uuid(21), uuid(22)]});

    // Review status: select 4, skip 2, bypass 16; each change a history copy and a link.
    assert_eq!(
        mutate(&app, &token, SELECT_REVIEW, both.clone(), "review-1").await,
        OK()
    );
    assert_eq!(
        (
            int(&db, "ReviewStatus", pk),
            int(&db, "ReviewStatus", other)
        ),
        (4, 4)
    );
    assert_eq!((copies(&db, pk), db.links(LINKS, pk, "review-1")), (1, 1));
    assert_eq!(
        mutate(
            &app,
            &token,
            SKIP_REVIEW,
            json!({"uuids": [uuid(21)]}),
            "review-2"
        )
        .await,
        OK()
    );
    assert_eq!(int(&db, "ReviewStatus", pk), 2);
    assert_eq!(
        mutate(
            &app,
            &token,
            BYPASS_REVIEW,
            json!({"uuids": [uuid(21)]}),
            "review-3"
        )
        .await,
        OK()
    );
    assert_eq!((int(&db, "ReviewStatus", pk), copies(&db, pk)), (16, 3));
    // An unknown uuid: the key, the uuids as detail, nothing changed.
    let log = mutate(
        &app,
        &token,
        SKIP_REVIEW,
        json!({"uuids": [uuid(22), uuid(999)]}),
        "review-4",
    )
    .await;
    failed_with(
        &log,
        "claim.validation.id_does_not_exist",
        Some(&uuid(999).to_uppercase()),
    );
    assert_eq!(
        (int(&db, "ReviewStatus", other), copies(&db, other)),
        (4, 1)
    );
    // Without the right: the original's uncaught PermissionDenied.
    let plain = login(&app, "reception1", "Demo12345!").await;
    let denied = "The mutation threw a <class 'django.core.exceptions.PermissionDenied'>, check logs for details";
    let log = mutate(&app, &plain, BYPASS_REVIEW, both.clone(), "review-5").await;
    failed_with(&log, denied, None);
    let log = mutate(&app, &plain, SELECT_FEEDBACK, both.clone(), "feedback-0").await;
    failed_with(&log, denied, None);

    // Feedback: selecting prompts the officer of the insuree's village (or says why not).
    let log = mutate(
        &app,
        &token,
        SELECT_FEEDBACK,
        json!({"uuids": [uuid(21)]}),
        "feedback-1",
    )
    .await;
    let prompts = db.count(
        "tblFeedbackPrompt",
        &format!(r#""ClaimID" = {pk} AND "ValidityTo" IS NULL"#),
    );
    if log == OK() {
        assert_eq!((int(&db, "FeedbackStatus", pk), prompts), (4, 1));
        assert_eq!(
            mutate(
                &app,
                &token,
                SKIP_FEEDBACK,
                json!({"uuids": [uuid(21)]}),
                "feedback-2"
            )
            .await,
            OK()
        );
        assert_eq!(
            db.count(
                "tblFeedbackPrompt",
                &format!(r#""ClaimID" = {pk} AND "ValidityTo" IS NULL"#)
            ),
            0
        );
        assert_eq!(int(&db, "FeedbackStatus", pk), 2);
    } else {
        failed_with(
            &log,
            "claim.mutation.failed_to_change_status_of_claim",
            None,
        );
        assert_eq!(
            (int(&db, "FeedbackStatus", pk), prompts),
            (1, 0),
            "nothing half-written"
        );
    }
    assert_eq!(
        mutate(
            &app,
            &token,
            BYPASS_FEEDBACK,
            json!({"uuids": [uuid(22)]}),
            "feedback-3"
        )
        .await,
        OK()
    );
    assert_eq!(int(&db, "FeedbackStatus", other), 16);

    // deliverClaimFeedback: the claim's feedback, delivered (8) and available.
    let feedback = json!({"claimUuid": uuid(21), "feedback": {"feedbackDate": "2024-06-10T00:00:00",
        "officerId": 3, "careRendered": true, "paymentAsked": false, "drugPrescribed": true,
        "drugReceived": true, "asessment": 4}});
    let before = copies(&db, pk);
    assert_eq!(
        mutate(
            &app,
            &token,
            DELIVER_FEEDBACK,
            feedback.clone(),
            "feedback-4"
        )
        .await,
        OK()
    );
    assert_eq!(
        (
            int(&db, "FeedbackStatus", pk),
            db.count(
                "tblClaim",
                &format!(r#""ClaimID" = {pk} AND "Feedback" = TRUE"#)
            )
        ),
        (8, 1)
    );
    let given = db.number(&format!(
        r#"SELECT CAST("FeedbackID" AS BIGINT) AS n FROM "tblClaim" WHERE "ClaimID" = {pk}"#
    ));
    assert_eq!(db.count("tblFeedback", &format!(r#""FeedbackID" = {given} AND "ClaimID" = {pk} AND "Asessment" = 4 AND "CHFOfficerCode" = 3"#)), 1);
    assert_eq!(copies(&db, pk), before + 1);
    // A claim with its feedback is copied again by the next change: the copy keeps the
    // feedback's key, as the original's does, so `tblClaim."FeedbackID"` must not be UNIQUE
    // (the original's database has no such constraint; claim's 0001 migration declares one).
    let log = mutate(
        &app,
        &token,
        SELECT_REVIEW,
        json!({"uuids": [uuid(21)]}),
        "review-6",
    )
    .await;
    assert_eq!(log, OK());
    assert_eq!(int(&db, "ReviewStatus", pk), 4);
    let mut unknown = feedback.clone();
    unknown["claimUuid"] = json!(uuid(999));
    let log = mutate(&app, &token, DELIVER_FEEDBACK, unknown, "feedback-5").await;
    failed_with(
        &log,
        "claim.mutation.failed_to_update_claim",
        Some("Claim matching query does not exist."),
    );
    let log = mutate(&app, &plain, DELIVER_FEEDBACK, feedback, "feedback-6").await;
    failed_with(
        &log,
        "claim.mutation.failed_to_update_claim",
        Some("unauthorized"),
    );

    // saveClaimReview: each line sent updated in place, the reviewer recorded; all lines
    // rejected reject the claim.
    let item_line = db.number(&format!(r#"SELECT CAST(MIN("ClaimItemID") AS BIGINT) AS n FROM "tblClaimItems" WHERE "ClaimID" = {other}"#));
    let service_line = db.number(&format!(r#"SELECT CAST(MIN("ClaimServiceID") AS BIGINT) AS n FROM "tblClaimServices" WHERE "ClaimID" = {other}"#));
    let review = json!({"claimUuid": uuid(22), "adjustment": "ok",
        "items": [{"id": item_line, "itemId": demo.item, "qtyApproved": "1.00", "priceApproved": "10.00", "status": 1}],
        "services": [{"id": service_line, "serviceId": demo.service, "qtyApproved": "1.00", "justification": "fine", "status": 2, "rejectionReason": 11}]});
    assert_eq!(
        mutate(&app, &token, SAVE_REVIEW, review.clone(), "save-review-1").await,
        OK()
    );
    assert_eq!(
        db.count(
            "tblClaimItems",
            &format!(
                r#""ClaimItemID" = {item_line} AND "QtyApproved" = 1 AND "PriceApproved" = 10"#
            )
        ),
        1
    );
    assert_eq!(db.count("tblClaimServices", &format!(r#""ClaimServiceID" = {service_line} AND "ClaimServiceStatus" = 2 AND "RejectionReason" = 11"#)), 1);
    assert_eq!(db.count("tblClaim", &format!(r#""ClaimID" = {other} AND "Adjustment" = 'ok' AND "AuditUserIDReview" IS NOT NULL AND "ClaimStatus" = 2"#)), 1);
    let mut rejecting = review.clone();
    rejecting["items"][0]["status"] = json!(2);
    assert_eq!(
        mutate(&app, &token, SAVE_REVIEW, rejecting, "save-review-2").await,
        OK()
    );
    assert_eq!(int(&db, "ClaimStatus", other), 1);
    let mut unknown = review.clone();
    unknown["claimUuid"] = json!(uuid(999));
    let log = mutate(&app, &token, SAVE_REVIEW, unknown, "save-review-3").await;
    failed_with(
        &log,
        "claim.mutation.failed_to_update_claim",
        Some("Claim matching query does not exist."),
    );
    let log = mutate(&app, &plain, SAVE_REVIEW, review, "save-review-4").await;
    failed_with(
        &log,
        "claim.mutation.failed_to_update_claim",
        Some("unauthorized"),
    );

    // deleteClaims: ended with its copy; an unknown uuid deletes nothing.
    let log = mutate(
        &app,
        &token,
        DELETE,
        json!({"uuids": [uuid(22), uuid(999)]}),
        "delete-1",
    )
    .await;
    failed_with(&log, "claim.validation.id_does_not_exist", Some(&uuid(999)));
    assert_eq!(
        db.count(
            "tblClaim",
            &format!(r#""ClaimID" = {other} AND "ValidityTo" IS NULL"#)
        ),
        1
    );
    let log = mutate(
        &app,
        &plain,
        DELETE,
        json!({"uuids": [uuid(22)]}),
        "delete-2",
    )
    .await;
    failed_with(&log, denied, None);
    assert_eq!(
        mutate(
            &app,
            &token,
            DELETE,
            json!({"uuids": [uuid(22)]}),
            "delete-3"
        )
        .await,
        OK()
    );
    assert_eq!(
        db.count(
            "tblClaim",
            &format!(r#""ClaimID" = {other} AND "ValidityTo" IS NOT NULL"#)
        ),
        1
    );
}

on_sqlite_and_postgres! {
    workflow_on:
        claims_are_submitted_reviewed_and_processed,
        claims_are_submitted_reviewed_and_processed_on_postgres,
        "claim_mut_flow"
}

async fn workflow_on(vars: &[(String, String)]) {
    let (dir, runtime) = started_with(json!({}), vars);
    let db = Db::of(&dir, vars);
    backdate(&db);
    let demo = Demo::of(&db);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let pk = created(&app, &token, &db, &demo, "WF-0001", 31).await;
    let denied = "The mutation threw a <class 'django.core.exceptions.PermissionDenied'>, check logs for details";

    // submitClaims: adjudicated and checked (4) with its approved amount, stamp and category;
    // a history copy with its lines; the stats in the log's JsonExt.
    let log = mutate(
        &app,
        &token,
        SUBMIT,
        json!({"uuids": [uuid(31)]}),
        "submit-1",
    )
    .await;
    assert_eq!(log, OK());
    assert_eq!(int(&db, "ClaimStatus", pk), 4);
    let checked = format!(
        r#""ClaimID" = {pk} AND "Approved" IS NOT NULL AND "SubmitStamp" IS NOT NULL AND "ClaimCategory" IS NOT NULL"#
    );
    assert_eq!(db.count("tblClaim", &checked), 1);
    assert_eq!(copies(&db, pk), 1);
    assert_eq!(db.links(LINKS, pk, "submit-1"), 1);
    let ext = json_ext(&app, &token, "submit-1").await;
    assert_eq!(
        ext["claim_stats"],
        json!({"submitted": 1, "checked": 1, "rejected": 0, "items_passed": 1, "items_rejected": 0,
               "services_passed": 1, "services_rejected": 0, "header": "Claims submitted"})
    );

    // A claim whose only line is not in the facility's price list: rejected (1), and kept so.
    let mut unpriced = demo.claim("WF-0002");
    let other_item = db.number(
        r#"SELECT CAST(MIN("ItemID") AS BIGINT) AS n FROM "tblItems" WHERE "ItemCode" = '0181'"#,
    );
    unpriced["items"][0]["itemId"] = json!(other_item);
    unpriced["services"] = json!([]);
    assert_eq!(
        mutate(&app, &token, CREATE, unpriced, "create-WF-0002").await,
        OK()
    );
    db.execute(&format!(
        r#"UPDATE "tblClaim" SET "ClaimUUID" = '{}' WHERE "ClaimCode" = 'WF-0002'"#,
        uuid(32)
    ));
    let rejected = db.pk("tblClaim", "ClaimID", "ClaimUUID", &uuid(32));
    let log = mutate(
        &app,
        &token,
        SUBMIT,
        json!({"uuids": [uuid(32), uuid(999)]}),
        "submit-2",
    )
    .await;
    assert_eq!(log["status"], 1, "{log}");
    let errors: Value = serde_json::from_str(log["error"].as_str().unwrap()).unwrap();
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .starts_with("claim.validation."),
        "{errors}"
    );
    let last = errors.as_array().unwrap().last().unwrap().clone();
    assert_eq!(
        last["message"],
        format!(
            "claim.validation.claim_uuid_not_found{}",
            uuid(999).to_uppercase()
        )
    );
    assert_eq!(
        (int(&db, "ClaimStatus", rejected), copies(&db, rejected)),
        (1, 1)
    );

    // Another district's claim (CA00001 works in R1D1): the original's ClaimSubmitError, nothing
    // written; without the right: PermissionDenied; by filters, every valid claim matching.
    let far = created(&app, &token, &db, &demo, "WF-0003", 33).await;
    let rapta = db.number(
        r#"SELECT CAST(MIN("HfID") AS BIGINT) AS n FROM "tblHF" WHERE "HFCode" = 'RAHOS001'"#,
    );
    db.execute(&format!(
        r#"UPDATE "tblClaim" SET "HFID" = {rapta} WHERE "ClaimID" = {far}"#
    ));
    grant(&db, "CA00001", &[111_007]);
    let admin = login(&app, "CA00001", "Demo12345!").await;
    let log = mutate(
        &app,
        &admin,
        SUBMIT,
        json!({"uuids": [uuid(33)]}),
        "submit-3",
    )
    .await;
    failed_with(
        &log,
        "The mutation threw a <class 'claim.services.ClaimSubmitError'>, check logs for details",
        None,
    );
    assert_eq!((int(&db, "ClaimStatus", far), copies(&db, far)), (2, 0));
    let plain = login(&app, "reception1", "Demo12345!").await;
    let log = mutate(
        &app,
        &plain,
        SUBMIT,
        json!({"uuids": [uuid(33)]}),
        "submit-4",
    )
    .await;
    failed_with(&log, denied, None);
    let log = mutate(
        &app,
        &token,
        SUBMIT,
        json!({"additionalFilters": "{\"nope\": 1}"}),
        "submit-5",
    )
    .await;
    failed_with(
        &log,
        "The mutation threw a <class 'ValueError'>, check logs for details",
        None,
    );
    // Through the filters: Rapta's hospital has no price list, so the claim is rejected.
    let filters = json!({"additionalFilters": "{\"code\": \"WF-0003\", \"status\": 2}"});
    let log = mutate(&app, &token, SUBMIT, filters, "submit-6").await;
    failed_with(
        &log,
        "claim.validation.all_items_and_services_rejected",
        Some(&uuid(33)),
    );
    assert_eq!(
        int(&db, "ClaimStatus", far),
        1,
        "submitted through the filters"
    );

    // deliverClaimsReview: delivered (8) with the reviewer; a checked claim is not re-adjudicated.
    assert_eq!(
        mutate(
            &app,
            &token,
            DELIVER_REVIEW,
            json!({"uuids": [uuid(31)]}),
            "deliver-1"
        )
        .await,
        OK()
    );
    assert_eq!(
        (
            int(&db, "ReviewStatus", pk),
            int(&db, "AuditUserIDReview", pk)
        ),
        (8, 1)
    );
    let log = mutate(
        &app,
        &plain,
        DELIVER_REVIEW,
        json!({"uuids": [uuid(31)]}),
        "deliver-2",
    )
    .await;
    failed_with(&log, denied, None);
    let log = mutate(
        &app,
        &token,
        DELIVER_REVIEW,
        json!({"uuids": [uuid(999)]}),
        "deliver-3",
    )
    .await;
    failed_with(
        &log,
        "The mutation threw a <class 'TypeError'>, check logs for details",
        None,
    );

    // processClaims: a checked claim without relative prices is valuated (16, valuated =
    // approved), with its processing user and stamp; the stats in the log.
    let approved = cents(&db, "Approved", pk);
    assert_eq!(
        mutate(
            &app,
            &token,
            PROCESS,
            json!({"uuids": [uuid(31)]}),
            "process-1"
        )
        .await,
        OK()
    );
    assert_eq!(int(&db, "ClaimStatus", pk), 16);
    assert_eq!(
        (
            cents(&db, "Valuated", pk),
            int(&db, "AuditUserIDProcess", pk)
        ),
        (approved, 1)
    );
    assert_eq!(
        db.count(
            "tblClaim",
            &format!(r#""ClaimID" = {pk} AND "ProcessStamp" IS NOT NULL"#)
        ),
        1
    );
    let ext = json_ext(&app, &token, "process-1").await;
    assert_eq!(
        ext["claim_stats"],
        json!({"submitted": 1, "processed": 0, "valuated": 1, "rejected": 0, "header": "Submitted to process"})
    );
    let log = mutate(
        &app,
        &token,
        PROCESS,
        json!({"uuids": [uuid(33), uuid(999)]}),
        "process-2",
    )
    .await;
    failed_with(
        &log,
        "claim.validation.id_does_not_exist",
        Some(&uuid(999).to_uppercase()),
    );
    assert_eq!(int(&db, "ClaimStatus", far), 1, "nothing processed");
    let log = mutate(
        &app,
        &plain,
        PROCESS,
        json!({"uuids": [uuid(33)]}),
        "process-3",
    )
    .await;
    failed_with(&log, denied, None);
}

/// The `JsonExt` of the log of `client`, parsed.
async fn json_ext<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    client: &str,
) -> Value {
    let query = format!(
        r#"{{ mutationLogs(clientMutationId: "{client}") {{ edges {{ node {{ jsonExt }} }} }} }}"#
    );
    let logs = data(app, token, &query).await;
    let text = logs["mutationLogs"]["edges"][0]["node"]["jsonExt"]
        .as_str()
        .unwrap_or("null")
        .to_owned();
    serde_json::from_str(&text).unwrap()
}

on_sqlite_and_postgres! {
    replay_on:
        the_frontends_claim_mutations_answer,
        the_frontends_claim_mutations_answer_on_postgres,
        "claim_mut_replay"
}

async fn replay_on(vars: &[(String, String)]) {
    let (_dir, runtime) = started_with(json!({}), vars);
    let schema = parse_schema(&runtime.engine.composed.sdl());
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let numbered = |id: &str| id[6..].parse::<u32>().unwrap_or(0);
    let (bugs, operations): (Vec<_>, Vec<_>) = frontend_operations("claim")
        .into_iter()
        .filter(|op| (14..=31).contains(&numbered(&op.id)))
        .partition(is_known_bug);
    assert_eq!(operations.len() + bugs.len(), 18);
    for op in &bugs {
        assert!(
            validate(&schema, op).is_err(),
            "{} is refused as by the reference",
            op.id
        );
    }
    // The deletions last, so the operations before them find their rows.
    let mut operations = operations;
    operations.sort_by_key(|op| op.document.contains("delete"));
    let answers = replay_operations(&app, &schema, &token, &operations).await;
    for op in &operations {
        let field = answers[&op.id]
            .as_object()
            .and_then(|o| o.values().next())
            .cloned();
        assert!(
            field.is_some_and(|f| f["internalId"].is_string()),
            "{}",
            op.id
        );
    }
}

/// The original's own migrated demo database takes every kind of claim mutation: the rows it
/// writes fit the original's column types (varchar and uuid keys, jsonb, numeric, timestamptz).
#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn the_originals_database_takes_claims_mutations() {
    use openimis_system_tests::conformance::shared_openimis;
    use openimis_system_tests::postgres_db::{fresh_database, load_dump, url};
    let vars = fresh_database("claim_mut_original");
    load_dump(
        &vars,
        &shared_openimis().join("database/openimis-demo-database-migrated.sql.gz"),
    );
    let dir = ModulesDir::with(MODULES);
    let entries: Vec<Value> = MODULES.iter().map(|m| json!({ "name": m })).collect();
    let env: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let runtime = start(settings(&modules_json(&entries), &dir, &env)).expect("starts");
    let db = Db::Postgres(url(&vars));
    let first = |table: &str, key: &str| {
        db.number(&format!(
            r#"SELECT CAST(MIN("{key}") AS BIGINT) AS n FROM "{table}" WHERE "ValidityTo" IS NULL"#
        ))
    };
    let demo = Demo {
        insuree: first("tblInsuree", "InsureeID"),
        hospital: first("tblHF", "HfID"),
        icd: first("tblICDCodes", "ICDID"),
        item: first("tblItems", "ItemID"),
        service: first("tblServices", "ServiceID"),
    };
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;

    let pk = created(&app, &token, &db, &demo, "ORIG-0001", 41).await;
    let mut update = demo.claim("ORIG-0001");
    update["uuid"] = json!(uuid(41));
    update["jsonExt"] = json!("{\"source\": \"test\"}");
    assert_eq!(
        mutate(&app, &token, UPDATE, update, "orig-update").await,
        OK()
    );
    let file =
        json!({"claimUuid": uuid(41), "generalType": "FILE", "title": "Scan", "document": "aGk="});
    assert_eq!(
        mutate(&app, &token, ATTACH, file, "orig-attach").await,
        OK()
    );
    let select = json!({"uuids": [uuid(41)]});
    assert_eq!(
        mutate(&app, &token, SELECT_REVIEW, select.clone(), "orig-review").await,
        OK()
    );
    assert_eq!(db.links(LINKS, pk, "orig-review"), 1);
    let feedback = json!({"claimUuid": uuid(41), "feedback": {"careRendered": true, "asessment": 3,
        "feedbackDate": "2024-06-10T00:00:00"}});
    assert_eq!(
        mutate(&app, &token, DELIVER_FEEDBACK, feedback, "orig-feedback").await,
        OK()
    );
    assert_eq!(db.count("tblFeedback", &format!(r#""ClaimID" = {pk}"#)), 1);
    let log = mutate(&app, &token, SUBMIT, select.clone(), "orig-submit").await;
    let status = int(&db, "ClaimStatus", pk);
    assert!(matches!(status, 1 | 4), "{log}");
    if status == 4 {
        assert_eq!(
            mutate(&app, &token, PROCESS, select.clone(), "orig-process").await,
            OK()
        );
    }
    assert_eq!(
        mutate(&app, &token, DELETE, select, "orig-delete").await,
        OK()
    );
    assert_eq!(
        db.count(
            "tblClaim",
            &format!(r#""ClaimID" = {pk} AND "ValidityTo" IS NOT NULL"#)
        ),
        1
    );
}
