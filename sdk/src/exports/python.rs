//! What Python's `str()`/`repr()` print, where the original's export prints a Python value:
//! a JSON column (a `dict` in the DataFrame, keys in stored order) and the statement's
//! parameters; values, floats and truth are the SDK's `python` module's.

pub use crate::python::{float, repr, str_repr, truthy};

use crate::db::Bind;
use crate::python::{dict_repr, list_repr};
use serde_json::Value;

/// A JSON value with its objects' keys in stored order, as `json.loads` (and psycopg2 from
/// PostgreSQL's `jsonb` text) hands them to Python: `serde_json::Value` would sort them.
enum Py {
    None,
    Bool(bool),
    Number(serde_json::Number),
    Str(String),
    List(Vec<Py>),
    Dict(Vec<(String, Py)>),
}

impl<'de> serde::Deserialize<'de> for Py {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PyVisitor)
    }
}

struct PyVisitor;

impl<'de> serde::de::Visitor<'de> for PyVisitor {
    type Value = Py;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E>(self) -> Result<Py, E> {
        Ok(Py::None)
    }
    fn visit_bool<E>(self, b: bool) -> Result<Py, E> {
        Ok(Py::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Py, E> {
        Ok(Py::Number(n.into()))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Py, E> {
        Ok(Py::Number(n.into()))
    }
    fn visit_f64<E>(self, f: f64) -> Result<Py, E> {
        Ok(serde_json::Number::from_f64(f).map_or(Py::None, Py::Number))
    }
    fn visit_str<E>(self, s: &str) -> Result<Py, E> {
        Ok(Py::Str(s.to_owned()))
    }
    fn visit_string<E>(self, s: String) -> Result<Py, E> {
        Ok(Py::Str(s))
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Py, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Py::List(items))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Py, A::Error> {
        let mut entries = Vec::new();
        while let Some(entry) = map.next_entry::<String, Py>()? {
            entries.push(entry);
        }
        Ok(Py::Dict(entries))
    }
}

fn py_repr(value: &Py) -> String {
    match value {
        Py::None => "None".into(),
        Py::Bool(b) => repr(&Value::Bool(*b)),
        Py::Number(n) => repr(&Value::Number(n.clone())),
        Py::Str(s) => str_repr(s),
        Py::List(items) => list_repr(items.iter().map(py_repr)),
        Py::Dict(entries) => dict_repr(entries.iter().map(|(k, v)| (k.as_str(), py_repr(v)))),
    }
}

/// The text Django hands pandas for a JSON column's stored value: `None` (empty) for SQL or
/// JSON null, a string as it is, anything else as its Python `repr`, keys in stored order.
pub fn json_text(stored: &str) -> Option<String> {
    match serde_json::from_str::<Py>(stored) {
        Ok(Py::None) => None,
        Ok(Py::Str(s)) => Some(s),
        Ok(other) => Some(py_repr(&other)),
        Err(_) => Some(stored.to_owned()),
    }
}

/// The statement's parameters as the tuple `sql_with_params()` gives: `('a', 3)`, `(1,)`, `()`.
pub fn params(binds: &[Bind]) -> String {
    let items: Vec<String> = binds
        .iter()
        .map(|bind| match bind {
            Bind::Text(Some(t)) => str_repr(t),
            Bind::Int(Some(n)) => n.to_string(),
            Bind::BigInt(Some(n)) => n.to_string(),
            Bind::Bool(Some(b)) => if *b { "True" } else { "False" }.into(),
            _ => "None".into(),
        })
        .collect();
    match items.len() {
        1 => format!("({},)", items[0]),
        _ => format!("({})", items.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_columns_and_params_print_as_python_prints_them() {
        assert_eq!(json_text("null"), None);
        assert_eq!(
            json_text(r#"{"z": 1, "a": {"y": 2.5, "b": false}}"#).as_deref(),
            Some("{'z': 1, 'a': {'y': 2.5, 'b': False}}")
        );
        assert_eq!(json_text(r#""x""#).as_deref(), Some("x"));
        assert_eq!(
            params(&[Bind::text("x"), Bind::BigInt(Some(3))]),
            "('x', 3)"
        );
        assert_eq!(params(&[Bind::Bool(Some(true))]), "(True,)");
    }
}
