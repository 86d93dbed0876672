//! Demo data (`DEMO_DATASET=True`), seeded into an empty `tblPayer`: a payer of each kind but
//! "other" in location's demo places, uuids `b0000000-…-0NN` (`…-061`, Region 1's government,
//! is the one the frontend's recorded operations address; payer 3 is the donor they fund
//! from). The co-operative has an older version, as the original demo's has (`…-066`, ended
//! 2018). Three fundings of product's demo products (`fd000000-…-0NN`), saved by core's demo
//! `Admin`: the government's paid one, the donor's reconciled and pending ones. Without
//! location's, product's or core's demo rows, what needs them is left out.

use crate::choices::{PAID, PENDING, RECONCILED};
use crate::funding_add::{insert, NewFunding};
use crate::specs::PAYER;
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity;
use openimis_sdk::ModuleError;
use serde_json::json;

/// `(uuid suffix, type, name, address, phone, fax, email, location code)`.
type Payer = (
    u32,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
);

#[rustfmt::skip]
const PAYERS: [Payer; 5] = [
    (61, "G", "Government of Region 1", "Regional Health Office, Region 1",
        Some("+255 21 000 0061"), None, Some("health@region1.example.org"), Some("R1")),
    (62, "C", "Coffee Farmers Association",
        "HR Manager\nCoffee Farmers Association\nHolobo 29\nP.B. Box 128\nJambero, Ultha",
        Some("+2552127867576"), Some(""), Some(""), Some("R1D1")),
    (63, "D", "Global Health Donors Fund", "Geneva", Some("+41 22 000 0063"), None,
        Some("grants@ghdf.example.org"), None),
    (64, "L", "Tahida Local Authority", "Tahida Town Hall", Some("+255 24 000 0064"), None,
        None, Some("R2")),
    (65, "P", "Rapta Mining Company", "Rapta", None, Some("+255 25 000 0065"),
        Some("hr@raptamining.example.org"), Some("R1D2")),
];

/// `(uuid suffix, payer uuid suffix, product code, pay date, amount, receipt, status, saved at)`.
type Funding = (
    u32,
    u32,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

#[rustfmt::skip]
const FUNDINGS: [Funding; 3] = [
    (71, 61, "BASIC", "2024-03-01", "25000.00", "GOV-2024-001", PAID, "2024-03-01 09:00:00"),
    (72, 63, "BASIC", "2023-06-30", "12500.50", "DON-2023-007", RECONCILED, "2023-06-30 10:00:00"),
    (73, 63, "FCUL0001", "2024-01-15", "50000.00", "DON-2024-001", PENDING, "2024-01-15 11:00:00"),
];

fn payer_uuid(n: u32) -> String {
    format!("b0000000-0000-4000-8000-{n:012}")
}

fn key(conn: &mut DbConnection, sql: &str, text: &str) -> Result<Option<i64>, ModuleError> {
    Ok(entity::ids(conn, sql, &[Bind::text(text)])?
        .first()
        .copied())
}

#[derive(diesel::QueryableByName)]
struct User {
    #[diesel(sql_type = diesel::sql_types::Text)]
    id: String,
}

/// Sets payer `pk`'s validity (and, for a history row, its uuid and name).
fn stamp(
    conn: &mut DbConnection,
    pk: i64,
    from: &str,
    history: Option<(&str, &str, &str)>,
) -> Result<(), ModuleError> {
    let ts = db::timestamp_param(conn);
    let mut binds = vec![Bind::text(from)];
    let mut sets = format!(r#""ValidityFrom" = {ts}"#);
    if let Some((to, uuid, name)) = history {
        sets.push_str(&format!(
            r#", "ValidityTo" = {ts}, "PayerUUID" = ?, "PayerName" = ?"#
        ));
        binds.extend([Bind::text(to), Bind::text(uuid), Bind::text(name)]);
    }
    binds.push(Bind::BigInt(Some(pk)));
    let sql = format!(r#"UPDATE "tblPayer" SET {sets} WHERE "PayerID" = ?"#);
    db::execute(conn, &sql, &binds).map(drop)
}

/// Seeds the demo payers and fundings into an empty `tblPayer`.
pub fn seed(conn: &mut DbConnection) -> Result<(), ModuleError> {
    if db::count(conn, r#"SELECT COUNT(*) AS n FROM "tblPayer""#, &[])? > 0 {
        return Ok(());
    }
    let location_sql = r#"SELECT "LocationId" AS id FROM "tblLocations" WHERE "LocationCode" = ? AND "ValidityTo" IS NULL"#;
    let mut keys = Vec::new();
    for (n, kind, name, address, phone, fax, email, place) in PAYERS {
        let location = match place {
            Some(code) => key(conn, location_sql, code)?,
            None => None,
        };
        let values = json!({
            "uuid": payer_uuid(n), "type": kind, "name": name, "address": address,
            "phone": phone, "fax": fax, "email": email, "location": location,
        });
        let pk = entity::insert(conn, &PAYER, &values, 1)?;
        stamp(conn, pk, "2019-01-01 00:00:00", None)?;
        keys.push((n, pk));
    }
    // The co-operative's previous version, as the original demo keeps its payer's.
    if let Some(&(_, coop)) = keys.iter().find(|(n, _)| *n == 62) {
        let copy = entity::copy_to_history(conn, &PAYER, coop)?;
        let previous = (
            "2018-12-31 00:00:00",
            &*payer_uuid(66),
            "Coffee Farmers Co-operative",
        );
        stamp(conn, copy, "2016-01-01 00:00:00", Some(previous))?;
    }
    let users: Vec<User> = db::load(
        conn,
        r#"SELECT LOWER(CAST("id" AS TEXT)) AS id FROM "core_User" WHERE "username" = 'Admin'"#,
        &[],
    )?;
    let Some(admin) = users.first() else {
        return Ok(());
    };
    let product_sql = r#"SELECT "ProdID" AS id FROM "tblProduct" WHERE "ProductCode" = ? AND "ValidityTo" IS NULL"#;
    for (n, payer, product, pay_date, amount, receipt, status, at) in FUNDINGS {
        let payer = keys.iter().find(|(k, _)| *k == payer).map(|(_, pk)| *pk);
        let (Some(payer), Some(product)) = (payer, key(conn, product_sql, product)?) else {
            continue;
        };
        let funding = NewFunding {
            uuid: format!("fd000000-0000-4000-8000-{n:012}"),
            payer,
            product,
            pay_date,
            amount: amount.to_owned(),
            receipt,
            status,
            user: &admin.id,
            at: at.to_owned(),
        };
        insert(conn, &funding)?;
    }
    Ok(())
}
