//! `submitClaims`: the claims named by `uuids`, or, when there are none, every valid claim
//! matching `additionalFilters` (core's `mutation_on_uuids_from_filter`: a JSON object of
//! `ClaimGQLType` filter arguments, keys matched without case or `_`, plus `items`/`services`
//! code lists; a key outside them is its `ValueError`, an empty object its `IndexError`).
//! Each valid claim named is submitted (`ClaimSubmitService.submit_claim`): its facility must
//! be one the caller reaches when row security restricts them (else the original's uncaught
//! `ClaimSubmitError`), it is copied to history with its valid unrejected lines, then
//! adjudicated (`processing_claim`): with errors it is rejected (1), else checked (4) with
//! `approved` = Σ approved, `submitStamp` and its category. Rejections are the mutation's
//! outcome: they are kept, and the log records the findings. A uuid naming no valid claim is
//! reported only beside other errors, as `claim.validation.claim_uuid_not_found` followed by
//! the upper-cased uuids (the original appends it to the last claim's list).

use crate::adjudication;
use crate::claim_copy::{
    claims_named, copy_claim, plain, set_claim, stamped, ClaimRow, Lines, VALID,
};
use crate::filters::{claims as claim_filters, Resolver};
use crate::inputs::placeholder;
use crate::mutation_checks::Scope;
use crate::mutation_messages::UUID_NOT_FOUND;
use crate::process::{processing_claim, Adjudicating};
use crate::specs::CLAIM;
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity::{self, Access, Kind};
use openimis_sdk::mutation::{threw, MutationError};
use openimis_sdk::{time, ModuleError, SelectionField};
use serde_json::{Map, Value};

/// Why the uuids could not be had from the filters: the class of the original's exception.
pub type Thrown = MutationError;

/// `ClaimGQLType`'s filter fields, as `__disable_notation` compares them (lower case, no `_`).
const FILTER_FIELDS: &[&str] = &[
    "uuid",
    "code",
    "codeistartswith",
    "codeicontains",
    "codeiexact",
    "status",
    "statusgt",
    "dateclaimed",
    "dateclaimedlt",
    "dateclaimedlte",
    "dateclaimedgt",
    "dateclaimedgte",
    "datefrom",
    "datefromlt",
    "datefromlte",
    "datefromgt",
    "datefromgte",
    "dateto",
    "datetolt",
    "datetolte",
    "datetogt",
    "datetogte",
    "dateprocessed",
    "dateprocessedlt",
    "dateprocessedlte",
    "dateprocessedgt",
    "dateprocessedgte",
    "feedbackstatus",
    "reviewstatus",
    "claimed",
    "claimedlt",
    "claimedlte",
    "claimedgt",
    "claimedgte",
    "approved",
    "approvedlt",
    "approvedlte",
    "approvedgt",
    "approvedgte",
    "visittype",
    "attachmentscountvalue",
    "attachmentscountvaluelt",
    "attachmentscountvaluelte",
    "attachmentscountvaluegt",
    "attachmentscountvaluegte",
    "preauthorization",
];

/// The prefixes of the related types' filter sets.
const PREFIXES: &[&str] = &["icd", "admin", "healthfacility", "insuree", "batchrun"];

fn known(key: &str) -> bool {
    if key == "items" || key == "services" {
        return true;
    }
    let plain: String = key.to_lowercase().replace('_', "");
    FILTER_FIELDS.contains(&plain.as_str())
        || PREFIXES
            .iter()
            .any(|p| plain.starts_with(p) && plain.len() > p.len())
}

#[derive(diesel::QueryableByName)]
struct Uuid {
    #[diesel(sql_type = diesel::sql_types::Text)]
    uuid: String,
}

/// The valid claims' uuids matching `additionalFilters`.
pub fn uuids_from_filters(
    conn: &mut DbConnection,
    input: &Map<String, Value>,
) -> Result<Vec<String>, Thrown> {
    let Some(text) = input.get("additionalFilters") else {
        return Err(threw("KeyError"));
    };
    let Some(Ok(Value::Object(args))) = text.as_str().map(serde_json::from_str::<Value>) else {
        return Err(threw(match text {
            Value::Null => "TypeError",
            _ => "json.decoder.JSONDecodeError",
        }));
    };
    if args.is_empty() {
        return Err(threw("IndexError"));
    }
    if args.keys().any(|k| !known(k)) {
        return Err(threw("ValueError"));
    }
    let mut field = SelectionField::new("claims");
    for (key, value) in args {
        field.args.insert(key, value);
    }
    let bad = |e: ModuleError| {
        openimis_sdk::log::warn!("submitClaims additionalFilters: {}", e.message);
        threw("django.core.exceptions.ValidationError")
    };
    let base = claim_filters(conn, &mut field, Resolver::Claims).map_err(bad)?;
    let w = entity::filtered(conn, &CLAIM, &field, base, &Access::open()).map_err(bad)?;
    let sql = format!(
        r#"SELECT DISTINCT CAST(c."ClaimUUID" AS TEXT) AS uuid FROM "tblClaim" c WHERE {} ORDER BY 1"#,
        w.sql()
    );
    let rows: Vec<Uuid> = db::load(conn, &sql, w.binds()).map_err(|e| {
        openimis_sdk::log::warn!("submitClaims additionalFilters: {}", e.message);
        threw("django.db.utils.DataError")
    })?;
    Ok(rows.into_iter().map(|r| r.uuid).collect())
}

/// What a submission ended with.
pub enum Submitted {
    /// The findings to record (none: every claim was checked).
    Done(Vec<MutationError>),
    /// A claim of a facility the caller does not reach: the original's uncaught exception.
    NotAllowed,
}

/// `ClaimSubmitService.submit_claim` of one claim.
fn submit_one(
    conn: &mut DbConnection,
    claim: &ClaimRow,
    who: Adjudicating,
) -> Result<Vec<MutationError>, ModuleError> {
    copy_claim(conn, claim.id, Lines::ValidUnrejected)?;
    let errors = processing_claim(conn, claim, false, who)?;
    if !errors.is_empty() {
        set_claim(
            conn,
            claim.id,
            vec![plain("ClaimStatus", Bind::Int(Some(1)))],
        )?;
        return Ok(errors);
    }
    let approved = adjudication::approved_total(conn, claim.id)?;
    let category = adjudication::claim_category(conn, claim.id)?;
    let now = time::now();
    let sets = vec![
        (
            r#""Approved""#.to_owned(),
            placeholder(conn, Kind::Decimal(2)),
            Bind::text(approved.round_half_even(2).to_string()),
        ),
        plain("ClaimStatus", Bind::Int(Some(4))),
        stamped(conn, "SubmitStamp", &now),
        plain("ClaimCategory", Bind::text(category)),
    ];
    set_claim(conn, claim.id, sets)?;
    Ok(Vec::new())
}

/// `SubmitClaimsMutation.async_mutate` once the uuids are known.
pub fn submit_claims(
    conn: &mut DbConnection,
    uuids: &[String],
    scope: &Scope,
    who: Adjudicating,
) -> Result<Submitted, ModuleError> {
    let claims = claims_named(conn, uuids, VALID)?;
    let mut remaining: Vec<String> = uuids.iter().map(|u| u.to_uppercase()).collect();
    let mut errors: Vec<MutationError> = Vec::new();
    for claim in &claims {
        remaining.retain(|u| *u != claim.uuid.to_uppercase());
        if !scope.reaches_facility(conn, claim.health_facility)? {
            return Ok(Submitted::NotAllowed);
        }
        errors.extend(submit_one(conn, claim, who)?);
    }
    if !errors.is_empty() && !remaining.is_empty() {
        errors.push(MutationError::new(format!(
            "{UUID_NOT_FOUND}{}",
            remaining.join(",")
        )));
    }
    Ok(Submitted::Done(errors))
}
