//! The filters of a related type a module reads itself, out of a root field's arguments:
//! `product_Code_Icontains` under the prefix `product_` is the product filter
//! `code_Icontains` (the first letter lowered, as the layer names its filters).

use crate::payload::SelectionField;
use serde_json::{Map, Value};

fn unprefixed(inner: &str) -> String {
    let mut chars = inner.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_lowercase().chain(chars).collect())
}

/// The arguments of `field` named `<prefix><Name>`, as `name` (nulls included).
pub fn prefixed(field: &SelectionField, prefix: &str) -> Map<String, Value> {
    let args = field.args.iter();
    let under = args.filter_map(|(name, value)| Some((name.strip_prefix(prefix)?, value)));
    under
        .map(|(inner, value)| (unprefixed(inner), value.clone()))
        .collect()
}

/// [`prefixed`], the arguments taken out of `field`.
pub fn take_prefixed(field: &mut SelectionField, prefix: &str) -> Map<String, Value> {
    let taken = prefixed(field, prefix);
    field.args.retain(|name, _| !name.starts_with(prefix));
    taken
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn prefixed_arguments_are_the_related_types_filters() {
        let mut field = SelectionField::new("policies");
        field.args = json!({"product_Code_Icontains": "B", "product_Name": null, "value": 1})
            .as_object()
            .cloned()
            .unwrap();
        let taken = take_prefixed(&mut field, "product_");
        assert_eq!(
            Value::Object(taken),
            json!({"code_Icontains": "B", "name": null})
        );
        assert_eq!(Value::Object(field.args), json!({"value": 1}));
    }
}
