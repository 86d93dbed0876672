//! The services other modules call (product, claim, policy): items, services and diagnoses by
//! ids, uuids or codes, optionally valid at a date, and items' and services' prices with a
//! price list's overrides. The contract is in the crate's documentation (lib.rs).

use crate::item_or_service::{ItemOrService, ITEMS, SERVICES};
use crate::pricelist_details::details_of;
use crate::specs::DIAGNOSIS;
use openimis_sdk::db::{Bind, DbConnection};
use openimis_sdk::entity::{self, EntitySpec, Lookup};
use openimis_sdk::sql_filter::{id_list, Where};
use openimis_sdk::{HostHandle, ModuleError};
use serde::Deserialize;
use serde_json::{json, Map, Value};

/// The payload of `*.prices`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PriceLookup {
    ids: Vec<i64>,
    pricelist_id: Option<i64>,
}

fn bad_payload(method: &str, why: impl std::fmt::Display) -> ModuleError {
    openimis_sdk::service::bad_payload("medical", method, why)
}

fn payload<T: for<'de> Deserialize<'de>>(method: &str, payload: Value) -> Result<T, ModuleError> {
    openimis_sdk::service::payload("medical", method, payload)
}

/// The rows of `spec` a lookup names, in key order, each with `id` the integer key.
fn get(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    code_column: &str,
    method: &str,
    lookup: Lookup,
) -> Result<Value, ModuleError> {
    let w = lookup
        .condition(conn, spec, code_column)
        .map_err(|why| bad_payload(method, why))?;
    let rows = entity::find(conn, spec, &w, "")?;
    Ok(Value::Array(
        rows.into_iter()
            .map(|mut row| {
                if let Some(object) = row.as_object_mut() {
                    let pk = object.remove("pk").unwrap_or(Value::Null);
                    object.insert("id".into(), pk);
                }
                row
            })
            .collect(),
    ))
}

/// `{"<id>": {"price", "pricelist_price"}}` for the rows `ids` of `kind`: the row's own price,
/// and the override of the valid price list `pricelist_id`'s valid detail, if any.
fn prices(
    host: &HostHandle,
    conn: &mut DbConnection,
    kind: &ItemOrService,
    request: PriceLookup,
) -> Result<Value, ModuleError> {
    let mut w = Where::new();
    w.ids(&kind.spec.col(kind.key()), &request.ids);
    let rows = entity::find(conn, kind.spec, &w, "")?;
    let mut overrides: Map<String, Value> = Map::new();
    if let (Some(list), true) = (request.pricelist_id, host.is_loaded("medical_pricelist")) {
        let details = details_of(kind);
        let mut w = Where::new();
        w.and(
            &format!(
                r#"{d}."{list_key}" = ? AND {d}."ValidityTo" IS NULL AND {d}."{key}" IN ({ids})
                   AND {d}."{list_key}" IN (SELECT pl."{list_key}" FROM "{lists}" pl WHERE pl."ValidityTo" IS NULL)"#,
                d = details.alias,
                list_key = kind.pricelist_key,
                key = kind.key(),
                ids = id_list(&request.ids),
                lists = kind.pricelist_table,
            ),
            [Bind::BigInt(Some(list))],
        );
        for detail in entity::find(conn, details, &w, "")? {
            if let Some(target) = detail["target"].as_i64() {
                overrides.insert(target.to_string(), detail["priceOverrule"].clone());
            }
        }
    }
    let mut answer = Map::new();
    for row in rows {
        let id = row["pk"].as_i64().unwrap_or_default().to_string();
        let listed = overrides.get(&id).cloned().unwrap_or(Value::Null);
        answer.insert(
            id,
            json!({"price": row["price"], "pricelist_price": listed}),
        );
    }
    Ok(Value::Object(answer))
}

/// Answers one of medical's services.
pub fn call(
    host: &HostHandle,
    conn: &mut DbConnection,
    method: &str,
    body: Value,
) -> Result<Value, ModuleError> {
    match method {
        "items.get" => get(
            conn,
            ITEMS.spec,
            ITEMS.code_column,
            method,
            payload(method, body)?,
        ),
        "services.get" => get(
            conn,
            SERVICES.spec,
            SERVICES.code_column,
            method,
            payload(method, body)?,
        ),
        "diagnoses.get" => get(conn, &DIAGNOSIS, "ICDCode", method, payload(method, body)?),
        "items.prices" => prices(host, conn, &ITEMS, payload(method, body)?),
        "services.prices" => prices(host, conn, &SERVICES, payload(method, body)?),
        other => Err(openimis_sdk::service::unknown("medical", other)),
    }
}
