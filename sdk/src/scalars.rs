//! The custom GraphQL scalars the original's graphene parses before a resolver or a mutation
//! runs (`UUID`, `Date`, `Decimal`): a value that does not parse is a `BAD_ARGUMENT` error
//! naming the argument, and a mutation is not even logged, as graphene refuses the variables.

use crate::abi::ModuleError;
use crate::SelectionField;
use serde_json::Value;

fn bad(name: &str, why: &str) -> ModuleError {
    ModuleError::new("BAD_ARGUMENT", format!("`{name}` {why}"))
}

/// A `UUID` as graphene reads it (`uuid.UUID(value)`: hyphens, braces or a `urn:uuid:` prefix
/// optional) and as Django compares it: the lower-case hyphenated text.
pub fn uuid(name: &str, value: &Value) -> Result<String, ModuleError> {
    let text = value.as_str().ok_or_else(|| bad(name, "must be a UUID"))?;
    let parsed = uuid::Uuid::try_parse(text.trim()).map_err(|_| bad(name, "must be a UUID"))?;
    Ok(parsed.hyphenated().to_string())
}

/// The field's `UUID` argument `name` ([`uuid()`]); absent or null is `None`.
pub fn uuid_arg(field: &SelectionField, name: &str) -> Result<Option<String>, ModuleError> {
    match field.arg(name) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => uuid(name, value).map(Some),
    }
}

/// A `Date`: `YYYY-MM-DD`, a real day; answered as given.
pub fn date(name: &str, value: &Value) -> Result<String, ModuleError> {
    let text = value.as_str().unwrap_or_default();
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let shaped = text.len() == 10 && &text[4..5] == "-" && &text[7..8] == "-";
    let (year, month, day) = match (shaped, digits(0..4), digits(5..7), digits(8..10)) {
        (true, Some(y), Some(m), Some(d)) => (y, m, d),
        _ => return Err(bad(name, "must be a date (YYYY-MM-DD)")),
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => 0,
    };
    match (1..=days).contains(&day) && year > 0 {
        true => Ok(text.to_owned()),
        false => Err(bad(name, "must be a date (YYYY-MM-DD)")),
    }
}

/// A `Decimal`: a number, or its text (`-12.5`, at most 40 digits each side of the point);
/// answered as text.
pub fn decimal(name: &str, value: &Value) -> Result<String, ModuleError> {
    let text = match value {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.trim().to_owned(),
        _ => return Err(bad(name, "must be a decimal number")),
    };
    let unsigned = text.strip_prefix('-').unwrap_or(&text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let ok = !whole.is_empty() && whole.len() <= 40 && digits(whole) && digits(fraction);
    match ok && fraction.len() <= 40 {
        true => Ok(text),
        false => Err(bad(name, "must be a decimal number")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_parse_as_graphene_and_name_the_argument() {
        let u = "{A0000000-0000-4000-8000-000000000050}";
        assert_eq!(
            uuid("u", &json!(u)).unwrap(),
            "a0000000-0000-4000-8000-000000000050"
        );
        assert_eq!(
            uuid("u", &json!(5)).unwrap_err().message.as_str(),
            "`u` must be a UUID"
        );
        assert!(date("d", &json!("2024-02-29")).is_ok());
        for bad in ["2023-02-29", "2024-13-01", "2024-1-01", "x"] {
            assert!(date("d", &json!(bad)).is_err(), "{bad}");
        }
        assert_eq!(decimal("a", &json!(12.5)).unwrap(), "12.5");
        assert_eq!(decimal("a", &json!(" -3 ")).unwrap(), "-3");
        for bad in [json!("1e5"), json!("."), json!(true)] {
            assert!(decimal("a", &bad).is_err(), "{bad}");
        }
    }
}
