//! `orderBy` over an entity: a list of camelCase or django names (`-code`, `location__code`),
//! a relation's column read through a correlated subquery, ties broken by the key, and an
//! unknown name the original's `FieldError` text.

use super::spec::{EntitySpec, Shape, Target};
use crate::abi::ModuleError;
use crate::mutation::snake_case;
use crate::payload::SelectionField;
use serde_json::Value;

/// ` ORDER BY ...` for `field`'s `orderBy` on `spec`'s alias, then its key.
pub fn clause(spec: &EntitySpec, field: &SelectionField) -> Result<String, ModuleError> {
    let mut terms = Vec::new();
    let items = field.arg("orderBy").map_or(Ok(Vec::new()), |v| match v {
        Value::Array(items) => Ok(items.iter().filter_map(Value::as_str).collect()),
        Value::String(s) => Ok(vec![s.as_str()]),
        _ => Err(ModuleError::new("BAD_ARGUMENT", "`orderBy` must be a list")),
    })?;
    for item in items {
        let (descending, name) = match item.strip_prefix('-') {
            Some(name) => (true, name),
            None => (false, item),
        };
        let key = snake_case(name);
        let path: Vec<&str> = key.split("__").collect();
        let expr = expression(spec, spec.alias, &path, 0).ok_or_else(|| {
            ModuleError::new(
                "BAD_ORDER_BY",
                format!("Cannot resolve keyword '{key}' into field."),
            )
        })?;
        terms.push(format!("{expr}{}", if descending { " DESC" } else { "" }));
    }
    terms.push(spec.col(spec.key));
    Ok(format!(" ORDER BY {}", terms.join(", ")))
}

/// The SQL expression of `path` on `alias` (a table of `spec`).
fn expression(spec: &EntitySpec, alias: &str, path: &[&str], depth: usize) -> Option<String> {
    let (head, rest) = path.split_first()?;
    let col = |c: &str| format!(r#"{alias}."{c}""#);
    let plain = match *head {
        "id" | "pk" => Some(col(spec.key)),
        "uuid" => spec.uuid.map(col),
        "validity_from" if spec.history.is_some() => Some(col("ValidityFrom")),
        "validity_to" if spec.history.is_some() => Some(col("ValidityTo")),
        "legacy_id" => spec.history.map(|h| col(h.legacy_id)),
        "audit_user_id" => spec.history.map(|h| col(h.audit_user)),
        _ => None,
    };
    if let Some(expr) = plain {
        return rest.is_empty().then_some(expr);
    }
    let field = spec
        .fields
        .iter()
        .find(|f| snake_case(f.name) == *head && !matches!(f.shape, Shape::Many { .. }))?;
    match (field.shape, rest) {
        (_, []) => Some(col(field.column)),
        (Shape::One(Target::Local(inner)), rest) if depth < 6 => {
            let sub = format!("o{depth}");
            let expr = expression(inner, &sub, rest, depth + 1)?;
            Some(format!(
                r#"(SELECT {expr} FROM "{table}" {sub} WHERE {sub}."{key}" = {fk})"#,
                table = inner.table,
                key = inner.key,
                fk = col(field.column)
            ))
        }
        _ => None,
    }
}
