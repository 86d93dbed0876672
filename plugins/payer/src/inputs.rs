//! The mutations' inputs: the custom scalars the original's GraphQL layer parses before any
//! mutation runs (`UUID`, `Date`, `Decimal`: a value that does not parse is a `BAD_ARGUMENT`
//! error and nothing is logged, as graphene refuses the variables), and the typed inputs the
//! mutations read (`PayerInputType` with its update form, the delete input, `addFunding`'s).

use openimis_sdk::ModuleError;
use serde::Deserialize;
use serde_json::{Map, Value};

fn bad(name: &str, why: &str) -> ModuleError {
    ModuleError::new("BAD_ARGUMENT", format!("`{name}` {why}"))
}

/// A `UUID` argument as graphene reads it (`uuid.UUID(value)`: hyphens, braces or a `urn:uuid:`
/// prefix optional) and as Django compares it: the lower-case hyphenated text.
pub fn uuid(name: &str, value: &Value) -> Result<String, ModuleError> {
    let text = value.as_str().ok_or_else(|| bad(name, "must be a UUID"))?;
    let parsed = uuid::Uuid::try_parse(text.trim()).map_err(|_| bad(name, "must be a UUID"))?;
    Ok(parsed.hyphenated().to_string())
}

/// A `Date` argument: `YYYY-MM-DD`, a real day.
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

/// A `Decimal` argument: a number, or its text (`-12.5`); answered as text.
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

/// The input's scalars of `createPayer` (`locationUuid`) and `updatePayer` (also `uuid`).
pub fn check_payer(input: &Map<String, Value>, update: bool) -> Result<(), ModuleError> {
    let names: &[&str] = if update {
        &["locationUuid", "uuid"]
    } else {
        &["locationUuid"]
    };
    for name in names {
        if let Some(value) = input.get(*name).filter(|v| !v.is_null()) {
            uuid(name, value)?;
        }
    }
    Ok(())
}

/// The input's scalars of `addFunding` (`payDate`, `amount`).
pub fn check_funding(input: &Map<String, Value>) -> Result<(), ModuleError> {
    if let Some(value) = input.get("payDate").filter(|v| !v.is_null()) {
        date("payDate", value)?;
    }
    if let Some(value) = input.get("amount").filter(|v| !v.is_null()) {
        decimal("amount", value)?;
    }
    Ok(())
}

/// `PayerInputType` (`uuid` on update). Which optional keys were sent matters (an update sets
/// only those, as the original's `setattr` loop), so the raw input is read for that.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PayerInput {
    pub uuid: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub fax: Option<String>,
    pub address: Option<String>,
    pub location_uuid: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

impl PayerInput {
    /// The payer's own fields the input names, by GraphQL name (`(name, value)`).
    pub fn given<'a>(&'a self, raw: &Map<String, Value>) -> Vec<(&'static str, Option<&'a str>)> {
        [
            ("type", &self.kind),
            ("name", &self.name),
            ("address", &self.address),
            ("phone", &self.phone),
            ("fax", &self.fax),
            ("email", &self.email),
        ]
        .into_iter()
        .filter(|(name, _)| raw.contains_key(*name))
        .map(|(name, value)| (name, value.as_deref()))
        .collect()
    }
}

/// `deletePayer`'s `uuids` as the original iterates `data["uuids"]`: `None` when the key is
/// absent, `Some(None)` when null, else the list (a null item names no payer).
pub fn uuids(input: &Map<String, Value>) -> Result<Option<Option<Vec<Option<String>>>>, String> {
    match input.get("uuids") {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(value) => Vec::<Option<String>>::deserialize(value)
            .map(|list| Some(Some(list)))
            .map_err(|e| format!("malformed input: {e}")),
    }
}

/// `AddFundingMutationInput`: the ids as sent (`ID`: a number or its text), the scalars
/// already checked by [`check_funding`].
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FundingInput {
    pub payer_id: Value,
    pub product_id: Value,
    pub pay_date: String,
    pub amount: Value,
    pub receipt: String,
}

/// Python's `int(value)` of an `ID` Django compares with an integer key; `None` where Django
/// raises `ValueError` ("Field 'id' expected a number").
pub fn int_id(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scalars_parse_as_graphene_does() {
        assert_eq!(
            uuid("u", &json!("B0000000-0000-4000-8000-000000000061")).unwrap(),
            "b0000000-0000-4000-8000-000000000061"
        );
        assert_eq!(
            uuid("u", &json!("b0000000000040008000000000000061")).unwrap(),
            "b0000000-0000-4000-8000-000000000061"
        );
        assert!(uuid("u", &json!("nope")).is_err());
        assert!(uuid("u", &json!(3)).is_err());
        assert_eq!(date("d", &json!("2024-02-29")).unwrap(), "2024-02-29");
        for bad_date in [
            "2023-02-29",
            "2024-13-01",
            "2024-1-01",
            "x",
            "2024-01-01T00:00",
        ] {
            assert!(date("d", &json!(bad_date)).is_err(), "{bad_date}");
        }
        assert_eq!(decimal("a", &json!(12.5)).unwrap(), "12.5");
        assert_eq!(decimal("a", &json!(" -3 ")).unwrap(), "-3");
        for bad_amount in [
            json!("1e5"),
            json!("abc"),
            json!(""),
            json!(true),
            json!("1.2.3"),
        ] {
            assert!(decimal("a", &bad_amount).is_err(), "{bad_amount}");
        }
        assert_eq!(int_id(&json!("3")), Some(3));
        assert_eq!(int_id(&json!(" 7 ")), Some(7));
        assert_eq!(int_id(&json!("UGF5ZXJHUUxUeXBlOjM=")), None);
    }
}
