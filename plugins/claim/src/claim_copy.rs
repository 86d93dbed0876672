//! A claim as the mutations read it, and its history as the original keeps it
//! (`Claim.save_history`): a copy of the claim (new id and uuid, `LegacyID` = the claim's id,
//! `ValidityTo` = now), then a copy of each of its lines (`LegacyID` = the line's id,
//! `ValidityTo` = now) re-pointed to the copy's id; the claim and its lines keep their ids.
//! Which lines are copied is the caller's (the original copies `self.items.all()`, which is
//! every line unless the caller prefetched a filtered set); `delete_history()` is the copy,
//! then the claim ended with `ValidityFrom = ValidityTo = now`.

use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::versioned::{save_history, VersionedTable};
use openimis_sdk::{time, ModuleError};

/// Every column of `tblClaim` the original's model maps, but the ones a copy sets itself
/// (`ClaimID`, `ClaimUUID`, `ValidityTo`, `LegacyID`); `RowID` is not mapped, so not copied.
pub const CLAIM_COLUMNS: &[&str] = &[
    "ValidityFrom",
    "ClaimCategory",
    "InsureeID",
    "ClaimCode",
    "DateFrom",
    "DateTo",
    "ClaimStatus",
    "RestoredClaim",
    "Adjuster",
    "Adjustment",
    "Claimed",
    "Approved",
    "Reinsured",
    "Valuated",
    "DateClaimed",
    "DateProcessed",
    "Feedback",
    "FeedbackID",
    "Explanation",
    "FeedbackStatus",
    "ReviewStatus",
    "ApprovalStatus",
    "RejectionReason",
    "RunID",
    "AuditUserID",
    "ValidityFromReview",
    "ValidityToReview",
    "HFID",
    "SubmitStamp",
    "ProcessStamp",
    "Remunerated",
    "GuaranteeId",
    "ClaimAdminId",
    "ReferFrom",
    "ReferTo",
    "ICDID",
    "ICDID1",
    "ICDID2",
    "ICDID3",
    "ICDID4",
    "VisitType",
    "AuditUserIDReview",
    "AuditUserIDSubmit",
    "AuditUserIDProcess",
    "CareType",
    "pre_authorization",
    "patient_condition",
    "referral_code",
    "JsonExt",
];

/// The columns item and service lines share, but the key, `ValidityTo` and `LegacyID`.
const LINE_COLUMNS: &[&str] = &[
    "ValidityFrom",
    "ClaimID",
    "ProdID",
    "QtyProvided",
    "QtyApproved",
    "PriceAsked",
    "PriceAdjusted",
    "PriceApproved",
    "PriceValuated",
    "Explanation",
    "Justification",
    "RejectionReason",
    "AuditUserID",
    "ValidityFromReview",
    "ValidityToReview",
    "AuditUserIDReview",
    "LimitationValue",
    "Limitation",
    "PolicyID",
    "RemuneratedAmount",
    "DeductableAmount",
    "ExceedCeilingAmount",
    "PriceOrigin",
    "ExceedCeilingAmountCategory",
    "JsonExt",
];

/// A line table: its name, key, own columns (beside [`LINE_COLUMNS`]).
pub struct LineTable {
    pub table: &'static str,
    pub key: &'static str,
    pub status: &'static str,
    own: &'static [&'static str],
}

pub const ITEMS: LineTable = LineTable {
    table: "tblClaimItems",
    key: "ClaimItemID",
    status: "ClaimItemStatus",
    own: &["ItemID", "ClaimItemStatus", "Availability"],
};

pub const SERVICES: LineTable = LineTable {
    table: "tblClaimServices",
    key: "ClaimServiceID",
    status: "ClaimServiceStatus",
    own: &["ServiceID", "ClaimServiceStatus"],
};

/// Which of a claim's lines a history copy takes (what the caller's claim had prefetched).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// `self.items.all()` unfiltered: every line, ended ones too.
    All,
    /// The valid lines (`processClaims`, `deleteClaims` prefetch `filter_validity()`).
    Valid,
    /// The valid lines without a rejection reason (`submitClaims`' prefetch).
    ValidUnrejected,
}

impl Lines {
    fn condition(self) -> &'static str {
        match self {
            Lines::All => "",
            Lines::Valid => r#" AND "ValidityTo" IS NULL"#,
            Lines::ValidUnrejected => {
                r#" AND "ValidityTo" IS NULL AND ("RejectionReason" = 0 OR "RejectionReason" IS NULL)"#
            }
        }
    }
}

/// The claim columns the mutations read.
#[derive(Debug, Clone, diesel::QueryableByName)]
pub struct ClaimRow {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub id: i32,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub uuid: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub code: String,
    #[diesel(sql_type = diesel::sql_types::SmallInt)]
    pub status: i16,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub health_facility: i32,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub insuree: i32,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    pub feedback: Option<i32>,
}

const SELECT_CLAIM: &str = r#"SELECT c."ClaimID" AS id, CAST(c."ClaimUUID" AS TEXT) AS uuid,
    c."ClaimCode" AS code, CAST(c."ClaimStatus" AS SMALLINT) AS status, c."HFID" AS health_facility,
    c."InsureeID" AS insuree, c."FeedbackID" AS feedback FROM "tblClaim" c"#;

/// The claims whose uuid is one of `uuids` (compared exactly, as Django compares the
/// `CharField`) and whose `condition` holds, in key order.
pub fn claims_named(
    conn: &mut DbConnection,
    uuids: &[String],
    condition: &str,
) -> Result<Vec<ClaimRow>, ModuleError> {
    if uuids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; uuids.len()].join(", ");
    let sql = format!(
        r#"{SELECT_CLAIM} WHERE CAST(c."ClaimUUID" AS TEXT) IN ({marks}) AND {condition} ORDER BY c."ClaimID""#
    );
    let binds: Vec<Bind> = uuids.iter().map(Bind::text).collect();
    db::load(conn, &sql, &binds)
}

/// The claim with `uuid` whose `condition` holds (`valid` for `ValidityTo IS NULL`).
pub fn claim_named(
    conn: &mut DbConnection,
    uuid: &str,
    condition: &str,
) -> Result<Option<ClaimRow>, ModuleError> {
    Ok(claims_named(conn, &[uuid.to_owned()], condition)?
        .into_iter()
        .next())
}

/// The condition of a valid claim.
pub const VALID: &str = r#"c."ValidityTo" IS NULL"#;
/// Any claim.
pub const ANY: &str = "1 = 1";

/// `Claim.save_history()`: the claim's copy and its `lines`' copies (re-pointed to the copy);
/// answers the copy's id.
pub fn copy_claim(conn: &mut DbConnection, claim: i32, lines: Lines) -> Result<i32, ModuleError> {
    let now = time::now();
    let table = VersionedTable {
        table: "tblClaim",
        id: "ClaimID",
        uuid: Some("ClaimUUID"),
        legacy_id: "LegacyID",
        columns: CLAIM_COLUMNS,
    };
    let copy = save_history(conn, &table, claim, &now, &uuid::Uuid::new_v4().to_string())?;
    for lt in [&ITEMS, &SERVICES] {
        copy_lines(conn, lt, claim, copy, lines, &now)?;
    }
    Ok(copy)
}

/// The copies of `claim`'s `lines` in `lt`, each ended at `now`, pointing back at its line and
/// belonging to the claim's copy `copy` (one statement for all of them).
fn copy_lines(
    conn: &mut DbConnection,
    lt: &LineTable,
    claim: i32,
    copy: i32,
    lines: Lines,
    now: &str,
) -> Result<(), ModuleError> {
    let carried: Vec<&str> = LINE_COLUMNS
        .iter()
        .chain(lt.own)
        .copied()
        .filter(|c| *c != "ClaimID")
        .collect();
    let list: String = carried.iter().map(|c| format!(r#", "{c}""#)).collect();
    let stamp = db::timestamp_param(conn);
    let sql = format!(
        r#"INSERT INTO "{t}" ("ClaimID", "ValidityTo", "LegacyID"{list})
           SELECT ?, {stamp}, "{key}"{list} FROM "{t}" WHERE "ClaimID" = ?{cond} ORDER BY "{key}""#,
        t = lt.table,
        key = lt.key,
        cond = lines.condition(),
    );
    let binds = [
        Bind::Int(Some(copy)),
        Bind::text(now),
        Bind::Int(Some(claim)),
    ];
    db::execute(conn, &sql, &binds).map(drop)
}

/// `Claim.delete_history()`: the copy, then the claim ended (`ValidityFrom = ValidityTo = now`).
pub fn delete_claim(conn: &mut DbConnection, claim: i32, lines: Lines) -> Result<(), ModuleError> {
    copy_claim(conn, claim, lines)?;
    let stamp = db::timestamp_param(conn);
    let sql = format!(
        r#"UPDATE "tblClaim" SET "ValidityFrom" = {stamp}, "ValidityTo" = {stamp} WHERE "ClaimID" = ?"#
    );
    let now = time::now();
    db::execute(
        conn,
        &sql,
        &[Bind::text(&now), Bind::text(&now), Bind::Int(Some(claim))],
    )
    .map(drop)
}

/// Sets `sets` (`("Column", placeholder, bind)`) on claim `claim` (the original's `claim.save()`
/// of the fields it changed).
pub fn set_claim(
    conn: &mut DbConnection,
    claim: i32,
    sets: Vec<(String, &'static str, Bind)>,
) -> Result<(), ModuleError> {
    if sets.is_empty() {
        return Ok(());
    }
    let assignments: Vec<String> = sets.iter().map(|(c, m, _)| format!("{c} = {m}")).collect();
    let mut binds: Vec<Bind> = sets.into_iter().map(|s| s.2).collect();
    binds.push(Bind::Int(Some(claim)));
    let sql = format!(
        r#"UPDATE "tblClaim" SET {} WHERE "ClaimID" = ?"#,
        assignments.join(", ")
    );
    db::execute(conn, &sql, &binds).map(drop)
}

/// `("\"Column\"", "?", bind)`: a plain assignment for [`set_claim`].
pub fn plain(column: &str, bind: Bind) -> (String, &'static str, Bind) {
    (format!(r#""{column}""#), "?", bind)
}

/// A timestamp assignment (`now`) for [`set_claim`].
pub fn stamped(conn: &DbConnection, column: &str, now: &str) -> (String, &'static str, Bind) {
    (
        format!(r#""{column}""#),
        db::timestamp_param(conn),
        Bind::text(now),
    )
}

#[derive(diesel::QueryableByName)]
struct NewId {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

/// The key an `INSERT … RETURNING CAST(<key> AS BIGINT) AS id` answers.
pub fn returning_id(
    conn: &mut DbConnection,
    sql: &str,
    binds: &[Bind],
) -> Result<i64, ModuleError> {
    let rows: Vec<NewId> = db::load(conn, sql, binds)?;
    rows.first()
        .map(|r| r.id)
        .ok_or_else(|| ModuleError::new("INSERT_FAILED", "no row inserted"))
}
