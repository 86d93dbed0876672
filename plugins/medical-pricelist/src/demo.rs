//! Demo data (`DEMO_DATASET=True`): one services and one items price list (uuids
//! `1d000000-…-1` and `1c000000-…-1`, as the frontend's recorded operations name them), one
//! detail each (service / item 1, medical's first demo rows), attached to the demo facility
//! the frontend's operations name (`6a3f5b0c-…-11`) through location's
//! `health_facilities.set_pricelists`; the services list belongs to that facility's district.
//! Seeds only empty price-list tables.

use crate::kind::Kind;
use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::sql_filter::{date_param, int_of};
use openimis_sdk::time;
use openimis_sdk::{HostHandle, ModuleError};
use serde_json::{json, Value};

/// The demo facility the lists are attached to.
pub const FACILITY_UUID: &str = "6a3f5b0c-0000-4000-8000-000000000011";

/// `(kind, uuid, name, price of the one detail)`.
const LISTS: [(Kind, &str, &str, &str); 2] = [
    (
        Kind::Services,
        "1d000000-0000-4000-8000-000000000001",
        "Demo services price list",
        "12.50",
    ),
    (
        Kind::Items,
        "1c000000-0000-4000-8000-000000000001",
        "Demo items price list",
        "3.00",
    ),
];

fn insert_list(
    conn: &mut Conn,
    kind: Kind,
    uuid: &str,
    name: &str,
    price: &str,
) -> Result<i64, ModuleError> {
    let stamp = db::timestamp_param(conn);
    let date = date_param(conn);
    db::execute(
        conn,
        &format!(
            r#"INSERT INTO "{}" ("{}", "{}", "DatePL", "ValidityFrom", "AuditUserID") VALUES (?, ?, {date}, {stamp}, 0)"#,
            kind.table(),
            kind.uuid_column(),
            kind.name_column()
        ),
        &[
            Bind::text(uuid),
            Bind::text(name),
            Bind::text("2024-01-01"),
            Bind::text(time::now()),
        ],
    )?;
    let id = db::count(
        conn,
        &format!(
            r#"SELECT CAST("{}" AS BIGINT) AS n FROM "{}" WHERE "{}" = ?"#,
            kind.pk(),
            kind.table(),
            kind.uuid_column()
        ),
        &[Bind::text(uuid)],
    )?;
    db::execute(
        conn,
        &format!(
            r#"INSERT INTO "{}" ("{}", "{}", "PriceOverule", "ValidityFrom", "AuditUserID") VALUES (?, 1, CAST(? AS DECIMAL(18, 2)), {stamp}, 0)"#,
            kind.detail_table(),
            kind.pk(),
            kind.target_column()
        ),
        &[
            Bind::Int(Some(id as i32)),
            Bind::text(price),
            Bind::text(time::now()),
        ],
    )?;
    Ok(id)
}

pub fn seed(host: &HostHandle, conn: &mut Conn) -> Result<(), ModuleError> {
    let existing = db::count(conn, r#"SELECT COUNT(*) AS n FROM "tblPLServices""#, &[])?
        + db::count(conn, r#"SELECT COUNT(*) AS n FROM "tblPLItems""#, &[])?;
    if existing > 0 {
        return Ok(());
    }
    let mut ids = serde_json::Map::new();
    for (kind, uuid, name, price) in LISTS {
        ids.insert(
            kind.facility_key().to_owned(),
            json!(insert_list(conn, kind, uuid, name, price)?),
        );
    }
    let facility: Value = host.call(
        "location",
        "health_facilities.set_pricelists",
        &json!({"uuid": FACILITY_UUID, "services": ids["services"], "items": ids["items"]}),
    )?;
    if let (Some(location), Some(list)) =
        (int_of(&facility["location_id"]), int_of(&ids["services"]))
    {
        db::execute(
            conn,
            &format!(
                r#"UPDATE "tblPLServices" SET "LocationId" = {location} WHERE "PLServiceID" = {list}"#
            ),
            &[],
        )?;
    }
    Ok(())
}
