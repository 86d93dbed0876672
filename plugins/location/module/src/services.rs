//! The services location answers other modules (core first): which users sit under a location
//! (`users.filter`), replacing a user's districts or an officer's villages, facilities' locations
//! and price lists, and the facilities matching filters.

use crate::rules::Rules;
use crate::security::Viewer;
use crate::specs::{Assignment, HEALTH_FACILITY};
use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::entity::{self, ids, Hooks};
use openimis_sdk::sql_filter::{id_list, int_of, ints_of, Where};
use openimis_sdk::ModuleError;
use serde_json::{json, Value};

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
            let anchor = format!(
                r#"SELECT "LocationId" FROM "tblLocations" WHERE "LocationId" IN ({})"#,
                id_list(&list)
            );
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
                    r#"SELECT CAST("UserID" AS BIGINT) AS id FROM "tblUsersDistricts" WHERE "ValidityTo" IS NULL AND "LocationId" IN ({districts})"#
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
                r#"SELECT CAST("OfficerId" AS BIGINT) AS id FROM "tblOfficerVillages" WHERE "ValidityTo" IS NULL AND "OfficerId" IS NOT NULL AND "LocationId" IN ({villages})"#
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
    let (holder_key, list_key) = match kind {
        Assignment::UserDistricts => ("user_id", "district_ids"),
        Assignment::OfficerVillages => ("officer_id", "village_ids"),
    };
    let spec = kind.spec();
    let holder_id = int_of(&payload[holder_key])
        .ok_or_else(|| ModuleError::new("BAD_PAYLOAD", format!("{holder_key} is required")))?;
    let wanted: Vec<i64> = ints_of(payload.get(list_key)).unwrap_or_default();
    let audit = int_of(&payload["audit_user_id"]).unwrap_or(0);
    let mut w = Where::new();
    let valid = format!(
        "{} = ? AND {} IS NULL",
        spec.col(kind.holder()),
        spec.col("ValidityTo")
    );
    w.and(&valid, [Bind::BigInt(Some(holder_id))]);
    let current: Vec<(i64, i64)> = entity::find(conn, spec, &w, "")?
        .iter()
        .filter_map(|r| Some((r["pk"].as_i64()?, r["locationPk"].as_i64()?)))
        .collect();
    for (id, _) in current.iter().filter(|(_, at)| !wanted.contains(at)) {
        entity::delete(conn, spec, *id)?;
    }
    for at in wanted
        .iter()
        .filter(|l| !current.iter().any(|(_, at)| at == *l))
    {
        let values = json!({spec.fields[0].name: holder_id, "location": at});
        entity::insert(conn, spec, &values, audit)?;
    }
    Ok(json!({"ok": true}))
}

/// The facilities of `payload.ids` (history rows too).
fn facilities(conn: &mut Conn, payload: &Value) -> Result<Vec<Value>, ModuleError> {
    let mut w = Where::new();
    let ids = ints_of(payload.get("ids")).unwrap_or_default();
    w.ids(&HEALTH_FACILITY.col("HfID"), &ids);
    entity::find(conn, &HEALTH_FACILITY, &w, "")
}

/// `health_facilities.location_ids` `{ids}` → `{"<id>": location id}`.
pub fn health_facility_locations(conn: &mut Conn, payload: &Value) -> Result<Value, ModuleError> {
    let found = facilities(conn, payload)?;
    let map = found
        .iter()
        .map(|f| (f["pk"].to_string(), f["locationPk"].clone()));
    Ok(Value::Object(map.collect()))
}

/// `health_facilities.pricelist_ids` `{ids}` → `{"<id>": {"services": id, "items": id}}`, for
/// the module that owns price lists to resolve `servicesPricelist` / `itemsPricelist`.
pub fn health_facility_pricelists(conn: &mut Conn, payload: &Value) -> Result<Value, ModuleError> {
    let found = facilities(conn, payload)?;
    let map = found.iter().map(|f| {
        let lists = json!({"services": f["servicesPricelistId"], "items": f["itemsPricelistId"]});
        (f["pk"].to_string(), lists)
    });
    Ok(Value::Object(map.collect()))
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
    let Some(pk) = entity::pk_by_uuid(conn, &HEALTH_FACILITY, uuid)? else {
        return Ok(Value::Null);
    };
    let list = |key: &str| Bind::BigInt(int_of(&payload[key]));
    db::execute(
        conn,
        r#"UPDATE "tblHF" SET "PLServiceID" = ?, "PLItemID" = ? WHERE "HfID" = ?"#,
        &[list("services"), list("items"), Bind::BigInt(Some(pk))],
    )?;
    let found = facilities(conn, &json!({ "ids": [pk] }))?;
    Ok(json!({"id": pk, "location_id": found.first().map(|f| f["locationPk"].clone())}))
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
    // Every row unless `valid_only`; no row security (the caller applies its own).
    let history = Value::Bool(payload["valid_only"] != true);
    field.args.insert("showHistory".into(), history);
    let viewer = Viewer::default();
    let rules = Rules::new(&viewer);
    let w = rules.apply(|a| entity::filtered(conn, &HEALTH_FACILITY, &field, Where::new(), a))?;
    let found = ids(
        conn,
        &format!(
            r#"SELECT CAST(h."HfID" AS BIGINT) AS id FROM "tblHF" h WHERE {}"#,
            w.sql()
        ),
        w.binds(),
    )?;
    Ok(json!({ "ids": found }))
}
