//! `create_or_update_product` inside the mutation's transaction: the code (free among valid
//! products when it changes), the checks, then the row (an update copies it to history first,
//! its details and distributions follow to the copy), location and conversion product, items
//! and services, relative distributions, deductibles and ceilings, `ValidityFrom` now, and the
//! `product_ProductMutation` link.

use crate::amount::Amount;
use crate::checks::{self, validation_error, Failure};
use crate::computed::ceiling_suffix;
use crate::details::{save_details, save_distributions, ITEMS, SERVICES};
use crate::enums;
use crate::inputs::ProductInput;
use crate::reads::{code_free, key_by_uuid, pk_by_uuid_any};
use crate::specs::PRODUCT;
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity;
use openimis_sdk::mutation_link;
use openimis_sdk::sql_filter::Where;
use serde_json::{json, Map, Value};

/// The stored product `pk` (any validity).
fn row_of(conn: &mut DbConnection, pk: i64) -> Result<Value, Failure> {
    let mut w = Where::new();
    w.and(&format!("{} = {pk}", PRODUCT.col(PRODUCT.key)), []);
    let rows = entity::find(conn, &PRODUCT, &w, "")?;
    Ok(rows.into_iter().next().unwrap_or(Value::Null))
}

/// `extract_deductibles` / `extract_ceilings`: absent is 0, null stays null.
fn amount(given: &Option<Option<Amount>>) -> Option<Amount> {
    match given {
        None => Some(Amount::zero()),
        Some(value) => value.clone(),
    }
}

fn truthy(value: &Option<Amount>) -> bool {
    value.as_ref().is_some_and(Amount::truthy)
}

/// `set_product_deductible_and_ceiling`: the 18 `ded_*`/`max_*` columns, zero but for the
/// chosen ceiling type's. As the original's code: `max_op_*` takes `ceilingIp` and `max_ip_*`
/// `ceilingOp` (the spec does not mention it; the code wins).
fn ceilings(
    input: &ProductInput,
    ceiling_type: Option<&str>,
) -> Result<Map<String, Value>, Failure> {
    let ded = [
        &input.deductible,
        &input.deductible_ip,
        &input.deductible_op,
    ]
    .map(amount);
    let max = [&input.ceiling, &input.ceiling_ip, &input.ceiling_op].map(amount);
    let both = |v: &[Option<Amount>; 3]| truthy(&v[0]) && (truthy(&v[1]) || truthy(&v[2]));
    if both(&ded) || both(&max) {
        return Err(Failure::Other(
            "Deductibles and ceilings cannot be set for in/out and all at the same time".into(),
        ));
    }
    let chosen = ceiling_type.and_then(ceiling_suffix);
    let mut values = Map::new();
    for code in ["T", "P", "I"] {
        let suffix = ceiling_suffix(code).unwrap_or_default();
        let pick = |v: &Option<Amount>| match chosen == Some(suffix) {
            true => json!(v),
            false => json!("0"),
        };
        for (prefix, value) in [
            ("ded", &ded[0]),
            ("dedIp", &ded[1]),
            ("dedOp", &ded[2]),
            ("max", &max[0]),
            ("maxOp", &max[1]),
            ("maxIp", &max[2]),
        ] {
            values.insert(format!("{prefix}{suffix}"), pick(value));
        }
    }
    Ok(values)
}

/// Saves one product; answers its key. `raw` is the input as sent (which keys it names);
/// `log` the mutation log entry to link when the input carries a `clientMutationId`.
pub fn save(
    conn: &mut DbConnection,
    input: &ProductInput,
    raw: &Map<String, Value>,
    audit: i64,
    log: Option<&str>,
) -> Result<i64, Failure> {
    let current = match &input.uuid {
        Some(uuid) => pk_by_uuid_any(conn, uuid)?,
        None => None,
    };
    let stored = match current {
        Some(pk) => row_of(conn, pk)?,
        None => Value::Null,
    };
    let code = input.scalars.code.clone().unwrap_or_default();
    if stored["code"].as_str() != Some(code.as_str()) && !code_free(conn, &code)? {
        return Err(validation_error("mutation.product_code_duplicated"));
    }
    let (from, to) = checks::before_save(input)?;
    let mut values = input.scalars.values(raw);
    values.insert("dateFrom".into(), json!(from));
    values.insert("dateTo".into(), json!(to));
    let ceiling_type = checks::code(enums::CEILING_TYPE, &input.ceiling_type);
    if raw.contains_key("ceilingType") {
        values.insert("ceilingType".into(), json!(ceiling_type));
    }
    if raw.contains_key("ceilingInterpretation") {
        let interpretation =
            checks::code(enums::CEILING_INTERPRETATION, &input.ceiling_interpretation);
        values.insert("ceilingInterpretation".into(), json!(interpretation));
    }
    let (pk, history) = match (&input.uuid, current) {
        (Some(_), None) => {
            return Err(Failure::Other(
                "Product matching query does not exist.".into(),
            ))
        }
        (Some(_), Some(pk)) => {
            if !stored["validityTo"].is_null() {
                return Err(validation_error("Cannot update historical data."));
            }
            let history = entity::copy_to_history(conn, &PRODUCT, pk)?;
            entity::update_in_place(conn, &PRODUCT, pk, &Value::Object(values), Some(audit))?;
            (pk, Some(history))
        }
        (None, _) => (
            entity::insert(conn, &PRODUCT, &Value::Object(values), audit)?,
            None,
        ),
    };
    let mut after = Map::new();
    if let Some(uuid) = &input.location_uuid {
        let location = key_by_uuid(conn, ("tblLocations", "LocationId", "LocationUUID"), uuid)?;
        let location = location
            .ok_or_else(|| Failure::Other("Location matching query does not exist.".into()))?;
        after.insert("location".into(), json!(location));
    }
    if let Some(uuid) = &input.conversion_product_uuid {
        let other = pk_by_uuid_any(conn, uuid)?
            .ok_or_else(|| Failure::Other("Product matching query does not exist.".into()))?;
        after.insert("conversionProduct".into(), json!(other));
    }
    save_details(conn, &ITEMS, pk, history, &input.items, audit)?;
    save_details(conn, &SERVICES, pk, history, &input.services, audit)?;
    after.extend(save_distributions(
        conn,
        pk,
        history,
        &input.relative_prices,
        audit,
    )?);
    after.extend(ceilings(input, ceiling_type)?);
    entity::update_in_place(conn, &PRODUCT, pk, &Value::Object(after), Some(audit))?;
    entity::restamp(conn, &PRODUCT, pk)?;
    if let Some(log) = log {
        mutation_link::link(conn, ("product_ProductMutation", "product_id"), pk, log)?;
    }
    Ok(pk)
}
