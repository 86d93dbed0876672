//! The services location answers other modules (core first): which users sit under a location
//! (`users.filter`), replacing a user's districts or an officer's villages, the location of
//! facilities, the facilities matching filters, the references core's types resolve through,
//! and `row_security.scope`.

use crate::rows::{id_list, Assignment};
use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::sql_filter::{int_of, ints_of};
use openimis_sdk::time;
use openimis_sdk::ModuleError;
use serde_json::{json, Map, Value};

#[derive(diesel::QueryableByName)]
struct Pair {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    key: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    value: Option<i64>,
}

#[derive(diesel::QueryableByName)]
struct One {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    key: i64,
}

fn ids(conn: &mut Conn, sql: &str, binds: &[Bind]) -> Result<Vec<i64>, ModuleError> {
    let rows: Vec<One> = db::load(conn, sql, binds)?;
    let mut out: Vec<i64> = rows.into_iter().map(|r| r.key).collect();
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// Locations `levels` steps below the given parent clause: the ids at that depth.
fn below(levels: usize, target: &str) -> String {
    let mut inner = target.to_owned();
    for _ in 0..levels {
        inner = format!(
            r#"SELECT "LocationId" FROM "tblLocations" WHERE "ValidityTo" IS NULL AND "ParentLocationId" IN ({inner})"#
        );
    }
    inner
}

/// `users.filter`: interactive users whose districts, and officers whose villages, lie under
/// the given location (core's `users` resolver location arguments).
pub fn users_filter(conn: &mut Conn, payload: &Value) -> Result<Value, ModuleError> {
    let by_uuid = r#"SELECT "LocationId" FROM "tblLocations" WHERE "LocationUUID" = ? AND "ValidityTo" IS NULL"#;
    // (clause naming the anchor location(s), its binds, level of the anchor: 0 = region .. 3 = village)
    let mut anchors: Vec<(String, Vec<Bind>, usize)> = Vec::new();
    if let Some(uuid) = payload["parent_location"].as_str() {
        let level = payload["parent_location_level"].as_u64().unwrap_or(0) as usize;
        anchors.push((by_uuid.to_owned(), vec![Bind::text(uuid)], level.min(3)));
    } else {
        for (key, level) in [
            ("region_id", 0),
            ("district_id", 1),
            ("municipality_id", 2),
            ("village_id", 3),
        ] {
            if let Some(id) = int_of(&payload[key]) {
                anchors.push((
                    "SELECT CAST(? AS INTEGER)".to_owned(),
                    vec![Bind::BigInt(Some(id))],
                    level,
                ));
            }
        }
        if let Some(list) = ints_of(payload.get("region_ids")) {
            let joined = list
                .iter()
                .map(i64::to_string)
                .collect::<Vec<_>>()
                .join(", ");
            let anchor = if joined.is_empty() {
                "SELECT NULL".to_owned()
            } else {
                format!(
                    r#"SELECT "LocationId" FROM "tblLocations" WHERE "LocationId" IN ({joined})"#
                )
            };
            anchors.push((anchor, Vec::new(), 0));
        }
    }
    let (mut users, mut officers): (Option<Vec<i64>>, Option<Vec<i64>>) = (None, None);
    for (anchor, binds, level) in anchors {
        // Interactive users are attached to districts (level 1): none below a district.
        let found_users = if level <= 1 {
            let districts = below(1 - level, &anchor);
            ids(
                conn,
                &format!(
                    r#"SELECT CAST("UserID" AS BIGINT) AS key FROM "tblUsersDistricts" WHERE "ValidityTo" IS NULL AND "LocationId" IN ({districts})"#
                ),
                &binds,
            )?
        } else {
            Vec::new()
        };
        let villages = below(3 - level, &anchor);
        let found_officers = ids(
            conn,
            &format!(
                r#"SELECT CAST("OfficerId" AS BIGINT) AS key FROM "tblOfficerVillages" WHERE "ValidityTo" IS NULL AND "OfficerId" IS NOT NULL AND "LocationId" IN ({villages})"#
            ),
            &binds,
        )?;
        let keep = |acc: Option<Vec<i64>>, found: Vec<i64>| {
            Some(match acc {
                None => found,
                Some(prev) => prev.into_iter().filter(|i| found.contains(i)).collect(),
            })
        };
        users = keep(users, found_users);
        officers = keep(officers, found_officers);
    }
    Ok(
        json!({"interactive_user_ids": users.unwrap_or_default(), "officer_ids": officers.unwrap_or_default()}),
    )
}

/// `user_districts.replace` / `officer_villages.replace`: end the holder's valid rows that are
/// not in the new list, keep the others, add the missing ones.
pub fn replace(conn: &mut Conn, kind: Assignment, payload: &Value) -> Result<Value, ModuleError> {
    let (holder_key, list_key, table, holder) = match kind {
        Assignment::UserDistricts => ("user_id", "district_ids", "tblUsersDistricts", "UserID"),
        Assignment::OfficerVillages => (
            "officer_id",
            "village_ids",
            "tblOfficerVillages",
            "OfficerId",
        ),
    };
    let holder_id = int_of(&payload[holder_key])
        .ok_or_else(|| ModuleError::new("BAD_PAYLOAD", format!("{holder_key} is required")))?;
    let wanted: Vec<i64> = ints_of(payload.get(list_key)).unwrap_or_default();
    let audit = int_of(&payload["audit_user_id"]).unwrap_or(0);
    let current = kind.load(conn, true, &[holder_id])?;
    let now = time::now();
    let stamp = db::timestamp_param(conn);
    let gone: Vec<i32> = current
        .iter()
        .filter(|r| !wanted.contains(&i64::from(r.location_id)))
        .map(|r| r.id)
        .collect();
    let pk = match kind {
        Assignment::UserDistricts => "UserDistrictID",
        Assignment::OfficerVillages => "OfficerVillageId",
    };
    if !gone.is_empty() {
        db::execute(
            conn,
            &format!(
                r#"UPDATE "{table}" SET "ValidityTo" = {stamp} WHERE "{pk}" IN ({})"#,
                id_list(&gone)
            ),
            &[Bind::text(&now)],
        )?;
    }
    for location in wanted
        .iter()
        .filter(|l| !current.iter().any(|r| i64::from(r.location_id) == **l))
    {
        db::execute(
            conn,
            &format!(
                r#"INSERT INTO "{table}" ("{holder}", "LocationId", "ValidityFrom", "AuditUserID") VALUES (?, ?, {stamp}, ?)"#
            ),
            &[
                Bind::BigInt(Some(holder_id)),
                Bind::Int(Some(*location as i32)),
                Bind::text(&now),
                Bind::Int(Some(audit as i32)),
            ],
        )?;
    }
    Ok(json!({"ok": true}))
}

/// `health_facilities.location_ids` `{ids}` → `{"<id>": location id}`.
pub fn health_facility_locations(conn: &mut Conn, payload: &Value) -> Result<Value, ModuleError> {
    let wanted: Vec<i32> = ints_of(payload.get("ids"))
        .unwrap_or_default()
        .into_iter()
        .map(|i| i as i32)
        .collect();
    let rows: Vec<Pair> = db::load(
        conn,
        &format!(
            r#"SELECT CAST("HfID" AS BIGINT) AS key, CAST("LocationId" AS BIGINT) AS value FROM "tblHF" WHERE "HfID" IN ({})"#,
            id_list(&wanted)
        ),
        &[],
    )?;
    let map: Map<String, Value> = rows
        .into_iter()
        .map(|r| (r.key.to_string(), json!(r.value)))
        .collect();
    Ok(Value::Object(map))
}

/// `health_facilities.pricelist_ids` `{ids}` → `{"<id>": {"services": id, "items": id}}`, for
/// the module that owns price lists to resolve `servicesPricelist` / `itemsPricelist`.
pub fn health_facility_pricelists(conn: &mut Conn, payload: &Value) -> Result<Value, ModuleError> {
    let wanted: Vec<i32> = ints_of(payload.get("ids"))
        .unwrap_or_default()
        .into_iter()
        .map(|i| i as i32)
        .collect();
    let services: Vec<Pair> = db::load(
        conn,
        &format!(
            r#"SELECT CAST("HfID" AS BIGINT) AS key, CAST("PLServiceID" AS BIGINT) AS value FROM "tblHF" WHERE "HfID" IN ({})"#,
            id_list(&wanted)
        ),
        &[],
    )?;
    let items: Vec<Pair> = db::load(
        conn,
        &format!(
            r#"SELECT CAST("HfID" AS BIGINT) AS key, CAST("PLItemID" AS BIGINT) AS value FROM "tblHF" WHERE "HfID" IN ({})"#,
            id_list(&wanted)
        ),
        &[],
    )?;
    let map: Map<String, Value> = services
        .into_iter()
        .map(|s| {
            let item = items.iter().find(|i| i.key == s.key).and_then(|i| i.value);
            (
                s.key.to_string(),
                json!({"services": s.value, "items": item}),
            )
        })
        .collect();
    Ok(Value::Object(map))
}

/// `health_facilities.set_pricelists` `{uuid, services, items}`: attaches price lists to the
/// valid facility with that uuid (medical_pricelist's demo) → `{"id", "location_id"}`, or
/// null when there is no such facility.
pub fn set_health_facility_pricelists(
    conn: &mut Conn,
    payload: &Value,
) -> Result<Value, ModuleError> {
    let uuid = payload["uuid"]
        .as_str()
        .ok_or_else(|| ModuleError::new("BAD_PAYLOAD", "uuid is required"))?;
    let list = |key: &str| Bind::Int(int_of(&payload[key]).map(|i| i as i32));
    db::execute(
        conn,
        r#"UPDATE "tblHF" SET "PLServiceID" = ?, "PLItemID" = ? WHERE "HfUUID" = ? AND "ValidityTo" IS NULL"#,
        &[list("services"), list("items"), Bind::text(uuid)],
    )?;
    let found: Vec<Pair> = db::load(
        conn,
        r#"SELECT CAST("HfID" AS BIGINT) AS key, CAST("LocationId" AS BIGINT) AS value FROM "tblHF" WHERE "HfUUID" = ? AND "ValidityTo" IS NULL"#,
        &[Bind::text(uuid)],
    )?;
    Ok(found.first().map_or(
        Value::Null,
        |f| json!({"id": f.key, "location_id": f.value}),
    ))
}

/// `user_locations.replace` `{user_id?, district_ids?, officer_id?, village_ids?,
/// audit_user_id}`: a user's districts and an officer's villages replaced in one transaction,
/// so core's user mutations get all of it or none (then they undo their own rows).
pub fn replace_user_locations(conn: &mut Conn, payload: &Value) -> Result<Value, ModuleError> {
    let audit = payload["audit_user_id"].clone();
    let mut failed = None;
    let outcome = openimis_sdk::transaction::in_transaction(conn, |tx| {
        let mut work = || -> Result<(), ModuleError> {
            if payload["district_ids"].is_array() && !payload["user_id"].is_null() {
                let part = json!({"user_id": payload["user_id"], "district_ids": payload["district_ids"], "audit_user_id": audit});
                replace(tx, Assignment::UserDistricts, &part)?;
            }
            if payload["village_ids"].is_array() && !payload["officer_id"].is_null() {
                let part = json!({"officer_id": payload["officer_id"], "village_ids": payload["village_ids"], "audit_user_id": audit});
                replace(tx, Assignment::OfficerVillages, &part)?;
            }
            Ok(())
        };
        work().map_err(|e| {
            failed = Some(e);
            Vec::new()
        })
    });
    match (outcome, failed) {
        (Ok(()), _) => Ok(json!({"ok": true})),
        (Err(_), Some(error)) => Err(error),
        (Err(errors), None) => Err(ModuleError::new(
            "DATABASE_ERROR",
            errors
                .iter()
                .map(|e| e.detail.clone().unwrap_or_else(|| e.message.clone()))
                .collect::<Vec<_>>()
                .join("; "),
        )),
    }
}

/// `health_facilities.ids` `{args, valid_only?}` → `{"ids": [...]}`: the facilities matching
/// HealthFacilityGQLType's own filter arguments `args` (`code_Icontains`, `location_Uuid`,
/// ...), for core's `claimAdmins` location and `healthFacility_*` arguments.
pub fn health_facility_ids(conn: &mut Conn, payload: &Value) -> Result<Value, ModuleError> {
    let mut field = openimis_sdk::SelectionField::new("healthFacilities");
    field.args = payload["args"].as_object().cloned().unwrap_or_default();
    let mut w = openimis_sdk::sql_filter::Where::new();
    if payload["valid_only"] == true {
        w.and(r#"h."ValidityTo" IS NULL"#, []);
    }
    crate::filters::health_facility(&field, "", &mut w);
    let found = ids(
        conn,
        &format!(
            r#"SELECT CAST(h."HfID" AS BIGINT) AS key FROM "tblHF" h JOIN "tblLocations" hl ON hl."LocationId" = h."LocationId" WHERE {}"#,
            w.sql()
        ),
        w.binds(),
    )?;
    Ok(json!({ "ids": found }))
}
