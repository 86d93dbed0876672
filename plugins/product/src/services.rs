//! The services other modules call (policy computes values and dates from a product, claim
//! checks coverage, limits and waiting periods): products by ids, uuids or codes, optionally
//! valid at a moment, with their covered items and services; and the coverage of given
//! medical items and services by one product. The contract is in docs/MODULES.md
//! ("## product").

use crate::specs::{PRODUCT, PRODUCT_ITEM, PRODUCT_SERVICE};
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity::{self, valid_at, EntitySpec, Lookup};
use openimis_sdk::sql_filter::{id_list, Where};
use openimis_sdk::ModuleError;
use serde::Deserialize;
use serde_json::{json, Map, Value};

/// `products.get`: the SDK's [`Lookup`] (exactly one of `ids`, `uuids`, `codes`; `valid_at`
/// a date or time); `details` (default true) adds the covered items and services.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ProductLookup {
    ids: Option<Vec<i64>>,
    uuids: Option<Vec<String>>,
    codes: Option<Vec<String>>,
    valid_at: Option<String>,
    details: Option<bool>,
}

/// `products.coverage`: the product's valid details naming these medical rows.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Coverage {
    product_id: i64,
    #[serde(default)]
    item_ids: Vec<i64>,
    #[serde(default)]
    service_ids: Vec<i64>,
    valid_at: Option<String>,
}

fn bad_payload(method: &str, why: impl std::fmt::Display) -> ModuleError {
    openimis_sdk::service::bad_payload("product", method, why)
}

/// A row for another module: `id` the key, foreign keys as `<name>Id`, stored codes as they are.
fn plain(mut row: Value) -> Value {
    if let Some(object) = row.as_object_mut() {
        let pk = object.remove("pk").unwrap_or(Value::Null);
        object.insert("id".into(), pk);
        let keys: Vec<String> = object
            .keys()
            .filter(|k| k.ends_with("Pk"))
            .cloned()
            .collect();
        for key in keys {
            let fk = object.remove(&key).unwrap_or(Value::Null);
            let name = key.trim_end_matches("Pk");
            object.insert(format!("{name}Id"), fk);
            if object.get(name).is_some_and(Value::is_object) {
                object.remove(name);
            }
        }
    }
    row
}

/// The details of `spec` of products `ids` (valid now, or at `at`), by product id.
fn details(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    column: &str,
    ids: &[i64],
    at: Option<&str>,
) -> Result<Map<String, Value>, ModuleError> {
    let mut w = Where::new();
    w.and(&format!("{} IN ({})", spec.col(column), id_list(ids)), []);
    match at {
        Some(at) => valid_at(conn, spec, at, &mut w)?,
        None => {
            w.and(&format!("{} IS NULL", spec.col("ValidityTo")), []);
        }
    }
    let mut by_product: Map<String, Value> = Map::new();
    for row in entity::find(conn, spec, &w, "")? {
        let product = row["productPk"].to_string();
        let list = by_product.entry(product).or_insert_with(|| json!([]));
        if let Some(list) = list.as_array_mut() {
            list.push(plain(row));
        }
    }
    Ok(by_product)
}

/// The policy helpers of the original's model: `has_cycle`, `has_*_discount`.
fn helpers(row: &mut Value) {
    let set = |v: &Value| !v.is_null() && v != "" && v != 0;
    let has_cycle = (1..=4).any(|n| set(&row[format!("startCycle{n}")]));
    let discount = |perc: &str, period: &str| set(&row[perc]) && set(&row[period]);
    let enrolment = discount("enrolmentDiscountPerc", "enrolmentDiscountPeriod");
    let renewal = discount("renewalDiscountPerc", "renewalDiscountPeriod");
    row["hasCycle"] = json!(has_cycle);
    row["hasEnrolmentDiscount"] = json!(enrolment);
    row["hasRenewalDiscount"] = json!(renewal);
}

fn get(conn: &mut DbConnection, lookup: ProductLookup) -> Result<Value, ModuleError> {
    let w = Lookup {
        ids: lookup.ids,
        uuids: lookup.uuids,
        codes: lookup.codes,
        valid_at: lookup.valid_at.clone(),
    }
    .condition(conn, &PRODUCT, "ProductCode")
    .map_err(|why| bad_payload("products.get", why))?;
    let rows = entity::find(conn, &PRODUCT, &w, "")?;
    let ids: Vec<i64> = rows.iter().filter_map(|r| r["pk"].as_i64()).collect();
    let at = lookup.valid_at.as_deref();
    let (items, services) = match lookup.details.unwrap_or(true) {
        true => (
            details(conn, &PRODUCT_ITEM, "ProdID", &ids, at)?,
            details(conn, &PRODUCT_SERVICE, "ProdID", &ids, at)?,
        ),
        false => (Map::new(), Map::new()),
    };
    let answer = rows.into_iter().map(|row| {
        let key = row["pk"].to_string();
        let mut row = plain(row);
        helpers(&mut row);
        if lookup.details.unwrap_or(true) {
            row["items"] = items.get(&key).cloned().unwrap_or_else(|| json!([]));
            row["services"] = services.get(&key).cloned().unwrap_or_else(|| json!([]));
        }
        row
    });
    Ok(Value::Array(answer.collect()))
}

fn coverage(conn: &mut DbConnection, request: Coverage) -> Result<Value, ModuleError> {
    let at = request.valid_at.as_deref();
    let mut answer = Map::new();
    for (name, spec, column, ids) in [
        ("items", &PRODUCT_ITEM, "ItemID", &request.item_ids),
        (
            "services",
            &PRODUCT_SERVICE,
            "ServiceID",
            &request.service_ids,
        ),
    ] {
        let mut w = Where::new();
        w.and(
            &format!("{} = {}", spec.col("ProdID"), request.product_id),
            [],
        );
        w.ids(&spec.col(column), ids);
        match at {
            Some(at) => valid_at(conn, spec, at, &mut w)?,
            None => {
                w.and(&format!("{} IS NULL", spec.col("ValidityTo")), []);
            }
        }
        let mut covered = Map::new();
        for row in entity::find(conn, spec, &w, "")? {
            let target = row[if name == "items" {
                "itemPk"
            } else {
                "servicePk"
            }]
            .to_string();
            covered.insert(target, plain(row));
        }
        answer.insert(name.into(), Value::Object(covered));
    }
    Ok(Value::Object(answer))
}

/// Answers one of product's services.
pub fn call(conn: &mut DbConnection, method: &str, body: Value) -> Result<Value, ModuleError> {
    match method {
        "products.get" => get(
            conn,
            serde_json::from_value(body).map_err(|e| bad_payload(method, e))?,
        ),
        "products.coverage" => coverage(
            conn,
            serde_json::from_value(body).map_err(|e| bad_payload(method, e))?,
        ),
        other => Err(openimis_sdk::service::unknown("product", other)),
    }
}
