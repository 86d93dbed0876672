//! Turning juniper's look-ahead of a field into the [`SelectionField`] tree modules receive.

use super::scalar::Scalar;
use juniper::{LookAheadSelection, LookAheadValue};
use openimis_plugin_api::SelectionField;
use serde_json::{Map, Value as Json};

/// The field with its (variable-substituted) arguments and whole sub-selection, `__typename`
/// left out: the host answers that itself.
pub fn from_look_ahead(look: &LookAheadSelection<'_, Scalar>) -> SelectionField {
    let args: Map<String, Json> = look
        .arguments()
        .map(|arg| (arg.name().to_owned(), to_json(arg.value())))
        .collect();
    let mut selection: Vec<SelectionField> = Vec::new();
    for child in look
        .children()
        .iter()
        .filter(|c| c.field_original_name() != "__typename")
    {
        let mut field = from_look_ahead(child);
        field.on = child.applies_for().map(str::to_owned);
        merge_into(&mut selection, field);
    }
    SelectionField {
        name: look.field_original_name().to_owned(),
        alias: look.field_name().to_owned(),
        args,
        on: None,
        selection,
    }
}

fn to_json(value: LookAheadValue<'_, Scalar>) -> Json {
    match value {
        LookAheadValue::Null => Json::Null,
        LookAheadValue::Enum(e) => Json::String(e.to_owned()),
        LookAheadValue::Scalar(s) => scalar(s),
        LookAheadValue::List(list) => Json::Array(list.iter().map(|v| to_json(v.item)).collect()),
        LookAheadValue::Object(object) => Json::Object(
            object
                .iter()
                .map(|(k, v)| (k.item.to_owned(), to_json(v.item)))
                .collect(),
        ),
    }
}

fn scalar(s: &Scalar) -> Json {
    match s {
        Scalar::Int(i) => Json::from(*i),
        Scalar::Float(f) => serde_json::Number::from_f64(*f).map_or(Json::Null, Json::Number),
        Scalar::String(s) => Json::String(s.clone()),
        Scalar::Boolean(b) => Json::Bool(*b),
        Scalar::Written(_) => Json::Null,
    }
}

/// Adds `field`, merging it into an earlier sibling with the same response key and condition
/// (GraphQL merges `a { x } a { y }` into `a { x y }`; a module must see that merged field).
fn merge_into(siblings: &mut Vec<SelectionField>, field: SelectionField) {
    match siblings
        .iter_mut()
        .find(|s| s.alias == field.alias && s.on == field.on)
    {
        Some(existing) => {
            for child in field.selection {
                merge_into(&mut existing.selection, child);
            }
        }
        None => siblings.push(field),
    }
}
