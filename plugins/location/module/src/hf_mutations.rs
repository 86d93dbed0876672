//! `createHealthFacility`, `updateHealthFacility` and `deleteHealthFacility` through the
//! mutation log, each in one transaction (`HealthFacilityService`): contract dates and status
//! checked, a unique code, an update saved to history first (catchments follow the rules of
//! location.md §5), a delete ending the facility.

use crate::manifest::{CREATE_HEALTH_FACILITIES, DELETE_HEALTH_FACILITIES, EDIT_HEALTH_FACILITIES};
use crate::mutation_links::{link, link_named_row, Linked};
use crate::rows::{catchments_where, HfRow, HF_COLUMNS};
use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::mutation::{run_logged, run_logged_linked, MutationError};
use openimis_sdk::sql_filter::date_param;
use openimis_sdk::time;
use openimis_sdk::transaction::in_transaction;
use openimis_sdk::versioned::{save_history, VersionedTable};
use openimis_sdk::{HostHandle, ModuleError, RequestContext, ResolveRequest};
use serde_json::{Map, Value};

/// `tblHF` as a versioned table.
pub const HEALTH_FACILITIES: VersionedTable = VersionedTable {
    table: "tblHF",
    id: "HfID",
    uuid: Some("HfUUID"),
    legacy_id: "LegacyID",
    columns: &[
        "HFCode",
        "HFName",
        "AccCode",
        "LegalForm",
        "HFLevel",
        "HFSublevel",
        "LocationId",
        "HFAddress",
        "Phone",
        "Fax",
        "eMail",
        "HFCareType",
        "PLServiceID",
        "PLItemID",
        "OffLine",
        "AuditUserID",
        "ContractStartDate",
        "ContractEndDate",
        "status",
        "ValidityFrom",
        "JsonExt",
    ],
};

const STATUSES: [&str; 4] = ["AC", "IN", "DE", "ID"];

/// The original's `str(ValidationError("x"))`.
fn validation(key: &str) -> String {
    format!("['{key}']")
}

fn text(input: &Map<String, Value>, key: &str) -> Option<String> {
    input
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

fn int(input: &Map<String, Value>, key: &str) -> Option<i32> {
    input
        .get(key)
        .and_then(|v| {
            v.as_i64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        })
        .map(|n| n as i32)
}

fn hf_by_uuid(conn: &mut Conn, uuid: &str) -> Result<Option<HfRow>, ModuleError> {
    let rows: Vec<HfRow> = db::load(
        conn,
        &format!(r#"SELECT {HF_COLUMNS} FROM "tblHF" h WHERE h."HfUUID" = ?"#),
        &[Bind::text(uuid)],
    )?;
    Ok(rows.into_iter().next())
}

fn code_taken(conn: &mut Conn, code: &str) -> Result<bool, ModuleError> {
    Ok(db::count(
        conn,
        r#"SELECT COUNT(*) AS n FROM "tblHF" WHERE "ValidityTo" IS NULL AND "HFCode" = ?"#,
        &[Bind::text(code)],
    )? > 0)
}

/// The checks of `HealthFacilityService.update_or_create` before any write.
fn validate(input: &Map<String, Value>, dates_mandatory: bool) -> Result<(), String> {
    let start = text(input, "contractStartDate");
    let end = text(input, "contractEndDate");
    match (&start, &end) {
        (None, None) if dates_mandatory => {
            return Err(validation("mutation.contract_dates_required"))
        }
        (Some(_), None) | (None, Some(_)) => {
            return Err(validation("mutation.single_date_hf_contract"))
        }
        (Some(s), Some(e)) if e <= s => {
            return Err(validation("mutation.incorrect_hf_contract_date_range"))
        }
        _ => {}
    }
    if let Some(status) = text(input, "status") {
        if !STATUSES.contains(&status.as_str()) {
            return Err(validation("mutation.incorrect_hf_status"));
        }
    }
    if text(input, "code").is_some_and(|c| c.chars().count() > 8) {
        return Err("HF code must be at most 8 characters".into());
    }
    Ok(())
}

/// The columns both the insert and the update write, in this order.
const WRITTEN: [&str; 19] = [
    "HFCode",
    "HFName",
    "AccCode",
    "LegalForm",
    "HFLevel",
    "HFSublevel",
    "LocationId",
    "HFAddress",
    "Phone",
    "Fax",
    "eMail",
    "HFCareType",
    "PLServiceID",
    "PLItemID",
    "OffLine",
    "AuditUserID",
    "ContractStartDate",
    "ContractEndDate",
    "status",
];

fn values(input: &Map<String, Value>, audit: i32) -> Vec<Bind> {
    vec![
        Bind::Text(text(input, "code")),
        Bind::Text(text(input, "name")),
        Bind::Text(text(input, "accCode")),
        Bind::Text(text(input, "legalFormId")),
        Bind::Text(text(input, "level")),
        Bind::Text(text(input, "subLevelId")),
        Bind::Int(int(input, "locationId")),
        Bind::Text(text(input, "address")),
        Bind::Text(text(input, "phone")),
        Bind::Text(text(input, "fax")),
        Bind::Text(text(input, "email")),
        Bind::Text(text(input, "careType")),
        Bind::Int(int(input, "servicesPricelistId")),
        Bind::Int(int(input, "itemsPricelistId")),
        Bind::Bool(Some(input.get("offline") == Some(&Value::Bool(true)))),
        Bind::Int(Some(audit)),
        Bind::Text(text(input, "contractStartDate")),
        Bind::Text(text(input, "contractEndDate")),
        Bind::Text(Some(text(input, "status").unwrap_or_else(|| "AC".into()))),
    ]
}

fn save(
    conn: &mut Conn,
    input: &Map<String, Value>,
    audit: i32,
    existing: Option<&HfRow>,
) -> Result<i32, ModuleError> {
    let date = date_param(conn);
    let marks: Vec<&str> = WRITTEN
        .iter()
        .map(|c| if c.starts_with("Contract") { date } else { "?" })
        .collect();
    match existing {
        Some(hf) => {
            let sets: Vec<String> = WRITTEN
                .iter()
                .zip(&marks)
                .map(|(c, m)| format!(r#""{c}" = {m}"#))
                .collect();
            let mut binds = values(input, audit);
            binds.push(Bind::Int(Some(hf.id)));
            db::execute(
                conn,
                &format!(r#"UPDATE "tblHF" SET {} WHERE "HfID" = ?"#, sets.join(", ")),
                &binds,
            )?;
            Ok(hf.id)
        }
        None => {
            let uuid = text(input, "uuid").unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
            let columns: Vec<String> = WRITTEN.iter().map(|c| format!(r#""{c}""#)).collect();
            let stamp = db::timestamp_param(conn);
            let mut binds = vec![Bind::text(&uuid), Bind::text(time::now())];
            binds.extend(values(input, audit));
            db::execute(
                conn,
                &format!(
                    r#"INSERT INTO "tblHF" ("HfUUID", "ValidityFrom", {}) VALUES (?, {stamp}, {})"#,
                    columns.join(", "),
                    marks.join(", ")
                ),
                &binds,
            )?;
            Ok(hf_by_uuid(conn, &uuid)?.map(|h| h.id).unwrap_or_default())
        }
    }
}

/// The catchment rules: unchanged ones stay, changed ones move to the history copy and are
/// created anew, missing ones move to the history copy and end.
fn catchments(
    conn: &mut Conn,
    input: &Map<String, Value>,
    hf: i32,
    history: Option<i32>,
    audit: i32,
) -> Result<(), ModuleError> {
    let wanted: Vec<&Map<String, Value>> = input
        .get("catchments")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .collect();
    let current = catchments_where(conn, "HFID", &[hf])?;
    let mut kept = Vec::new();
    let stamp = db::timestamp_param(conn);
    let now = time::now();
    for c in &wanted {
        let location = int(c, "locationId");
        let amount = int(c, "catchment");
        if let Some(id) = int(c, "id") {
            kept.push(id);
            let unchanged = current
                .iter()
                .any(|x| x.id == id && Some(x.location_id) == location && x.catchment == amount);
            if unchanged {
                continue;
            }
            if let Some(history) = history {
                db::execute(
                    conn,
                    r#"UPDATE "tblHFCatchment" SET "HFID" = ? WHERE "HFCatchmentId" = ?"#,
                    &[Bind::Int(Some(history)), Bind::Int(Some(id))],
                )?;
            }
        }
        db::execute(
            conn,
            &format!(
                r#"INSERT INTO "tblHFCatchment" ("HFID", "LocationId", "Catchment", "ValidityFrom", "AuditUserId") VALUES (?, ?, ?, {stamp}, ?)"#
            ),
            &[
                Bind::Int(Some(hf)),
                Bind::Int(location),
                Bind::Int(amount),
                Bind::text(&now),
                Bind::Int(Some(audit)),
            ],
        )?;
    }
    for gone in current.iter().filter(|c| !kept.contains(&c.id)) {
        db::execute(
            conn,
            &format!(
                r#"UPDATE "tblHFCatchment" SET "HFID" = ?, "ValidityTo" = {stamp} WHERE "HFCatchmentId" = ?"#
            ),
            &[
                Bind::Int(Some(history.unwrap_or(hf))),
                Bind::text(&now),
                Bind::Int(Some(gone.id)),
            ],
        )?;
    }
    Ok(())
}

/// The original's validation signal: the facility an input's `uuid` names is linked when the
/// mutation is logged, so it answers the mutation's `clientMutationId` while it waits.
fn link_named(conn: &mut Conn, input: &Map<String, Value>, log: &str) -> Result<(), ModuleError> {
    link_named_row(conn, Linked::HealthFacility, input, log)
}

fn allowed(context: &RequestContext, code: u32) -> Result<(), String> {
    if !context.is_authenticated() {
        return Err(validation("mutation.authentication_required"));
    }
    if !context.holds(code) {
        return Err("unauthorized".into());
    }
    Ok(())
}

/// Resolves one of the health facility mutations.
pub fn resolve(
    host: &HostHandle,
    conn: &mut Conn,
    request: &ResolveRequest,
    dates_mandatory: bool,
) -> Result<Value, ModuleError> {
    let context = &request.context;
    let audit = context.interactive_user_id().unwrap_or(0) as i32;
    let create_or_update = |creating: bool| {
        let message = if creating {
            "location.mutation.failed_to_create_health_facility"
        } else {
            "location.mutation.failed_to_update_health_facility"
        };
        move |input: &Map<String, Value>,
              log: &str,
              conn: &mut Conn|
              -> Result<(), Vec<MutationError>> {
            let fail = |d: String| {
                vec![MutationError {
                    message: message.into(),
                    detail: Some(d),
                }]
            };
            let err = |e: ModuleError| fail(e.message.to_string());
            in_transaction(conn, |conn| {
                let code = text(input, "code").unwrap_or_default();
                let existing = match text(input, "uuid") {
                    Some(uuid) if !creating => {
                        Some(hf_by_uuid(conn, &uuid).map_err(err)?.ok_or_else(|| {
                            fail("HealthFacility matching query does not exist.".into())
                        })?)
                    }
                    None if !creating => {
                        return Err(fail(validation(
                            "There is no uuid in updateMutation input!",
                        )))
                    }
                    _ => None,
                };
                if creating && code_taken(conn, &code).map_err(err)? {
                    return Err(fail(validation("mutation.hf_code_duplicated")));
                }
                allowed(
                    context,
                    if creating {
                        CREATE_HEALTH_FACILITIES
                    } else {
                        EDIT_HEALTH_FACILITIES
                    },
                )
                .map_err(fail)?;
                if let Some(hf) = &existing {
                    if hf.code != code && code_taken(conn, &code).map_err(err)? {
                        return Err(fail(validation("mutation.hf_code_duplicated")));
                    }
                    if hf.history.validity.validity_to.is_some() {
                        return Err(fail(validation("cannot_update_historical_hf")));
                    }
                }
                validate(input, dates_mandatory).map_err(fail)?;
                let history = match &existing {
                    Some(hf) => Some(
                        save_history(
                            conn,
                            &HEALTH_FACILITIES,
                            hf.id,
                            &time::now(),
                            &uuid::Uuid::new_v4().to_string(),
                        )
                        .map_err(err)?,
                    ),
                    None => None,
                };
                let id = save(conn, input, audit, existing.as_ref()).map_err(err)?;
                catchments(conn, input, id, history, audit).map_err(err)?;
                // An update's facility was linked when the mutation was logged.
                if creating {
                    link(conn, Linked::HealthFacility, id, log).map_err(err)?;
                }
                Ok(())
            })
        }
    };
    match request.field.name.as_str() {
        "createHealthFacility" => run_logged(host, request, |input, log| {
            create_or_update(true)(input, log, conn)
        }),
        "updateHealthFacility" => {
            run_logged_linked(host, request, conn, link_named, |conn, input, log| {
                create_or_update(false)(input, log, conn)
            })
        }
        "deleteHealthFacility" => {
            run_logged_linked(host, request, conn, link_named, |conn, input, _| {
                let message = "location.mutation.failed_to_delete_health_facility";
                let fail = |d: String| {
                    vec![MutationError {
                        message: message.into(),
                        detail: Some(d),
                    }]
                };
                in_transaction(conn, |conn| {
                    allowed(context, DELETE_HEALTH_FACILITIES).map_err(fail)?;
                    let hf = hf_by_uuid(conn, &text(input, "uuid").unwrap_or_default())
                        .map_err(|e| fail(e.message.to_string()))?
                        .filter(|h| h.history.validity.validity_to.is_none())
                        .ok_or_else(|| {
                            fail("HealthFacility matching query does not exist.".into())
                        })?;
                    let stamp = db::timestamp_param(conn);
                    db::execute(
                        conn,
                        &format!(r#"UPDATE "tblHF" SET "ValidityTo" = {stamp} WHERE "HfID" = ?"#),
                        &[Bind::text(time::now()), Bind::Int(Some(hf.id))],
                    )
                    .map_err(|e| fail(e.message.to_string()))
                    .map(drop)
                })
            })
        }
        other => Err(ModuleError::new(
            "NOT_SUPPORTED",
            format!("location has no mutation {other}"),
        )),
    }
}
