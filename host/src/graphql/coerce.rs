//! Variables coerced as the original coerces them (graphene 2 / graphql-core 2): where the
//! operation declares an `Int`, a numeric string is read as the number (`"7"` → `7`). The real
//! frontend relies on it: its user form sends `healthFacilityId: "7"` and `districts: ["2"]`.
//! Literals in the document are not coerced (the original's validation refuses them too).

use apollo_compiler::ast::{Definition, Document, Type};
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::Schema;
use serde_json::Value as Json;

/// Coerces `variables` (an object) for the operation `operation_name` of `document` in place;
/// answers whether anything changed. What a broken document declares is left to validation.
pub fn coerce_variables(
    schema: &Schema,
    document: &Document,
    operation_name: Option<&str>,
    variables: &mut Json,
) -> bool {
    let Json::Object(values) = variables else {
        return false;
    };
    let mut operations = document.definitions.iter().filter_map(|d| match d {
        Definition::OperationDefinition(op) => Some(op),
        _ => None,
    });
    let operation = match operation_name {
        Some(name) => operations.find(|op| op.name.as_ref().is_some_and(|n| n == name)),
        None => operations.next(),
    };
    let Some(operation) = operation else {
        return false;
    };
    let mut changed = false;
    for definition in &operation.variables {
        if let Some(value) = values.get_mut(definition.name.as_str()) {
            changed |= coerce(schema, &definition.ty, value);
        }
    }
    changed
}

fn coerce(schema: &Schema, ty: &Type, value: &mut Json) -> bool {
    if ty.is_list() {
        let item = ty.item_type();
        return match value {
            Json::Array(items) => items
                .iter_mut()
                .fold(false, |changed, v| coerce(schema, item, v) | changed),
            single => coerce(schema, item, single),
        };
    }
    match ty.inner_named_type().as_str() {
        "Int" => match value {
            Json::String(text) => match int_of(text) {
                Some(n) => {
                    *value = Json::from(n);
                    true
                }
                None => false,
            },
            _ => false,
        },
        name => match (schema.types.get(name), value) {
            (Some(ExtendedType::InputObject(input)), Json::Object(fields)) => {
                let mut changed = false;
                for (field, definition) in &input.fields {
                    if let Some(v) = fields.get_mut(field.as_str()) {
                        changed |= coerce(schema, &definition.ty, v);
                    }
                }
                changed
            }
            _ => false,
        },
    }
}

/// graphql-core 2's `coerce_int`: `int(text)`, else `int(float(text))`, within 32 bits.
fn int_of(text: &str) -> Option<i32> {
    let text = text.trim();
    let n = match text.parse::<i64>() {
        Ok(n) => n,
        Err(_) => {
            let f = text.parse::<f64>().ok().filter(|f| f.is_finite())?;
            f.trunc() as i64
        }
    };
    i32::try_from(n).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graphql::documents::parse;
    use serde_json::json;

    fn schema() -> apollo_compiler::validation::Valid<Schema> {
        Schema::parse_and_validate(
            "type Query { a(x: Int, i: In): Int }
             input In { id: Int, ids: [Int!], name: String, nested: In }",
            "s.graphql",
        )
        .unwrap()
    }

    #[test]
    fn numeric_strings_become_ints_where_an_int_is_declared() {
        let mut vars = json!({"x": "7", "i": {"id": "2", "ids": ["3", 4, "5.9"], "name": "8", "nested": {"id": " 9 "}}});
        let query = "query ($x: Int, $i: In) { a(x: $x, i: $i) }";
        assert!(coerce_variables(&schema(), &parse(query), None, &mut vars));
        assert_eq!(
            vars,
            json!({"x": 7, "i": {"id": 2, "ids": [3, 4, 5], "name": "8", "nested": {"id": 9}}})
        );
    }

    #[test]
    fn other_values_are_left_to_validation() {
        let mut vars = json!({"x": "seven", "i": {"id": "99999999999"}});
        let query = "query Named($x: Int, $i: In) { a(x: $x, i: $i) }";
        assert!(!coerce_variables(
            &schema(),
            &parse(query),
            Some("Named"),
            &mut vars
        ));
        assert_eq!(vars, json!({"x": "seven", "i": {"id": "99999999999"}}));
    }
}
