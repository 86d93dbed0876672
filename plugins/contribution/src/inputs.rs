//! The premium mutations' input (`PremiumBase`, create and update share it; the
//! `premiums.create` service takes the same fields) read into a typed struct, and checked
//! before anything is written: the original lets the database refuse a missing amount,
//! receipt, pay date or pay type (`NOT NULL`), a pay type longer than one character or a
//! receipt longer than 50 (PostgreSQL's `varchar`); here each is a clear message.

use chrono::NaiveDate;
use openimis_sdk::decimal::Decimal;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// A field given (`Some`, possibly null) or absent (`None`): the original's model default
/// applies only to an absent one (`Premium(**data)`).
fn given<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

/// `PremiumBase` as sent. `id` names an existing valid premium, as `uuid` does.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PremiumInput {
    #[serde(default, deserialize_with = "openimis_sdk::input::int")]
    pub id: Option<i64>,
    pub uuid: Option<String>,
    pub policy_uuid: Option<String>,
    pub payer_uuid: Option<String>,
    pub amount: Option<Value>,
    pub receipt: Option<String>,
    pub pay_date: Option<String>,
    pub pay_type: Option<String>,
    #[serde(default, deserialize_with = "given")]
    pub is_offline: Option<Option<bool>>,
    #[serde(default, deserialize_with = "given")]
    pub is_photo_fee: Option<Option<bool>>,
    pub action: Option<String>,
}

/// A premium input with its fields present and well-formed.
#[derive(Debug, Clone)]
pub struct Checked {
    pub id: Option<i64>,
    pub uuid: Option<String>,
    pub policy_uuid: String,
    pub payer_uuid: Option<String>,
    /// As given: compared unrounded with the policy's balance.
    pub amount: Decimal,
    pub receipt: String,
    pub pay_date: NaiveDate,
    pub pay_type: String,
    pub is_offline: Option<bool>,
    pub is_photo_fee: Option<bool>,
    pub action: Option<String>,
}

fn required<'a>(name: &str, given: &'a Option<String>) -> Result<&'a str, String> {
    given
        .as_deref()
        .ok_or_else(|| format!("`{name}` is required"))
}

impl PremiumInput {
    /// The input checked, or why it is malformed. An empty `policyUuid` is the original's
    /// `policy_uuid_required`.
    pub fn checked(&self) -> Result<Checked, String> {
        let policy_uuid = self
            .policy_uuid
            .as_deref()
            .filter(|u| !u.is_empty())
            .ok_or("policy_uuid_required")?;
        let amount = match &self.amount {
            None | Some(Value::Null) => return Err("`amount` is required".into()),
            Some(value) => Decimal::of_value(value).ok_or("`amount` must be a decimal number")?,
        };
        if amount.round_half_even(2).whole_digits() > 16 {
            return Err("`amount` has more than 16 digits before the point (numeric(18,2))".into());
        }
        let receipt = required("receipt", &self.receipt)?;
        if receipt.chars().count() > 50 {
            return Err("`receipt` has more than 50 characters".into());
        }
        let pay_date = required("payDate", &self.pay_date)?;
        let pay_date =
            NaiveDate::parse_from_str(pay_date.get(..10).unwrap_or(pay_date), "%Y-%m-%d")
                .map_err(|_| "`payDate` must be a date (YYYY-MM-DD)".to_owned())?;
        let pay_type = required("payType", &self.pay_type)?;
        if pay_type.chars().count() != 1 {
            return Err("`payType` must be one character".into());
        }
        Ok(Checked {
            id: self.id,
            uuid: self.uuid.clone().filter(|u| !u.is_empty()),
            policy_uuid: policy_uuid.to_owned(),
            payer_uuid: self.payer_uuid.clone().filter(|u| !u.is_empty()),
            amount,
            receipt: receipt.to_owned(),
            pay_date,
            pay_type: pay_type.to_owned(),
            is_offline: self.is_offline.unwrap_or(Some(false)),
            is_photo_fee: self.is_photo_fee.unwrap_or(Some(false)),
            action: self.action.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn input(value: Value) -> PremiumInput {
        serde_json::from_value(value).unwrap()
    }

    #[test]
    fn the_frontends_input_is_checked() {
        let given = input(
            json!({"receipt": "RCPT-1", "payDate": "2024-06-02", "payType": "C",
            "isPhotoFee": false, "action": "ENFORCE", "amount": "5000",
            "payerUuid": "b0000000-0000-4000-8000-000000000061",
            "policyUuid": "90000000-0000-4000-8000-000000000041", "clientMutationId": "x"}),
        );
        let checked = given.checked().unwrap();
        assert_eq!(checked.amount.to_string(), "5000");
        assert_eq!(checked.pay_date.to_string(), "2024-06-02");
        assert_eq!(
            (checked.is_offline, checked.is_photo_fee),
            (Some(false), Some(false))
        );
        assert_eq!(checked.action.as_deref(), Some("ENFORCE"));
        let nulls = input(
            json!({"receipt": "R", "payDate": "2024-06-02", "payType": "C",
            "amount": 1, "policyUuid": "p", "isOffline": null}),
        );
        assert_eq!(
            nulls.checked().unwrap().is_offline,
            None,
            "null is stored as null"
        );
    }

    #[test]
    fn a_malformed_input_says_which_field() {
        let base = json!({"receipt": "R", "payDate": "2024-06-02", "payType": "C",
            "amount": "10", "policyUuid": "p"});
        for (key, bad, why) in [
            ("policyUuid", json!(""), "policy_uuid_required"),
            ("amount", Value::Null, "`amount` is required"),
            ("amount", json!("ten"), "`amount` must be a decimal number"),
            (
                "amount",
                json!("12345678901234567"),
                "`amount` has more than 16 digits before the point (numeric(18,2))",
            ),
            ("receipt", Value::Null, "`receipt` is required"),
            (
                "receipt",
                json!("x".repeat(51)),
                "`receipt` has more than 50 characters",
            ),
            (
                "payDate",
                json!("2024-13-02"),
                "`payDate` must be a date (YYYY-MM-DD)",
            ),
            ("payType", json!("CC"), "`payType` must be one character"),
        ] {
            let mut wrong = base.clone();
            wrong[key] = bad;
            assert_eq!(input(wrong).checked().unwrap_err(), why, "{key}");
        }
    }
}
