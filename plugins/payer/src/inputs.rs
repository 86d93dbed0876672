//! The mutations' inputs: the custom scalars the original's GraphQL layer parses before any
//! mutation runs (the SDK's `scalars`: a value that does not parse is a `BAD_ARGUMENT` error
//! and nothing is logged, as graphene refuses the variables), and the typed inputs the
//! mutations read (`PayerInputType` with its update form, the delete input, `addFunding`'s).

use openimis_sdk::scalars::{date, decimal, uuid};
use openimis_sdk::ModuleError;
use serde::Deserialize;
use serde_json::{Map, Value};

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
