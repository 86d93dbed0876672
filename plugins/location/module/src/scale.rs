//! `demo.scale` `{villages: N}`: a large tree for benchmarks (regions of 10 districts of 20
//! wards of 50 villages, one facility per district), inserted level by level in multi-row
//! batches inside one transaction, so 100,000 villages take seconds on SQLite and PostgreSQL.

use crate::Conn;
use diesel::Connection;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::time;
use openimis_sdk::ModuleError;
use serde_json::{json, Value};
use std::collections::HashMap;

const DISTRICTS_PER_REGION: usize = 10;
const WARDS_PER_DISTRICT: usize = 20;
const VILLAGES_PER_WARD: usize = 50;
const BATCH: usize = 500;

#[derive(diesel::QueryableByName)]
struct Coded {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    id: i32,
    #[diesel(sql_type = diesel::sql_types::Text)]
    code: String,
}

/// Inserts `(code, name, parent)` rows of one level in batches; answers code → id.
fn insert_level(
    conn: &mut Conn,
    type_code: &str,
    rows: &[(String, String, Option<i32>)],
    prefix: &str,
) -> Result<HashMap<String, i32>, ModuleError> {
    let now = time::now();
    let stamp = db::timestamp_param(conn);
    for chunk in rows.chunks(BATCH) {
        let values = vec![format!("(?, ?, ?, '{type_code}', ?, {stamp})"); chunk.len()].join(", ");
        let mut binds = Vec::with_capacity(chunk.len() * 5);
        for (code, name, parent) in chunk {
            binds.extend([
                Bind::text(uuid::Uuid::new_v4().to_string()),
                Bind::text(code),
                Bind::text(name),
                Bind::Int(*parent),
                Bind::text(&now),
            ]);
        }
        db::execute(
            conn,
            &format!(
                r#"INSERT INTO "tblLocations" ("LocationUUID", "LocationCode", "LocationName", "LocationType", "ParentLocationId", "ValidityFrom") VALUES {values}"#
            ),
            &binds,
        )?;
    }
    let found: Vec<Coded> = db::load(
        conn,
        r#"SELECT "LocationId" AS id, "LocationCode" AS code FROM "tblLocations" WHERE "LocationType" = ? AND "LocationCode" LIKE ? || '%'"#,
        &[Bind::text(type_code), Bind::text(prefix)],
    )?;
    Ok(found.into_iter().map(|c| (c.code, c.id)).collect())
}

/// Generates the tree; answers how many rows of each kind were added.
pub fn scale(conn: &mut Conn, payload: &Value) -> Result<Value, ModuleError> {
    let villages = payload["villages"].as_u64().unwrap_or(0) as usize;
    if villages == 0 {
        return Err(ModuleError::new(
            "BAD_PAYLOAD",
            "demo.scale needs villages > 0",
        ));
    }
    let per_region = DISTRICTS_PER_REGION * WARDS_PER_DISTRICT * VILLAGES_PER_WARD;
    let regions = villages.div_ceil(per_region);
    // A prefix of its own, so the command can run again on the same database.
    let run = db::count(
        conn,
        r#"SELECT COUNT(*) AS n FROM "tblLocations" WHERE "LocationType" = 'R' AND "LocationCode" LIKE 'S%'"#,
        &[],
    )?;
    let prefix = format!("S{}-", run + 1);
    let result = conn.transaction::<_, diesel::result::Error, _>(|conn| {
        let mut work = || -> Result<Value, ModuleError> {
            let region_rows: Vec<_> = (1..=regions).map(|r| (format!("{prefix}R{r}"), format!("Scale region {r}"), None)).collect();
            let region_ids = insert_level(conn, "R", &region_rows, &prefix)?;
            let mut district_rows = Vec::new();
            for (code, id) in &region_ids {
                for d in 1..=DISTRICTS_PER_REGION {
                    district_rows.push((format!("{code}D{d}"), format!("District {d} of {code}"), Some(*id)));
                }
            }
            let district_ids = insert_level(conn, "D", &district_rows, &prefix)?;
            let mut ward_rows = Vec::new();
            for (code, id) in &district_ids {
                for w in 1..=WARDS_PER_DISTRICT {
                    ward_rows.push((format!("{code}W{w}"), format!("Ward {w}"), Some(*id)));
                }
            }
            let ward_ids = insert_level(conn, "W", &ward_rows, &prefix)?;
            let mut wards: Vec<_> = ward_ids.iter().collect();
            wards.sort();
            let mut village_rows = Vec::with_capacity(villages);
            'outer: for (code, id) in wards {
                for v in 1..=VILLAGES_PER_WARD {
                    if village_rows.len() == villages {
                        break 'outer;
                    }
                    village_rows.push((format!("{code}V{v}"), format!("Village {v}"), Some(*id)));
                }
            }
            insert_level(conn, "V", &village_rows, &prefix)?;
            let legal_form_exists = db::count(conn, r#"SELECT COUNT(*) AS n FROM "tblLegalForms" WHERE "LegalFormCode" = 'G'"#, &[])? > 0;
            if !legal_form_exists {
                db::execute(conn, r#"INSERT INTO "tblLegalForms" ("LegalFormCode", "LegalForms", "SortOrder") VALUES ('G', 'Government', 1)"#, &[])?;
            }
            let stamp = db::timestamp_param(conn);
            let now = time::now();
            let mut districts: Vec<(&String, &i32)> = district_ids.iter().collect();
            districts.sort();
            let mut facility = run as usize * 100_000;
            for chunk in districts.chunks(BATCH) {
                let values = vec![format!("(?, ?, ?, 'G', 'D', ?, 'O', ?, 0, 'AC', {stamp})"); chunk.len()].join(", ");
                let mut binds = Vec::new();
                for (code, id) in chunk {
                    facility += 1;
                    binds.extend([
                        Bind::text(uuid::Uuid::new_v4().to_string()),
                        Bind::text(format!("H{facility:07}")),
                        Bind::text(format!("Dispensary of {code}")),
                        Bind::Int(Some(**id)),
                        Bind::Bool(Some(false)),
                        Bind::text(&now),
                    ]);
                }
                db::execute(
                    conn,
                    &format!(r#"INSERT INTO "tblHF" ("HfUUID", "HFCode", "HFName", "LegalForm", "HFLevel", "LocationId", "HFCareType", "OffLine", "AuditUserID", "status", "ValidityFrom") VALUES {values}"#),
                    &binds,
                )?;
            }
            Ok(json!({"regions": region_ids.len(), "districts": district_ids.len(), "wards": ward_ids.len(), "villages": village_rows.len(), "health_facilities": district_ids.len()}))
        };
        work().map_err(|e| diesel::result::Error::QueryBuilderError(e.message.to_string().into()))
    });
    result.map_err(db::query_error)
}
