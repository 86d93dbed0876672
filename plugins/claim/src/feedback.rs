//! Feedback on a claim: the prompts an enrolment officer gets (`tblFeedbackPrompt`: created
//! when a claim is selected for feedback, ended when it is skipped, bypassed or delivered) and
//! `deliverClaimFeedback` (`tblFeedback`).
//! - The prompt goes to the first valid officer serving the insuree's current village or its
//!   family's village with a phone number; without one the original raises a `RuntimeError`
//!   whose arguments become the log's messages (its f-string keeps the source's indentation).
//! - Delivering copies the claim (and all its lines) to history; a feedback the claim had is
//!   re-pointed to that copy, then the claim's feedback is created (`update_or_create` on the
//!   claim finds none left) from what was sent, valid from now; the claim gets it,
//!   `feedbackStatus` 8 and `feedbackAvailable`, and its open prompt ends.
//!
//! Officer, insuree and family rows are read directly, inside the mutation's transaction.

use crate::claim_copy::{copy_claim, plain, returning_id, set_claim, ClaimRow, Lines};
use crate::claim_lines::Refusal;
use crate::inputs::{given, Column};
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity::Kind;
use openimis_sdk::sql_filter::date_param;
use openimis_sdk::{time, ModuleError};
use serde_json::{Map, Value};

fn db_refusal(e: ModuleError) -> Refusal {
    e.message.to_string()
}

#[derive(diesel::QueryableByName)]
struct Village {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    current: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    family: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    has_family: bool,
}

#[derive(diesel::QueryableByName)]
struct Officer {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    id: i32,
    #[diesel(sql_type = diesel::sql_types::Text)]
    code: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    phone: Option<String>,
}

#[derive(diesel::QueryableByName)]
struct Code {
    #[diesel(sql_type = diesel::sql_types::Text)]
    code: String,
}

/// The first valid officer of `villages` (with a phone when `phoned`).
fn officer(
    conn: &mut DbConnection,
    villages: &[i32],
    phoned: bool,
) -> Result<Option<Officer>, ModuleError> {
    if villages.is_empty() {
        return Ok(None);
    }
    let list = openimis_sdk::sql_filter::id_list(villages);
    let phone = match phoned {
        true => r#" AND o."Phone" IS NOT NULL AND o."Phone" <> ''"#,
        false => "",
    };
    let sql = format!(
        r#"SELECT o."OfficerID" AS id, o."Code" AS code, o."Phone" AS phone FROM "tblOfficer" o
           WHERE o."ValidityTo" IS NULL{phone} AND o."OfficerID" IN
             (SELECT v."OfficerId" FROM "tblOfficerVillages" v WHERE v."LocationId" IN ({list}))
           ORDER BY o."OfficerID" LIMIT 1"#
    );
    Ok(db::load(conn, &sql, &[])?.into_iter().next())
}

/// `create_feedback_prompt`; a refusal is the messages the original's exception carries.
pub fn create_prompt(
    conn: &mut DbConnection,
    claim: &ClaimRow,
    audit: i32,
) -> Result<(), Vec<String>> {
    let one = |e: ModuleError| vec![e.message.to_string()];
    let rows: Vec<Village> = db::load(
        conn,
        r#"SELECT i."CurrentVillage" AS current, f."LocationId" AS family, f."FamilyID" IS NOT NULL AS has_family
           FROM "tblInsuree" i LEFT JOIN "tblFamilies" f ON f."FamilyID" = i."FamilyID" WHERE i."InsureeID" = ?"#,
        &[Bind::Int(Some(claim.insuree))],
    )
    .map_err(one)?;
    let Some(village) = rows.into_iter().next() else {
        return Err(vec!["Insuree matching query does not exist.".to_owned()]);
    };
    if !village.has_family {
        return Err(vec![
            "'NoneType' object has no attribute 'location'".to_owned()
        ]);
    }
    let villages: Vec<i32> = [village.current, village.family]
        .into_iter()
        .flatten()
        .collect();
    let Some(found) = officer(conn, &villages, true).map_err(one)? else {
        // In the original's order: the current village, then the family's.
        let mut names = Vec::new();
        for v in &villages {
            let sql = r#"SELECT "LocationCode" AS code FROM "tblLocations" WHERE "LocationId" = ?"#;
            let found: Vec<Code> = db::load(conn, sql, &[Bind::Int(Some(*v))]).map_err(one)?;
            names.extend(found.into_iter().map(|c| c.code));
        }
        let mut messages = vec![format!(
            "No officer with a phone number found for the insuree village code,             {}",
            names.join(", ")
        )];
        if let Some(bad) = officer(conn, &villages, false).map_err(one)? {
            messages.push(format!(" officer {}has not phone setup", bad.code));
        }
        return Err(messages);
    };
    let now = time::now();
    let sql = format!(
        r#"INSERT INTO "tblFeedbackPrompt" ("FeedbackPromptDate", "ValidityFrom", "ClaimID", "OfficerID",
             "PhoneNumber", "SMSStatus", "AuditUserID") VALUES ({}, {}, ?, ?, ?, NULL, ?)"#,
        date_param(conn),
        db::timestamp_param(conn)
    );
    let binds = [
        Bind::text(&now[..10]),
        Bind::text(&now),
        Bind::Int(Some(claim.id)),
        Bind::Int(Some(found.id)),
        Bind::Text(found.phone),
        Bind::Int(Some(audit)),
    ];
    db::execute(conn, &sql, &binds).map(drop).map_err(one)
}

/// `set_feedback_prompt_validity_to_to_current_date`: the claim's open prompt ends now; none is
/// no error, several are `MultipleObjectsReturned`.
pub fn end_prompt(conn: &mut DbConnection, claim: i32) -> Result<(), String> {
    let sql = r#"SELECT CAST("FeedbackPromptID" AS BIGINT) AS id FROM "tblFeedbackPrompt"
                 WHERE "ClaimID" = ? AND "ValidityTo" IS NULL"#;
    let open =
        openimis_sdk::entity::ids(conn, sql, &[Bind::Int(Some(claim))]).map_err(db_refusal)?;
    match open.as_slice() {
        [] => Ok(()),
        [one] => {
            let sql = format!(
                r#"UPDATE "tblFeedbackPrompt" SET "ValidityTo" = {} WHERE "FeedbackPromptID" = ?"#,
                db::timestamp_param(conn)
            );
            db::execute(
                conn,
                &sql,
                &[Bind::text(time::now()), Bind::BigInt(Some(*one))],
            )
            .map(drop)
            .map_err(db_refusal)
        }
        many => Err(format!(
            "get() returned more than one FeedbackPrompt -- it returned {}!",
            many.len()
        )),
    }
}

/// `FeedbackInputType`'s keys and their columns (`id` and `validityFrom` are not written: the
/// feedback is new and valid from now).
const FEEDBACK: &[Column] = &[
    ("careRendered", "CareRendered", Kind::Bool),
    ("paymentAsked", "PaymentAsked", Kind::Bool),
    ("drugPrescribed", "DrugPrescribed", Kind::Bool),
    ("drugReceived", "DrugReceived", Kind::Bool),
    ("asessment", "Asessment", Kind::Int),
    ("officerId", "CHFOfficerCode", Kind::Int),
    ("feedbackDate", "FeedbackDate", Kind::DateTime),
    ("validityTo", "ValidityTo", Kind::DateTime),
];

/// `DeliverClaimFeedbackMutation` once the valid claim is found.
pub fn deliver(
    conn: &mut DbConnection,
    claim: &ClaimRow,
    feedback: &Map<String, Value>,
    audit: i32,
) -> Result<(), Refusal> {
    let copy = copy_claim(conn, claim.id, Lines::All).map_err(db_refusal)?;
    if let Some(previous) = claim.feedback {
        db::execute(
            conn,
            r#"UPDATE "tblFeedback" SET "ClaimID" = ? WHERE "FeedbackID" = ?"#,
            &[Bind::Int(Some(copy)), Bind::Int(Some(previous))],
        )
        .map_err(db_refusal)?;
    }
    let now = time::now();
    let existing = openimis_sdk::entity::ids(
        conn,
        r#"SELECT CAST("FeedbackID" AS BIGINT) AS id FROM "tblFeedback" WHERE "ClaimID" = ?"#,
        &[Bind::Int(Some(claim.id))],
    )
    .map_err(db_refusal)?;
    let mut cols = given(conn, FEEDBACK, feedback).map_err(db_refusal)?;
    cols.push((
        r#""ValidityFrom""#.into(),
        db::timestamp_param(conn),
        Bind::text(&now),
    ));
    cols.push((r#""AuditUserID""#.into(), "?", Bind::Int(Some(audit))));
    let feedback_id = match existing.first() {
        Some(id) => {
            let sets: Vec<String> = cols.iter().map(|(c, m, _)| format!("{c} = {m}")).collect();
            let mut binds: Vec<Bind> = cols.into_iter().map(|c| c.2).collect();
            binds.push(Bind::BigInt(Some(*id)));
            let sql = format!(
                r#"UPDATE "tblFeedback" SET {} WHERE "FeedbackID" = ?"#,
                sets.join(", ")
            );
            db::execute(conn, &sql, &binds).map_err(db_refusal)?;
            *id
        }
        None => {
            cols.push((r#""ClaimID""#.into(), "?", Bind::Int(Some(claim.id))));
            cols.push((
                r#""FeedbackUUID""#.into(),
                "?",
                Bind::text(uuid::Uuid::new_v4().to_string()),
            ));
            let names: Vec<&str> = cols.iter().map(|c| c.0.as_str()).collect();
            let marks: Vec<&str> = cols.iter().map(|c| c.1).collect();
            let binds: Vec<Bind> = cols.iter().map(|c| c.2.clone()).collect();
            let sql = format!(
                r#"INSERT INTO "tblFeedback" ({}) VALUES ({}) RETURNING CAST("FeedbackID" AS BIGINT) AS id"#,
                names.join(", "),
                marks.join(", ")
            );
            returning_id(conn, &sql, &binds).map_err(db_refusal)?
        }
    };
    let sets = vec![
        plain("FeedbackID", Bind::BigInt(Some(feedback_id))),
        plain("FeedbackStatus", Bind::Int(Some(8))),
        plain("Feedback", Bind::Bool(Some(true))),
    ];
    set_claim(conn, claim.id, sets).map_err(db_refusal)?;
    end_prompt(conn, claim.id)
}
