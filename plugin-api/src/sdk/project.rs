//! Projection: shape a full JSON object to exactly what a selection asks for, keyed by alias.

use crate::payload::{SelectionField, FIELD_ERROR, KEY_FIELD, TYPENAME_FIELD};
use serde_json::{Map, Value};

/// Copies the selected fields of `object` under their response keys, recursing into nested
/// objects and lists. A missing field becomes `null`; `__key` reads the object's `key_field`;
/// a field error (`payload::field_error`) is kept as it is.
pub fn project(selection: &[SelectionField], object: &Value, key_field: &str) -> Value {
    match object {
        Value::Null => Value::Null,
        Value::Object(fields) if fields.contains_key(FIELD_ERROR) => object.clone(),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| project(selection, item, key_field))
                .collect(),
        ),
        Value::Object(fields) => {
            let mut out = Map::with_capacity(selection.len());
            for field in selection {
                let value = match field.name.as_str() {
                    KEY_FIELD => fields.get(key_field).cloned().unwrap_or(Value::Null),
                    name => match fields.get(name) {
                        Some(value) if !field.selection.is_empty() => {
                            project(&field.selection, value, key_field)
                        }
                        Some(value) => value.clone(),
                        None => Value::Null,
                    },
                };
                out.insert(field.alias.clone(), value);
            }
            if let Some(typename) = fields.get(TYPENAME_FIELD) {
                out.insert(TYPENAME_FIELD.to_owned(), typename.clone());
            }
            Value::Object(out)
        }
        scalar => scalar.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn projects_by_alias_and_recurses() {
        let mut code = SelectionField::new("code");
        code.alias = "c".into();
        let parent =
            SelectionField::new("parent").with_selection(vec![SelectionField::new("name")]);
        let key = SelectionField::new(KEY_FIELD);
        let object = json!({"id": 3, "code": "R1", "parent": {"name": "Top", "code": "X"}});
        let out = project(
            &[code, parent, key, SelectionField::new("missing")],
            &object,
            "id",
        );
        assert_eq!(
            out,
            json!({"c": "R1", "parent": {"name": "Top"}, "__key": 3, "missing": null})
        );
    }

    #[test]
    fn keeps_a_field_error_as_it_is() {
        let list = SelectionField::new("items").with_selection(vec![SelectionField::new("a")]);
        let denied = crate::payload::field_error("UNAUTHORIZED", "unauthorized");
        let out = project(&[list], &json!({"items": denied.clone()}), "id");
        assert_eq!(out, json!({ "items": denied }));
    }
}
