//! What Python's `str()`/`repr()` and truth print or decide, where the original shows a Python
//! value in a text: a `str` in an error message (`str(ValidationError)`), a `dict` or a `float`
//! in an export's cell, the truth `or` tests.

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
        Value::Array(items) => list_repr(items.iter().map(repr)),
        Value::Object(map) => dict_repr(map.iter().map(|(k, v)| (k.as_str(), repr(v)))),
    }
}

/// `repr(list)` of the items' reprs: `[1, 'a']`.
pub fn list_repr(items: impl Iterator<Item = String>) -> String {
    format!("[{}]", items.collect::<Vec<_>>().join(", "))
}

/// `repr(dict)` of string keys and the values' reprs, in the given order: `{'a': 1}`.
pub fn dict_repr<'k>(entries: impl Iterator<Item = (&'k str, String)>) -> String {
    let inner: Vec<String> = entries
        .map(|(k, v)| format!("{}: {v}", str_repr(k)))
        .collect();
    format!("{{{}}}", inner.join(", "))
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
        assert_eq!(str_repr("abc"), "'abc'");
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("a\\b\nc"), "'a\\\\b\\nc'");
        assert_eq!(str_repr("a'b\"c\n"), r#"'a\'b"c\n'"#);
        assert_eq!(float(5.0), "5.0");
        assert_eq!(float(1e17), "1e+17");
        assert_eq!(float(12_345_678_901_234_567.0), "1.2345678901234568e+16");
        assert_eq!(float(1.5e-7), "1.5e-07");
        assert_eq!(float(0.25), "0.25");
        assert!(!truthy(&json!("")) && truthy(&json!("Name")) && !truthy(&json!(0)));
    }
}
