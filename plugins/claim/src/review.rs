//! The review of a claim: `saveClaimReview` and the ded/rem update of `deliverClaimsReview`
//! (`update_claims_dedrems`).
//! - `saveClaimReview`: the valid claim named by `claimUuid` is copied to history with all its
//!   lines; its `adjustment` becomes what was sent (null when absent); each line sent (by `id`,
//!   required) is updated in place with the keys sent; a package sub-line sent by code whose
//!   item or service exists on the line gets its `qty_displayed`, and the claim's `claimed`
//!   becomes their Σ quantity asked × price asked (the original then reads the service by the
//!   line's id and indexes the model, raising `TypeError`: reproduced). `approved` = Σ approved
//!   (with the status the claim had), the reviewer recorded, a review whose lines all are
//!   rejected (or that sends none) rejects the claim (1), `submitReview` delivers it (8) and
//!   runs `processing_claim` again, whose findings fail the log beside the saved review.
//! - `update_claims_dedrems(uuids)`: `processing_claim` of each claim named (any validity);
//!   the uuids are read as `UUID`s first (a malformed one is the original's `ValueError`), and
//!   one naming no claim ends in its `TypeError` (it joins `UUID` objects).

use crate::adjudication;
use crate::claim_copy::{claims_named, copy_claim, plain, set_claim, ClaimRow, Lines, ANY};
use crate::claim_lines::{Kin, Refusal, ITEM, SERVICE};
use crate::inputs::{given, placeholder, LineInput};
use crate::mutation_messages::key_error;
use crate::process::{processing_claim, Adjudicating};
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::decimal::Decimal;
use openimis_sdk::entity::Kind;
use openimis_sdk::mutation::{threw, MutationError};
use openimis_sdk::ModuleError;

fn db_refusal(e: ModuleError) -> Refusal {
    e.message.to_string()
}

/// `claim.<lines>.filter(id=…).update(**line)`: the keys sent set on that line of the claim.
fn update_line(
    conn: &mut DbConnection,
    kin: &Kin,
    claim: i32,
    line: &LineInput,
) -> Result<(), Refusal> {
    let Some(id) = line.typed.id.filter(|_| line.has("id")) else {
        return Err(key_error("id"));
    };
    let sets = given(conn, &kin.columns(), &line.raw).map_err(db_refusal)?;
    if sets.is_empty() {
        return Ok(());
    }
    let lt = kin.table;
    let assignments: Vec<String> = sets.iter().map(|(c, m, _)| format!("{c} = {m}")).collect();
    let mut binds: Vec<Bind> = sets.into_iter().map(|s| s.2).collect();
    binds.push(Bind::BigInt(Some(id)));
    binds.push(Bind::Int(Some(claim)));
    let sql = format!(
        r#"UPDATE "{}" SET {} WHERE "{}" = ? AND "ClaimID" = ?"#,
        lt.table,
        assignments.join(", "),
        lt.key
    );
    db::execute(conn, &sql, &binds)
        .map(drop)
        .map_err(db_refusal)
}

/// The sub-lines of review line `line` the claim has (by code): whether one matched (the
/// original then fails on the next statement).
fn sub_lines_matched(
    conn: &mut DbConnection,
    claim: i32,
    line: &LineInput,
) -> Result<bool, Refusal> {
    let t = &line.typed;
    let Some(id) = t.id else { return Ok(false) };
    let sets = [
        (
            &t.service_service_set,
            "tblClaimServicesService",
            "claimServiceID",
            "ServiceId",
            ("tblServices", "ServiceID", "ServCode"),
        ),
        (
            &t.service_item_set,
            "tblClaimServicesItems",
            "ClaimServiceID",
            "ItemID",
            ("tblItems", "ItemID", "ItemCode"),
        ),
    ];
    for (set, table, parent, child, (medical, key, code)) in sets {
        for sub in set.iter().flatten().flatten() {
            let sub_code = sub
                .sub_item_code
                .as_deref()
                .or(sub.sub_service_code.as_deref());
            let sql = format!(
                r#"SELECT COUNT(*) AS n FROM "{table}" x JOIN "tblClaimServices" s ON s."ClaimServiceID" = x."{parent}"
                   WHERE s."ClaimServiceID" = ? AND s."ClaimID" = ? AND x."{child}" =
                     (SELECT m."{key}" FROM "{medical}" m WHERE m."{code}" = ? AND m."ValidityTo" IS NULL ORDER BY m."{key}" LIMIT 1)"#
            );
            let binds = [
                Bind::BigInt(Some(id)),
                Bind::Int(Some(claim)),
                Bind::Text(sub_code.map(str::to_owned)),
            ];
            if db::count(conn, &sql, &binds).map_err(db_refusal)? > 0 {
                return Ok(true);
            }
        }
    }
    Ok(false)
}

/// What `saveClaimReview` was sent.
pub struct Review<'a> {
    pub adjustment: Option<&'a str>,
    pub items: Vec<&'a LineInput>,
    pub services: Vec<&'a LineInput>,
    pub submit: bool,
}

/// `SaveClaimReviewMutation` once the valid claim is found: `Ok` with the findings of the
/// delivered review's re-processing (none: saved and valid).
pub fn save_review(
    conn: &mut DbConnection,
    claim: &ClaimRow,
    review: &Review,
    who: Adjudicating,
) -> Result<Vec<MutationError>, Refusal> {
    let audit = who.audit;
    copy_claim(conn, claim.id, Lines::All).map_err(db_refusal)?;
    let mut all_rejected = true;
    for item in &review.items {
        update_line(conn, &ITEM, claim.id, item)?;
        if item.typed.status == Some(1) {
            all_rejected = false;
        }
    }
    for service in &review.services {
        update_line(conn, &SERVICE, claim.id, service)?;
        if sub_lines_matched(conn, claim.id, service)? {
            // `service = Service.objects.get(id=<the line's id>)`, then `service["status"]`.
            let sql = r#"SELECT COUNT(*) AS n FROM "tblServices" WHERE "ServiceID" = ? AND "ValidityTo" IS NULL"#;
            let exists =
                db::count(conn, sql, &[Bind::BigInt(service.typed.id)]).map_err(db_refusal)?;
            return Err(match exists {
                0 => "Service matching query does not exist.".to_owned(),
                _ => "'Service' object is not subscriptable".to_owned(),
            });
        }
        if service.typed.status == Some(1) {
            all_rejected = false;
        }
    }
    let approved = match claim.status {
        1 => Decimal::ZERO,
        _ => adjudication::approved_total(conn, claim.id).map_err(db_refusal)?,
    };
    let mut sets = vec![
        plain(
            "Adjustment",
            Bind::Text(review.adjustment.map(str::to_owned)),
        ),
        (
            r#""Approved""#.to_owned(),
            placeholder(conn, Kind::Decimal(2)),
            Bind::text(approved.round_half_even(2).to_string()),
        ),
        plain("AuditUserIDReview", Bind::Int(Some(audit))),
    ];
    let mut status = claim.status;
    if all_rejected {
        sets.push(plain("ClaimStatus", Bind::Int(Some(1))));
        status = 1;
    }
    if review.submit {
        sets.push(plain("ReviewStatus", Bind::Int(Some(8))));
    }
    set_claim(conn, claim.id, sets).map_err(db_refusal)?;
    if !review.submit {
        return Ok(Vec::new());
    }
    let reviewed = ClaimRow {
        status,
        ..claim.clone()
    };
    processing_claim(conn, &reviewed, false, who).map_err(db_refusal)
}

/// `update_claims_dedrems(uuids)`: the findings of each claim's re-processing, or the
/// exception the original lets through.
pub fn update_claims_dedrems(
    conn: &mut DbConnection,
    uuids: &[String],
    who: Adjudicating,
) -> Result<Result<Vec<MutationError>, MutationError>, ModuleError> {
    if uuids.is_empty() {
        return Ok(Ok(Vec::new()));
    }
    let mut remaining = Vec::new();
    for uuid in uuids {
        match uuid::Uuid::try_parse(uuid.trim()) {
            Ok(parsed) => remaining.push(parsed),
            Err(_) => return Ok(Err(threw("ValueError"))),
        }
    }
    let mut errors = Vec::new();
    for claim in claims_named(conn, uuids, ANY)? {
        if let Ok(parsed) = uuid::Uuid::try_parse(&claim.uuid) {
            if let Some(i) = remaining.iter().position(|u| *u == parsed) {
                remaining.remove(i);
            }
        }
        errors.extend(processing_claim(conn, &claim, false, who)?);
    }
    if !remaining.is_empty() {
        return Ok(Err(threw("TypeError")));
    }
    Ok(Ok(errors))
}
