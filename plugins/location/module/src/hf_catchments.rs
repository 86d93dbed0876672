//! A facility's catchments on create and update (location.md §5): unchanged ones stay,
//! changed ones move to the facility's history copy and are created anew, missing ones move
//! to the history copy and end.

use crate::specs::CATCHMENT;
use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::sql_filter::Where;
use openimis_sdk::{entity, time, ModuleError};
use serde::Deserialize;
use serde_json::json;

/// One `HealthFacilityCatchmentInputType`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CatchmentInput {
    id: Option<i64>,
    location_id: Option<i64>,
    catchment: Option<i64>,
}

pub fn save(
    conn: &mut Conn,
    wanted: &[Option<CatchmentInput>],
    hf: i64,
    history: Option<i64>,
    audit: i64,
) -> Result<(), ModuleError> {
    let mut w = Where::new();
    w.and(
        r#"c."HFID" = ? AND c."ValidityTo" IS NULL"#,
        [Bind::BigInt(Some(hf))],
    );
    let current = entity::find(conn, &CATCHMENT, &w, "")?;
    let mut kept = Vec::new();
    let stamp = db::timestamp_param(conn);
    let now = time::now();
    for c in wanted.iter().flatten() {
        if let Some(id) = c.id {
            kept.push(id);
            let unchanged = current.iter().any(|x| {
                x["pk"] == id
                    && x["locationPk"].as_i64() == c.location_id
                    && x["catchment"].as_i64() == c.catchment
            });
            if unchanged {
                continue;
            }
            if let Some(history) = history {
                db::execute(
                    conn,
                    r#"UPDATE "tblHFCatchment" SET "HFID" = ? WHERE "HFCatchmentId" = ?"#,
                    &[Bind::BigInt(Some(history)), Bind::BigInt(Some(id))],
                )?;
            }
        }
        let values =
            json!({"healthFacility": hf, "location": c.location_id, "catchment": c.catchment});
        entity::insert(conn, &CATCHMENT, &values, audit)?;
    }
    for gone in current
        .iter()
        .filter_map(|c| c["pk"].as_i64())
        .filter(|id| !kept.contains(id))
    {
        db::execute(
            conn,
            &format!(
                r#"UPDATE "tblHFCatchment" SET "HFID" = ?, "ValidityTo" = {stamp} WHERE "HFCatchmentId" = ?"#
            ),
            &[
                Bind::BigInt(Some(history.unwrap_or(hf))),
                Bind::text(&now),
                Bind::BigInt(Some(gone)),
            ],
        )?;
    }
    Ok(())
}
