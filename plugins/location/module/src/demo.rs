//! Demo data (`DEMO_DATASET=True`): the original demo tree's shape (two regions, their
//! districts, wards and villages) with a hospital and a health centre per district, the legal
//! forms and sub-levels, and every district assigned to core's demo `Admin`. Uuids are fixed
//! (`2ea0e0a0-…-<n>` for the n-th location, `6a3f5b0c-…-<n>` for facilities) so the frontend's
//! recorded operations address real rows. Seeds only an empty location table.

use crate::location_mutations::insert;
use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::time;
use openimis_sdk::ModuleError;

/// A district: code, name, facility code prefix, `[(ward name, [village names])]`.
type District = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static [&'static str])],
);
/// `[(region code, region name, [district])]`.
type Tree = &'static [(&'static str, &'static str, &'static [District])];

const TREE: Tree = &[
    (
        "R1",
        "Region 1",
        &[
            (
                "R1D1",
                "Jambero",
                "JM",
                &[
                    ("Achi", &["Rachla", "Jaldu"]),
                    ("Majhi", &["Holobo", "Mwanza"]),
                ],
            ),
            ("R1D2", "Rapta", "RA", &[("Bumba", &["Sombe", "Lula"])]),
            ("R1D3", "Uptol", "UP", &[("Kitu", &["Tamba", "Rodi"])]),
        ],
    ),
    (
        "R2",
        "Tahida",
        &[
            ("R2D1", "Rajo", "RO", &[("Jaber", &["Utha", "Kalo"])]),
            ("R2D2", "Vida", "VI", &[("Mbele", &["Juilöa", "Fulhui"])]),
        ],
    ),
];

/// `(code suffix, name suffix, level, care type)` of the facilities of each district.
const FACILITIES: [(&str, &str, &str, &str); 2] = [
    ("HOS001", "District Hospital", "H", "I"),
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
    let id = insert(
        conn,
        &[
            Bind::text(code),
            Bind::text(name),
            Bind::text(type_code),
            Bind::Int(parent),
            Bind::Int(None),
            Bind::Int(None),
            Bind::Int(None),
            Bind::Int(None),
            Bind::Int(None),
        ],
    )?;
    db::execute(
        conn,
        r#"UPDATE "tblLocations" SET "LocationUUID" = ? WHERE "LocationId" = ?"#,
        &[Bind::text(location_uuid(*n)), Bind::Int(Some(id))],
    )?;
    Ok(id)
}

pub fn seed(conn: &mut Conn) -> Result<(), ModuleError> {
    if db::count(conn, r#"SELECT COUNT(*) AS n FROM "tblLocations""#, &[])? > 0 {
        return Ok(());
    }
    for (code, label, order) in [
        ("G", "Government", 1),
        ("C", "Catholic", 2),
        ("P", "Private organization", 3),
        ("R", "Protestant", 4),
    ] {
        db::execute(
            conn,
            r#"INSERT INTO "tblLegalForms" ("LegalFormCode", "LegalForms", "SortOrder") SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM "tblLegalForms" WHERE "LegalFormCode" = ?)"#,
            &[
                Bind::text(code),
                Bind::text(label),
                Bind::Int(Some(order)),
                Bind::text(code),
            ],
        )?;
    }
    for (code, label, order) in [
        ("I", "Integrated", 1),
        ("N", "Normal", 2),
        ("R", "Referral", 3),
    ] {
        db::execute(
            conn,
            r#"INSERT INTO "tblHFSublevel" ("HFSublevel", "HFSublevelDesc", "SortOrder") SELECT ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM "tblHFSublevel" WHERE "HFSublevel" = ?)"#,
            &[
                Bind::text(code),
                Bind::text(label),
                Bind::Int(Some(order)),
                Bind::text(code),
            ],
        )?;
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
                let stamp = db::timestamp_param(conn);
                db::execute(
                    conn,
                    &format!(
                        r#"INSERT INTO "tblHF" ("HfUUID", "HFCode", "HFName", "LegalForm", "HFLevel", "HFSublevel", "LocationId", "HFCareType", "OffLine", "AuditUserID", "status", "Phone", "eMail", "ValidityFrom")
                       VALUES (?, ?, ?, 'G', ?, 'I', ?, ?, ?, 0, 'AC', ?, ?, {stamp})"#
                    ),
                    &[
                        Bind::text(format!("6a3f5b0c-0000-4000-8000-{hf_n:012x}")),
                        Bind::text(format!("{prefix}{code_suffix}")),
                        Bind::text(format!("{district_name} {name_suffix}")),
                        Bind::text(level),
                        Bind::Int(Some(district)),
                        Bind::text(care),
                        Bind::Bool(Some(false)),
                        Bind::text(format!("0{hf_n}")),
                        Bind::text(format!("{}@demo.openimis.org", prefix.to_lowercase())),
                        Bind::text(time::now()),
                    ],
                )?;
            }
        }
    }
    // core's demo Admin holds every district, as in the original demo database.
    let admins: Vec<Id> = db::load(
        conn,
        r#"SELECT CAST("id" AS BIGINT) AS id FROM "tblUsers" WHERE "LoginName" = 'Admin' AND "ValidityTo" IS NULL"#,
        &[],
    )?;
    for admin in admins {
        for district in &districts {
            let stamp = db::timestamp_param(conn);
            db::execute(
                conn,
                &format!(
                    r#"INSERT INTO "tblUsersDistricts" ("UserID", "LocationId", "ValidityFrom", "AuditUserID") VALUES (?, ?, {stamp}, ?)"#
                ),
                &[
                    Bind::BigInt(Some(admin.id)),
                    Bind::Int(Some(*district)),
                    Bind::text(time::now()),
                    Bind::Int(Some(admin.id as i32)),
                ],
            )?;
        }
    }
    Ok(())
}
