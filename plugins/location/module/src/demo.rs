//! Demo data (`DEMO_DATASET=True`): the original demo tree's shape (two regions, their
//! districts, wards and villages) with a hospital and a health centre per district, the legal
//! forms and sub-levels, every district assigned to core's demo `Admin` and the other demo users'
//! districts and officers' villages. Uuids are fixed
//! (`2ea0e0a0-…-<n>` for the n-th location, `6a3f5b0c-…-<n>` for facilities) so the frontend's
//! recorded operations address real rows. Seeds only an empty location table.

use crate::location_mutations::insert;
use crate::services::replace;
use crate::specs::{Assignment, HEALTH_FACILITY};
use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::entity;
use openimis_sdk::ModuleError;
use serde_json::json;

/// A district: code, name, facility code prefix, `[(ward name, [village names])]`.
type District = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static [&'static str])],
);
/// `[(region code, region name, [district])]`.
type Tree = &'static [(&'static str, &'static str, &'static [District])];

#[rustfmt::skip]
const TREE: Tree = &[
    ("R1", "Region 1", &[
        ("R1D1", "Jambero", "JM", &[("Achi", &["Rachla", "Jaldu"]), ("Majhi", &["Holobo", "Mwanza"])]),
        ("R1D2", "Rapta", "RA", &[("Bumba", &["Sombe", "Lula"])]),
        ("R1D3", "Uptol", "UP", &[("Kitu", &["Tamba", "Rodi"])]),
    ]),
    ("R2", "Tahida", &[
        ("R2D1", "Rajo", "RO", &[("Jaber", &["Utha", "Kalo"])]),
        ("R2D2", "Vida", "VI", &[("Mbele", &["Juilöa", "Fulhui"])]),
    ]),
];

/// `(table, code column, label column, ["code:label"])` of the legal forms and sub-levels.
#[rustfmt::skip]
const CODES: [(&str, &str, &str, &[&str]); 2] = [
    ("tblLegalForms", "LegalFormCode", "LegalForms", &["G:Government", "C:Catholic", "P:Private organization", "R:Protestant"]),
    ("tblHFSublevel", "HFSublevel", "HFSublevelDesc", &["I:Integrated", "N:Normal", "R:Referral"]),
];

/// `(code suffix, name suffix, level, care type)` of the facilities of each district: a hospital
/// takes in- and out-patients (the out-patient items and services of medical's demo are claimed
/// there), a health centre out-patients.
const FACILITIES: [(&str, &str, &str, &str); 2] = [
    ("HOS001", "District Hospital", "H", "B"),
    ("HC001", "Health Centre", "C", "O"),
];

fn location_uuid(n: usize) -> String {
    format!("2ea0e0a0-0000-4000-8000-{n:012x}")
}

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

fn add(
    conn: &mut Conn,
    n: &mut usize,
    code: String,
    name: &str,
    type_code: &str,
    parent: Option<i32>,
) -> Result<i32, ModuleError> {
    *n += 1;
    let values = json!({
        "uuid": location_uuid(*n), "code": code, "name": name, "type": type_code, "parent": parent,
    });
    Ok(insert(conn, &values, None)? as i32)
}

pub fn seed(conn: &mut Conn) -> Result<(), ModuleError> {
    if db::count(conn, r#"SELECT COUNT(*) AS n FROM "tblLocations""#, &[])? > 0 {
        return Ok(());
    }
    for (table, code_column, label_column, rows) in CODES {
        for (n, row) in rows.iter().enumerate() {
            let (code, label) = row.split_once(':').unwrap_or_default();
            db::execute(
                conn,
                &format!(
                    r#"INSERT INTO "{table}" ("{code_column}", "{label_column}", "SortOrder") SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM "{table}" WHERE "{code_column}" = ?)"#
                ),
                &[
                    Bind::text(code),
                    Bind::text(label),
                    Bind::Int(Some(n as i32 + 1)),
                    Bind::text(code),
                ],
            )?;
        }
    }
    let (mut n, mut hf_n) = (0usize, 0x10usize);
    let mut districts = Vec::new();
    for (region_code, region_name, region_districts) in TREE {
        let region = add(conn, &mut n, (*region_code).into(), region_name, "R", None)?;
        for (district_code, district_name, prefix, wards) in region_districts.iter() {
            let district = add(
                conn,
                &mut n,
                (*district_code).into(),
                district_name,
                "D",
                Some(region),
            )?;
            districts.push(district);
            for (w, (ward_name, villages)) in wards.iter().enumerate() {
                let ward_code = format!("{district_code}M{}", w + 1);
                let ward = add(
                    conn,
                    &mut n,
                    ward_code.clone(),
                    ward_name,
                    "W",
                    Some(district),
                )?;
                for (v, village_name) in villages.iter().enumerate() {
                    add(
                        conn,
                        &mut n,
                        format!("{ward_code}V{}", v + 1),
                        village_name,
                        "V",
                        Some(ward),
                    )?;
                }
            }
            for (code_suffix, name_suffix, level, care) in FACILITIES {
                hf_n += 1;
                let facility = json!({
                    "uuid": format!("6a3f5b0c-0000-4000-8000-{hf_n:012x}"),
                    "code": format!("{prefix}{code_suffix}"), "name": format!("{district_name} {name_suffix}"),
                    "legalFormId": "G", "level": level, "subLevelId": "I", "location": district,
                    "careType": care, "offline": false, "status": "AC", "phone": format!("0{hf_n}"),
                    "email": format!("{}@demo.openimis.org", prefix.to_lowercase()),
                });
                entity::insert(conn, &HEALTH_FACILITY, &facility, 0)?;
            }
        }
    }
    // core's demo Admin holds every district, as in the original demo database.
    let admins: Vec<Id> = db::load(
        conn,
        r#"SELECT CAST("id" AS BIGINT) AS id FROM "tblUsers" WHERE "LoginName" = 'Admin' AND "ValidityTo" IS NULL"#,
        &[],
    )?;
    for admin in &admins {
        let payload =
            json!({"user_id": admin.id, "district_ids": districts, "audit_user_id": admin.id});
        replace(conn, Assignment::UserDistricts, &payload)?;
    }
    let audit = admins.first().map_or(0, |a| a.id);
    assign(conn, Assignment::UserDistricts, audit)?;
    assign(conn, Assignment::OfficerVillages, audit)
}

/// The districts each of core's other demo users holds, as the original demo's users hold
/// theirs (a manager its region's districts; an officer, a receptionist and a claim
/// administrator the district of their villages or facility), so that a page asked for
/// the logged-in user's regions lists them as the original's lists its own.
#[rustfmt::skip]
const USER_DISTRICTS: [(&str, &[&str]); 4] = [
    ("manager1", &["R1D1", "R1D2", "R1D3"]),
    ("reception1", &["R1D1"]),
    ("E00001", &["R1D1"]),
    ("CA00001", &["R1D1"]),
];

/// The villages core's demo enrolment officers cover, as the original demo's officers do.
#[rustfmt::skip]
const OFFICER_VILLAGES: [(&str, &[&str]); 2] = [
    ("E00001", &["R1D1M1V1", "R1D1M1V2"]),
    ("E00002", &["R1D1M2V1"]),
];

/// Gives core's demo users (`USER_DISTRICTS`) or officers (`OFFICER_VILLAGES`) their places;
/// one not written by core (its demo off) is skipped.
fn assign(conn: &mut Conn, kind: Assignment, audit: i64) -> Result<(), ModuleError> {
    let (holders, holder_sql, holder_key, list_key): (&[(&str, &[&str])], _, _, _) = match kind {
        Assignment::UserDistricts => (
            &USER_DISTRICTS,
            r#"SELECT CAST("id" AS BIGINT) AS id FROM "tblUsers" WHERE "LoginName" = ? AND "ValidityTo" IS NULL"#,
            "user_id",
            "district_ids",
        ),
        Assignment::OfficerVillages => (
            &OFFICER_VILLAGES,
            r#"SELECT CAST("OfficerID" AS BIGINT) AS id FROM "tblOfficer" WHERE "Code" = ? AND "ValidityTo" IS NULL"#,
            "officer_id",
            "village_ids",
        ),
    };
    for (holder, codes) in holders {
        let Some(holder) = db::load::<Id>(conn, holder_sql, &[Bind::text(*holder)])?.pop() else {
            continue;
        };
        let mut places = Vec::new();
        for code in *codes {
            let found: Vec<Id> = db::load(
                conn,
                r#"SELECT CAST("LocationId" AS BIGINT) AS id FROM "tblLocations" WHERE "LocationCode" = ? AND "ValidityTo" IS NULL"#,
                &[Bind::text(*code)],
            )?;
            places.extend(found.into_iter().map(|l| l.id));
        }
        let payload = json!({holder_key: holder.id, list_key: places, "audit_user_id": audit});
        replace(conn, kind, &payload)?;
    }
    Ok(())
}
