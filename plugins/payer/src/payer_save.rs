//! `create_or_update_payer` inside the mutation's transaction (payer.md §5): a create writes
//! the given fields (any other key of the input is `Payer()`'s `TypeError`), an update finds
//! the payer by uuid whatever its validity, refuses a historical one, copies it to history and
//! sets the fields the input names; then the location by uuid (any validity), the save's
//! checks (`checks.rs`), and the `payer_PayerMutation` link when the input carries a
//! `clientMutationId`. Failures answer the original's exception text (`str(exc)`), which the
//! mutation logs as the detail. An update keeps `ValidityFrom`: the original's
//! `VersionedModel.save` does not restamp it (its code, which the spec does not describe).

use crate::choices::PAYER_TYPES;
use crate::inputs::PayerInput;
use crate::reads::{location_by_uuid, payer_by_uuid, payer_row};
use crate::specs::PAYER;
use openimis_sdk::db::DbConnection;
use openimis_sdk::django::{full_clean, validation_error, Field};
use openimis_sdk::entity;
use openimis_sdk::scalars;
use openimis_sdk::{mutation_link, ModuleError};
use serde_json::{json, Map, Value};

/// The original's `payer_PayerMutation` (`PayerMutation.object_mutated`).
pub const LINKS: (&str, &str) = ("payer_PayerMutation", "payer_id");

/// One save: the typed input, the input as sent (which keys it names), the audit user (the
/// original's `id_for_audit`) and the log to link.
pub struct Saving<'a> {
    pub input: &'a PayerInput,
    pub raw: &'a Map<String, Value>,
    pub audit: i64,
    pub log: Option<&'a str>,
}

fn stored(e: ModuleError) -> String {
    e.message.to_string()
}

/// The payer's `full_clean()`, its fields in the model's order.
fn clean(values: &Map<String, Value>) -> Result<(), String> {
    let text = |name: &str| values.get(name).and_then(Value::as_str);
    full_clean(
        "Payer",
        &[
            Field::text("type", text("type"), 1)
                .required()
                .choices(PAYER_TYPES)
                .check(),
            Field::text("name", text("name"), 100).required().check(),
            Field::text("address", text("address"), 100).check(),
            Field::text("phone", text("phone"), 50).check(),
            Field::text("fax", text("fax"), 50).check(),
            Field::text("email", text("email"), 50).check(),
        ],
    )
}

/// `Location.objects.get(uuid=location_uuid)` when one is given.
fn location(conn: &mut DbConnection, input: &PayerInput) -> Result<Option<i64>, String> {
    let Some(uuid) = &input.location_uuid else {
        return Ok(None);
    };
    let uuid = scalars::uuid("locationUuid", &json!(uuid)).map_err(stored)?;
    let found = location_by_uuid(conn, &uuid).map_err(stored)?;
    found
        .map(Some)
        .ok_or_else(|| "Location matching query does not exist.".to_owned())
}

fn given(saving: &Saving) -> Map<String, Value> {
    let fields = saving.input.given(saving.raw).into_iter();
    fields
        .map(|(name, value)| (name.to_owned(), json!(value)))
        .collect()
}

fn create(conn: &mut DbConnection, saving: &Saving) -> Result<i64, String> {
    // `Payer.objects.create(**data)`: the input's keys the mutation does not pop become
    // keyword arguments; `clientMutationDetails` is the one an input can carry.
    if saving.raw.contains_key("clientMutationDetails") {
        return Err("Payer() got unexpected keyword arguments: 'client_mutation_details'".into());
    }
    let mut values = given(saving);
    clean(&values)?;
    let location = location(conn, saving.input)?;
    values.insert("location".into(), json!(location));
    entity::insert(conn, &PAYER, &Value::Object(values), saving.audit).map_err(stored)
}

fn update(conn: &mut DbConnection, saving: &Saving, uuid: &str) -> Result<i64, String> {
    let uuid = scalars::uuid("uuid", &json!(uuid)).map_err(stored)?;
    let pk = payer_by_uuid(conn, &uuid)
        .map_err(stored)?
        .ok_or_else(|| "Payer matching query does not exist.".to_owned())?;
    let before = payer_row(conn, pk).map_err(stored)?;
    if !before["validityTo"].is_null() {
        return Err(validation_error("Cannot update historical values"));
    }
    entity::copy_to_history(conn, &PAYER, pk).map_err(stored)?;
    let mut values = given(saving);
    if let Some(location) = location(conn, saving.input)? {
        values.insert("location".into(), json!(location));
    }
    let mut saved = before.as_object().cloned().unwrap_or_default();
    saved.extend(values.clone());
    clean(&saved)?;
    let values = Value::Object(values);
    entity::update_in_place(conn, &PAYER, pk, &values, Some(saving.audit)).map_err(stored)?;
    Ok(pk)
}

/// Creates or updates (`input.uuid`) one payer; answers its key.
pub fn save(conn: &mut DbConnection, saving: &Saving) -> Result<i64, String> {
    let pk = match &saving.input.uuid {
        Some(uuid) => update(conn, saving, uuid)?,
        None => create(conn, saving)?,
    };
    if let Some(log) = saving.log {
        mutation_link::link(conn, LINKS, pk, log).map_err(stored)?;
    }
    Ok(pk)
}
