//! One list created or updated from its input, in the original's order: a new name must be
//! free among the valid lists of the kind (on update), the location must exist, the list must
//! exist and be valid (on update), the name must pass the model's checks; then the list is
//! written (an update in place: the original keeps no history of a list) and its details
//! follow.

use crate::detail_changes;
use crate::pricelist_input::PricelistInput;
use crate::references::{self, missing};
use crate::refusal::Refused;
use crate::specs::Pricelist;
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity;
use openimis_sdk::input::validation;
use serde_json::{json, Value};

const HISTORICAL: &str = "User can not edit historical data";

/// The location `input` names, if any.
fn location(conn: &mut DbConnection, input: &PricelistInput) -> Result<Value, Refused> {
    match input.location_id.as_deref().filter(|uuid| !uuid.is_empty()) {
        None => Ok(Value::Null),
        Some(uuid) => match references::location(conn, uuid)? {
            Some(id) => Ok(json!(id)),
            None => Err(Refused::Rule(missing("Location"))),
        },
    }
}

/// Creates (`creating`) or updates the list `input` describes, with its details, and answers
/// its id.
pub fn save(
    conn: &mut DbConnection,
    kind: &Pricelist,
    input: &PricelistInput,
    audit: i64,
    creating: bool,
) -> Result<i64, Refused> {
    let existing = match input.uuid.as_deref() {
        Some(uuid) if !creating => references::list(conn, kind, uuid)?,
        _ => None,
    };
    if let Some(list) = &existing {
        let renamed = list["name"] != input.name.as_str();
        if renamed && references::name_taken(conn, kind, &input.name)? {
            return Err(Refused::Rule(validation(kind.duplicated)));
        }
    }
    let location = location(conn, input)?;
    let [model, ..] = kind.models;
    let pk = match (creating, &existing) {
        (true, _) => None,
        (false, None) => return Err(Refused::Rule(missing(model))),
        (false, Some(list)) if !list["validityTo"].is_null() => {
            return Err(Refused::Rule(validation(HISTORICAL)))
        }
        (false, Some(list)) => list["pk"].as_i64(),
    };
    if let Some(refusal) = input.name_refusal(model) {
        return Err(Refused::Rule(refusal));
    }
    let values = json!({
        "name": input.name, "pricelistDate": input.pricelist_date, "location": location,
    });
    let id = match pk {
        Some(pk) => entity::update_in_place(conn, kind.list, pk, &values, Some(audit)).map(|_| pk),
        None => entity::insert(conn, kind.list, &values, audit),
    }?;
    detail_changes::apply(conn, kind, id, input, audit)?;
    Ok(id)
}
