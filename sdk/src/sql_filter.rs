//! A connection field's filter arguments as portable SQL (feature `db`): a `WHERE` clause with
//! `?` binds, the frontend's integer pks sent as strings, relay ids, and `orderBy` the way the
//! original's django ordering reads it.

use super::db::Bind;
use super::mutation::snake_case;
use super::relay::parse_global_id;
use crate::abi::ModuleError;
use crate::payload::SelectionField;
use serde_json::Value;

/// The placeholder for a `date` column: `CAST(? AS date)` on PostgreSQL, `?` on SQLite (a
/// cast there would give the text numeric affinity and keep only the year).
pub fn date_param(conn: &super::db::DbConnection) -> &'static str {
    match super::db::backend(conn) {
        "postgresql" => "CAST(? AS date)",
        _ => "?",
    }
}

/// How an argument is bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum As {
    Text,
    /// An integer, or a numeric string (the frontend's `decodeId`).
    Int,
    Bool,
    /// A relay global id (`base64("Type:pk")`) bound as its pk, or a raw pk as it is.
    Id,
}

/// An integer from a JSON number or a numeric string.
pub fn int_of(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The integers of a JSON list (numbers or numeric strings); `None` when not a list.
pub fn ints_of(value: Option<&Value>) -> Option<Vec<i64>> {
    value
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(int_of).collect())
}

/// The pk inside a relay global id, or `id` itself when it is not one.
pub fn pk_of(id: &str) -> String {
    match parse_global_id(id) {
        Some((type_name, pk)) if type_name.ends_with("Type") => pk,
        _ => id.to_owned(),
    }
}

fn bind(value: &Value, kind: As) -> Bind {
    match kind {
        As::Int => Bind::BigInt(int_of(value)),
        As::Bool => Bind::Bool(value.as_bool()),
        As::Text => Bind::Text(Some(
            value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned),
        )),
        As::Id => Bind::Text(Some(pk_of(
            &value
                .as_str()
                .map_or_else(|| value.to_string(), str::to_owned),
        ))),
    }
}

/// A `WHERE` clause under construction: `1 = 1 AND ...`, with its binds in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Where {
    sql: String,
    binds: Vec<Bind>,
}

impl Default for Where {
    fn default() -> Self {
        Self::new()
    }
}

impl Where {
    pub fn new() -> Self {
        Self {
            sql: "1 = 1".into(),
            binds: Vec::new(),
        }
    }

    /// `AND (clause)`, with `binds` for its placeholders.
    pub fn and(&mut self, clause: &str, binds: impl IntoIterator<Item = Bind>) -> &mut Self {
        self.sql.push_str(" AND (");
        self.sql.push_str(clause);
        self.sql.push(')');
        self.binds.extend(binds);
        self
    }

    /// For each `(argument, kind, clause)` whose argument is given, `AND (clause)` with the
    /// argument bound to every `?` of the clause.
    pub fn args(&mut self, field: &SelectionField, rules: &[(&str, As, &str)]) -> &mut Self {
        for (arg, kind, clause) in rules {
            if let Some(value) = field.arg(arg) {
                let n = clause.matches('?').count();
                let value = bind(value, *kind);
                self.and(clause, std::iter::repeat_n(value, n));
            }
        }
        self
    }

    /// `AND column IN (ids)`; no ids match nothing.
    pub fn ids(&mut self, column: &str, ids: &[i64]) -> &mut Self {
        if ids.is_empty() {
            return self.and("1 = 0", []);
        }
        self.and(&format!("{column} IN ({})", id_list(ids)), [])
    }

    pub fn sql(&self) -> &str {
        &self.sql
    }

    pub fn binds(&self) -> &[Bind] {
        &self.binds
    }
}

/// `1, 2, 3` for an `IN (...)` list of integer ids (`NULL` when empty, which matches nothing).
pub fn id_list<T: std::fmt::Display>(ids: &[T]) -> String {
    if ids.is_empty() {
        return "NULL".into();
    }
    ids.iter().map(T::to_string).collect::<Vec<_>>().join(", ")
}

/// ` ORDER BY ...` from the field's `orderBy` list (`"-username"`, `"lastName"`, django's
/// `"i_user__last_name"`), through `columns` (snake_case name → SQL expression), then
/// `tie_breaker`. An unknown name is the original's `FieldError`.
pub fn order_by(
    field: &SelectionField,
    columns: &[(&str, &str)],
    tie_breaker: &str,
) -> Result<String, ModuleError> {
    let mut terms = Vec::new();
    for item in field
        .arg("orderBy")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        let (descending, name) = match item.strip_prefix('-') {
            Some(name) => (true, name),
            None => (false, item),
        };
        let key = snake_case(name);
        let column = columns
            .iter()
            .find(|(n, _)| *n == key)
            .map(|(_, c)| *c)
            .ok_or_else(|| {
                ModuleError::new(
                    "BAD_ORDER_BY",
                    format!("Cannot resolve keyword '{key}' into field."),
                )
            })?;
        terms.push(format!("{column}{}", if descending { " DESC" } else { "" }));
    }
    terms.push(tie_breaker.to_owned());
    Ok(format!(" ORDER BY {}", terms.join(", ")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field(args: Value) -> SelectionField {
        let mut f = SelectionField::new("users");
        f.args = args.as_object().unwrap().clone();
        f
    }

    #[test]
    fn arguments_become_clauses_with_one_bind_per_placeholder() {
        let f = field(json!({"code": "E1", "str": "ann", "hf": "7", "missing": null}));
        let mut w = Where::new();
        w.args(
            &f,
            &[
                ("code", As::Text, "c = ?"),
                ("str", As::Text, "a LIKE ? OR b LIKE ?"),
                ("hf", As::Int, "h = ?"),
                ("missing", As::Int, "m = ?"),
            ],
        )
        .ids("x", &[1, 2]);
        assert_eq!(
            w.sql(),
            "1 = 1 AND (c = ?) AND (a LIKE ? OR b LIKE ?) AND (h = ?) AND (x IN (1, 2))"
        );
        assert_eq!(
            w.binds(),
            [
                Bind::text("E1"),
                Bind::text("ann"),
                Bind::text("ann"),
                Bind::BigInt(Some(7))
            ]
        );
        assert_eq!(Where::new().ids("x", &[]).sql(), "1 = 1 AND (1 = 0)");
    }

    #[test]
    fn ids_decode_relay_ids_and_keep_raw_ones() {
        assert_eq!(pk_of("T2ZmaWNlckdRTFR5cGU6Mw=="), "3");
        assert_eq!(
            pk_of("5a000000-0000-4000-8000-0000000000b1"),
            "5a000000-0000-4000-8000-0000000000b1"
        );
        assert_eq!(ints_of(Some(&json!(["3", 4, "x"]))), Some(vec![3, 4]));
    }

    #[test]
    fn order_by_reads_camel_and_django_names_and_refuses_unknown_ones() {
        let cols = [("username", "u.name"), ("i_user__last_name", "i.last")];
        let f = field(json!({"orderBy": ["-username", "iUser__lastName"]}));
        assert_eq!(
            order_by(&f, &cols, "u.id").unwrap(),
            " ORDER BY u.name DESC, i.last, u.id"
        );
        let err = order_by(&field(json!({"orderBy": ["nope"]})), &cols, "u.id").unwrap_err();
        assert_eq!(
            err.message.as_str(),
            "Cannot resolve keyword 'nope' into field."
        );
    }
}
