//! The checks `create_or_update_product` makes before it writes (product.md §5), with the
//! original's exceptions: a `ValueError` (its text is the message of a create or duplicate) or
//! another exception (its text is the detail).

use crate::amount::Amount;
use crate::enums::{self, Enum};
use crate::inputs::{DetailInput, ProductInput};
use openimis_sdk::ModuleError;

/// Why a save failed, as the original's exception classes divide it.
#[derive(Debug)]
pub enum Failure {
    /// A `ValueError`.
    Value(String),
    /// Any other exception, as `str(exc)`.
    Other(String),
}

impl From<ModuleError> for Failure {
    fn from(e: ModuleError) -> Self {
        Failure::Other(e.message.to_string())
    }
}

/// `str(ValidationError(text))`: Python's repr of the one-message list.
pub fn validation_error(text: &str) -> Failure {
    let quoted = if text.contains('\'') && !text.contains('"') {
        format!("\"{text}\"")
    } else {
        format!("'{text}'")
    };
    Failure::Other(format!("[{quoted}]"))
}

/// `startCycle1..4` must split on `-` into two parts (`DD-MM`).
fn start_cycles(input: &ProductInput) -> Result<(), Failure> {
    for cycle in input.scalars.start_cycles().into_iter().flatten() {
        if cycle.split('-').count() != 2 {
            return Err(Failure::Value(format!(
                "'{cycle}' is not a correct value for product.start_cycle"
            )));
        }
    }
    Ok(())
}

/// The stored code of an enum input (`None` for null or an unknown name).
pub fn code(e: Enum, name: &Option<String>) -> Option<&'static str> {
    name.as_deref().and_then(|n| enums::code_of(e, n))
}

/// The six `(type, limit)` pairs the original checks, or the `KeyError` of a type not sent.
fn limit_pairs(detail: &DetailInput) -> Result<Vec<(Option<&'static str>, f64)>, Failure> {
    let kind = |t: &Option<Option<String>>, key: &str| match t {
        None => Err(Failure::Other(format!("'{key}'"))),
        Some(name) => Ok(code(enums::LIMIT_TYPE, name)),
    };
    let (o, e, r) = (
        kind(&detail.limitation_type, "limitation_type")?,
        kind(&detail.limitation_type_e, "limitation_type_e")?,
        kind(&detail.limitation_type_r, "limitation_type_r")?,
    );
    let v = |a: &Option<Amount>| a.as_ref().map_or(0.0, Amount::value);
    Ok(vec![
        (o, v(&detail.limit_adult)),
        (e, v(&detail.limit_adult_e)),
        (r, v(&detail.limit_adult_r)),
        (o, v(&detail.limit_child)),
        (e, v(&detail.limit_child_e)),
        (r, v(&detail.limit_child_r)),
    ])
}

/// Every limit ≥ 0; co-insurance ones (type not `F`) ≤ 100.
fn limits(details: &Option<Vec<DetailInput>>, noun: &str) -> Result<(), Failure> {
    for detail in details.iter().flatten() {
        let pairs = limit_pairs(detail)?;
        if pairs.iter().any(|(_, v)| *v < 0.0) {
            return Err(Failure::Value(format!(
                "{noun} O,R,E limits must be positive."
            )));
        }
        if pairs.iter().any(|(t, v)| *t != Some("F") && *v > 100.0) {
            return Err(Failure::Value(format!(
                "{noun} O,R,E co-insurance limits must be smaller or equal to 100."
            )));
        }
    }
    Ok(())
}

/// A `Date` input as the stored timestamp (`YYYY-MM-DD 00:00:00`).
pub fn day(name: &str, value: &Option<String>) -> Result<String, Failure> {
    let text = value.as_deref().unwrap_or_default().trim();
    let ok = text.len() == 10
        && text.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    match ok {
        true => Ok(format!("{text} 00:00:00")),
        false => Err(Failure::Other(format!(
            "`{name}` must be a date (YYYY-MM-DD), not {text:?}"
        ))),
    }
}

/// The checks after the code's, in the original's order: cycles, item and service limits,
/// `dateFrom <= dateTo`.
pub fn before_save(input: &ProductInput) -> Result<(String, String), Failure> {
    start_cycles(input)?;
    limits(&input.items, "Item")?;
    limits(&input.services, "Service")?;
    let (from, to) = (
        day("dateFrom", &input.date_from)?,
        day("dateTo", &input.date_to)?,
    );
    if from > to {
        return Err(Failure::Value("date_from must be before date_to".into()));
    }
    Ok((from, to))
}
