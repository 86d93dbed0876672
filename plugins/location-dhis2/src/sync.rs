//! Applying organisation units to the location tables in one transaction: units of mapped
//! levels are upserted into `tblLocations` by code (top level first, so parents exist), units
//! of the facility level into `tblHF` under their parent's location. A dry run does the same
//! and rolls back, so its report counts exactly what a real run would change.

use crate::client::OrgUnit;
use crate::config::Dhis2Config;
use diesel::Connection;
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::time;
use openimis_sdk::ModuleError;
use serde_json::{json, Value};
use std::collections::HashMap;

#[derive(diesel::QueryableByName)]
struct Existing {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    id: i32,
}

#[derive(Default)]
struct Report {
    locations_created: usize,
    locations_updated: usize,
    facilities_created: usize,
    facilities_updated: usize,
    skipped: Vec<Value>,
}

/// The code a unit is stored under: its DHIS2 code, else its uid.
fn code_of(unit: &OrgUnit) -> String {
    unit.code
        .clone()
        .filter(|c| !c.trim().is_empty())
        .unwrap_or_else(|| unit.id.clone())
}

fn find(conn: &mut DbConnection, sql: &str, code: &str) -> Result<Option<i32>, ModuleError> {
    let rows: Vec<Existing> = db::load(conn, sql, &[Bind::text(code)])?;
    Ok(rows.first().map(|r| r.id))
}

/// One table the sync writes: its name, key, uuid and code columns.
struct Table {
    name: &'static str,
    key: &'static str,
    uuid: &'static str,
    code: &'static str,
}

const LOCATIONS: Table = Table {
    name: "tblLocations",
    key: "LocationId",
    uuid: "LocationUUID",
    code: "LocationCode",
};

const FACILITIES: Table = Table {
    name: "tblHF",
    key: "HfID",
    uuid: "HfUUID",
    code: "HFCode",
};

/// Updates the valid row of `table` holding `code` with `set`, or inserts one with `set` and
/// `on_insert` (then a new uuid and `ValidityFrom` now). Answers the row's id and whether it
/// was created.
fn upsert(
    conn: &mut DbConnection,
    table: &Table,
    code: &str,
    set: Vec<(&str, Bind)>,
    on_insert: Vec<(&str, Bind)>,
) -> Result<(i32, bool), ModuleError> {
    let Table {
        name,
        key,
        uuid,
        code: code_col,
    } = table;
    let lookup = format!(
        r#"SELECT "{key}" AS id FROM "{name}" WHERE "{code_col}" = ? AND "ValidityTo" IS NULL"#
    );
    if let Some(id) = find(conn, &lookup, code)? {
        let columns: Vec<String> = set.iter().map(|(c, _)| format!(r#""{c}" = ?"#)).collect();
        let mut binds: Vec<Bind> = set.into_iter().map(|(_, b)| b).collect();
        binds.push(Bind::Int(Some(id)));
        let sql = format!(
            r#"UPDATE "{name}" SET {} WHERE "{key}" = ?"#,
            columns.join(", ")
        );
        db::execute(conn, &sql, &binds)?;
        return Ok((id, false));
    }
    let stamp = db::timestamp_param(conn);
    let mut values = vec![
        (*uuid, Bind::text(uuid::Uuid::new_v4().to_string())),
        (*code_col, Bind::text(code)),
    ];
    values.extend(set);
    values.extend(on_insert);
    let columns: Vec<String> = values.iter().map(|(c, _)| format!(r#""{c}""#)).collect();
    let marks = vec!["?"; values.len()].join(", ");
    let mut binds: Vec<Bind> = values.into_iter().map(|(_, b)| b).collect();
    binds.push(Bind::text(time::now()));
    let sql = format!(
        r#"INSERT INTO "{name}" ({}, "ValidityFrom") VALUES ({marks}, {stamp})"#,
        columns.join(", ")
    );
    db::execute(conn, &sql, &binds)?;
    let id = find(conn, &lookup, code)?.ok_or_else(|| {
        ModuleError::new(
            "DHIS2_SYNC",
            format!("{name} row {code} vanished after its insert"),
        )
    })?;
    Ok((id, true))
}

fn upsert_location(
    conn: &mut DbConnection,
    unit: &OrgUnit,
    type_code: &str,
    parent: Option<i32>,
    report: &mut Report,
) -> Result<i32, ModuleError> {
    let name: String = unit.name.chars().take(50).collect();
    let set = vec![
        ("LocationName", Bind::text(name)),
        ("LocationType", Bind::text(type_code)),
        ("ParentLocationId", Bind::Int(parent)),
    ];
    let (id, created) = upsert(conn, &LOCATIONS, &code_of(unit), set, vec![])?;
    *if created {
        &mut report.locations_created
    } else {
        &mut report.locations_updated
    } += 1;
    Ok(id)
}

fn upsert_facility(
    conn: &mut DbConnection,
    config: &Dhis2Config,
    unit: &OrgUnit,
    location: i32,
    report: &mut Report,
) -> Result<(), ModuleError> {
    let code = code_of(unit);
    if code.chars().count() > 8 {
        report.skipped.push(json!({"id": unit.id, "code": code, "reason": "a facility code has at most 8 characters"}));
        return Ok(());
    }
    let name: String = unit.name.chars().take(100).collect();
    let set = vec![
        ("HFName", Bind::text(name)),
        ("LocationId", Bind::Int(Some(location))),
    ];
    let on_insert = vec![
        ("LegalForm", Bind::text(&config.facility_legal_form)),
        ("HFLevel", Bind::text(&config.facility_hf_level)),
        ("HFCareType", Bind::text(&config.facility_care_type)),
        ("OffLine", Bind::Bool(Some(false))),
        ("AuditUserID", Bind::Int(Some(0))),
        ("status", Bind::text("AC")),
    ];
    let (_, created) = upsert(conn, &FACILITIES, &code, set, on_insert)?;
    *if created {
        &mut report.facilities_created
    } else {
        &mut report.facilities_updated
    } += 1;
    Ok(())
}

fn run(
    conn: &mut DbConnection,
    config: &Dhis2Config,
    units: &[OrgUnit],
    report: &mut Report,
) -> Result<(), ModuleError> {
    let mut ordered: Vec<&OrgUnit> = units.iter().collect();
    ordered.sort_by_key(|u| u.level);
    let mut location_of: HashMap<&str, i32> = HashMap::new();
    let parent_of = |unit: &OrgUnit, location_of: &HashMap<&str, i32>| {
        unit.parent
            .as_ref()
            .and_then(|p| location_of.get(p.id.as_str()).copied())
    };
    if config.facility_level.is_some() {
        let legal_form = db::count(
            conn,
            r#"SELECT COUNT(*) AS n FROM "tblLegalForms" WHERE "LegalFormCode" = ?"#,
            &[Bind::text(&config.facility_legal_form)],
        )?;
        if legal_form == 0 {
            db::execute(
                conn,
                r#"INSERT INTO "tblLegalForms" ("LegalFormCode", "LegalForms") VALUES (?, 'DHIS2')"#,
                &[Bind::text(&config.facility_legal_form)],
            )?;
        }
    }
    for unit in ordered {
        if Some(unit.level) == config.facility_level {
            match parent_of(unit, &location_of) {
                Some(location) => upsert_facility(conn, config, unit, location, report)?,
                None => report.skipped.push(json!({"id": unit.id, "code": code_of(unit), "reason": "its parent is not a synchronised location"})),
            }
        } else if let Some(type_code) = config.levels.get(&unit.level) {
            let parent = parent_of(unit, &location_of);
            if unit.parent.is_some() && parent.is_none() && type_code != "R" {
                report.skipped.push(json!({"id": unit.id, "code": code_of(unit), "reason": "its parent is not a synchronised location"}));
                continue;
            }
            let id = upsert_location(conn, unit, type_code, parent, report)?;
            location_of.insert(unit.id.as_str(), id);
        } else {
            report.skipped.push(json!({"id": unit.id, "code": code_of(unit), "reason": format!("level {} is not mapped", unit.level)}));
        }
    }
    Ok(())
}

/// Applies `units` (all of them or nothing); with `dry_run` every change is rolled back.
pub fn apply(
    conn: &mut DbConnection,
    config: &Dhis2Config,
    units: &[OrgUnit],
    dry_run: bool,
) -> Result<Value, ModuleError> {
    let mut report = Report::default();
    let mut failure = None;
    let outcome = conn.transaction::<(), diesel::result::Error, _>(|conn| {
        if let Err(e) = run(conn, config, units, &mut report) {
            failure = Some(e);
            return Err(diesel::result::Error::RollbackTransaction);
        }
        if dry_run {
            return Err(diesel::result::Error::RollbackTransaction);
        }
        Ok(())
    });
    if let Some(e) = failure {
        return Err(e);
    }
    match outcome {
        Ok(()) | Err(diesel::result::Error::RollbackTransaction) => Ok(json!({
            "dry_run": dry_run,
            "organisation_units": units.len(),
            "locations": {"created": report.locations_created, "updated": report.locations_updated},
            "health_facilities": {"created": report.facilities_created, "updated": report.facilities_updated},
            "skipped": report.skipped,
        })),
        Err(e) => Err(db::query_error(e)),
    }
}
