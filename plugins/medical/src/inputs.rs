//! The mutations' typed inputs (`ItemOrServiceInputType` and its item and service forms, the
//! package children, the delete input) and the checks the original makes on them before any
//! write: the 6-character code, the patient category bit mask, decimals, `manualPrice`.

use openimis_sdk::input::int;
use serde::de::{Deserializer, Error as _};
use serde::Deserialize;
use serde_json::{json, Map, Value};

/// A `Decimal` as the frontend sends it (a string in literals, a number in variables), kept as
/// its text: digits, an optional sign and fraction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decimal(pub String);

impl<'de> Deserialize<'de> for Decimal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = match Value::deserialize(deserializer)? {
            Value::String(s) => s.trim().to_owned(),
            Value::Number(n) => n.to_string(),
            other => return Err(D::Error::custom(format!("{other} is not a decimal"))),
        };
        let digits = text.strip_prefix('-').unwrap_or(&text);
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let numeric = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !numeric(whole) || !numeric(fraction) || whole.len() > 16 {
            return Err(D::Error::custom(format!("{text:?} is not a decimal")));
        }
        Ok(Decimal(text))
    }
}

impl Decimal {
    /// The value as the original compares it: `12.5` equals `12.50` and `012.5`.
    pub fn canonical(text: &str) -> String {
        let text = text.trim();
        let (sign, digits) = match text.strip_prefix('-') {
            Some(rest) => ("-", rest),
            None => ("", text),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let whole = whole.trim_start_matches('0');
        let fraction = fraction.trim_end_matches('0');
        let whole = if whole.is_empty() { "0" } else { whole };
        let sign = if whole == "0" && fraction.is_empty() {
            ""
        } else {
            sign
        };
        match fraction {
            "" => format!("{sign}{whole}"),
            f => format!("{sign}{whole}.{f}"),
        }
    }

    /// The integer part (`IntegerField`s store `int(Decimal)`: `2.50` is `2`).
    pub fn truncated(&self) -> i64 {
        let whole = self.0.split('.').next().unwrap_or("0");
        whole.parse().unwrap_or_default()
    }
}

/// `Option<Option<T>>`: absent (`None`), sent as null (`Some(None)`), or a value.
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

/// As [`present`] for an integer that may come as a numeric string.
fn present_int<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<i64>>, D::Error> {
    int(deserializer).map(Some)
}

/// The fields items and services share (`ItemOrServiceInputType`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemOrServiceInput {
    pub uuid: Option<String>,
    pub code: Option<String>,
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub type_code: Option<String>,
    pub care_type: Option<String>,
    #[serde(default, deserialize_with = "present_int")]
    pub patient_category: Option<Option<i64>>,
    pub patient_categories: Option<Vec<Option<String>>>,
    pub frequency: Option<Decimal>,
    pub price: Option<Decimal>,
    /// Not in the original's reset list: absent keeps the stored value on update.
    #[serde(default, deserialize_with = "present")]
    pub maximum_amount: Option<Option<Decimal>>,
}

/// The item form (`ItemInputType`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemInput {
    #[serde(flatten)]
    pub common: ItemOrServiceInput,
    pub package: Option<String>,
    pub quantity: Option<Decimal>,
}

/// One package child (`ServiceItemInputType` / `ServiceServiceInputType`): `target` is the
/// contained item's or service's id.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ChildInput {
    #[serde(default, deserialize_with = "int")]
    pub id: Option<i64>,
    #[serde(
        alias = "itemId",
        alias = "serviceId",
        deserialize_with = "int",
        default
    )]
    pub target: Option<i64>,
    #[serde(default, deserialize_with = "int")]
    pub status: Option<i64>,
    #[serde(default, deserialize_with = "present")]
    pub qty_provided: Option<Option<Decimal>>,
    #[serde(default, deserialize_with = "present")]
    pub price_asked: Option<Option<Decimal>>,
}

/// The service form (`ServiceInputType`).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceInput {
    #[serde(flatten)]
    pub common: ItemOrServiceInput,
    pub level: Option<String>,
    pub packagetype: Option<String>,
    pub manual_price: Option<String>,
    pub category: Option<String>,
    pub items: Option<Vec<Option<ChildInput>>>,
    pub services: Option<Vec<Option<ChildInput>>>,
}

/// `deleteItem` / `deleteService`.
#[derive(Debug, Deserialize)]
pub struct DeleteInput {
    #[serde(default, deserialize_with = "openimis_sdk::input::strings")]
    pub uuids: Vec<String>,
}

/// The patient category bit of each `PatientCategories` value (core's masks).
fn category_bit(name: &str) -> Option<i64> {
    match name {
        "MALE" => Some(1),
        "FEMALE" => Some(2),
        "ADULT" => Some(4),
        "MINOR" => Some(8),
        _ => None,
    }
}

impl ItemOrServiceInput {
    /// The ServiceCodeInputType scalar's check (`assert_string_length(value, 6)`).
    pub fn code_fits(&self) -> bool {
        self.code.as_deref().map_or(0, |c| c.chars().count()) <= 6
    }

    /// `patientCategories` OR-ed together, else `patientCategory`; neither is the original's
    /// `medical.mutation.patient_category_missing` (a ValidationError, hence `['…']`).
    pub fn patient_category(&self) -> Result<Value, String> {
        let listed: Vec<&str> = self
            .patient_categories
            .iter()
            .flatten()
            .flatten()
            .map(String::as_str)
            .collect();
        if !listed.is_empty() {
            let mut mask = 0;
            for name in listed {
                mask |= category_bit(name)
                    .ok_or_else(|| format!("{name:?} is not a PatientCategories value"))?;
            }
            return Ok(json!(mask));
        }
        match self.patient_category {
            Some(category) => Ok(json!(category)),
            None => Err("['medical.mutation.patient_category_missing']".into()),
        }
    }

    /// The shared fields as the original writes them (GraphQL names; absent ones null, as its
    /// reset before an update leaves them); `maximumAmount` only when sent.
    pub fn values(&self) -> Result<Map<String, Value>, String> {
        let text = |t: &Option<String>| json!(t);
        let decimal = |d: &Option<Decimal>| json!(d.as_ref().map(|d| d.0.clone()));
        let mut values = Map::new();
        values.insert("code".into(), text(&self.code));
        values.insert("name".into(), text(&self.name));
        values.insert("type".into(), text(&self.type_code));
        values.insert("careType".into(), text(&self.care_type));
        values.insert("patientCategory".into(), self.patient_category()?);
        let frequency = self.frequency.as_ref().map(Decimal::truncated);
        values.insert("frequency".into(), json!(frequency));
        values.insert("price".into(), decimal(&self.price));
        if let Some(amount) = &self.maximum_amount {
            values.insert("maximumAmount".into(), decimal(amount));
        }
        Ok(values)
    }
}

/// Django's `BooleanField.to_python` on the `manualPrice` string.
pub fn manual_price(text: &str) -> Result<bool, String> {
    match text {
        "t" | "True" | "1" | "true" => Ok(true),
        "f" | "False" | "0" | "false" => Ok(false),
        other => Err(format!("['“{other}” value must be either True or False.']")),
    }
}

/// The service form's own fields, as [`ItemOrServiceInput::values`].
pub fn service_values(input: &ServiceInput, creating: bool) -> Result<Map<String, Value>, String> {
    let mut values = input.common.values()?;
    values.insert("level".into(), json!(input.level));
    values.insert("category".into(), json!(input.category));
    let packagetype = match (&input.packagetype, creating) {
        (None, true) => Some("S".to_owned()),
        (given, _) => given.clone(),
    };
    values.insert("packagetype".into(), json!(packagetype));
    let manual = input
        .manual_price
        .as_deref()
        .map(manual_price)
        .transpose()?;
    let manual = if creating {
        Some(manual.unwrap_or(false))
    } else {
        manual
    };
    values.insert("manualPrice".into(), json!(manual));
    Ok(values)
}

/// The item form's own fields, as [`ItemOrServiceInput::values`].
pub fn item_values(input: &ItemInput) -> Result<Map<String, Value>, String> {
    let mut values = input.common.values()?;
    values.insert("package".into(), json!(input.package));
    let quantity = input.quantity.as_ref().map(|q| q.0.clone());
    values.insert("quantity".into(), json!(quantity));
    Ok(values)
}
