//! claim's adjudication (`validate_claim`, `process_dedrem`, claim.md §5) on a real database,
//! SQLite and, with `--features postgres`, PostgreSQL (`*_on_postgres`), through the mutations
//! that run it (`submitClaims`, `processClaims`): rows of its own (an insuree, a product with a
//! policy, an item and a service in the demo hospital's price lists), claims in the shapes the
//! rules tell apart, and the lines, ded/rem rows and claim columns the original writes.

use openimis_system_tests::calls::log_of;
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

/// The demo hospital whose price lists the test replaces with its own.
const HOSPITAL: &str = "6a3f5b0c-0000-4000-8000-000000000011";

fn uuid(n: u32) -> String {
    format!("adad0000-0000-4000-8000-{n:012}")
}

/// `INSERT INTO table (columns) VALUES (values)` with SQL literals; answers the new key,
/// found by the row's uuid (`uuid_column`), or the largest `key` without one.
fn insert(db: &Db, table: &str, key: &str, cells: &[(&str, String)]) -> i64 {
    let columns: Vec<String> = cells.iter().map(|(c, _)| format!(r#""{c}""#)).collect();
    let values: Vec<&str> = cells.iter().map(|(_, v)| v.as_str()).collect();
    db.execute(&format!(
        r#"INSERT INTO "{table}" ({}) VALUES ({})"#,
        columns.join(", "),
        values.join(", ")
    ));
    db.number(&format!(
        r#"SELECT CAST(MAX("{key}") AS BIGINT) AS n FROM "{table}""#
    ))
}

fn text(value: &str) -> String {
    format!("'{value}'")
}

fn n(value: i64) -> String {
    value.to_string()
}

/// The test's rows: who, what, where.
struct Rows {
    insuree: i64,
    hospital: i64,
    icd: i64,
    product: i64,
    policy: i64,
    item: i64,
    service: i64,
    /// A service for women only.
    womens: i64,
}

fn set_up(db: &Db) -> Rows {
    let family = insert(
        db,
        "tblFamilies",
        "FamilyID",
        &[
            ("FamilyUUID", text(&uuid(1))),
            ("AuditUserID", n(1)),
            ("InsureeID", n(0)),
        ],
    );
    let insuree = insert(
        db,
        "tblInsuree",
        "InsureeID",
        &[
            ("InsureeUUID", text(&uuid(2))),
            ("AuditUserID", n(1)),
            ("CHFID", text("ADJ000001")),
            ("IsHead", "true".into()),
            ("LastName", text("Adjudicated")),
            ("OtherNames", text("Adam")),
            ("Gender", text("M")),
            ("DOB", text("1972-08-09")),
            ("FamilyID", n(family)),
        ],
    );
    db.execute(&format!(
        r#"UPDATE "tblFamilies" SET "InsureeID" = {insuree} WHERE "FamilyID" = {family}"#
    ));
    let product = insert(
        db,
        "tblProduct",
        "ProdID",
        &[
            ("ProdUUID", text(&uuid(3))),
            ("ProductCode", text("ADJ1")),
            ("ProductName", text("Adjudication")),
            ("DateFrom", text("2019-01-01")),
            ("DateTo", text("2030-12-31")),
            ("LumpSum", n(10000)),
            ("MemberCount", n(6)),
            ("GracePeriod", n(1)),
            ("AuditUserID", n(1)),
            ("InsurancePeriod", n(12)),
            ("Threshold", n(0)),
        ],
    );
    let policy = insert(
        db,
        "tblPolicy",
        "PolicyID",
        &[
            ("ValidityFrom", text("2019-01-01 00:00:00")),
            ("PolicyUUID", text(&uuid(4))),
            ("PolicyStage", text("N")),
            ("PolicyStatus", n(2)),
            ("PolicyValue", n(100)),
            ("EnrollDate", text("2024-01-01")),
            ("StartDate", text("2024-01-01")),
            ("EffectiveDate", text("2024-01-01")),
            ("ExpiryDate", text("2024-12-31")),
            ("AuditUserID", n(1)),
            ("FamilyID", n(family)),
            ("ProdID", n(product)),
        ],
    );
    insert(
        db,
        "tblInsureePolicy",
        "InsureePolicyID",
        &[
            ("ValidityFrom", text("2019-01-01 00:00:00")),
            ("EnrollmentDate", text("2024-01-01")),
            ("StartDate", text("2024-01-01")),
            ("EffectiveDate", text("2024-01-01")),
            ("ExpiryDate", text("2024-12-31")),
            ("AuditUserID", n(1)),
            ("InsureeID", n(insuree)),
            ("PolicyId", n(policy)),
        ],
    );
    let item = insert(
        db,
        "tblItems",
        "ItemID",
        &[
            ("ItemUUID", text(&uuid(5))),
            ("ItemCode", text("ADJI")),
            ("ItemName", text("Adjudicated item")),
            ("ItemType", text("D")),
            ("ItemPrice", n(100)),
            ("ItemCareType", text("B")),
            ("ItemPatCat", n(15)),
            ("ValidityFrom", text("2019-06-01 00:00:00")),
            ("AuditUserID", n(1)),
        ],
    );
    let service = |code: &str, n_uuid: u32, categories: i64| {
        insert(
            db,
            "tblServices",
            "ServiceID",
            &[
                ("ServiceUUID", text(&uuid(n_uuid))),
                ("ServCategory", text("V")),
                ("ServCode", text(code)),
                ("ServName", text("Adjudicated service")),
                ("ServType", text("P")),
                ("ServLevel", text("S")),
                ("ServPrice", n(100)),
                ("ServCareType", text("B")),
                ("ServPatCat", n(categories)),
                ("ValidityFrom", text("2019-06-01 00:00:00")),
                ("AuditUserID", n(1)),
            ],
        )
    };
    let (svc, womens) = (service("ADJS", 6, 15), service("ADJW", 7, 2 | 4 | 8));
    for (table, column, id) in [
        ("tblProductItems", "ItemID", item),
        ("tblProductServices", "ServiceID", svc),
        ("tblProductServices", "ServiceID", womens),
    ] {
        let key = if table == "tblProductItems" {
            "ProdItemID"
        } else {
            "ProdServiceID"
        };
        insert(
            db,
            table,
            key,
            &[
                ("ProdID", n(product)),
                (column, n(id)),
                ("LimitationType", text("C")),
                ("LimitAdult", n(100)),
                ("LimitChild", n(100)),
                ("PriceOrigin", text("P")),
                ("AuditUserID", n(1)),
            ],
        );
    }
    let list = |table: &str, key: &str, name: &str, n_uuid: u32| {
        let uuid_column = if table == "tblPLItems" {
            "PLItemUUID"
        } else {
            "PLServiceUUID"
        };
        let name_column = if table == "tblPLItems" {
            "PLItemName"
        } else {
            "PLServName"
        };
        insert(
            db,
            table,
            key,
            &[
                (uuid_column, text(&uuid(n_uuid))),
                (name_column, text(name)),
                ("DatePL", text("2019-01-01")),
                ("ValidityFrom", text("2019-01-01 00:00:00")),
                ("AuditUserID", n(1)),
            ],
        )
    };
    let items = list("tblPLItems", "PLItemID", "Adjudication items", 8);
    let services = list("tblPLServices", "PLServiceID", "Adjudication services", 9);
    for (table, key, list_column, list, column, id) in [
        (
            "tblPLItemsDetail",
            "PLItemDetailID",
            "PLItemID",
            items,
            "ItemID",
            item,
        ),
        (
            "tblPLServicesDetail",
            "PLServiceDetailID",
            "PLServiceID",
            services,
            "ServiceID",
            svc,
        ),
        (
            "tblPLServicesDetail",
            "PLServiceDetailID",
            "PLServiceID",
            services,
            "ServiceID",
            womens,
        ),
    ] {
        insert(
            db,
            table,
            key,
            &[
                (list_column, n(list)),
                (column, n(id)),
                ("ValidityFrom", text("2019-01-01 00:00:00")),
                ("AuditUserID", n(1)),
            ],
        );
    }
    db.execute(&format!(
        r#"UPDATE "tblHF" SET "PLItemID" = {items}, "PLServiceID" = {services}, "HFCareType" = 'B', "HFLevel" = 'D' WHERE "HfUUID" = '{HOSPITAL}'"#
    ));
    Rows {
        insuree,
        hospital: db.pk("tblHF", "HfID", "HfUUID", HOSPITAL),
        icd: db.number(r#"SELECT CAST(MIN("ICDID") AS BIGINT) AS n FROM "tblICDCodes""#),
        product,
        policy,
        item,
        service: svc,
        womens,
    }
}

/// A claim of 2024-06-10 (claimed `claimed`), entered, with `items` and `services` lines
/// (7 at 11.00 each, entered the target day); answers its key.
fn claim(db: &Db, rows: &Rows, n_uuid: u32, claimed: &str, items: &[i64], services: &[i64]) -> i64 {
    let pk = insert(
        db,
        "tblClaim",
        "ClaimID",
        &[
            ("ValidityFrom", text("2024-06-11 10:00:00")),
            ("ClaimUUID", text(&uuid(n_uuid))),
            ("ClaimCode", text(&format!("ADJ-{n_uuid}"))),
            ("DateFrom", text("2024-06-10")),
            ("ClaimStatus", n(2)),
            ("DateClaimed", text(claimed)),
            ("AuditUserID", n(1)),
            ("HFID", n(rows.hospital)),
            ("ICDID", n(rows.icd)),
            ("InsureeID", n(rows.insuree)),
            ("VisitType", text("O")),
            ("FeedbackStatus", n(1)),
            ("ReviewStatus", n(1)),
            ("RejectionReason", n(0)),
        ],
    );
    let lines = [
        (
            "tblClaimItems",
            "ClaimItemID",
            "ItemID",
            "ClaimItemStatus",
            items,
        ),
        (
            "tblClaimServices",
            "ClaimServiceID",
            "ServiceID",
            "ClaimServiceStatus",
            services,
        ),
    ];
    for (table, key, column, status, ids) in lines {
        for id in ids {
            let mut cells = vec![
                ("ValidityFrom", text("2024-06-10 00:00:00")),
                ("ClaimID", n(pk)),
                (column, n(*id)),
                (status, n(1)),
                ("QtyProvided", n(7)),
                ("PriceAsked", n(11)),
                ("AuditUserID", n(1)),
            ];
            if table == "tblClaimItems" {
                cells.push(("Availability", "true".into()));
            }
            insert(db, table, key, &cells);
        }
    }
    pk
}

/// An integer column of claim `pk` (`-1` for null).
fn claim_int(db: &Db, column: &str, pk: i64) -> i64 {
    db.number(&format!(
        r#"SELECT CAST(COALESCE("{column}", -1) AS BIGINT) AS n FROM "tblClaim" WHERE "ClaimID" = {pk}"#
    ))
}

/// A column of claim `pk`'s valid lines of `table`, × 100 (`-1` for null), by line id.
fn line_cents(db: &Db, table: &str, column: &str, pk: i64) -> Vec<i64> {
    let key = if table == "tblClaimItems" {
        "ClaimItemID"
    } else {
        "ClaimServiceID"
    };
    let ids = db.number(&format!(
        r#"SELECT COUNT(*) AS n FROM "{table}" WHERE "ClaimID" = {pk} AND "ValidityTo" IS NULL"#
    ));
    (0..ids)
        .map(|i| {
            db.number(&format!(
                r#"SELECT CAST(COALESCE("{column}" * 100, -1) AS BIGINT) AS n FROM "{table}"
                   WHERE "ClaimID" = {pk} AND "ValidityTo" IS NULL ORDER BY "{key}" LIMIT 1 OFFSET {i}"#
            ))
        })
        .collect()
}

/// A column of claim `pk`'s current ded/rem row, × 100 (`-1` for null).
fn dedrem_cents(db: &Db, column: &str, pk: i64) -> i64 {
    db.number(&format!(
        r#"SELECT CAST(COALESCE(MAX("{column}") * 100, -1) AS BIGINT) AS n FROM "tblClaimDedRem"
           WHERE "ClaimID" = {pk} AND "ValidityTo" IS NULL"#
    ))
}

async fn mutate<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    (field, input_type): (&str, &str),
    uuids: &[String],
    client: &str,
) -> Value {
    let input = json!({"uuids": uuids, "clientMutationId": client});
    let document = format!(
        "mutation ($input: {input_type}!) {{ {field}(input: $input) {{ clientMutationId }} }}"
    );
    let request = graphql_as(&document, json!({ "input": input }), token);
    let (status, body) = json_of(actix_web::test::call_service(app, request).await).await;
    assert_eq!(status, 200, "{field}: {body}");
    assert!(body.get("errors").is_none(), "{field}: {body}");
    log_of(app, token, client).await
}

const SUBMIT: (&str, &str) = ("submitClaims", "SubmitClaimsMutationInput");
const PROCESS: (&str, &str) = ("processClaims", "ProcessClaimsMutationInput");

on_sqlite_and_postgres!(
    /// Submitting and processing claims writes what the original's adjudication writes.
    adjudication_on: claims_are_adjudicated, claims_are_adjudicated_on_postgres, "claim_adjudication"
);

async fn adjudication_on(vars: &[(String, String)]) {
    let (dir, runtime) = started_on_demo(MODULES, vars);
    let db = Db::of(&dir, vars);
    let rows = set_up(&db);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;

    // A: an item and a service, submitted: checked, each line passed with the product, the
    // policy, the price list's price; one ded/rem row (out-patient) of 1400.
    let a = claim(&db, &rows, 11, "2024-06-11", &[rows.item], &[rows.service]);
    let log = mutate(&app, &token, SUBMIT, &[uuid(11)], "adj-submit-a").await;
    assert_eq!(log["status"], 2, "{log}");
    assert_eq!(claim_int(&db, "ClaimStatus", a), 4);
    assert_eq!(claim_int(&db, "Approved", a), 1400);
    for table in ["tblClaimItems", "tblClaimServices"] {
        assert_eq!(
            line_cents(&db, table, "RejectionReason", a),
            vec![0],
            "{table}"
        );
        assert_eq!(
            line_cents(&db, table, "PriceAdjusted", a),
            vec![10000],
            "{table}"
        );
        assert_eq!(
            line_cents(&db, table, "ProdID", a),
            vec![rows.product * 100]
        );
        assert_eq!(
            line_cents(&db, table, "PolicyID", a),
            vec![rows.policy * 100]
        );
        assert_eq!(line_cents(&db, table, "LimitationValue", a), vec![10000]);
        assert_eq!(
            line_cents(&db, table, "PriceValuated", a),
            vec![-1],
            "not processing"
        );
    }
    assert_eq!(dedrem_cents(&db, "RemG", a), 140000);
    assert_eq!(dedrem_cents(&db, "RemOP", a), 140000);
    assert_eq!(dedrem_cents(&db, "RemIP", a), -1);
    assert_eq!(dedrem_cents(&db, "DedG", a), 0);
    // Processing a checked claim does not re-run it: valuated at its approved total.
    let log = mutate(&app, &token, PROCESS, &[uuid(11)], "adj-process-a").await;
    assert_eq!(log["status"], 2, "{log}");
    assert_eq!(claim_int(&db, "ClaimStatus", a), 16);
    assert_eq!(claim_int(&db, "Valuated", a), 1400);
    assert_eq!(
        line_cents(&db, "tblClaimItems", "PriceValuated", a),
        vec![-1]
    );

    // B: a service for women only: the line rejected (4), the claim rejected (1), no row.
    let b = claim(&db, &rows, 12, "2024-06-11", &[], &[rows.womens]);
    let log = mutate(&app, &token, SUBMIT, &[uuid(12)], "adj-submit-b").await;
    assert_eq!(log["status"], 1, "{log}");
    assert_eq!(claim_int(&db, "ClaimStatus", b), 1);
    assert_eq!(claim_int(&db, "RejectionReason", b), 1);
    assert_eq!(
        line_cents(&db, "tblClaimServices", "RejectionReason", b),
        vec![400]
    );
    assert_eq!(
        line_cents(&db, "tblClaimServices", "ClaimServiceStatus", b),
        vec![200]
    );
    assert_eq!(
        line_cents(&db, "tblClaimServices", "QtyApproved", b),
        vec![0]
    );
    assert_eq!(
        db.count("tblClaimDedRem", &format!(r#""ClaimID" = {b}"#)),
        0
    );

    // C: claimed before its date: the lines get 9, the claim 21.
    let c = claim(&db, &rows, 13, "2024-06-09", &[rows.item], &[]);
    mutate(&app, &token, SUBMIT, &[uuid(13)], "adj-submit-c").await;
    assert_eq!(claim_int(&db, "ClaimStatus", c), 1);
    assert_eq!(claim_int(&db, "RejectionReason", c), 21);
    assert_eq!(
        line_cents(&db, "tblClaimItems", "RejectionReason", c),
        vec![900]
    );

    // D: processing an entered claim validates it and valuates it through ded/rem.
    let d = claim(&db, &rows, 14, "2024-06-11", &[rows.item], &[]);
    let log = mutate(&app, &token, PROCESS, &[uuid(14)], "adj-process-d").await;
    assert_eq!(log["status"], 2, "{log}");
    assert_eq!(claim_int(&db, "ClaimStatus", d), 16);
    assert_eq!(claim_int(&db, "Remunerated", d), 700);
    assert_eq!(
        line_cents(&db, "tblClaimItems", "PriceValuated", d),
        vec![70000]
    );
    assert_eq!(
        line_cents(&db, "tblClaimItems", "RemuneratedAmount", d),
        vec![70000]
    );
    assert_eq!(
        line_cents(&db, "tblClaimItems", "DeductableAmount", d),
        vec![0]
    );

    // E: a deductible (300) and a ceiling (1000) per treatment.
    db.execute(&format!(
        r#"UPDATE "tblProduct" SET "DedTreatment" = 300, "MaxTreatment" = 1000 WHERE "ProdID" = {}"#,
        rows.product
    ));
    let e = claim(&db, &rows, 15, "2024-06-11", &[rows.item], &[rows.service]);
    mutate(&app, &token, PROCESS, &[uuid(15)], "adj-process-e").await;
    assert_eq!(claim_int(&db, "ClaimStatus", e), 16);
    assert_eq!(dedrem_cents(&db, "DedG", e), 30000);
    assert_eq!(dedrem_cents(&db, "RemG", e), 100000);
    assert_eq!(
        line_cents(&db, "tblClaimItems", "DeductableAmount", e),
        vec![30000]
    );
    assert_eq!(
        line_cents(&db, "tblClaimItems", "PriceValuated", e),
        vec![40000]
    );
    assert_eq!(
        line_cents(&db, "tblClaimServices", "PriceValuated", e),
        vec![60000]
    );
    assert_eq!(
        line_cents(&db, "tblClaimServices", "ExceedCeilingAmount", e),
        vec![10000]
    );
    db.execute(&format!(
        r#"UPDATE "tblProduct" SET "DedTreatment" = NULL, "MaxTreatment" = NULL WHERE "ProdID" = {}"#,
        rows.product
    ));

    // G: two item lines and a service: the approved total counts the service twice (the
    // original's aggregate joins items and services in one query).
    let g = claim(
        &db,
        &rows,
        16,
        "2024-06-11",
        &[rows.item, rows.item],
        &[rows.service],
    );
    mutate(&app, &token, SUBMIT, &[uuid(16)], "adj-submit-g").await;
    assert_eq!(claim_int(&db, "ClaimStatus", g), 4);
    assert_eq!(dedrem_cents(&db, "RemG", g), 210000);
    assert_eq!(claim_int(&db, "Approved", g), 2800);

    // F: a visit over the product's maximum: processing_claim's QuerySet has no `remove`.
    db.execute(&format!(
        r#"UPDATE "tblProduct" SET "MaxNoVisits" = 1 WHERE "ProdID" = {}"#,
        rows.product
    ));
    claim(&db, &rows, 17, "2024-06-11", &[], &[rows.service]);
    let log = mutate(&app, &token, SUBMIT, &[uuid(17)], "adj-submit-f").await;
    assert_eq!(log["status"], 1, "{log}");
    assert!(log["error"].to_string().contains("AttributeError"), "{log}");
}

/// With `default_validations_disabled` in claim's config, `validate_claim` finds nothing, as
/// the original's returns `[]`: a claim the rules would reject (claimed before its date) is
/// checked, its lines untouched, no ded/rem row written; processing valuates it.
async fn unvalidated_on(vars: &[(String, String)]) {
    let config = json!({"default_validations_disabled": true});
    let (dir, runtime) = started_on_demo_configured(MODULES, &[("claim", config)], vars);
    let db = Db::of(&dir, vars);
    let rows = set_up(&db);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let c = claim(&db, &rows, 13, "2024-06-09", &[rows.item], &[]);
    let log = mutate(&app, &token, SUBMIT, &[uuid(13)], "unvalidated-submit").await;
    assert_eq!(log["status"], 2, "{log}");
    assert_eq!(claim_int(&db, "ClaimStatus", c), 4);
    assert_eq!(claim_int(&db, "RejectionReason", c), 0);
    assert_eq!(
        line_cents(&db, "tblClaimItems", "RejectionReason", c),
        vec![-1],
        "as entered: no reason"
    );
    assert_eq!(
        db.count("tblClaimDedRem", &format!(r#""ClaimID" = {c}"#)),
        0
    );
    let log = mutate(&app, &token, PROCESS, &[uuid(13)], "unvalidated-process").await;
    assert_eq!(log["status"], 2, "{log}");
    assert_eq!(claim_int(&db, "ClaimStatus", c), 16);
}

on_sqlite_and_postgres!(
    /// The module's config can switch the adjudication's rules off, as the original's.
    unvalidated_on: validations_disabled_leave_claims_unjudged, validations_disabled_leave_claims_unjudged_on_postgres, "claim_unvalidated"
);
