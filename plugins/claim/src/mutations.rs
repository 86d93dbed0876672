//! claim's 17 mutations (claim.md §4–5) under core's mutation log (`run_logged_linked`:
//! answered at once, queued in MODE=PROD), each in one transaction.
//! - Before anything is logged, the custom scalars are parsed (`inputs.rs`): a bad one is a
//!   `BAD_ARGUMENT` GraphQL error.
//! - When logged, the claims the input's `uuids` (else `claimUuid`) name, any validity, are
//!   linked to the log (`claim_ClaimMutation`, the original's `on_claim_mutation`), whatever
//!   follows.
//! - Rights as the original checks them: inside its `try` (create/update claim and the
//!   attachment, feedback delivery and review saving: the mutation's own message with
//!   `unauthorized`, or its uncaught `UnboundLocalError` where the `except` names a variable
//!   not yet set), else outside (the status mutations, submit, process, delete: core's record
//!   of the `PermissionDenied`).
//! - A refusal rolls everything back. Adjudication's findings are the outcome of submit,
//!   process and review: their rows are kept and the log records the findings.
//! - Row security (the caller's districts) is asked of location before any transaction opens.

use crate::attachment_save::{self, Place};
use crate::claim_copy::{claim_named, claims_named, ANY, VALID};
use crate::claim_delete::delete_claims;
use crate::claim_save::{save, Saving};
use crate::claim_status::{set_claims_status, Field, BYPASSED, DELIVERED, NOT_SELECTED, SELECTED};
use crate::code_generation::record_code;
use crate::feedback::deliver;
use crate::inputs::{self, ClaimInput};
use crate::manifest::{CREATE, DELETE, FEEDBACK, PROCESS, REVIEW, SUBMIT, UPDATE};
use crate::mutation_checks::{audit_user, Config, Scope};
use crate::mutation_messages::{
    key_error, ATTACHMENT_DELETE_FAILED, ATTACHMENT_UPDATE_FAILED, ATTACH_FAILED, CREATE_FAILED,
    ID_DOES_NOT_EXIST, UNAUTHORIZED, UPDATE_FAILED,
};
use crate::process::{process_claims, Adjudicating};
use crate::review::{save_review, update_claims_dedrems, Review};
use crate::submit::{submit_claims, uuids_from_filters, Submitted};
use crate::submit_stats::{record, stats, Kind};
use openimis_sdk::db::DbConnection;
use openimis_sdk::input::{failure, logged_in_with, parse, permitted_or_denied};
use openimis_sdk::mutation::{input_of, run_logged_linked, threw, unknown, MutationError};
use openimis_sdk::mutation_link;
use openimis_sdk::transaction::in_transaction;
use openimis_sdk::{HostHandle, ModuleError, RequestContext, ResolveRequest};
use serde_json::{Map, Value};

type Errors = Vec<MutationError>;

/// claim's link table.
const LINKS: mutation_link::LinkTable = ("claim_ClaimMutation", "claim_id");

/// The mutations claim serves.
const NAMES: [&str; 17] = [
    "createClaim",
    "updateClaim",
    "createClaimAttachment",
    "updateClaimAttachment",
    "deleteClaimAttachment",
    "submitClaims",
    "selectClaimsForFeedback",
    "deliverClaimFeedback",
    "bypassClaimsFeedback",
    "skipClaimsFeedback",
    "selectClaimsForReview",
    "saveClaimReview",
    "deliverClaimsReview",
    "bypassClaimsReview",
    "skipClaimsReview",
    "processClaims",
    "deleteClaims",
];

/// Whether `field` is one of claim's root mutations.
pub fn serves(field: &str) -> bool {
    NAMES.contains(&field)
}

/// A module error met while mutating: recorded with its message.
fn recorded(e: ModuleError) -> Errors {
    vec![MutationError::new(e.message.to_string())]
}

/// `on_claim_mutation`: every claim (any validity) the input's `uuids`, else its `claimUuid`,
/// name is linked to the new log.
fn link_named(
    conn: &mut DbConnection,
    input: &Map<String, Value>,
    log: &str,
) -> Result<(), ModuleError> {
    let mut uuids: Vec<String> = mutation_link::named_uuids(input)
        .into_iter()
        .map(str::to_owned)
        .collect();
    if uuids.is_empty() {
        let one = input.get("claimUuid").and_then(Value::as_str);
        uuids.extend(one.filter(|u| !u.is_empty()).map(str::to_owned));
    }
    for claim in claims_named(conn, &uuids, ANY)? {
        mutation_link::link(conn, LINKS, i64::from(claim.id), log)?;
    }
    Ok(())
}

/// Runs `work` in one transaction; its findings (`Ok` with errors) are kept and recorded.
fn kept(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> Result<Errors, Errors>,
) -> Result<(), Errors> {
    let findings = in_transaction(conn, work)?;
    match findings.is_empty() {
        true => Ok(()),
        false => Err(findings),
    }
}

/// Runs `work` in one transaction, rolled back when it answers errors.
fn all_or_nothing(
    conn: &mut DbConnection,
    work: impl FnOnce(&mut DbConnection) -> Result<Errors, ModuleError>,
) -> Result<(), Errors> {
    in_transaction(conn, |conn| {
        let errors = work(conn).map_err(recorded)?;
        match errors.is_empty() {
            true => Ok(()),
            false => Err(errors),
        }
    })
}

/// The input's `uuids` as the original reads `data["uuids"]`: absent is `KeyError`, null a
/// `TypeError` (iterating `None`).
fn required_uuids(map: &Map<String, Value>) -> Result<Vec<String>, Errors> {
    match map.get("uuids") {
        None => Err(vec![threw("KeyError")]),
        Some(Value::Null) => Err(vec![threw("TypeError")]),
        Some(_) => inputs::uuids(map)
            .map(Option::unwrap_or_default)
            .map_err(|d| vec![MutationError::new(d)]),
    }
}

/// `CreateClaimMutation` / `UpdateClaimMutation`.
fn save_claim(
    host: &HostHandle,
    conn: &mut DbConnection,
    map: &Map<String, Value>,
    context: &RequestContext,
    create: bool,
    log: &str,
) -> Result<(), Errors> {
    let (message, right) = match create {
        true => (CREATE_FAILED, CREATE),
        false => (UPDATE_FAILED, UPDATE),
    };
    logged_in_with(context, right, message)?;
    let input: ClaimInput = parse(map).map_err(|d| failure(message, d))?;
    let config = Config::of(host).map_err(recorded)?;
    let saving = Saving {
        input: &input,
        raw: map,
        audit: audit_user(context),
        create,
        may_restore: context.holds(crate::manifest::RESTORE),
        config: &config,
    };
    in_transaction(conn, |conn| {
        let saved = save(conn, &saving).map_err(|d| failure(message, d))?;
        if create {
            let place = Place {
                claim: saved.id,
                root: config.claim_attachments_root_path.as_deref(),
                domains: &config.allowed_domains_attachments,
            };
            for attachment in input.attachments.iter().flatten().flatten() {
                attachment_save::create(conn, &place, attachment)
                    .map_err(|d| failure(message, d))?;
            }
            if input.autogenerate == Some(true) {
                record_code(conn, log, &saved.code).map_err(recorded)?;
            }
        }
        Ok(())
    })
}

/// `CreateAttachmentMutation`.
fn create_attachment(
    host: &HostHandle,
    conn: &mut DbConnection,
    map: &Map<String, Value>,
    context: &RequestContext,
) -> Result<(), Errors> {
    if !context.is_authenticated() || !context.holds(UPDATE) {
        return Err(failure(ATTACH_FAILED, UNAUTHORIZED));
    }
    let config = Config::of(host).map_err(recorded)?;
    let scope =
        Scope::of(host, context).map_err(|e| failure(ATTACH_FAILED, e.message.to_string()))?;
    let mut data = map.clone();
    for popped in [
        "clientMutationId",
        "clientMutationLabel",
        "mutationExtensions",
    ] {
        data.remove(popped);
    }
    let claim_uuid = data.remove("claimUuid");
    let claim_uuid = claim_uuid
        .as_ref()
        .and_then(Value::as_str)
        .unwrap_or_default();
    in_transaction(conn, |conn| {
        let condition = format!("{VALID} AND {}", scope.facility_condition(r#"c."HFID""#));
        let claim = claim_named(conn, claim_uuid, &condition).map_err(recorded)?;
        let Some(claim) = claim else {
            return Err(failure(ATTACH_FAILED, UNAUTHORIZED));
        };
        let place = Place {
            claim: claim.id,
            root: config.claim_attachments_root_path.as_deref(),
            domains: &config.allowed_domains_attachments,
        };
        attachment_save::create(conn, &place, &data).map_err(|d| failure(ATTACH_FAILED, d))
    })
}

/// The attachment an update or delete names, as the original's queryset finds it (`None`
/// when the original fails before the attachment is known: `UnboundLocalError` in its
/// `except`, or `AttributeError` on a `None` attachment).
fn named_attachment(
    conn: &mut DbConnection,
    map: &Map<String, Value>,
    scope: &Scope,
    restricted_fails: bool,
) -> Result<attachment_save::Found, Errors> {
    let unbound = || vec![threw("UnboundLocalError")];
    let id = match map.get("id") {
        Some(Value::String(id)) => id,
        _ => return Err(unbound()),
    };
    if uuid::Uuid::try_parse(id.trim()).is_err() {
        return Err(unbound());
    }
    let condition = scope.facility_condition(r#"c."HFID""#);
    if restricted_fails && condition != "1 = 1" {
        // `health_facility__location` on an attachment: Django's `FieldError`.
        return Err(unbound());
    }
    let found = attachment_save::find(conn, id.trim(), &condition).map_err(recorded)?;
    found.ok_or_else(|| vec![threw("AttributeError")])
}

/// `UpdateAttachmentMutation` / `DeleteAttachmentMutation`.
fn change_attachment(
    host: &HostHandle,
    conn: &mut DbConnection,
    map: &Map<String, Value>,
    context: &RequestContext,
    delete: bool,
) -> Result<(), Errors> {
    if !context.holds(UPDATE) {
        return Err(vec![threw("UnboundLocalError")]);
    }
    let config = Config::of(host).map_err(recorded)?;
    let scope = Scope::of(host, context).map_err(recorded)?;
    in_transaction(conn, |conn| {
        let found = named_attachment(conn, map, &scope, delete)?;
        if delete {
            return attachment_save::delete(conn, &found.id)
                .map_err(|e| failure(ATTACHMENT_DELETE_FAILED, e.message.to_string()));
        }
        let place = Place {
            claim: found.claim,
            root: config.claim_attachments_root_path.as_deref(),
            domains: &config.allowed_domains_attachments,
        };
        attachment_save::update(conn, &found, &place, map)
            .map_err(|d| failure(ATTACHMENT_UPDATE_FAILED, d))
    })
}

/// `SubmitClaimsMutation` (uuids from the filters first, as its decorator runs before it).
fn submit(
    host: &HostHandle,
    conn: &mut DbConnection,
    map: &Map<String, Value>,
    context: &RequestContext,
    log: &str,
) -> Result<(), Errors> {
    let named = inputs::uuids(map).map_err(|d| vec![MutationError::new(d)])?;
    let uuids = match named.filter(|u| !u.is_empty()) {
        Some(uuids) => uuids,
        None => uuids_from_filters(conn, map).map_err(|e| vec![e])?,
    };
    permitted_or_denied(context, SUBMIT)?;
    let scope = Scope::of(host, context).map_err(recorded)?;
    let who = adjudicating(host, context)?;
    kept(conn, |conn| {
        let errors = match submit_claims(conn, &uuids, &scope, who).map_err(recorded)? {
            Submitted::NotAllowed => return Err(vec![threw("claim.services.ClaimSubmitError")]),
            Submitted::Done(errors) => errors,
        };
        let stats = stats(conn, Kind::Submit, &uuids).map_err(recorded)?;
        record(conn, log, &stats).map_err(recorded)?;
        Ok(errors)
    })
}

/// `ProcessClaimsMutation`.
fn process(
    host: &HostHandle,
    conn: &mut DbConnection,
    map: &Map<String, Value>,
    context: &RequestContext,
    log: &str,
) -> Result<(), Errors> {
    permitted_or_denied(context, PROCESS)?;
    let uuids = match map.get("uuids") {
        None | Some(Value::Null) => return Err(vec![threw("TypeError")]),
        Some(_) => required_uuids(map)?,
    };
    let who = adjudicating(host, context)?;
    kept(conn, |conn| {
        let claims = claims_named(conn, &uuids, ANY).map_err(recorded)?;
        let mut remaining: Vec<String> = uuids.iter().map(|u| u.to_uppercase()).collect();
        remaining.retain(|u| !claims.iter().any(|c| c.uuid.to_uppercase() == *u));
        if !remaining.is_empty() {
            return Err(vec![MutationError {
                message: ID_DOES_NOT_EXIST.to_owned(),
                detail: Some(remaining.join(",")),
            }]);
        }
        let errors = process_claims(conn, &claims, who).map_err(recorded)?;
        let stats = stats(conn, Kind::Process, &uuids).map_err(recorded)?;
        record(conn, log, &stats).map_err(recorded)?;
        Ok(errors)
    })
}

/// The feedback and review status mutations.
fn set_status(
    host: &HostHandle,
    conn: &mut DbConnection,
    map: &Map<String, Value>,
    context: &RequestContext,
    (field, status, right): (Field, i32, u32),
) -> Result<(), Errors> {
    permitted_or_denied(context, right)?;
    let uuids = required_uuids(map)?;
    let audit = audit_user(context);
    let who = adjudicating(host, context)?;
    let reviewer = (field == Field::Review && status == DELIVERED).then_some(audit);
    if reviewer.is_none() {
        return all_or_nothing(conn, |conn| {
            set_claims_status(conn, &uuids, field, status, None, audit)
        });
    }
    // `deliverClaimsReview`: the status, then the ded/rem of each claim named (whose
    // exception, an unknown uuid's `TypeError`, wins over the status errors).
    kept(conn, |conn| {
        let errors = set_claims_status(conn, &uuids, field, status, reviewer, audit);
        let errors = errors.map_err(recorded)?;
        let findings = update_claims_dedrems(conn, &uuids, who).map_err(recorded)?;
        let findings = findings.map_err(|thrown| vec![thrown])?;
        match errors.is_empty() {
            true => Ok(findings),
            false => Err(errors.into_iter().chain(findings).collect()),
        }
    })
}

/// `DeliverClaimFeedbackMutation`.
fn deliver_feedback(
    conn: &mut DbConnection,
    map: &Map<String, Value>,
    context: &RequestContext,
) -> Result<(), Errors> {
    if !context.holds(FEEDBACK) {
        return Err(failure(UPDATE_FAILED, UNAUTHORIZED));
    }
    let Some(uuid) = map.get("claimUuid") else {
        return Err(failure(UPDATE_FAILED, key_error("claim_uuid")));
    };
    let uuid = uuid.as_str().unwrap_or_default().to_owned();
    let feedback = map
        .get("feedback")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    let audit = audit_user(context);
    in_transaction(conn, |conn| {
        let Some(claim) = claim_named(conn, &uuid, VALID).map_err(recorded)? else {
            return Err(failure(
                UPDATE_FAILED,
                "Claim matching query does not exist.",
            ));
        };
        deliver(conn, &claim, &feedback, audit).map_err(|d| failure(UPDATE_FAILED, d))
    })
}

/// `SaveClaimReviewMutation`.
fn review(
    host: &HostHandle,
    conn: &mut DbConnection,
    map: &Map<String, Value>,
    context: &RequestContext,
) -> Result<(), Errors> {
    if !context.holds(REVIEW) {
        return Err(failure(UPDATE_FAILED, UNAUTHORIZED));
    }
    let uuid = match map.get("claimUuid") {
        None => return Err(failure(UPDATE_FAILED, key_error("claim_uuid"))),
        Some(value) => {
            let text = value.as_str().unwrap_or("None");
            match uuid::Uuid::try_parse(text.trim()) {
                Ok(parsed) => parsed.hyphenated().to_string(),
                Err(_) => {
                    return Err(failure(
                        UPDATE_FAILED,
                        "badly formed hexadecimal UUID string",
                    ))
                }
            }
        }
    };
    let input: ClaimInput = parse(map).map_err(|d| failure(UPDATE_FAILED, d))?;
    let sent = Review {
        adjustment: map.get("adjustment").and_then(Value::as_str),
        items: input.item_lines(),
        services: input.service_lines(),
        submit: map.get("submitReview") == Some(&Value::Bool(true)),
    };
    let who = adjudicating(host, context)?;
    kept(conn, |conn| {
        let Some(claim) = claim_named(conn, &uuid, VALID).map_err(recorded)? else {
            return Err(failure(
                UPDATE_FAILED,
                "Claim matching query does not exist.",
            ));
        };
        save_review(conn, &claim, &sent, who).map_err(|d| failure(UPDATE_FAILED, d))
    })
}

/// `DeleteClaimsMutation`.
fn delete(
    conn: &mut DbConnection,
    map: &Map<String, Value>,
    context: &RequestContext,
) -> Result<(), Errors> {
    permitted_or_denied(context, DELETE)?;
    let uuids = required_uuids(map)?;
    all_or_nothing(conn, |conn| delete_claims(conn, &uuids))
}

/// The scalars each mutation's input carries, parsed before it is logged.
fn check_scalars(
    host: &HostHandle,
    name: &str,
    input: &Map<String, Value>,
) -> Result<(), ModuleError> {
    match name {
        "createClaim" | "updateClaim" => {
            let config = Config::of(host)?;
            inputs::check_claim(input, config.max_claim_length)
        }
        "createClaimAttachment" | "updateClaimAttachment" => inputs::check_attachment(input),
        "deliverClaimFeedback" => inputs::check_feedback(input.get("feedback")),
        "saveClaimReview" => inputs::check_lines(input),
        _ => Ok(()),
    }
}

/// Who adjudicates: the caller's audit id, and whether the module's configuration disables
/// the validations (`default_validations_disabled`).
fn adjudicating(host: &HostHandle, context: &RequestContext) -> Result<Adjudicating, Errors> {
    let config = Config::of(host).map_err(recorded)?;
    Ok(Adjudicating {
        audit: audit_user(context),
        unvalidated: config.default_validations_disabled,
    })
}

/// Resolves one of claim's mutations.
pub fn resolve(
    host: &HostHandle,
    conn: &mut DbConnection,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    let context = &request.context;
    let name = request.field.name.as_str();
    if !serves(name) {
        return Err(unknown("claim", name));
    }
    check_scalars(host, name, &input_of(request))?;
    let status = |field, status, right| {
        move |conn: &mut DbConnection, map: &Map<String, Value>| {
            set_status(host, conn, map, context, (field, status, right))
        }
    };
    run_logged_linked(
        host,
        request,
        conn,
        link_named,
        |conn, map, log| match name {
            "createClaim" => save_claim(host, conn, map, context, true, log),
            "updateClaim" => save_claim(host, conn, map, context, false, log),
            "createClaimAttachment" => create_attachment(host, conn, map, context),
            "updateClaimAttachment" => change_attachment(host, conn, map, context, false),
            "deleteClaimAttachment" => change_attachment(host, conn, map, context, true),
            "submitClaims" => submit(host, conn, map, context, log),
            "selectClaimsForFeedback" => status(Field::Feedback, SELECTED, UPDATE)(conn, map),
            "bypassClaimsFeedback" => status(Field::Feedback, BYPASSED, UPDATE)(conn, map),
            "skipClaimsFeedback" => status(Field::Feedback, NOT_SELECTED, UPDATE)(conn, map),
            "deliverClaimFeedback" => deliver_feedback(conn, map, context),
            "selectClaimsForReview" => status(Field::Review, SELECTED, UPDATE)(conn, map),
            "bypassClaimsReview" => status(Field::Review, BYPASSED, UPDATE)(conn, map),
            "skipClaimsReview" => status(Field::Review, NOT_SELECTED, UPDATE)(conn, map),
            "deliverClaimsReview" => status(Field::Review, DELIVERED, REVIEW)(conn, map),
            "saveClaimReview" => review(host, conn, map, context),
            "processClaims" => process(host, conn, map, context, log),
            _ => delete(conn, map, context),
        },
    )
}
