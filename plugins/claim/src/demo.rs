//! Demo data (`DEMO_DATASET=True`), seeded into an empty `tblClaim` when the other modules' demo
//! rows are there: claims of the original demo's shape (uuids `d0000000-…-0NN`, codes
//! `CLM-000N`) on insuree's demo insurees at location's demo facilities, with item and service
//! lines of medical's demo rows (those of medical_pricelist's demo lists where the claim went
//! through adjudication), in each status: 81 and 82 entered (the frontend's recorded operations
//! open, submit and review them: 81's service line is 41 and its item line 42, as recorded),
//! 83 checked and selected for review, 84 processed, 85 valuated with delivered feedback and
//! its ded/rem row under the family's FCUL0001 policy, 86 rejected at another district's
//! facility. Claim 81 has one attachment and one history copy (`…-091`, its version before an
//! edit). Core's demo Claim Administrator and Medical Officer roles get their claim rights
//! (`ROLE_RIGHTS`), as the original's claim migrations give system roles theirs. Without those
//! other rows nothing is seeded.

use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity;
use openimis_sdk::ModuleError;

/// A value of one column, with the placeholder its type needs.
enum Cell {
    Text(&'static str),
    Int(i64),
    Dec(&'static str),
    Date(&'static str),
    Stamp(&'static str),
    Bool(bool),
    Json(&'static str),
    Uuid(&'static str),
}

fn insert(conn: &mut DbConnection, table: &str, cells: &[(&str, Cell)]) -> Result<(), ModuleError> {
    let pg = db::backend(conn) == "postgresql";
    let mut columns = Vec::new();
    let mut marks = Vec::new();
    let mut binds = Vec::new();
    for (column, cell) in cells {
        columns.push(format!(r#""{column}""#));
        let (mark, bind) = match cell {
            Cell::Text(t) => ("?", Bind::text(*t)),
            Cell::Int(i) => ("?", Bind::BigInt(Some(*i))),
            Cell::Dec(d) => ("CAST(? AS NUMERIC)", Bind::text(*d)),
            Cell::Date(d) if pg => ("CAST(? AS date)", Bind::text(*d)),
            Cell::Date(d) => ("?", Bind::text(*d)),
            Cell::Stamp(s) => (db::timestamp_param(conn), Bind::text(*s)),
            Cell::Bool(b) => ("?", Bind::Bool(Some(*b))),
            Cell::Json(j) if pg => ("CAST(? AS jsonb)", Bind::text(*j)),
            Cell::Json(j) => ("?", Bind::text(*j)),
            Cell::Uuid(u) => (db::uuid_param(conn), Bind::text(*u)),
        };
        marks.push(mark);
        binds.push(bind);
    }
    let sql = format!(
        r#"INSERT INTO "{table}" ({}) VALUES ({})"#,
        columns.join(", "),
        marks.join(", ")
    );
    db::execute(conn, &sql, &binds).map(drop)
}

/// The key of the row of `table` whose `column` is `value` (the valid one when versioned).
fn key(
    conn: &mut DbConnection,
    (table, key, column): (&str, &str, &str),
    value: &str,
) -> Result<Option<i64>, ModuleError> {
    let sql = format!(
        r#"SELECT "{key}" AS id FROM "{table}" WHERE CAST("{column}" AS TEXT) = ? AND "ValidityTo" IS NULL"#
    );
    Ok(entity::ids(conn, &sql, &[Bind::text(value)])?
        .first()
        .copied())
}

fn required(found: Option<i64>, what: &str) -> Result<i64, ModuleError> {
    found.ok_or_else(|| ModuleError::new("DEMO_FAILED", format!("no demo {what}")))
}

const INSUREE: (&str, &str, &str) = ("tblInsuree", "InsureeID", "CHFID");
const FACILITY: (&str, &str, &str) = ("tblHF", "HfID", "HfUUID");
const DIAGNOSIS: (&str, &str, &str) = ("tblICDCodes", "ICDID", "ICDCode");
const ITEM: (&str, &str, &str) = ("tblItems", "ItemID", "ItemCode");
const SERVICE: (&str, &str, &str) = ("tblServices", "ServiceID", "ServCode");
const ADMIN: (&str, &str, &str) = ("tblClaimAdmin", "ClaimAdminId", "ClaimAdminCode");
const POLICY: (&str, &str, &str) = ("tblPolicy", "PolicyID", "PolicyUUID");
const PRODUCT: (&str, &str, &str) = ("tblProduct", "ProdID", "ProductCode");
const OFFICER: (&str, &str, &str) = ("tblOfficer", "OfficerID", "Code");

/// One demo claim.
struct Demo {
    uuid: &'static str,
    code: &'static str,
    insuree: &'static str,
    facility: &'static str,
    icd: &'static str,
    /// date from, date to, date claimed
    dates: (&'static str, &'static str, &'static str),
    status: i64,
    /// feedback, review status
    flows: (i64, i64),
    claimed: &'static str,
    /// approved, valuated, date processed
    outcome: (
        Option<&'static str>,
        Option<&'static str>,
        Option<&'static str>,
    ),
    /// category, visit type
    kinds: (Option<&'static str>, &'static str),
    /// (line id, service code, qty, price asked, status, rejection reason)
    services: &'static [(i64, &'static str, &'static str, &'static str, i64, i64)],
    /// (line id, item code, qty, price asked, status, rejection reason)
    items: &'static [(i64, &'static str, &'static str, &'static str, i64, i64)],
    entered: &'static str,
}

fn facility(n: u32) -> &'static str {
    match n {
        0x11 => "6a3f5b0c-0000-4000-8000-000000000011",
        0x12 => "6a3f5b0c-0000-4000-8000-000000000012",
        _ => "6a3f5b0c-0000-4000-8000-000000000013",
    }
}

fn demos() -> [Demo; 6] {
    [
        Demo {
            uuid: "d0000000-0000-4000-8000-000000000081",
            code: "CLM-0001",
            insuree: "070707070",
            facility: facility(0x11),
            icd: "A000",
            dates: ("2024-06-01", "2024-06-02", "2024-06-03"),
            status: 2,
            flows: (1, 1),
            claimed: "1125.00",
            outcome: (None, None, None),
            kinds: (None, "O"),
            services: &[(41, "M5", "1.00", "1000.00", 1, 0)],
            items: &[(42, "0010", "10.00", "12.50", 1, 0)],
            entered: "2024-06-03 09:30:00",
        },
        Demo {
            uuid: "d0000000-0000-4000-8000-000000000082",
            code: "CLM-0002",
            insuree: "070707070",
            facility: facility(0x11),
            icd: "A009",
            dates: ("2024-06-05", "2024-06-05", "2024-06-06"),
            status: 2,
            flows: (1, 1),
            claimed: "72.50",
            outcome: (None, None, None),
            kinds: (None, "O"),
            services: &[(43, "A1", "1.00", "12.50", 1, 0)],
            items: &[(44, "0182", "20.00", "3.00", 1, 0)],
            entered: "2024-06-06 10:00:00",
        },
        Demo {
            uuid: "d0000000-0000-4000-8000-000000000083",
            code: "CLM-0003",
            insuree: "100000211",
            facility: facility(0x11),
            icd: "A000",
            dates: ("2024-05-10", "2024-05-10", "2024-05-11"),
            status: 4,
            flows: (1, 4),
            claimed: "1012.50",
            outcome: (Some("1012.50"), None, None),
            kinds: (Some("V"), "O"),
            services: &[(45, "A1", "1.00", "12.50", 1, 0)],
            items: &[(46, "0002", "1.00", "1000.00", 1, 0)],
            entered: "2024-05-11 08:15:00",
        },
        Demo {
            uuid: "d0000000-0000-4000-8000-000000000084",
            code: "CLM-0004",
            insuree: "070707070",
            facility: facility(0x12),
            icd: "A080",
            dates: ("2024-04-02", "2024-04-02", "2024-04-03"),
            status: 8,
            flows: (2, 2),
            claimed: "362.50",
            outcome: (Some("362.50"), None, Some("2024-04-10")),
            kinds: (Some("V"), "O"),
            services: &[(47, "R1", "1.00", "330.00", 1, 0)],
            items: &[(48, "0182", "10.00", "3.25", 1, 0)],
            entered: "2024-04-03 11:00:00",
        },
        Demo {
            uuid: "d0000000-0000-4000-8000-000000000085",
            code: "CLM-0005",
            insuree: "070707070",
            facility: facility(0x11),
            icd: "A0100",
            dates: ("2024-03-01", "2024-03-03", "2024-03-04"),
            status: 16,
            flows: (8, 16),
            claimed: "1630.00",
            outcome: (Some("1630.00"), Some("1630.00"), Some("2024-03-12")),
            kinds: (Some("H"), "E"),
            services: &[(49, "I7", "1.00", "1600.00", 1, 0)],
            items: &[(50, "0182", "10.00", "3.00", 1, 0)],
            entered: "2024-03-04 14:20:00",
        },
        Demo {
            uuid: "d0000000-0000-4000-8000-000000000086",
            code: "CLM-0006",
            insuree: "100000020",
            facility: facility(0x13),
            icd: "A001",
            dates: ("2024-06-10", "2024-06-10", "2024-06-11"),
            status: 1,
            flows: (1, 1),
            claimed: "400.00",
            outcome: (Some("0.00"), None, None),
            kinds: (Some("V"), "O"),
            services: &[(51, "A1", "1.00", "400.00", 2, 2)],
            items: &[],
            entered: "2024-06-11 16:45:00",
        },
    ]
}

/// Seeds the demo claims into an empty `tblClaim`, when the other modules' demo rows exist.
pub fn seed(conn: &mut DbConnection) -> Result<(), ModuleError> {
    if db::count(conn, r#"SELECT COUNT(*) AS n FROM "tblClaim""#, &[])? > 0 {
        return Ok(());
    }
    let ready = key(conn, INSUREE, "070707070")?.is_some()
        && key(conn, FACILITY, facility(0x13))?.is_some()
        && key(conn, SERVICE, "I7")?.is_some()
        && key(conn, POLICY, "90000000-0000-4000-8000-000000000042")?.is_some()
        && key(conn, ADMIN, "CA00001")?.is_some();
    if !ready {
        return Ok(());
    }
    role_rights(conn)?;
    for demo in demos() {
        claim(conn, &demo)?;
    }
    let first = required(
        key(conn, ("tblClaim", "ClaimID", "ClaimUUID"), demos()[0].uuid)?,
        "claim",
    )?;
    history(conn, first)?;
    attachment(conn, first)?;
    let valuated = required(
        key(conn, ("tblClaim", "ClaimID", "ClaimUUID"), demos()[4].uuid)?,
        "claim",
    )?;
    valuation(conn, valuated)?;
    if db::backend(conn) == "postgresql" {
        // The lines were given their ids: the sequences continue after them.
        for (table, column) in [
            ("tblClaimServices", "ClaimServiceID"),
            ("tblClaimItems", "ClaimItemID"),
        ] {
            let sql = format!(
                r#"SELECT setval(pg_get_serial_sequence('"{table}"', '{column}'), (SELECT MAX("{column}") FROM "{table}")) AS id"#
            );
            entity::ids(conn, &sql, &[])?;
        }
    }
    Ok(())
}

/// `(IsSystem, rights)`: the system roles of core's demo and the rights the original's demo
/// database gives them for claims (Claim Administrator 111001/2/4/5/6/7, Medical Officer
/// 111001/8/9/10/11), with claim's migration 0024's 111012 for the administrator, and what
/// fe-claim 1.10.0 asks of a claim administrator entering a claim: its claim form is read-only
/// without 111008, and its insuree picker asks for `insurees` (insuree's 101101).
const ROLE_RIGHTS: [(i32, &[i32]); 2] = [
    (
        256,
        &[
            111_001, 111_002, 111_004, 111_005, 111_006, 111_007, 111_008, 111_012, 101_101,
        ],
    ),
    (16, &[111_001, 111_008, 111_009, 111_010, 111_011]),
];

/// Gives each valid system role of `ROLE_RIGHTS` the rights it does not hold yet (the original's
/// `insert_role_right_for_system`).
fn role_rights(conn: &mut DbConnection) -> Result<(), ModuleError> {
    let sql = r#"INSERT INTO "tblRoleRight" ("RoleID", "RightID", "AuditUserId")
        SELECT r."RoleID", ?, 1 FROM "tblRole" r WHERE r."IsSystem" = ? AND r."ValidityTo" IS NULL
        AND NOT EXISTS (SELECT 1 FROM "tblRoleRight" x WHERE x."RoleID" = r."RoleID" AND x."RightID" = ? AND x."ValidityTo" IS NULL)"#;
    for (role, rights) in ROLE_RIGHTS {
        for &right in rights {
            let binds = [
                Bind::Int(Some(right)),
                Bind::Int(Some(role)),
                Bind::Int(Some(right)),
            ];
            db::execute(conn, sql, &binds)?;
        }
    }
    Ok(())
}

fn claim(conn: &mut DbConnection, demo: &Demo) -> Result<(), ModuleError> {
    let insuree = required(key(conn, INSUREE, demo.insuree)?, "insuree")?;
    let hf = required(key(conn, FACILITY, demo.facility)?, "facility")?;
    let icd = required(key(conn, DIAGNOSIS, demo.icd)?, "diagnosis")?;
    let (from, to, claimed_on) = demo.dates;
    let (feedback, review) = demo.flows;
    let mut cells = vec![
        ("ValidityFrom", Cell::Stamp(demo.entered)),
        ("ClaimUUID", Cell::Text(demo.uuid)),
        ("ClaimCode", Cell::Text(demo.code)),
        ("InsureeID", Cell::Int(insuree)),
        ("HFID", Cell::Int(hf)),
        ("ICDID", Cell::Int(icd)),
        ("DateFrom", Cell::Date(from)),
        ("DateTo", Cell::Date(to)),
        ("DateClaimed", Cell::Date(claimed_on)),
        ("ClaimStatus", Cell::Int(demo.status)),
        ("Claimed", Cell::Dec(demo.claimed)),
        ("Feedback", Cell::Bool(false)),
        ("FeedbackStatus", Cell::Int(feedback)),
        ("ReviewStatus", Cell::Int(review)),
        ("ApprovalStatus", Cell::Int(1)),
        ("RejectionReason", Cell::Int(0)),
        ("AuditUserID", Cell::Int(1)),
        ("VisitType", Cell::Text(demo.kinds.1)),
        ("CareType", Cell::Text("O")),
        ("JsonExt", Cell::Json("{}")),
        ("pre_authorization", Cell::Bool(false)),
        ("Explanation", Cell::Text("Fever, high")),
    ];
    if let Some(admin) = key(conn, ADMIN, "CA00001")?.filter(|_| demo.facility == facility(0x11)) {
        cells.push(("ClaimAdminId", Cell::Int(admin)));
    }
    if demo.code == "CLM-0001" {
        cells.push(("GuaranteeId", Cell::Text("G-1")));
        if let Some(icd1) = key(conn, DIAGNOSIS, "A001")? {
            cells.push(("ICDID1", Cell::Int(icd1)));
        }
    }
    if let Some(category) = demo.kinds.0 {
        cells.push(("ClaimCategory", Cell::Text(category)));
    }
    let (approved, valuated, processed) = demo.outcome;
    if let Some(approved) = approved {
        cells.push(("Approved", Cell::Dec(approved)));
        cells.push(("SubmitStamp", Cell::Stamp(demo.entered)));
        cells.push(("AuditUserIDSubmit", Cell::Int(1)));
    }
    if let Some(valuated) = valuated {
        cells.push(("Valuated", Cell::Dec(valuated)));
        cells.push(("Remunerated", Cell::Dec(valuated)));
    }
    if let Some(processed) = processed {
        cells.push(("DateProcessed", Cell::Date(processed)));
        cells.push(("ProcessStamp", Cell::Stamp(demo.entered)));
        cells.push(("AuditUserIDProcess", Cell::Int(1)));
    }
    insert(conn, "tblClaim", &cells)?;
    let id = required(
        key(conn, ("tblClaim", "ClaimID", "ClaimUUID"), demo.uuid)?,
        "claim",
    )?;
    lines(conn, demo, id)
}

fn lines(conn: &mut DbConnection, demo: &Demo, claim: i64) -> Result<(), ModuleError> {
    let adjudicated = demo.status > 2;
    let product = match adjudicated {
        true => key(conn, PRODUCT, "FCUL0001")?,
        false => None,
    };
    let policy = match adjudicated {
        true => key(conn, POLICY, "90000000-0000-4000-8000-000000000042")?,
        false => None,
    };
    let kinds = [
        (
            "tblClaimServices",
            "ClaimServiceID",
            "ServiceID",
            "ClaimServiceStatus",
            SERVICE,
            demo.services,
        ),
        (
            "tblClaimItems",
            "ClaimItemID",
            "ItemID",
            "ClaimItemStatus",
            ITEM,
            demo.items,
        ),
    ];
    for (table, key_column, target_column, status_column, target, rows) in kinds {
        for &(line, code, qty, price, status, rejection) in rows {
            let target = required(key(conn, target, code)?, code)?;
            let mut cells = vec![
                ("ValidityFrom", Cell::Stamp(demo.entered)),
                (key_column, Cell::Int(line)),
                ("ClaimID", Cell::Int(claim)),
                (target_column, Cell::Int(target)),
                (status_column, Cell::Int(status)),
                ("QtyProvided", Cell::Dec(qty)),
                ("PriceAsked", Cell::Dec(price)),
                ("RejectionReason", Cell::Int(rejection)),
                ("AuditUserID", Cell::Int(1)),
            ];
            if table == "tblClaimItems" {
                cells.push(("Availability", Cell::Bool(true)));
            }
            if adjudicated && status == 1 {
                cells.push(("QtyApproved", Cell::Dec(qty)));
                cells.push(("PriceApproved", Cell::Dec(price)));
                cells.push(("PriceOrigin", Cell::Text("P")));
                if let (Some(product), Some(policy)) = (product, policy) {
                    cells.push(("ProdID", Cell::Int(product)));
                    cells.push(("PolicyID", Cell::Int(policy)));
                }
            }
            if demo.status == 16 {
                cells.push(("PriceAdjusted", Cell::Dec(price)));
                cells.push(("PriceValuated", Cell::Dec(price)));
                cells.push(("RemuneratedAmount", Cell::Dec(price)));
                cells.push(("DeductableAmount", Cell::Dec("0.00")));
                cells.push(("ExceedCeilingAmount", Cell::Dec("0.00")));
            }
            if status == 2 {
                cells.push(("QtyApproved", Cell::Dec("0.00")));
            }
            insert(conn, table, &cells)?;
        }
    }
    Ok(())
}

/// Claim 81's version before its last edit: a history copy (`LegacyID` its key).
fn history(conn: &mut DbConnection, claim: i64) -> Result<(), ModuleError> {
    let insuree = required(key(conn, INSUREE, "070707070")?, "insuree")?;
    let hf = required(key(conn, FACILITY, facility(0x11))?, "facility")?;
    let icd = required(key(conn, DIAGNOSIS, "A000")?, "diagnosis")?;
    let cells = [
        ("ValidityFrom", Cell::Stamp("2024-06-03 09:00:00")),
        ("ValidityTo", Cell::Stamp("2024-06-03 09:30:00")),
        ("LegacyID", Cell::Int(claim)),
        (
            "ClaimUUID",
            Cell::Text("d0000000-0000-4000-8000-000000000091"),
        ),
        ("ClaimCode", Cell::Text("CLM-0001")),
        ("InsureeID", Cell::Int(insuree)),
        ("HFID", Cell::Int(hf)),
        ("ICDID", Cell::Int(icd)),
        ("DateFrom", Cell::Date("2024-06-01")),
        ("DateClaimed", Cell::Date("2024-06-03")),
        ("ClaimStatus", Cell::Int(2)),
        ("Claimed", Cell::Dec("1000.00")),
        ("Feedback", Cell::Bool(false)),
        ("FeedbackStatus", Cell::Int(1)),
        ("ReviewStatus", Cell::Int(1)),
        ("ApprovalStatus", Cell::Int(1)),
        ("RejectionReason", Cell::Int(0)),
        ("AuditUserID", Cell::Int(1)),
        ("VisitType", Cell::Text("O")),
        ("JsonExt", Cell::Json("{}")),
        ("pre_authorization", Cell::Bool(false)),
    ];
    insert(conn, "tblClaim", &cells)
}

/// Claim 81's invoice (predefined type 1, the original's "default" FILE type).
fn attachment(conn: &mut DbConnection, claim: i64) -> Result<(), ModuleError> {
    let cells = [
        ("id", Cell::Uuid("a7000000-0000-4000-8000-000000000081")),
        ("ValidityFrom", Cell::Stamp("2024-06-03 09:35:00")),
        ("claim_id", Cell::Int(claim)),
        ("general_type", Cell::Text("FILE")),
        ("type", Cell::Text("PDF")),
        ("predefined_type_id", Cell::Int(1)),
        ("title", Cell::Text("Invoice")),
        ("date", Cell::Date("2024-06-03")),
        ("filename", Cell::Text("invoice.pdf")),
        ("mime", Cell::Text("application/pdf")),
        ("document", Cell::Text("JVBERi0xLjQK")),
    ];
    insert(conn, "claim_ClaimAttachment", &cells)
}

/// Claim 85's delivered feedback and its ded/rem row under the family's FCUL0001 policy.
fn valuation(conn: &mut DbConnection, claim: i64) -> Result<(), ModuleError> {
    let officer = key(conn, OFFICER, "E00001")?;
    let mut cells = vec![
        ("ValidityFrom", Cell::Stamp("2024-03-15 10:00:00")),
        (
            "FeedbackUUID",
            Cell::Text("fe000000-0000-4000-8000-000000000085"),
        ),
        ("ClaimID", Cell::Int(claim)),
        ("CareRendered", Cell::Bool(true)),
        ("PaymentAsked", Cell::Bool(false)),
        ("DrugPrescribed", Cell::Bool(true)),
        ("DrugReceived", Cell::Bool(true)),
        ("Asessment", Cell::Int(4)),
        ("FeedbackDate", Cell::Stamp("2024-03-15 00:00:00")),
        ("AuditUserID", Cell::Int(1)),
    ];
    if let Some(officer) = officer {
        cells.push(("CHFOfficerCode", Cell::Int(officer)));
    }
    insert(conn, "tblFeedback", &cells)?;
    let feedback = key(
        conn,
        ("tblFeedback", "FeedbackID", "FeedbackUUID"),
        "fe000000-0000-4000-8000-000000000085",
    )?;
    let feedback = required(feedback, "feedback")?;
    db::execute(
        conn,
        r#"UPDATE "tblClaim" SET "FeedbackID" = ?, "Feedback" = ? WHERE "ClaimID" = ?"#,
        &[
            Bind::BigInt(Some(feedback)),
            Bind::Bool(Some(true)),
            Bind::BigInt(Some(claim)),
        ],
    )?;
    let policy = key(conn, POLICY, "90000000-0000-4000-8000-000000000042")?;
    let insuree = key(conn, INSUREE, "070707070")?;
    let cells = [
        ("ValidityFrom", Cell::Stamp("2024-03-12 10:00:00")),
        ("PolicyID", Cell::Int(required(policy, "policy")?)),
        ("InsureeID", Cell::Int(required(insuree, "insuree")?)),
        ("ClaimID", Cell::Int(claim)),
        ("DedG", Cell::Dec("0.00")),
        ("RemG", Cell::Dec("1630.00")),
        ("RemIP", Cell::Dec("1630.00")),
        ("RemHospitalization", Cell::Dec("1630.00")),
        ("AuditUserID", Cell::Int(1)),
    ];
    insert(conn, "tblClaimDedRem", &cells)
}
