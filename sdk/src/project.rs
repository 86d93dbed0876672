//! Projection: shape a full JSON object to exactly what a selection asks for, keyed by alias.
//!
//! Nested fields come in two kinds. A field without arguments (`parent`, `location`) is stored
//! under its name as a full object, and each alias takes from it what its own sub-selection
//! asks. A field whose value depends on its arguments or is shaped already (a connection page,
//! a filtered list) is computed once per distinct field and stored under its
//! [`answer_key`] ([`fill_answers`] does both), so `a: children(first: 1)` and
//! `b: children(first: 3)` get their own answers.

use crate::json_text::{same_key, write_list, write_name_key, write_value};
use crate::payload::{SelectionField, FIELD_ERROR, KEY_FIELD, TYPENAME_FIELD};
use serde_json::{Map, Value};
use std::borrow::BorrowMut;
use std::collections::hash_map::DefaultHasher;
use std::hash::Hasher;

/// Copies the selected fields of `object` under their response keys, recursing into nested
/// objects and lists. A field the object has no value for under its name is read under its
/// [`answer_key`], as it is (it was shaped for that field); missing there too, it is `null`.
/// `__key` reads the object's `key_field`; a field error (`payload::field_error`) is kept as
/// it is.
pub fn project(selection: &[SelectionField], object: &Value, key_field: &str) -> Value {
    match object {
        Value::Object(fields) if !fields.contains_key(FIELD_ERROR) => {
            let mut out = Map::with_capacity(selection.len());
            for field in selection {
                let value = match found(fields, field, key_field) {
                    Found::Shaped(value) => project(&field.selection, value, key_field),
                    Found::AsIs(value) => value.clone(),
                };
                out.insert(field.alias.clone(), value);
            }
            if let Some(typename) = fields.get(TYPENAME_FIELD) {
                out.insert(TYPENAME_FIELD.to_owned(), typename.clone());
            }
            Value::Object(out)
        }
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|item| project(selection, item, key_field))
                .collect(),
        ),
        as_it_is => as_it_is.clone(),
    }
}

/// [`project`] written straight into `out` as JSON text, never built as a value: the same
/// keys with the same values, in selection order (`__typename` last). A response key given
/// twice keeps its last field, as [`project`]'s map does.
pub fn write(out: &mut Vec<u8>, selection: &[SelectionField], object: &Value, key_field: &str) {
    match object {
        Value::Object(fields) if !fields.contains_key(FIELD_ERROR) => {
            let typename = fields.get(TYPENAME_FIELD);
            out.push(b'{');
            let mut first = true;
            for (n, field) in selection.iter().enumerate() {
                let replaced = selection[n + 1..]
                    .iter()
                    .any(|f| same_key(&f.alias, &field.alias))
                    || (typename.is_some() && field.alias == TYPENAME_FIELD);
                if replaced {
                    continue;
                }
                write_name_key(out, &mut first, &field.alias);
                match found(fields, field, key_field) {
                    Found::Shaped(value) => write(out, &field.selection, value, key_field),
                    Found::AsIs(value) => write_value(out, value),
                }
            }
            if let Some(typename) = typename {
                write_name_key(out, &mut first, TYPENAME_FIELD);
                write_value(out, typename);
            }
            out.push(b'}');
        }
        Value::Array(items) => write_list(out, items, |out, item| {
            write(out, selection, item, key_field)
        }),
        as_it_is => write_value(out, as_it_is),
    }
}

/// Where an object keeps the value of one selected field.
enum Found<'v> {
    /// A value to shape further through the field's sub-selection.
    Shaped(&'v Value),
    /// A value taken as it is (a scalar, the key, an answer shaped for this very field, null).
    AsIs(&'v Value),
}

static NULL: Value = Value::Null;

fn found<'v>(fields: &'v Map<String, Value>, field: &SelectionField, key_field: &str) -> Found<'v> {
    match field.name.as_str() {
        KEY_FIELD => Found::AsIs(fields.get(key_field).unwrap_or(&NULL)),
        name => match fields.get(name) {
            Some(value) if !field.selection.is_empty() => Found::Shaped(value),
            Some(value) => Found::AsIs(value),
            None if field.selection.is_empty() && field.args.is_empty() => Found::AsIs(&NULL),
            None => Found::AsIs(fields.get(&answer_key(field)).unwrap_or(&NULL)),
        },
    }
}

/// Feeds serialized JSON to a hasher without building the text.
struct HashWriter<'h>(&'h mut DefaultHasher);

impl std::io::Write for HashWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.write(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The key an object holds the answer of `field` under when that answer was computed for this
/// very field: `<name>#<hash of its arguments and sub-selection>`. Aliases with different
/// arguments (or sub-selections) get different keys, aliases asking the same share one, and
/// sub-selections merged from several aliases of a parent keep theirs apart. No GraphQL name
/// holds `#`, so the key never meets a real field. Stable within one library, which is where
/// the answer is both stored and projected.
pub fn answer_key(field: &SelectionField) -> String {
    let mut hasher = DefaultHasher::new();
    // Writing into a hasher cannot fail, and these maps and lists always serialize.
    let _ = serde_json::to_writer(HashWriter(&mut hasher), &(&field.args, &field.selection));
    format!("{}#{:016x}", field.name, hasher.finish())
}

/// Each distinct field called `name` in `selection` with its [`answer_key`]: aliases asking
/// exactly the same thing come once.
pub fn distinct_fields<'s>(
    selection: &'s [SelectionField],
    name: &str,
) -> Vec<(String, &'s SelectionField)> {
    let mut out: Vec<(String, &SelectionField)> = Vec::new();
    for field in selection.iter().filter(|f| f.name == name) {
        let key = answer_key(field);
        if !out.iter().any(|(seen, _)| *seen == key) {
            out.push((key, field));
        }
    }
    out
}

/// For each distinct field called `name` in `selection`, stores what `answer(field, objects)`
/// gives (one value per object, in order) in each object under the field's [`answer_key`],
/// where [`project`] finds it. `answer` computes the field with its own arguments and
/// sub-selection; nothing runs when the field is not selected.
pub fn fill_answers<T: BorrowMut<Value>, E>(
    objects: &mut [T],
    selection: &[SelectionField],
    name: &str,
    mut answer: impl FnMut(&SelectionField, &[T]) -> Result<Vec<Value>, E>,
) -> Result<(), E> {
    if objects.is_empty() {
        return Ok(());
    }
    for (key, field) in distinct_fields(selection, name) {
        let values = answer(field, objects)?;
        for (object, value) in objects.iter_mut().zip(values) {
            if let Value::Object(map) = object.borrow_mut() {
                map.insert(key.clone(), value);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// What [`write`] writes, read back, after checking it says what [`project`] says.
    fn written(selection: &[SelectionField], object: &Value, key_field: &str) -> Value {
        let mut out = Vec::new();
        write(&mut out, selection, object, key_field);
        let written: Value = serde_json::from_slice(&out).expect("write writes JSON");
        assert_eq!(written, project(selection, object, key_field));
        written
    }

    #[test]
    fn projects_by_alias_and_recurses() {
        let mut code = SelectionField::new("code");
        code.alias = "c".into();
        let parent =
            SelectionField::new("parent").with_selection(vec![SelectionField::new("name")]);
        let key = SelectionField::new(KEY_FIELD);
        let object = json!({"id": 3, "code": "R1", "parent": {"name": "Top", "code": "X"}});
        let out = written(
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
        let out = written(&[list], &json!({"items": denied.clone()}), "id");
        assert_eq!(out, json!({ "items": denied }));
    }

    fn connection_field(alias: &str, first: u64) -> SelectionField {
        let mut field = SelectionField::new("children").with_selection(vec![{
            let mut total = SelectionField::new("totalCount");
            total.alias = "n".into();
            total
        }]);
        field.alias = alias.into();
        field.args.insert("first".into(), json!(first));
        field
    }

    #[test]
    fn aliases_with_different_arguments_get_their_own_answers() {
        let selection = vec![
            connection_field("a", 1),
            connection_field("b", 3),
            connection_field("c", 1),
        ];
        let mut rows = vec![json!({"pk": 1}), json!({"pk": 2})];
        let mut computed = 0;
        fill_answers(&mut rows, &selection, "children", |field, rows| {
            computed += 1;
            let first = field.args["first"].as_u64().unwrap();
            Ok::<_, ()>(
                rows.iter()
                    .map(|row| json!({"n": first * 10 + row["pk"].as_u64().unwrap()}))
                    .collect(),
            )
        })
        .unwrap();
        assert_eq!(computed, 2, "`a` and `c` ask the same and share one answer");
        assert_eq!(
            written(&selection, &rows[1], "pk"),
            json!({"a": {"n": 12}, "b": {"n": 32}, "c": {"n": 12}}),
            "each alias keeps its answer, taken as shaped (the inner alias `n` stays)"
        );
    }

    #[test]
    fn one_alias_under_two_parents_keeps_each_parents_arguments() {
        // `p1: parent { c: children(first: 1) } p2: parent { c: children(first: 3) }`: a module
        // completes the parents once for both sub-selections merged.
        let p1 = SelectionField::new("parent").with_selection(vec![connection_field("c", 1)]);
        let mut p2 = SelectionField::new("parent").with_selection(vec![connection_field("c", 3)]);
        p2.alias = "p2".into();
        let merged: Vec<SelectionField> =
            p1.selection.iter().chain(&p2.selection).cloned().collect();
        let mut parents = vec![json!({"pk": 7})];
        fill_answers(&mut parents, &merged, "children", |field, _| {
            Ok::<_, ()>(vec![json!({"n": field.args["first"]})])
        })
        .unwrap();
        let row = json!({"pk": 1, "parent": parents[0]});
        assert_eq!(
            written(&[p1, p2], &row, "pk"),
            json!({"parent": {"c": {"n": 1}}, "p2": {"c": {"n": 3}}})
        );
    }

    #[test]
    fn written_lists_nulls_typenames_and_repeated_keys_as_projected() {
        let mut first = SelectionField::new("code");
        first.alias = "x".into();
        let mut last = SelectionField::new("name");
        last.alias = "x".into();
        let selection = vec![
            first,
            SelectionField::new("tags"),
            SelectionField::new("children").with_selection(vec![SelectionField::new("code")]),
            last,
        ];
        let object = json!({
            "code": "C", "name": "N \"quoted\"", "tags": ["a", 1, null], "__typename": "T",
            "children": [{"code": "c1", "x": 1}, null, {"code": "c2", "__typename": "U"}],
        });
        assert_eq!(
            written(&selection, &object, "id"),
            json!({"x": "N \"quoted\"", "tags": ["a", 1, null], "__typename": "T",
                   "children": [{"code": "c1"}, null, {"code": "c2", "__typename": "U"}]})
        );
        assert_eq!(
            written(&selection, &json!([object, null]), "id")[1],
            Value::Null
        );
        assert_eq!(written(&selection, &json!(3.5), "id"), json!(3.5));
    }

    #[test]
    fn answer_keys_follow_arguments_and_sub_selection_but_not_the_alias() {
        let (a, b) = (connection_field("a", 1), connection_field("b", 1));
        assert_eq!(answer_key(&a), answer_key(&b));
        assert_ne!(answer_key(&a), answer_key(&connection_field("a", 2)));
        let mut other = a.clone();
        other.selection.push(SelectionField::new("edges"));
        assert_ne!(answer_key(&a), answer_key(&other));
        assert!(answer_key(&a).starts_with("children#"));
    }
}
