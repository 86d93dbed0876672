//! claim's mutation inputs: the custom scalars graphene parses before a mutation runs (a value
//! that does not parse is a `BAD_ARGUMENT` error and nothing is logged: `ClaimCodeInputType`
//! over `max_claim_length` is core's `core.string.over_max_length`, as the original's
//! `assert_string_length`), the typed inputs the mutations read, and the columns an input's
//! given keys set (the original's `setattr` of every key it received: a key the client did not
//! send is left alone, one sent as null is set to null).

use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::decimal::Decimal;
use openimis_sdk::entity::{self, Kind};
use openimis_sdk::scalars::{date, decimal, uuid};
use openimis_sdk::sql_filter::date_param;
use openimis_sdk::ModuleError;
use serde::de::{Deserializer, Error as _};
use serde::Deserialize;
use serde_json::{Map, Value};

fn bad(name: &str, why: &str) -> ModuleError {
    ModuleError::new("BAD_ARGUMENT", format!("`{name}` {why}"))
}

/// One input key a save writes: its GraphQL name, its column and how the column is bound.
pub type Column = (&'static str, &'static str, Kind);

/// The placeholder of a column of `kind` on `conn`'s backend.
pub fn placeholder(conn: &DbConnection, kind: Kind) -> &'static str {
    let pg = db::backend(conn) == "postgresql";
    match kind {
        Kind::Date => date_param(conn),
        Kind::DateTime => db::timestamp_param(conn),
        Kind::Decimal(_) => "CAST(? AS NUMERIC)",
        Kind::Json if pg => "CAST(? AS jsonb)",
        Kind::Uuid if pg => "CAST(? AS uuid)",
        _ => "?",
    }
}

/// The bind of `value` for a column of `kind`; a decimal is stored with its column's places,
/// rounded half to even as Django's `DecimalField` saves it.
pub fn bind(name: &str, kind: Kind, value: &Value) -> Result<Bind, ModuleError> {
    match (kind, value) {
        (Kind::Decimal(places), v) if !v.is_null() => {
            let d = Decimal::of_value(v).ok_or_else(|| bad(name, "must be a decimal number"))?;
            Ok(Bind::text(d.round_half_even(u32::from(places)).to_string()))
        }
        _ => entity::bind(name, kind, value),
    }
}

/// `(column, placeholder, bind)` of every key of `columns` that `raw` carries.
pub fn given(
    conn: &DbConnection,
    columns: &[Column],
    raw: &Map<String, Value>,
) -> Result<Vec<(String, &'static str, Bind)>, ModuleError> {
    let mut out = Vec::new();
    for (name, column, kind) in columns {
        if let Some(value) = raw.get(*name) {
            let b = bind(name, *kind, value)?;
            out.push((format!(r#""{column}""#), placeholder(conn, *kind), b));
        }
    }
    Ok(out)
}

/// For `#[serde(default, deserialize_with = "dec")]` on an `Option<Decimal>`: a GraphQL
/// `Decimal` (a number or its text); `null` is `None`.
pub fn dec<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Decimal>, D::Error> {
    let value = Option::<Value>::deserialize(deserializer)?.filter(|v| !v.is_null());
    value
        .map(|v| {
            Decimal::of_value(&v).ok_or_else(|| D::Error::custom(format!("{v} is not a decimal")))
        })
        .transpose()
}

/// A package's sub-line (`ClaimSubItemInputType` / `ClaimSubServiceInputType`): which keys were
/// sent matters (the original reads them with `[…]`), so each is kept as sent.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SubLineInput {
    pub sub_item_code: Option<String>,
    pub sub_service_code: Option<String>,
    #[serde(default, deserialize_with = "present")]
    pub qty_provided: Option<Option<Decimal>>,
    #[serde(default, deserialize_with = "present")]
    pub qty_asked: Option<Option<Decimal>>,
    #[serde(default, deserialize_with = "present")]
    pub price_asked: Option<Option<Decimal>>,
}

/// For `Option<Option<Decimal>>`: absent is `None`, null `Some(None)`.
fn present<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<Decimal>>, D::Error> {
    dec(deserializer).map(Some)
}

/// An item or service line (`ClaimItemInputType` / `ClaimServiceInputType`), with the raw keys
/// it was sent with (the columns it sets).
#[derive(Debug, Clone)]
pub struct LineInput {
    pub raw: Map<String, Value>,
    pub typed: LineFields,
}

/// The keys of a line the save reads itself.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LineFields {
    #[serde(default, deserialize_with = "openimis_sdk::input::int")]
    pub id: Option<i64>,
    #[serde(default, deserialize_with = "openimis_sdk::input::int")]
    pub item_id: Option<i64>,
    #[serde(default, deserialize_with = "openimis_sdk::input::int")]
    pub service_id: Option<i64>,
    #[serde(default, deserialize_with = "openimis_sdk::input::int")]
    pub status: Option<i64>,
    #[serde(default, deserialize_with = "dec")]
    pub qty_provided: Option<Decimal>,
    #[serde(default, deserialize_with = "dec")]
    pub qty_approved: Option<Decimal>,
    #[serde(default, deserialize_with = "dec")]
    pub price_asked: Option<Decimal>,
    #[serde(default, deserialize_with = "dec")]
    pub price_adjusted: Option<Decimal>,
    #[serde(default, deserialize_with = "dec")]
    pub price_approved: Option<Decimal>,
    pub explanation: Option<String>,
    pub service_item_set: Option<Vec<Option<SubLineInput>>>,
    pub service_service_set: Option<Vec<Option<SubLineInput>>>,
}

impl<'de> Deserialize<'de> for LineInput {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let raw = Map::<String, Value>::deserialize(deserializer)?;
        let typed =
            LineFields::deserialize(Value::Object(raw.clone())).map_err(D::Error::custom)?;
        Ok(LineInput { raw, typed })
    }
}

impl LineInput {
    /// Whether the line was sent with key `name`.
    pub fn has(&self, name: &str) -> bool {
        self.raw.contains_key(name)
    }
}

/// `ClaimInputType` (`CreateClaimInputType` adds `attachments`): the keys the save reads; the
/// columns come from the raw input.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ClaimInput {
    pub uuid: Option<String>,
    pub code: Option<String>,
    pub autogenerate: Option<bool>,
    pub restore: Option<String>,
    pub items: Option<Vec<Option<LineInput>>>,
    pub services: Option<Vec<Option<LineInput>>>,
    pub attachments: Option<Vec<Option<Map<String, Value>>>>,
}

impl ClaimInput {
    /// The items sent (a null entry is none).
    pub fn item_lines(&self) -> Vec<&LineInput> {
        self.items.iter().flatten().flatten().collect()
    }

    /// The services sent.
    pub fn service_lines(&self) -> Vec<&LineInput> {
        self.services.iter().flatten().flatten().collect()
    }
}

/// The uuids of a status mutation (`uuids: [String]`, nulls left out), `None` when absent.
pub fn uuids(input: &Map<String, Value>) -> Result<Option<Vec<String>>, String> {
    match input.get("uuids") {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(Vec::new())),
        Some(value) => Vec::<Option<String>>::deserialize(value)
            .map(|list| Some(list.into_iter().flatten().collect()))
            .map_err(|e| format!("malformed input: {e}")),
    }
}

const LINE_DECIMALS: [&str; 11] = [
    "qtyProvided",
    "qtyApproved",
    "priceAsked",
    "priceAdjusted",
    "priceApproved",
    "priceValuated",
    "limitationValue",
    "remuneratedAmount",
    "deductableAmount",
    "exceedCeilingAmount",
    "exceedCeilingAmountCategory",
];

const LINE_DATETIMES: [&str; 3] = ["validityFromReview", "validityToReview", "validityTo"];

fn each<'a>(
    input: &'a Map<String, Value>,
    name: &str,
) -> impl Iterator<Item = &'a Map<String, Value>> {
    let list = input.get(name).and_then(Value::as_array);
    list.into_iter().flatten().filter_map(Value::as_object)
}

fn scalar_in(
    map: &Map<String, Value>,
    name: &str,
    check: impl Fn(&str, &Value) -> Result<(), ModuleError>,
) -> Result<(), ModuleError> {
    match map.get(name) {
        Some(value) if !value.is_null() => check(name, value),
        _ => Ok(()),
    }
}

fn is_decimal(name: &str, value: &Value) -> Result<(), ModuleError> {
    decimal(name, value).map(drop)
}

fn is_date(name: &str, value: &Value) -> Result<(), ModuleError> {
    date(name, value).map(drop)
}

fn is_datetime(name: &str, value: &Value) -> Result<(), ModuleError> {
    entity::bind(name, Kind::DateTime, value).map(drop)
}

/// `TinyInt` (0–255) and `SmallInt` (−32768–32767): graphene turns a value outside its range
/// into null, which a required field refuses; refused here in both cases.
fn in_range(low: i64, high: i64) -> impl Fn(&str, &Value) -> Result<(), ModuleError> {
    move |name, value| match value.as_i64() {
        Some(n) if (low..=high).contains(&n) => Ok(()),
        _ => Err(bad(
            name,
            &format!("must be an integer from {low} to {high}"),
        )),
    }
}

/// The scalars of item and service lines (and of their package sub-lines).
pub fn check_lines(input: &Map<String, Value>) -> Result<(), ModuleError> {
    for list in ["items", "services"] {
        for line in each(input, list) {
            for name in LINE_DECIMALS {
                scalar_in(line, name, is_decimal)?;
            }
            for name in LINE_DATETIMES {
                scalar_in(line, name, is_datetime)?;
            }
            scalar_in(line, "status", in_range(0, 255))?;
            scalar_in(line, "rejectionReason", in_range(-32768, 32767))?;
            for set in ["serviceItemSet", "serviceServiceSet"] {
                for sub in each(line, set) {
                    for name in ["qtyProvided", "qtyAsked", "priceAsked"] {
                        scalar_in(sub, name, is_decimal)?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// The scalars of `FeedbackInputType`.
pub fn check_feedback(feedback: Option<&Value>) -> Result<(), ModuleError> {
    let Some(feedback) = feedback.and_then(Value::as_object) else {
        return Ok(());
    };
    for name in ["feedbackDate", "validityFrom", "validityTo"] {
        scalar_in(feedback, name, is_datetime)?;
    }
    scalar_in(feedback, "asessment", in_range(-32768, 32767))
}

/// `assert_string_length` of the `ClaimCodeInputType` and `ClaimGuaranteeIdInputType`
/// scalars: a plain `Exception(_("core.string.over_max_length") % …)`, so graphene refuses the
/// variables with that text.
fn within(value: Option<&Value>, length: Option<usize>) -> Result<(), ModuleError> {
    let text = value.and_then(Value::as_str).unwrap_or_default();
    match length {
        Some(max) if max > 0 && text.chars().count() > max => Err(ModuleError::new(
            "BAD_ARGUMENT",
            "core.string.over_max_length",
        )),
        _ => Ok(()),
    }
}

/// The scalars of `createClaim` / `updateClaim`.
pub fn check_claim(
    input: &Map<String, Value>,
    max_claim_length: Option<usize>,
) -> Result<(), ModuleError> {
    within(input.get("code"), max_claim_length)?;
    within(input.get("guaranteeId"), Some(50))?;
    for name in ["dateFrom", "dateTo", "dateClaimed", "dateProcessed"] {
        scalar_in(input, name, is_date)?;
    }
    scalar_in(input, "restore", |n, v| uuid(n, v).map(drop))?;
    scalar_in(input, "jsonExt", |n, v| {
        match v.as_str().map(serde_json::from_str::<Value>) {
            Some(Ok(_)) => Ok(()),
            _ => Err(bad(n, "must be a JSON string")),
        }
    })?;
    for name in ["reviewStatus", "feedbackStatus"] {
        scalar_in(input, name, in_range(0, 255))?;
    }
    check_feedback(input.get("feedback"))?;
    check_lines(input)?;
    for attachment in each(input, "attachments") {
        scalar_in(attachment, "date", is_date)?;
    }
    Ok(())
}

/// The scalars of the attachment mutations.
pub fn check_attachment(input: &Map<String, Value>) -> Result<(), ModuleError> {
    scalar_in(input, "date", is_date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn map(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    #[test]
    fn scalars_are_refused_before_anything_is_logged() {
        let ok = map(
            json!({"code": "CLM-1", "dateFrom": "2024-06-01", "jsonExt": "{}",
            "items": [{"itemId": 1, "status": 1, "qtyProvided": "1.00", "priceAsked": 12.5}],
            "services": [{"serviceId": 1, "status": 1, "serviceItemSet": [{"subItemCode": "A", "qtyAsked": "2"}]}]}),
        );
        check_claim(&ok, Some(20)).unwrap();
        for (bad_input, argument) in [
            (
                json!({"code": "X".repeat(21)}),
                "core.string.over_max_length",
            ),
            (json!({"code": "A", "dateFrom": "2024-13-01"}), "`dateFrom`"),
            (json!({"code": "A", "restore": "nope"}), "`restore`"),
            (json!({"code": "A", "jsonExt": "{"}), "`jsonExt`"),
            (json!({"code": "A", "reviewStatus": 300}), "`reviewStatus`"),
            (
                json!({"code": "A", "items": [{"qtyProvided": "1e5"}]}),
                "`qtyProvided`",
            ),
            (
                json!({"code": "A", "services": [{"serviceServiceSet": [{"priceAsked": "x"}]}]}),
                "`priceAsked`",
            ),
            (
                json!({"code": "A", "feedback": {"feedbackDate": "yesterday"}}),
                "`feedbackDate`",
            ),
        ] {
            let error = check_claim(&map(bad_input.clone()), Some(20)).unwrap_err();
            assert_eq!(error.code.as_str(), "BAD_ARGUMENT", "{bad_input}");
            assert!(
                error.message.as_str().starts_with(argument),
                "{bad_input}: {}",
                error.message
            );
        }
    }

    #[test]
    fn lines_keep_what_was_sent() {
        let line: LineInput = serde_json::from_value(json!({"id": "42", "itemId": 9,
            "qtyProvided": "10.00", "priceAsked": 12.5, "explanation": null}))
        .unwrap();
        assert_eq!(line.typed.id, Some(42));
        assert_eq!(line.typed.qty_provided.unwrap().to_string(), "10.00");
        assert!(line.has("explanation") && !line.has("qtyApproved"));
        let sub: SubLineInput =
            serde_json::from_value(json!({"subItemCode": "A", "qtyAsked": null})).unwrap();
        assert_eq!((sub.qty_asked, sub.qty_provided), (Some(None), None));
        assert_eq!(
            uuids(&map(json!({"uuids": ["a", null]}))).unwrap(),
            Some(vec!["a".to_owned()])
        );
        assert_eq!(uuids(&map(json!({}))).unwrap(), None);
    }
}
