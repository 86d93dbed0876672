//! The mutations' inputs: `PolicyInputType` (create, update and renew share it) read from the
//! JSON input, its dates and value checked before anything is written, and the `uuids` of
//! `suspendPolicies`/`deletePolicies`.

use chrono::NaiveDate;
use openimis_sdk::decimal::Decimal;
use serde::Deserialize;
use serde_json::Value;

/// `PolicyInputType` as sent. `id` is accepted and ignored: the original declares it
/// `read_only` (a graphene no-op) and passing it on to `Policy.objects.create` would choose
/// the new row's key; keys are the database's here.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyInput {
    #[serde(default, rename = "id", deserialize_with = "openimis_sdk::input::int")]
    pub _id: Option<i64>,
    pub uuid: Option<String>,
    pub enroll_date: Option<String>,
    pub start_date: Option<String>,
    pub expiry_date: Option<String>,
    pub value: Option<Value>,
    #[serde(default, deserialize_with = "openimis_sdk::input::int")]
    pub product_id: Option<i64>,
    #[serde(default, deserialize_with = "openimis_sdk::input::int")]
    pub family_id: Option<i64>,
    #[serde(default, deserialize_with = "openimis_sdk::input::int")]
    pub officer_id: Option<i64>,
    pub is_paid: Option<bool>,
    pub receipt: Option<String>,
    pub payer_uuid: Option<String>,
    pub contribution_plan_id: Option<String>,
}

/// `suspendPolicies` / `deletePolicies`.
#[derive(Debug, Default, Deserialize)]
pub struct UuidsInput {
    #[serde(default, deserialize_with = "openimis_sdk::input::strings")]
    pub uuids: Vec<String>,
}

/// A policy input with its required fields present and well-formed.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The policy to update (a non-empty `uuid`), else a new one.
    pub uuid: Option<String>,
    pub enroll_date: NaiveDate,
    pub start_date: NaiveDate,
    pub expiry_date: NaiveDate,
    /// The value as text, two decimal places (`numeric(18,2)`).
    pub value: String,
    pub product: i64,
    pub family: i64,
    pub officer: i64,
    pub is_paid: bool,
    pub receipt: Option<String>,
    pub payer: Option<String>,
    pub contribution_plan: Option<String>,
}

fn date(name: &str, given: &Option<String>) -> Result<NaiveDate, String> {
    let text = given
        .as_deref()
        .ok_or_else(|| format!("`{name}` is required"))?;
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("`{name}` must be a date (YYYY-MM-DD)"))
}

fn id(name: &str, given: Option<i64>) -> Result<i64, String> {
    given.ok_or_else(|| format!("`{name}` is required"))
}

/// `value` as a decimal with two places (GraphQL's `Decimal!`: a string or a number).
fn value(given: &Option<Value>) -> Result<String, String> {
    let text = match given {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        None | Some(Value::Null) => return Err("`value` is required".into()),
        Some(_) => String::new(),
    };
    let parsed = Decimal::parse(&text).ok_or("`value` must be a decimal number")?;
    let rounded = parsed.round_half_up(2);
    if rounded.whole_digits() > 16 {
        return Err("`value` has more than 16 digits before the point (numeric(18,2))".into());
    }
    Ok(rounded.to_string())
}

impl PolicyInput {
    /// The input checked, or why it is malformed.
    pub fn checked(&self) -> Result<Checked, String> {
        let uuid = self
            .uuid
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty());
        Ok(Checked {
            uuid: uuid.map(str::to_owned),
            enroll_date: date("enrollDate", &self.enroll_date)?,
            start_date: date("startDate", &self.start_date)?,
            expiry_date: date("expiryDate", &self.expiry_date)?,
            value: value(&self.value)?,
            product: id("productId", self.product_id)?,
            family: id("familyId", self.family_id)?,
            officer: id("officerId", self.officer_id)?,
            is_paid: self.is_paid.unwrap_or(false),
            receipt: self.receipt.clone(),
            payer: self.payer_uuid.clone(),
            contribution_plan: self
                .contribution_plan_id
                .clone()
                .filter(|c| !c.trim().is_empty()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn input(value: Value) -> PolicyInput {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn a_well_formed_input_is_checked() {
        let given = input(
            json!({"uuid": "", "enrollDate": "2024-06-01", "startDate": "2024-06-01",
            "expiryDate": "2025-05-31", "value": "10000", "productId": 1, "familyId": "21", "officerId": 1}),
        );
        let checked = given.checked().unwrap();
        assert_eq!(checked.uuid, None, "an empty uuid is a new policy");
        assert_eq!(checked.value, "10000.00");
        assert_eq!(checked.family, 21);
        assert_eq!(checked.expiry_date.to_string(), "2025-05-31");
        assert!(!checked.is_paid);
    }

    #[test]
    fn a_malformed_input_says_which_field() {
        let base = json!({"enrollDate": "2024-06-01", "startDate": "2024-06-01",
            "expiryDate": "2025-05-31", "value": 10.5, "productId": 1, "familyId": 21, "officerId": 1});
        assert_eq!(input(base.clone()).checked().unwrap().value, "10.50");
        for (key, bad, why) in [
            (
                "enrollDate",
                json!("2024-13-45"),
                "`enrollDate` must be a date (YYYY-MM-DD)",
            ),
            ("value", json!("abc"), "`value` must be a decimal number"),
            ("value", json!(true), "`value` must be a decimal number"),
            ("officerId", Value::Null, "`officerId` is required"),
        ] {
            let mut wrong = base.clone();
            wrong[key] = bad;
            assert_eq!(input(wrong).checked().unwrap_err(), why);
        }
    }
}
