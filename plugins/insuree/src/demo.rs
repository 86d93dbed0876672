//! Demo data (`DEMO_DATASET=True`): families of the original demo's shape in location's demo
//! villages, each with a head and one or two members (60 insurees), saved through the
//! mutations' own path into an empty `tblFamilies`, and the demo status reasons. Family 21
//! (uuid `f0000000-…-021`, in Rachla of Jambero) is the one the frontend's recorded operations
//! address: its head `070707070` John Doe (`10000000-…-031`) and a member (`10000000-…-032`).

use crate::config::Config;
use crate::family_save::{self, FamilyInput};
use crate::insuree_save::{self, InsureeInput};
use openimis_sdk::db::{self, DbConnection};
use openimis_sdk::entity;
use openimis_sdk::ModuleError;
use serde_json::{json, Value};

const LAST_NAMES: [&str; 8] = [
    "Doe", "Mwangi", "Okafor", "Ndlovu", "Banda", "Kamau", "Mensah", "Diallo",
];
const FIRST_NAMES: [&str; 8] = [
    "John", "Grace", "Peter", "Amina", "Joseph", "Mary", "Samuel", "Fatima",
];

fn failed(e: String) -> ModuleError {
    ModuleError::new("DEMO_FAILED", e)
}

fn insuree(
    uuid: String,
    chf_id: String,
    (last, first): (&str, &str),
    gender: &str,
    dob: String,
    village: i64,
) -> Value {
    json!({"uuid": uuid, "chfId": chf_id, "lastName": last, "otherNames": first, "genderId": gender,
        "dob": dob, "marital": "M", "currentVillageId": village, "cardIssued": true, "status": "AC",
        "phone": "555-0100", "email": format!("{}@demo.openimis.org", first.to_lowercase())})
}

/// Seeds the demo families into an empty `tblFamilies`, when location's demo villages exist.
pub fn seed(conn: &mut DbConnection) -> Result<(), ModuleError> {
    if db::count(conn, r#"SELECT COUNT(*) AS n FROM "tblFamilies""#, &[])? > 0 {
        return Ok(());
    }
    let sql = r#"SELECT CAST("LocationId" AS BIGINT) AS id FROM "tblLocations" WHERE "LocationType" = 'V' AND "ValidityTo" IS NULL"#;
    let villages = entity::ids(conn, sql, &[])?;
    if villages.is_empty() {
        return Ok(());
    }
    let reasons = r#"INSERT INTO "tblInsureeStatusReason" ("StatusReasonId", "StatusReason", "Code", "status_type") SELECT 1, 'Moved abroad', 'MA', 'IN' WHERE NOT EXISTS (SELECT 1 FROM "tblInsureeStatusReason");
      "#;
    db::execute(conn, reasons, &[])?;
    for (id, name, code, kind) in [
        (2, "Unpaid contribution", "UC", "IN"),
        (3, "Deceased", "DC", "DE"),
    ] {
        let sql = format!(
            r#"INSERT INTO "tblInsureeStatusReason" ("StatusReasonId", "StatusReason", "Code", "status_type") SELECT {id}, '{name}', '{code}', '{kind}' WHERE NOT EXISTS (SELECT 1 FROM "tblInsureeStatusReason" WHERE "StatusReasonId" = {id})"#
        );
        db::execute(conn, &sql, &[])?;
    }
    let config = Config {
        insuree_photos_root_path: String::new(),
        ..Config::default()
    };
    let mut next = 100;
    for n in 1..=24usize {
        let (village, head_uuid, head_chf) = match n {
            21 => (
                villages[0],
                "10000000-0000-4000-8000-000000000031".to_owned(),
                "070707070".to_owned(),
            ),
            _ => {
                next += 1;
                (
                    villages[(n - 1) % villages.len()],
                    format!("10000000-0000-4000-8000-{next:012}"),
                    format!("{:09}", 100_000_000 + n * 10),
                )
            }
        };
        let names = (LAST_NAMES[n % 8], FIRST_NAMES[n % 8]);
        let names = if n == 21 { ("Doe", "John") } else { names };
        let head = insuree(
            head_uuid,
            head_chf,
            names,
            "M",
            format!("{}-05-01", 1960 + n),
            village,
        );
        let family = json!({"uuid": format!("f0000000-0000-4000-8000-{n:012}"), "locationId": village,
            "poverty": n % 3 == 0, "familyTypeId": "H", "address": format!("Plot {n}"),
            "confirmationTypeId": "C", "confirmationNo": format!("CN-{n}"), "headInsuree": head});
        let family: FamilyInput =
            serde_json::from_value(family).map_err(|e| failed(e.to_string()))?;
        let (family_id, _) = family_save::save(conn, &config, &family, 1).map_err(failed)?;
        let count = if n % 2 == 0 { 2 } else { 1 };
        for m in 0..count {
            let uuid = match (n, m) {
                (21, 0) => "10000000-0000-4000-8000-000000000032".to_owned(),
                _ => {
                    next += 1;
                    format!("10000000-0000-4000-8000-{next:012}")
                }
            };
            let names = (names.0, FIRST_NAMES[(n + m + 3) % 8]);
            let mut member = insuree(
                uuid,
                format!("{:09}", 100_000_000 + n * 10 + m + 1),
                names,
                if m == 0 { "F" } else { "M" },
                format!("{}-02-1{m}", 1990 + n),
                village,
            );
            member["familyId"] = json!(family_id);
            member["relationshipId"] = json!(if m == 0 { 8 } else { 4 });
            let member: InsureeInput =
                serde_json::from_value(member).map_err(|e| failed(e.to_string()))?;
            insuree_save::save(conn, &config, &member, 1).map_err(failed)?;
        }
    }
    // The frontend's recorded claim operations ask for John Doe's first point of service at a
    // 2024 date (`fspFromClaim`): his rows are valid from the start of 2024, with the demo
    // facility whose price lists the claims use as that point of service.
    let sql = r#"UPDATE "tblInsuree" SET "ValidityFrom" = '2024-01-01 00:00:00',
        "HFID" = (SELECT h."HfID" FROM "tblHF" h WHERE LOWER(h."HfUUID") = '6a3f5b0c-0000-4000-8000-000000000011' AND h."ValidityTo" IS NULL)
        WHERE "CHFID" = '070707070' AND "ValidityTo" IS NULL"#;
    db::execute(conn, sql, &[])?;
    Ok(())
}
