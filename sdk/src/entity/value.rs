//! Argument and input values parsed before any SQL: a JSON value becomes the bind of a column
//! of some [`Kind`] or a `BAD_ARGUMENT` error naming the argument (never a database message).

use super::spec::Kind;
use crate::abi::ModuleError;
use crate::db::{self, Bind, DbConnection};
use crate::sql_params::{date_param, pk_of};
use serde_json::Value;

/// The longest text an argument may carry (a filter pattern, a code).
pub const MAX_TEXT: usize = 4096;

/// The error of argument `name`.
pub fn bad(name: &str, why: &str) -> ModuleError {
    ModuleError::new("BAD_ARGUMENT", format!("`{name}` {why}"))
}

/// The text of a string (or a number, as the frontend sends ids), checked for sanity.
pub fn text_of(name: &str, value: &Value) -> Result<String, ModuleError> {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return Err(bad(name, "must be a string")),
    };
    if text.contains('\0') {
        return Err(bad(name, "must not contain a NUL character"));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(bad(name, &format!("is longer than {MAX_TEXT} characters")));
    }
    Ok(text)
}

/// An integer from a number or a string of digits (a relay id where `relay` allows it).
pub fn int_of(name: &str, value: &Value, relay: bool) -> Result<i64, ModuleError> {
    if let Some(n) = value.as_i64() {
        return Ok(n);
    }
    let text = text_of(name, value)?;
    let text = if relay { pk_of(&text) } else { text };
    let digits = text.strip_prefix('-').unwrap_or(&text);
    if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad(name, "must be an integer"));
    }
    text.parse().map_err(|_| bad(name, "must be an integer"))
}

/// Whether `rest` (what follows a date) is empty or a time: `T`/space, then digits and `:.+-Z`.
fn is_time(rest: &str) -> bool {
    rest.is_empty()
        || (rest.starts_with(['T', ' '])
            && rest[1..]
                .bytes()
                .all(|b| b.is_ascii_digit() || b":.+-Z".contains(&b)))
}

fn date_of(name: &str, text: &str) -> Result<String, ModuleError> {
    let day = text.get(..10).unwrap_or(text);
    let ok = day.len() == 10
        && day.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        })
        && is_time(&text[10..]);
    if ok {
        Ok(day.to_owned())
    } else {
        Err(bad(name, "must be a date (YYYY-MM-DD)"))
    }
}

fn datetime_of(name: &str, text: &str) -> Result<String, ModuleError> {
    let day = date_of(name, text)
        .map_err(|_| bad(name, "must be a date and time (YYYY-MM-DDTHH:MM:SS)"))?;
    let time = text
        .get(10..)
        .unwrap_or_default()
        .trim_start_matches(['T', ' ']);
    let time = time.trim_end_matches('Z');
    Ok(if time.is_empty() {
        day
    } else {
        format!("{day} {time}")
    })
}

/// The bind of `value` for a column of `kind` (`null` binds NULL).
pub fn bind(name: &str, kind: Kind, value: &Value) -> Result<Bind, ModuleError> {
    let null = value.is_null();
    Ok(match kind {
        Kind::Int | Kind::BigInt if null => Bind::BigInt(None),
        Kind::Int | Kind::BigInt => Bind::BigInt(Some(int_of(name, value, true)?)),
        Kind::Bool if null => Bind::Bool(None),
        Kind::Bool => match value {
            Value::Bool(b) => Bind::Bool(Some(*b)),
            Value::String(s) if s == "true" || s == "false" => Bind::Bool(Some(s == "true")),
            _ => return Err(bad(name, "must be true or false")),
        },
        _ if null => Bind::Text(None),
        Kind::Decimal(_) => {
            let text = text_of(name, value)?;
            let t = text.trim();
            let digits = t.strip_prefix('-').unwrap_or(t);
            let ok = !digits.is_empty()
                && digits.bytes().all(|b| b.is_ascii_digit() || b == b'.')
                && digits.matches('.').count() <= 1;
            if !ok {
                return Err(bad(name, "must be a decimal number"));
            }
            Bind::Text(Some(t.to_owned()))
        }
        Kind::Date => Bind::Text(Some(date_of(name, &text_of(name, value)?)?)),
        Kind::DateTime => Bind::Text(Some(datetime_of(name, &text_of(name, value)?)?)),
        Kind::Json => Bind::Text(Some(match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })),
        Kind::Text | Kind::Uuid => Bind::Text(Some(text_of(name, value)?)),
    })
}

/// The placeholder a bind of `kind` takes on this backend.
pub fn placeholder(conn: &DbConnection, kind: Kind) -> &'static str {
    let pg = db::backend(conn) == "postgresql";
    match kind {
        Kind::Date => date_param(conn),
        Kind::DateTime => db::timestamp_param(conn),
        Kind::Decimal(_) => "CAST(? AS NUMERIC)",
        Kind::Json if pg => "CAST(? AS jsonb)",
        // A uuid column is `uuid` in some of the original's tables and `varchar(36)` in others:
        // a uuid value is assigned to either (lookups compare the column as text instead).
        Kind::Uuid if pg => "CAST(? AS uuid)",
        _ => "?",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn integers_refuse_anything_but_digits() {
        assert_eq!(int_of("a", &json!("12"), false).unwrap(), 12);
        assert_eq!(int_of("a", &json!(-3), false).unwrap(), -3);
        for bad in ["1x", "1.5", "1 OR 1=1", "", "-", "99999999999999999999"] {
            let err = int_of("a", &json!(bad), false).unwrap_err();
            assert_eq!(err.code.as_str(), "BAD_ARGUMENT", "{bad}");
            assert_eq!(err.message.as_str(), "`a` must be an integer");
        }
        assert_eq!(
            int_of("id", &json!(crate::relay::global_id("XType", 7)), true).unwrap(),
            7
        );
    }

    #[test]
    fn texts_dates_and_decimals_are_checked() {
        assert!(text_of("c", &json!("a\0b")).is_err());
        assert!(text_of("c", &json!("x".repeat(MAX_TEXT + 1))).is_err());
        assert_eq!(
            bind("d", Kind::Date, &json!("2024-01-02")).unwrap(),
            Bind::text("2024-01-02")
        );
        assert!(bind("d", Kind::Date, &json!("2024-1-2")).is_err());
        assert!(bind("d", Kind::Date, &json!("2024-01-02'")).is_err());
        assert_eq!(
            bind("t", Kind::DateTime, &json!("2024-01-02T03:04:05")).unwrap(),
            Bind::text("2024-01-02 03:04:05")
        );
        assert!(bind("t", Kind::DateTime, &json!("2024-01-02'; --")).is_err());
        assert!(bind("n", Kind::Decimal(2), &json!("1e5")).is_err());
        assert_eq!(
            bind("n", Kind::Decimal(2), &json!(12.5)).unwrap(),
            Bind::text("12.5")
        );
        assert!(bind("b", Kind::Bool, &json!("yes")).is_err());
    }
}
