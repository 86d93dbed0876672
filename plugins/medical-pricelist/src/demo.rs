//! Demo data (`DEMO_DATASET=True`): one services and one items price list (uuids
//! `1d000000-…-1` and `1c000000-…-1`, as the frontend's recorded operations name them), one
//! detail each (service / item 1, medical's first demo rows), attached to the demo facility
//! the frontend's operations name (`6a3f5b0c-…-11`) through location's
//! `health_facilities.set_pricelists`; the services list belongs to that facility's district.
//! Lists and details are valid from the lists' date (2024-01-01). Seeds only empty price-list
//! tables.

use crate::specs::{Pricelist, ITEMS, SERVICES};
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity::{self, EntitySpec};
use openimis_sdk::sql_filter::int_of;
use openimis_sdk::{HostHandle, ModuleError};
use serde_json::{json, Value};

/// The lists' date, from which they and their details are valid.
const LIST_DATE: &str = "2024-01-01";

/// The demo facility the lists are attached to.
pub const FACILITY_UUID: &str = "6a3f5b0c-0000-4000-8000-000000000011";

/// `(kind, uuid, name, price of the one detail)`.
const LISTS: [(&Pricelist, &str, &str, &str); 2] = [
    (
        &SERVICES,
        "1d000000-0000-4000-8000-000000000001",
        "Demo services price list",
        "12.50",
    ),
    (
        &ITEMS,
        "1c000000-0000-4000-8000-000000000001",
        "Demo items price list",
        "3.00",
    ),
];

pub fn seed(host: &HostHandle, conn: &mut DbConnection) -> Result<(), ModuleError> {
    let mut existing = 0;
    for (kind, ..) in LISTS {
        existing += db::count(
            conn,
            &format!(r#"SELECT COUNT(*) AS n FROM "{}""#, kind.list.table),
            &[],
        )?;
    }
    if existing > 0 {
        return Ok(());
    }
    let mut ids = serde_json::Map::new();
    let mut rows = Vec::new();
    for (kind, uuid, name, price) in LISTS {
        let list = json!({"uuid": uuid, "name": name, "pricelistDate": LIST_DATE});
        let id = entity::insert(conn, kind.list, &list, 0)?;
        let detail = json!({ kind.field: id, kind.target: 1, "priceOverrule": price });
        let detail_id = entity::insert(conn, kind.detail, &detail, 0)?;
        ids.insert(kind.key.to_owned(), json!(id));
        rows.extend([(kind.list, id), (kind.detail, detail_id)]);
    }
    let facility: Value = host.call(
        "location",
        "health_facilities.set_pricelists",
        &json!({"uuid": FACILITY_UUID, "services": ids["services"], "items": ids["items"]}),
    )?;
    if let (Some(location), Some(list)) =
        (int_of(&facility["location_id"]), int_of(&ids["services"]))
    {
        let located = json!({ "location": location });
        entity::update_in_place(conn, SERVICES.list, list, &located, Some(0))?;
    }
    for (spec, pk) in rows {
        valid_from_list_date(conn, spec, pk)?;
    }
    Ok(())
}

/// A demo list or detail valid from the lists' date, as the original demo database's are from
/// long before they are used: a claim of the seeding day finds its prices (claim's ded/rem reads
/// the price-list detail valid at the claim's date at midnight, as the original does).
fn valid_from_list_date(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    pk: i64,
) -> Result<(), ModuleError> {
    let stamp = db::timestamp_param(conn);
    let sql = format!(
        r#"UPDATE "{}" SET "ValidityFrom" = {stamp} WHERE "{}" = ?"#,
        spec.table, spec.key
    );
    let binds = [
        Bind::text(format!("{LIST_DATE} 00:00:00")),
        Bind::BigInt(Some(pk)),
    ];
    db::execute(conn, &sql, &binds).map(drop)
}
