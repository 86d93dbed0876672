//! Demo data (`DEMO_DATASET=True`): a few rows of the original's demo database, codes, names,
//! prices and uuids as there, seeded only into empty tables. Their order gives the ids the
//! other demo data and the frontend's recorded operations name: item 1 and service 1 are in
//! medical_pricelist's demo lists (a paracetamol, the general consultation), service 5 and
//! item 9 are the package children of the recorded `createService`, and the recorded
//! update/delete operations name item `0001` and service `A1` by the uuids given here.

use crate::specs::{DIAGNOSIS, ITEM, SERVICE};
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity::{self, EntitySpec};
use openimis_sdk::ModuleError;
use serde_json::{json, Value};

/// `(uuid, code, name, type, package, price)`; care type O, frequency 0, category 15.
const ITEMS: [(&str, &str, &str, &str, &str, &str); 9] = [
    (
        "5b086a53-09ec-49e8-b8c6-dc5a127c2694",
        "0182",
        "PARACETAMOL TABS 500 MG",
        "D",
        "1000 TABLETS",
        "10.00",
    ),
    (
        "d9ad7dea-3be5-40be-9401-e11b94b6ab9a",
        "0181",
        "PARACETAMOL SYRUP 120MG/5MLS,100MLS",
        "D",
        " 24 BOTTLES",
        "890.00",
    ),
    (
        "e0000000-0000-4000-8000-000000000091",
        "0001",
        "ACETYLSALICYLIC ACID (ASPIRIN)  TABS 300MG",
        "D",
        "1000 TABLETS",
        "10.00",
    ),
    (
        "66abfdf1-e537-4362-a435-cb15ab14f644",
        "0002",
        "ADRENALINE 1ML INJ 1MG/ML",
        "D",
        "10 VIALS",
        "1000.00",
    ),
    (
        "8b288d92-3bb9-49cf-9900-980b724b0f70",
        "0006",
        "ALBENDAZOLE TABS 200 MG",
        "D",
        "100 TABLETS",
        "25.00",
    ),
    (
        "45e2c386-2497-4dd5-ab13-8a27aaeb1933",
        "0011",
        "AMOXICILLIN  CAPSULESULES 250MG",
        "D",
        "1000 CAPSULESULESULES",
        "40.00",
    ),
    (
        "7a5aa9be-431a-4115-a711-63475cfe4097",
        "0183",
        "PARAFIN GAUZE DRESSING 10CM X 10CM",
        "D",
        "10 PIECES",
        "350.00",
    ),
    (
        "82cfff93-cef2-40ba-b706-b3a7366ce3f7",
        "0009",
        "AMINOPHYLLINE 10ML INJ 25MG/ML",
        "D",
        "10 VIALS",
        "290.00",
    ),
    (
        "ce66c280-2302-4265-8a9e-ca09520d0ca4",
        "0010",
        "AMITRYPTILINE TABS 25 MG",
        "D",
        "500 TABLETS",
        "80.00",
    ),
];

/// `(uuid, code, name, type, level, price, care type, category, patient category)`.
#[allow(clippy::type_complexity)]
const SERVICES: [(&str, &str, &str, &str, &str, &str, &str, Option<&str>, i64); 5] = [
    (
        "e1000000-0000-4000-8000-000000000092",
        "A1",
        "General Consultation",
        "P",
        "S",
        "400.00",
        "O",
        Some(""),
        15,
    ),
    (
        "de60ca2f-d2d8-4f4e-9f08-f3f718a6fb77",
        "M1",
        "OBG Cervical Cerclage - Shrodikar",
        "C",
        "D",
        "21000.00",
        "B",
        Some("S"),
        14,
    ),
    (
        "034496ec-1957-4400-917d-1076e473c167",
        "I7",
        " SERUM BILIRUBIN - UNCONJUGATED",
        "C",
        "S",
        "1600.00",
        "B",
        Some(""),
        15,
    ),
    (
        "9e604511-3d72-4934-834c-51ef93d84f85",
        "R1",
        "NON-HOSPITAL REGISTRATION",
        "C",
        "V",
        "330.00",
        "O",
        Some(""),
        15,
    ),
    (
        "4720b6bc-3eb6-45ca-9c49-875e3197ee32",
        "M5",
        "OBG Perineal / Genital Repair",
        "C",
        "D",
        "21000.00",
        "B",
        None,
        15,
    ),
];

/// `(code, name, ValidityFrom)`.
const DIAGNOSES: [(&str, &str, &str); 6] = [
    (
        "A000",
        "Cholera due to Vibrio cholerae 01, biovar cholerae",
        "2018-03-19 06:59:00.533",
    ),
    (
        "A001",
        "Cholera due to Vibrio cholerae 01, biovar eltor",
        "2018-03-19 07:02:37.943",
    ),
    ("A009", "Cholera, unspecified", "2018-03-19 07:02:37.97"),
    (
        "A0100",
        "Typhoid fever, unspecified",
        "2018-03-19 07:02:37.983",
    ),
    ("A080", "Rotaviral enteritis", "2018-03-19 07:02:38.63"),
    ("A5217", "General paresis", "2018-03-19 07:02:41.16"),
];

fn rows_in(conn: &mut DbConnection, spec: &EntitySpec) -> Result<i64, ModuleError> {
    db::count(
        conn,
        &format!(r#"SELECT COUNT(*) AS n FROM "{}""#, spec.table),
        &[],
    )
}

/// Sets `column` of row `pk` to the timestamp `at` (the dump's validity dates).
fn stamp(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    pk: i64,
    column: &str,
    at: &str,
) -> Result<(), ModuleError> {
    let param = db::timestamp_param(conn);
    let sql = format!(
        r#"UPDATE "{}" SET "{column}" = {param} WHERE "{}" = ?"#,
        spec.table, spec.key
    );
    db::execute(conn, &sql, &[Bind::text(at), Bind::BigInt(Some(pk))]).map(drop)
}

fn insert(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    values: Value,
    audit: i64,
    from: &str,
) -> Result<i64, ModuleError> {
    let pk = entity::insert(conn, spec, &values, audit)?;
    stamp(conn, spec, pk, "ValidityFrom", from)?;
    Ok(pk)
}

/// Seeds each of the three tables that is empty.
pub fn seed(conn: &mut DbConnection) -> Result<(), ModuleError> {
    if rows_in(conn, &ITEM)? == 0 {
        for (uuid, code, name, kind, package, price) in ITEMS {
            let values = json!({"uuid": uuid, "code": code, "name": name, "type": kind, "package": package,
                "price": price, "careType": "O", "frequency": 0, "patientCategory": 15});
            insert(conn, &ITEM, values, 1, "2017-01-01 00:00:00")?;
        }
    }
    if rows_in(conn, &SERVICE)? == 0 {
        let mut ids = Vec::new();
        for (uuid, code, name, kind, level, price, care, category, patients) in SERVICES {
            let values = json!({"uuid": uuid, "code": code, "name": name, "type": kind, "level": level,
                "price": price, "careType": care, "category": category, "frequency": 0,
                "patientCategory": patients, "packagetype": "S", "manualPrice": false});
            ids.push(insert(conn, &SERVICE, values, 2, "2017-01-01 00:00:00")?);
        }
        // M1's history row, as the dump keeps it: its former patient category.
        let values = json!({"uuid": "4944388b-6390-4da6-b9bd-8824d0354f0c", "code": "M1",
            "name": "OBG Cervical Cerclage - Shrodikar", "type": "C", "level": "D", "price": "21000.00",
            "careType": "B", "frequency": 0, "patientCategory": 15, "packagetype": "S", "manualPrice": false});
        let history = insert(conn, &SERVICE, values, 1, "2016-01-01 00:00:00")?;
        stamp(conn, &SERVICE, history, "ValidityTo", "2016-12-31 00:00:00")?;
        let legacy = format!(
            r#"UPDATE "{}" SET "LegacyID" = ? WHERE "{}" = ?"#,
            SERVICE.table, SERVICE.key
        );
        db::execute(
            conn,
            &legacy,
            &[
                Bind::BigInt(ids.get(1).copied()),
                Bind::BigInt(Some(history)),
            ],
        )?;
    }
    if rows_in(conn, &DIAGNOSIS)? == 0 {
        for (code, name, from) in DIAGNOSES {
            insert(
                conn,
                &DIAGNOSIS,
                json!({"code": code, "name": name}),
                1,
                from,
            )?;
        }
    }
    Ok(())
}
