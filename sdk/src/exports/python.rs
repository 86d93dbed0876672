//! What Python's `str()`/`repr()` print, where the original's export prints a Python value:
//! a JSON column (a `dict` in the DataFrame), an integer column holding a `None` (pandas makes
//! it `float64`), a header given as a number, and the statement's parameters.

use crate::db::Bind;
use serde_json::Value;

/// Python's truth of a JSON value (`or` keeps the right side for a falsy left one).
pub fn truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
    }
}

/// `repr(value)` of the Python object `json.loads` makes of it.
pub fn repr(value: &Value) -> String {
    match value {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.to_string(),
            (None, Some(u)) => u.to_string(),
            _ => float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => str_repr(s),
        Value::Array(items) => {
            let inner: Vec<String> = items.iter().map(repr).collect();
            format!("[{}]", inner.join(", "))
        }
        Value::Object(map) => {
            let inner: Vec<String> = map
                .iter()
                .map(|(k, v)| format!("{}: {}", str_repr(k), repr(v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
    }
}

/// `repr(float)`: the shortest digits, positional from 1e-4 to 1e16, else `1e+16`.
pub fn float(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    let scientific = format!("{f:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if (-4..16).contains(&exponent) {
        let text = format!("{f}");
        if text.contains('.') {
            text
        } else {
            format!("{text}.0")
        }
    } else {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exponent.abs())
    }
}

/// `repr(str)`: single quotes unless the text holds one and no double quote; `\\`, the quote,
/// `\n`, `\r`, `\t` and other control characters escaped.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

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
        Py::List(items) => {
            let inner: Vec<String> = items.iter().map(py_repr).collect();
            format!("[{}]", inner.join(", "))
        }
        Py::Dict(entries) => {
            let inner: Vec<String> = entries
                .iter()
                .map(|(k, v)| format!("{}: {}", str_repr(k), py_repr(v)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
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
    use serde_json::json;

    #[test]
    fn values_print_as_python_prints_them() {
        assert_eq!(
            repr(&json!({"a": 1, "b": [true, null], "c": "it's"})),
            r#"{'a': 1, 'b': [True, None], 'c': "it's"}"#
        );
        assert_eq!(str_repr("a'b\"c\n"), r#"'a\'b"c\n'"#);
        assert_eq!(float(5.0), "5.0");
        assert_eq!(float(1e17), "1e+17");
        assert_eq!(float(12_345_678_901_234_567.0), "1.2345678901234568e+16");
        assert_eq!(float(1.5e-7), "1.5e-07");
        assert_eq!(float(0.25), "0.25");
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
        assert!(!truthy(&json!("")) && truthy(&json!("Name")) && !truthy(&json!(0)));
    }
}
