//! `createHealthFacility`, `updateHealthFacility`, `deleteHealthFacility` through the mutation
//! log, each in one transaction (`HealthFacilityService`): dates, status, a unique code checked,
//! an update copied to history first (catchments follow), a delete ending the facility.

use crate::hf_catchments::{self, CatchmentInput};
use crate::manifest::{CREATE_HEALTH_FACILITIES, DELETE_HEALTH_FACILITIES, EDIT_HEALTH_FACILITIES};
use crate::mutation_checks::{allowed, code_free, validation};
use crate::mutation_links::{link, link_named, Linked};
use crate::specs::HEALTH_FACILITY as HF;
use crate::Conn;
use openimis_sdk::db::Bind;
use openimis_sdk::entity;
use openimis_sdk::mutation::{run_logged, run_logged_linked, MutationError};
use openimis_sdk::sql_filter::Where;
use openimis_sdk::transaction::in_transaction;
use openimis_sdk::{HostHandle, ModuleError, RequestContext, ResolveRequest};
use serde::Deserialize;
use serde_json::{json, Map, Value};

const STATUSES: [&str; 4] = ["AC", "IN", "DE", "ID"];
const MISSING: &str = "HealthFacility matching query does not exist.";

/// What the checks read of the input (empty texts are absent, as the original reads them);
/// the written fields are [`HF`]'s, by name.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct HfInput {
    uuid: Option<String>,
    code: Option<String>,
    contract_start_date: Option<String>,
    contract_end_date: Option<String>,
    status: Option<String>,
    catchments: Option<Vec<Option<CatchmentInput>>>,
}

impl HfInput {
    /// The checks of `HealthFacilityService.update_or_create` before any write.
    fn validate(&self, dates_mandatory: bool) -> Result<(), String> {
        match (&self.contract_start_date, &self.contract_end_date) {
            (None, None) if dates_mandatory => Err("mutation.contract_dates_required"),
            (Some(_), None) | (None, Some(_)) => Err("mutation.single_date_hf_contract"),
            (Some(s), Some(e)) if e <= s => Err("mutation.incorrect_hf_contract_date_range"),
            _ => Ok(()),
        }
        .map_err(validation)?;
        if let Some(false) = self.status.as_deref().map(|s| STATUSES.contains(&s)) {
            return Err(validation("mutation.incorrect_hf_status"));
        }
        match self.code.as_deref() {
            Some(c) if c.chars().count() > 8 => Err("HF code must be at most 8 characters".into()),
            _ => Ok(()),
        }
    }
}

/// The input without empty texts, every written field (null when absent, as the original
/// writes them all; `offline` false and `status` `AC` by default).
fn values(map: &Map<String, Value>) -> Map<String, Value> {
    let mut values = map.clone();
    values.retain(|_, v| v != "");
    let mut values = entity::every_field(&HF, &values);
    for (name, default) in [("offline", json!(false)), ("status", json!("AC"))] {
        if values[name].is_null() {
            values[name] = default;
        }
    }
    values
}

/// Creates (the new facility linked to `log`) or updates a facility.
fn save(
    conn: &mut Conn,
    map: &Map<String, Value>,
    context: &RequestContext,
    log: Option<&str>,
    dates: bool,
) -> Result<(), Vec<MutationError>> {
    let creating = log.is_some();
    let fail = entity::failed(match creating {
        true => "location.mutation.failed_to_create_health_facility",
        false => "location.mutation.failed_to_update_health_facility",
    });
    let refuse = |d: String| fail(ModuleError::new("INVALID", d));
    let values = values(map);
    let input: HfInput = entity::input(&values).map_err(|e| vec![e])?;
    let audit = context.interactive_user_id().unwrap_or(0);
    let code = input.code.as_deref().unwrap_or_default();
    let no_uuid = validation("There is no uuid in updateMutation input!");
    in_transaction(conn, |conn| {
        let existing = match input.uuid.as_deref() {
            _ if creating => None,
            None => return Err(refuse(no_uuid)),
            Some(uuid) => {
                let mut w = Where::new();
                w.and(r#"h."HfUUID" = ?"#, [Bind::text(uuid)]);
                let found = entity::find(conn, &HF, &w, "").map_err(&fail)?;
                let missing = || refuse(MISSING.into());
                Some(found.into_iter().next().ok_or_else(missing)?)
            }
        };
        let duplicate = || refuse(validation("mutation.hf_code_duplicated"));
        if creating && !code_free(conn, "tblHF", "HFCode", code).map_err(&fail)? {
            return Err(duplicate());
        }
        let right = [EDIT_HEALTH_FACILITIES, CREATE_HEALTH_FACILITIES][creating as usize];
        allowed(context, right).map_err(&fail)?;
        if let Some(hf) = &existing {
            if hf["code"] != code && !code_free(conn, "tblHF", "HFCode", code).map_err(&fail)? {
                return Err(duplicate());
            }
            if !hf["validityTo"].is_null() {
                return Err(refuse(validation("cannot_update_historical_hf")));
            }
        }
        input.validate(dates).map_err(refuse)?;
        let values = Value::Object(values.clone());
        let pk = existing.and_then(|hf| hf["pk"].as_i64());
        let copy = |pk| entity::copy_to_history(conn, &HF, pk);
        let history = pk.map(copy).transpose().map_err(&fail)?;
        let id = match pk {
            Some(pk) => entity::update_in_place(conn, &HF, pk, &values, Some(audit)).map(|_| pk),
            None => entity::insert(conn, &HF, &values, audit),
        }
        .map_err(&fail)?;
        let catchments = input.catchments.as_deref().unwrap_or_default();
        hf_catchments::save(conn, catchments, id, history, audit).map_err(&fail)?;
        // An update's facility was linked when the mutation was logged.
        let linked = log.map(|log| link(conn, Linked::HealthFacility, id as i32, log));
        linked.unwrap_or(Ok(())).map_err(&fail)
    })
}

fn delete(
    conn: &mut Conn,
    map: &Map<String, Value>,
    context: &RequestContext,
) -> Result<(), Vec<MutationError>> {
    let fail = entity::failed("location.mutation.failed_to_delete_health_facility");
    let uuid = map.get("uuid").and_then(Value::as_str).unwrap_or_default();
    in_transaction(conn, |conn| {
        allowed(context, DELETE_HEALTH_FACILITIES).map_err(&fail)?;
        let gone = || ModuleError::new("NOT_FOUND", MISSING);
        let pk = entity::pk_by_uuid(conn, &HF, uuid).and_then(|pk| pk.ok_or_else(gone));
        pk.and_then(|pk| entity::delete(conn, &HF, pk))
            .map_err(&fail)
    })
}

/// Resolves one of the health facility mutations.
pub fn resolve(
    host: &HostHandle,
    conn: &mut Conn,
    request: &ResolveRequest,
    dates: bool,
) -> Result<Value, ModuleError> {
    let (cx, link) = (&request.context, link_named(Linked::HealthFacility));
    match request.field.name.as_str() {
        "createHealthFacility" => {
            run_logged(host, request, |m, log| save(conn, m, cx, Some(log), dates))
        }
        "updateHealthFacility" => run_logged_linked(host, request, conn, link, |c, m, _| {
            save(c, m, cx, None, dates)
        }),
        _ => run_logged_linked(host, request, conn, link, |c, m, _| delete(c, m, cx)),
    }
}
