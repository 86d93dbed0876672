//! A connection field's filter arguments as portable SQL (feature `db`): a `WHERE` clause with
//! `?` binds, the frontend's integer pks sent as strings, relay ids, and `orderBy` the way the
//! original's django ordering reads it. Argument values are parsed before any SQL (a
//! `BAD_ARGUMENT` naming the argument), and [`icontains!`](crate::icontains) /
//! [`istartswith!`](crate::istartswith) match a bound text literally (`LIKE ... ESCAPE '\'`).

use super::db::Bind;
use super::mutation::snake_case;
use crate::abi::ModuleError;
use crate::payload::SelectionField;
use serde_json::Value;

pub use crate::sql_params::{date_param, pk_of};

/// The bound text `?`, lowered, with `\`, `%` and `_` escaped for `LIKE ... ESCAPE '\'`: the
/// SQL side of [`crate::entity::escape_like`], for a clause whose `?` also serves an exact test.
#[macro_export]
macro_rules! like_escaped_param {
    () => {
        r"REPLACE(REPLACE(REPLACE(LOWER(?), '\', '\\'), '%', '\%'), '_', '\_')"
    };
}

/// `LOWER(column) LIKE '%' || <the bound text, escaped> || '%' ESCAPE '\'`: django's
/// `icontains`, literal on SQLite and PostgreSQL. `column` is a string literal (or `concat!`).
#[macro_export]
macro_rules! icontains {
    ($column:expr) => {
        concat!(
            "LOWER(",
            $column,
            ") LIKE '%' || ",
            $crate::like_escaped_param!(),
            r" || '%' ESCAPE '\'"
        )
    };
}

/// `LOWER(column) LIKE <the bound text, escaped> || '%' ESCAPE '\'`: django's `istartswith`.
#[macro_export]
macro_rules! istartswith {
    ($column:expr) => {
        concat!(
            "LOWER(",
            $column,
            ") LIKE ",
            $crate::like_escaped_param!(),
            r" || '%' ESCAPE '\'"
        )
    };
}

/// Django's `Q(a__icontains=x) | Q(b__icontains=x) | ...`: [`icontains!`](crate::icontains)
/// on each column, ORed (the one text is bound to every `?`).
#[macro_export]
macro_rules! icontains_any {
    ($first:expr $(, $rest:expr)* $(,)?) => {
        concat!($crate::icontains!($first) $(, " OR ", $crate::icontains!($rest))*)
    };
}

/// [`istartswith!`](crate::istartswith) on each column, ORed.
#[macro_export]
macro_rules! istartswith_any {
    ($first:expr $(, $rest:expr)* $(,)?) => {
        concat!($crate::istartswith!($first) $(, " OR ", $crate::istartswith!($rest))*)
    };
}

/// How an argument is bound; each is parsed first, as the entity layer parses its filters: a
/// text without NUL and at most 4096 characters, an integer of digits only, a boolean, a
/// `YYYY-MM-DD` date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum As {
    Text,
    /// An integer, or a numeric string (the frontend's `decodeId`).
    Int,
    Bool,
    /// A relay global id (`base64("Type:pk")`) bound as its pk text, or a raw pk as it is.
    Id,
    /// An integer pk, or a relay global id of one, bound as an integer.
    IntId,
    /// A date (`YYYY-MM-DD`, a time after it dropped), bound as text.
    Date,
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

/// The bind of argument `name`, parsed as `kind` (`BAD_ARGUMENT` when it is not one).
pub fn bind(name: &str, value: &Value, kind: As) -> Result<Bind, ModuleError> {
    use crate::entity::value;
    use crate::entity::Kind;
    Ok(match kind {
        As::Int => Bind::BigInt(Some(value::int_of(name, value, false)?)),
        As::IntId => Bind::BigInt(Some(value::int_of(name, value, true)?)),
        As::Bool => value::bind(name, Kind::Bool, value)?,
        As::Date => value::bind(name, Kind::Date, value)?,
        As::Text => Bind::Text(Some(value::text_of(name, value)?)),
        As::Id => Bind::Text(Some(pk_of(&value::text_of(name, value)?))),
    })
}

/// A root field's own argument `name` (one the entity layer must not read as a filter, as
/// `location` beside a `location` relation), taken out of `field` and parsed as `kind`;
/// `None` when absent or null.
pub fn take_arg(
    field: &mut SelectionField,
    name: &str,
    kind: As,
) -> Result<Option<Bind>, ModuleError> {
    match field.args.remove(name).filter(|v| !v.is_null()) {
        Some(value) => bind(name, &value, kind).map(Some),
        None => Ok(None),
    }
}

/// The text of argument `name` of `field` (`None` when absent or null), checked as an
/// [`As::Text`] argument is.
pub fn text_arg(field: &SelectionField, name: &str) -> Result<Option<String>, ModuleError> {
    match field.arg(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => crate::entity::value::text_of(name, value).map(Some),
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

    /// For each `(argument, kind, clause)` whose argument is given (and not null), `AND
    /// (clause)` with the argument bound to every `?` of the clause; a value that is not of its
    /// kind is a `BAD_ARGUMENT` naming it, before any SQL.
    pub fn args(
        &mut self,
        field: &SelectionField,
        rules: &[(&str, As, &str)],
    ) -> Result<&mut Self, ModuleError> {
        for (arg, kind, clause) in rules {
            if let Some(value) = field.arg(arg).filter(|v| !v.is_null()) {
                let n = clause.matches('?').count();
                let value = bind(arg, value, *kind)?;
                self.and(clause, std::iter::repeat_n(value, n));
            }
        }
        Ok(self)
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
    // One name is a list of one, as graphene coerces it (the frontend sends
    // `orderBy: "-request_date_time"`).
    let items: Vec<&str> = match field.arg("orderBy") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::String(name)) => vec![name.as_str()],
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_str).collect(),
        Some(_) => return Err(ModuleError::new("BAD_ARGUMENT", "`orderBy` must be a list")),
    };
    for item in items {
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
        .unwrap()
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
    fn bad_values_are_refused_naming_the_argument() {
        for (args, kind) in [
            (json!({"a": "1x"}), As::Int),
            (json!({"a": "1.5"}), As::IntId),
            (json!({"a": "1 OR 1=1"}), As::Int),
            (json!({"a": "x\u{0}"}), As::Text),
            (json!({"a": "x".repeat(1 << 20)}), As::Text),
            (json!({"a": "2024-01-02'"}), As::Date),
            (json!({"a": "yes"}), As::Bool),
        ] {
            let err = Where::new()
                .args(&field(args.clone()), &[("a", kind, "a = ?")])
                .map(|w| w.sql().to_owned())
                .unwrap_err();
            assert_eq!(err.code.as_str(), "BAD_ARGUMENT", "{kind:?}");
            assert!(err.message.as_str().starts_with("`a` "), "{}", err.message);
        }
    }

    #[test]
    fn like_clauses_escape_the_bound_text() {
        assert_eq!(
            crate::icontains!(r#"u."name""#),
            r#"LOWER(u."name") LIKE '%' || REPLACE(REPLACE(REPLACE(LOWER(?), '\', '\\'), '%', '\%'), '_', '\_') || '%' ESCAPE '\'"#
        );
        assert!(crate::istartswith!("c").starts_with("LOWER(c) LIKE REPLACE("));
        assert_eq!(
            crate::icontains_any!("a", "b"),
            concat!(crate::icontains!("a"), " OR ", crate::icontains!("b"))
        );
        assert_eq!(crate::istartswith_any!("c"), crate::istartswith!("c"));
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
        assert_eq!(
            order_by(&field(json!({"orderBy": "-username"})), &cols, "u.id").unwrap(),
            " ORDER BY u.name DESC, u.id"
        );
        let err = order_by(&field(json!({"orderBy": ["nope"]})), &cols, "u.id").unwrap_err();
        assert_eq!(
            err.message.as_str(),
            "Cannot resolve keyword 'nope' into field."
        );
    }
}
