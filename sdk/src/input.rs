//! A resolver's input: a mutation reads its `input` into its own
//! `#[derive(Deserialize)] #[serde(rename_all = "camelCase")]` struct, where a key of the wrong
//! type is a clear error rather than a value silently missing, instead of picking keys one by
//! one (the readers here cover what serde does not: integers the frontend sends as strings,
//! lists with nulls); checks the caller as the original does before writing; refuses the input
//! with the original's texts; and a query reads a string argument with [`str_arg`].

use crate::mutation::{threw, MutationError, PERMISSION_DENIED};
use crate::{RequestContext, SelectionField};
use serde::de::{DeserializeOwned, Deserializer, Error as _};
use serde::Deserialize;
use serde_json::{Map, Value};

/// `input` read as `T`; a key of the wrong type answers `malformed input: <why>`.
pub fn parse<T: DeserializeOwned>(input: &Map<String, Value>) -> Result<T, String> {
    parse_value(&Value::Object(input.clone()))
}

/// [`parse`] for an input held as a JSON value (`null` reads as an empty input).
pub fn parse_value<T: DeserializeOwned>(input: &Value) -> Result<T, String> {
    let empty = Value::Object(Map::new());
    let input = if input.is_null() { &empty } else { input };
    T::deserialize(input).map_err(|e| format!("malformed input: {e}"))
}

fn integer(value: &Value) -> Result<i64, String> {
    match value {
        Value::Number(n) => n.as_i64().ok_or_else(|| format!("{n} is not an integer")),
        Value::String(s) => s
            .trim()
            .parse()
            .map_err(|_| format!("{s:?} is not an integer")),
        other => Err(format!("{other} is not an integer")),
    }
}

/// For `#[serde(default, deserialize_with = "openimis_sdk::input::int")]` on an `Option<i64>`:
/// a JSON number or a numeric string (the frontend's decoded ids); `null` is `None`.
pub fn int<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<i64>, D::Error> {
    Option::<Value>::deserialize(deserializer)?
        .filter(|v| !v.is_null())
        .map(|v| integer(&v))
        .transpose()
        .map_err(D::Error::custom)
}

/// For `#[serde(default, deserialize_with = "openimis_sdk::input::ints")]` on an
/// `Option<Vec<i64>>`: a list of such integers, its nulls left out; `null` is `None`.
pub fn ints<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Vec<i64>>, D::Error> {
    let Some(items) = Option::<Vec<Value>>::deserialize(deserializer)? else {
        return Ok(None);
    };
    items
        .iter()
        .filter(|v| !v.is_null())
        .map(integer)
        .collect::<Result<Vec<_>, _>>()
        .map(Some)
        .map_err(D::Error::custom)
}

/// For `#[serde(default, deserialize_with = "openimis_sdk::input::strings")]` on a
/// `Vec<String>`: a list of strings, its nulls left out; `null` is empty.
pub fn strings<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    Ok(Option::<Vec<Option<String>>>::deserialize(deserializer)?
        .into_iter()
        .flatten()
        .flatten()
        .collect())
}

/// A field's string argument; empty when it is absent or not a string.
pub fn str_arg<'f>(field: &'f SelectionField, name: &str) -> &'f str {
    field.arg(name).and_then(Value::as_str).unwrap_or_default()
}

/// A mutation's failure: `message` (the original's translation key) with its `detail`.
pub fn failure(message: &str, detail: impl Into<String>) -> Vec<MutationError> {
    vec![MutationError {
        message: message.to_owned(),
        detail: Some(detail.into()),
    }]
}

/// The original's `str(ValidationError("x"))`: `['x']`.
pub fn validation(text: &str) -> String {
    format!("['{text}']")
}

/// The original's first check of a mutation: a login, else `fail("mutation.authentication_required")`.
pub fn authenticated(
    context: &RequestContext,
    fail: impl Fn(String) -> Vec<MutationError>,
) -> Result<(), Vec<MutationError>> {
    if context.is_authenticated() {
        Ok(())
    } else {
        Err(fail("mutation.authentication_required".into()))
    }
}

/// The original's right check of a mutation: `right` held, else `fail("unauthorized")`.
pub fn permitted(
    context: &RequestContext,
    right: u32,
    fail: impl Fn(String) -> Vec<MutationError>,
) -> Result<(), Vec<MutationError>> {
    if context.holds(right) {
        Ok(())
    } else {
        Err(fail("unauthorized".into()))
    }
}

/// A right the original checks outside its mutation's `try`: held, else core's record of the
/// `PermissionDenied` the mutation lets through (`mutation::threw(PERMISSION_DENIED)`).
pub fn permitted_or_denied(context: &RequestContext, right: u32) -> Result<(), Vec<MutationError>> {
    permitted(context, right, |_| vec![threw(PERMISSION_DENIED)])
}

/// The create and update mutations' first checks, inside the original's `try`: a login, else
/// `message` with detail `['mutation.authentication_required']`; then `right`, else `message`
/// with detail `unauthorized`.
pub fn logged_in_with(
    context: &RequestContext,
    right: u32,
    message: &str,
) -> Result<(), Vec<MutationError>> {
    authenticated(context, |text| failure(message, validation(&text)))?;
    permitted(context, right, |text| failure(message, text))
}

/// [`logged_in_with`], then the input read as `T` ([`parse`]); a malformed one fails under
/// `message` with the reason as detail (payer's, contribution's, policy's saves).
pub fn logged_in_input<T: DeserializeOwned>(
    context: &RequestContext,
    right: u32,
    message: &str,
    input: &Map<String, Value>,
) -> Result<T, Vec<MutationError>> {
    logged_in_with(context, right, message)?;
    parse(input).map_err(|d| failure(message, d))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[derive(Deserialize, Debug, Default)]
    #[serde(rename_all = "camelCase")]
    struct Sample {
        name: Option<String>,
        #[serde(default, deserialize_with = "int")]
        health_facility_id: Option<i64>,
        #[serde(default, deserialize_with = "ints")]
        roles: Option<Vec<i64>>,
        #[serde(default, deserialize_with = "strings")]
        uuids: Vec<String>,
    }

    fn sample(value: Value) -> Result<Sample, String> {
        parse(value.as_object().unwrap())
    }

    #[test]
    fn numbers_numeric_strings_and_nulls() {
        let s = sample(json!({"name": "a", "healthFacilityId": "7", "roles": [1, null, "2"], "uuids": ["x", null]}))
            .unwrap();
        assert_eq!(s.name.as_deref(), Some("a"));
        assert_eq!(s.health_facility_id, Some(7));
        assert_eq!(s.roles, Some(vec![1, 2]));
        assert_eq!(s.uuids, ["x"]);
        let empty = sample(json!({"healthFacilityId": null, "roles": null})).unwrap();
        assert_eq!((empty.health_facility_id, empty.roles), (None, None));
        assert!(empty.uuids.is_empty());
        assert!(parse_value::<Sample>(&Value::Null).is_ok());
    }

    #[test]
    fn a_malformed_input_says_so() {
        for bad in [
            json!({"name": 3}),
            json!({"healthFacilityId": "x"}),
            json!({"roles": [true]}),
        ] {
            let error = sample(bad).unwrap_err();
            assert!(error.starts_with("malformed input: "), "{error}");
        }
    }
}
