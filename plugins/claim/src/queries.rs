//! claim's 10 root queries (claim.md §4, "Resolver semantics"). The rights are the manifest's
//! field rights (111001 for the claim reads; `insureeNameByChfid` 111002 or 111010); the
//! officers' ones (`claimOfficers`, `fspFromClaim`, `claimWithSameDiagnosis`) declare none in
//! the original and ask for a login only; `claimAttachmentType` has no check at all.

use crate::access::Rules;
use crate::attachments;
use crate::filters::{self, Resolver};
use crate::specs::{ATTACHMENT_TYPE, CLAIM};
use openimis_sdk::db::{Bind, DbConnection};
use openimis_sdk::entity::{self, Hooks};
use openimis_sdk::project::project;
use openimis_sdk::scalars;
use openimis_sdk::sql_filter::{bind, As, Where};
use openimis_sdk::{HostHandle, ModuleError, ResolveRequest, SelectionField};
use serde_json::{json, Value};

pub fn resolve(
    host: &HostHandle,
    conn: &mut DbConnection,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    let (field, context) = (&request.field, &request.context);
    // `claimAttachmentType` has no resolver and no check: readable anonymously.
    if field.name == "claimAttachmentType" {
        let rules = Rules::new(host, context);
        return rules.apply(|a| entity::connection(conn, &ATTACHMENT_TYPE, field, Where::new(), a));
    }
    entity::logged_in(context)?;
    let rules = Rules::new(host, context);
    match field.name.as_str() {
        "claims" => {
            let mut field = field.clone();
            let base = filters::claims(conn, &mut field, Resolver::Claims)?;
            rules.apply(|a| entity::connection(conn, &CLAIM, &field, base, a))
        }
        "claimHistory" => claim_history(conn, field, rules.unsecured()),
        "claim" => claim(conn, field, &rules),
        "claimWithSameDiagnosis" => same_diagnosis(conn, field, &rules),
        "claimAttachments" => rules.apply(|a| attachments::connection(conn, field, a)),
        "claimOfficers" => claim_officers(host, field),
        "insureeNameByChfid" => insuree_name(host, field),
        "validateClaimCode" => validate_code(conn, field),
        "fspFromClaim" => first_service_point(host, field),
        other => Err(entity::no_root_field("claim", other)),
    }
}

/// `claimHistory(claimUuid)`: the history copies of the claim (`LegacyID` its key,
/// `ValidityTo` set), without row security; of its own arguments the original reads only
/// `careType`, `attachmentStatus` and `codeIsNot`.
fn claim_history(
    conn: &mut DbConnection,
    field: &SelectionField,
    rules: Rules,
) -> Result<Value, ModuleError> {
    let uuid = match field.arg("claimUuid") {
        Some(Value::String(uuid)) => uuid.to_lowercase(),
        _ => return Err(ModuleError::new("BAD_ARGUMENT", "`claimUuid` is required")),
    };
    let mut field = field.clone();
    let mut base = filters::claims(conn, &mut field, Resolver::History)?;
    base.and(
        r#"c."LegacyID" = (SELECT h."ClaimID" FROM "tblClaim" h WHERE LOWER(CAST(h."ClaimUUID" AS TEXT)) = ?) AND c."ValidityTo" IS NOT NULL"#,
        [Bind::text(uuid)],
    );
    field.args.insert("showHistory".into(), Value::Bool(true));
    rules.apply(|a| entity::connection(conn, &CLAIM, &field, base, a))
}

/// `claim(id, uuid)`: one claim by key or uuid, whatever its validity; `Claim.objects.get`
/// fails when none matches.
fn claim(
    conn: &mut DbConnection,
    field: &SelectionField,
    rules: &Rules,
) -> Result<Value, ModuleError> {
    let mut w = Where::new();
    if let Some(id) = field.arg("id").filter(|v| !v.is_null()) {
        w.and(
            &format!("{} = ?", CLAIM.col("ClaimID")),
            [bind("id", id, As::Int)?],
        );
    } else if let Some(uuid) = scalars::uuid_arg(field, "uuid")? {
        let column = format!("LOWER(CAST({} AS TEXT))", CLAIM.col("ClaimUUID"));
        w.and(&format!("{column} = ?"), [Bind::text(uuid)]);
    } else {
        return Ok(Value::Null);
    }
    let found = entity::find(conn, &CLAIM, &w, "")?;
    let ids: Vec<i64> = found.iter().filter_map(|r| r["pk"].as_i64()).collect();
    let Some(&id) = ids.first() else {
        let text = "Claim matching query does not exist.";
        return Err(ModuleError::new("DOES_NOT_EXIST", text));
    };
    let rows = rules.apply(|a| entity::loaded(conn, &CLAIM, &[id], &field.selection, a))?;
    Ok(rows
        .first()
        .map_or(Value::Null, |row| project(&field.selection, row, "pk")))
}

/// `claimWithSameDiagnosis(icd, chfid)`: the valid claims of the valid insuree with that CHF id
/// whose diagnosis is the valid one with that code, by `dateClaimed` (then key).
fn same_diagnosis(
    conn: &mut DbConnection,
    field: &SelectionField,
    rules: &Rules,
) -> Result<Value, ModuleError> {
    let text = |name: &str| {
        field
            .arg(name)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let mut field = field.clone();
    let mut base = filters::claims(conn, &mut field, Resolver::FilterSet)?;
    base.and(
        r#"c."ICDID" IN (SELECT d."ICDID" FROM "tblICDCodes" d WHERE d."ICDCode" = ? AND d."ValidityTo" IS NULL)
           AND c."InsureeID" IN (SELECT i."InsureeID" FROM "tblInsuree" i WHERE i."CHFID" = ? AND i."ValidityTo" IS NULL)"#,
        [Bind::text(text("icd")), Bind::text(text("chfid"))],
    );
    field.args.remove("icd");
    field.args.remove("chfid");
    field.args.insert("orderBy".into(), json!(["dateClaimed"]));
    rules.apply(|a| entity::connection(conn, &CLAIM, &field, base, a))
}

/// `claimOfficers(search)`: the officers whose code or names contain `search`, through core's
/// `officers.connection` (core owns the officers and completes the nodes).
fn claim_officers(host: &HostHandle, field: &SelectionField) -> Result<Value, ModuleError> {
    let mut inner = field.clone();
    inner.args.remove("search");
    host.call(
        "core",
        "officers.connection",
        &json!({ "field": inner, "search": field.arg("search") }),
    )
}

/// The valid insurees with CHF id `chf_id` (at `valid_at`, else now), from insuree.
fn insurees(
    host: &HostHandle,
    chf_id: &str,
    valid_at: Option<&str>,
) -> Result<Vec<Value>, ModuleError> {
    let mut payload = json!({ "chf_ids": [chf_id] });
    if let Some(at) = valid_at {
        payload["valid_at"] = json!(at);
    }
    let found: Value = host.call("insuree", "insurees.get", &payload)?;
    Ok(found.as_array().cloned().unwrap_or_default())
}

/// `insureeNameByChfid(chfId)`: "OtherNames LastName" of the valid insuree, or "".
fn insuree_name(host: &HostHandle, field: &SelectionField) -> Result<Value, ModuleError> {
    let chf_id = field
        .arg("chfId")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let found = insurees(host, chf_id, None)?;
    Ok(match found.first() {
        Some(insuree) => json!(format!(
            "{} {}",
            insuree["otherNames"].as_str().unwrap_or("None"),
            insuree["lastName"].as_str().unwrap_or("None")
        )),
        None => json!(""),
    })
}

/// `validateClaimCode(claimCode)`: false when a valid claim has the code.
fn validate_code(conn: &mut DbConnection, field: &SelectionField) -> Result<Value, ModuleError> {
    let code = field
        .arg("claimCode")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut w = Where::new();
    w.and(
        &format!(
            "{} = ? AND {} IS NULL",
            CLAIM.col("ClaimCode"),
            CLAIM.col("ValidityTo")
        ),
        [Bind::text(code)],
    );
    let found = entity::find(conn, &CLAIM, &w, "")?;
    Ok(json!(found.is_empty()))
}

/// `fspFromClaim(insureeCode, dateClaimed)`: the first point of service of the insuree valid at
/// that date (a stub of location's facility, null without one). The original fails when no
/// insuree matches (`None.health_facility`).
fn first_service_point(host: &HostHandle, field: &SelectionField) -> Result<Value, ModuleError> {
    let code = field
        .arg("insureeCode")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let date = match field.arg("dateClaimed") {
        Some(value) => scalars::date("dateClaimed", value)?,
        None => {
            return Err(ModuleError::new(
                "BAD_ARGUMENT",
                "`dateClaimed` is required",
            ))
        }
    };
    let found = insurees(host, code, Some(&date))?;
    let Some(insuree) = found.first() else {
        let text = "'NoneType' object has no attribute 'health_facility'";
        return Err(ModuleError::new("ATTRIBUTE_ERROR", text));
    };
    Ok(match insuree["healthFacilityId"].as_i64() {
        Some(pk) => project(&field.selection, &json!({ "pk": pk }), "pk"),
        None => Value::Null,
    })
}
