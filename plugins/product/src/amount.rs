//! `Decimal` inputs as the frontend sends them (a string in literals, a number in variables):
//! kept as their text for the database, read as a float where the original compares them
//! (`float(limit) >= 0`), and as the truthiness Python gives a `Decimal` (zero is false).

use serde::de::{Deserializer, Error as _};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A decimal number: an optional sign, digits, an optional fraction.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Amount(pub String);

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = match Value::deserialize(deserializer)? {
            Value::String(s) => s.trim().to_owned(),
            Value::Number(n) => n.to_string(),
            other => return Err(D::Error::custom(format!("{other} is not a Decimal"))),
        };
        let unsigned = text.strip_prefix('-').unwrap_or(&text);
        let mut parts = unsigned.splitn(2, '.');
        let whole = parts.next().unwrap_or_default();
        let fraction = parts.next().unwrap_or_default();
        let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || whole.len() > 16 || !digits(whole) || !digits(fraction) {
            return Err(D::Error::custom(format!("{text:?} is not a Decimal")));
        }
        Ok(Amount(text))
    }
}

impl Amount {
    pub fn zero() -> Self {
        Amount("0".into())
    }

    pub fn value(&self) -> f64 {
        self.0.parse().unwrap_or_default()
    }

    /// Python's `bool(Decimal(x))`.
    pub fn truthy(&self) -> bool {
        self.value() != 0.0
    }
}
