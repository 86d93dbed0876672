//! The checks every save of the original's models goes through: core's `pre_save` receiver
//! runs `full_clean()` on each `VersionedModel` and `HistoryModel` (core.md, "Cross-cutting
//! model rules") and fails with `ValidationError("Object <Model> is not respecting the
//! mandatory fields: <errors>")`. Reproduced per field in the model's field order, each field's
//! first failure as Django words it (`choices`, `blank`, `max_length`, the decimal's digits),
//! and the text as Python prints it (`str(ValidationError)`).

use crate::python::str_repr as py_repr;

/// One field's value and its model constraints.
pub struct Field<'a> {
    pub name: &'static str,
    pub value: Option<&'a str>,
    /// `blank=False`: an empty value is refused.
    pub required: bool,
    pub max_length: Option<usize>,
    pub choices: Option<&'static [&'static str]>,
}

impl<'a> Field<'a> {
    pub fn text(name: &'static str, value: Option<&'a str>, max_length: usize) -> Self {
        Field {
            name,
            value,
            required: false,
            max_length: Some(max_length),
            choices: None,
        }
    }

    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }

    pub fn choices(mut self, choices: &'static [&'static str]) -> Self {
        self.choices = Some(choices);
        self
    }

    /// The field's name and its first failure: Django's `Field.clean` stops there
    /// (`validate`: choices, null, blank; then the validators: `MaxLengthValidator`).
    pub fn check(&self) -> (&'static str, Option<String>) {
        (self.name, self.error())
    }

    fn error(&self) -> Option<String> {
        let value = self.value;
        if let (Some(choices), Some(v)) = (self.choices, value.filter(|v| !v.is_empty())) {
            if !choices.contains(&v) {
                return Some(format!("Value {} is not a valid choice.", py_repr(v)));
            }
        }
        match value {
            None if self.required => return Some("This field cannot be null.".into()),
            Some("") if self.required => return Some("This field cannot be blank.".into()),
            _ => {}
        }
        let (Some(v), Some(max)) = (value, self.max_length) else {
            return None;
        };
        let n = v.chars().count();
        let noun = if max == 1 { "character" } else { "characters" };
        (n > max).then(|| format!("Ensure this value has at most {max} {noun} (it has {n})."))
    }
}

/// Django's `DecimalValidator(max_digits, decimal_places)` on a decimal's text (`-12.50`).
pub fn decimal_error(text: &str, max_digits: usize, places: usize) -> Option<String> {
    let unsigned = text.trim().trim_start_matches('-');
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let coefficient = format!("{whole}{fraction}");
    let significant = coefficient.trim_start_matches('0').len().max(1);
    let exponent = fraction.len();
    let (digits, decimals) = match exponent {
        0 if coefficient.trim_start_matches('0').is_empty() => (1, 0),
        0 => (significant, 0),
        e if e > significant => (e, e),
        e => (significant, e),
    };
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    if digits > max_digits {
        let n = plural(max_digits, "digit", "digits");
        return Some(format!("Ensure that there are no more than {n} in total."));
    }
    if decimals > places {
        let n = plural(places, "decimal place", "decimal places");
        return Some(format!("Ensure that there are no more than {n}."));
    }
    let whole_max = max_digits - places;
    (digits - decimals > whole_max).then(|| {
        let n = plural(whole_max, "digit", "digits");
        format!("Ensure that there are no more than {n} before the decimal point.")
    })
}

/// `full_clean()` of `model`: each field's `(name, first failure)` in the model's field order;
/// `Err(str(ValidationError))` when any failed.
pub fn full_clean(model: &str, checked: &[(&'static str, Option<String>)]) -> Result<(), String> {
    // `str(ValidationError(dict))` is `repr(dict)`: `{'name': ['This field cannot be blank.']}`.
    let errors: Vec<String> = checked
        .iter()
        .filter_map(|(name, error)| {
            let error = error.as_ref()?;
            Some(format!("{}: [{}]", py_repr(name), py_repr(error)))
        })
        .collect();
    if errors.is_empty() {
        return Ok(());
    }
    let message = format!(
        "Object {model} is not respecting the mandatory fields: {{{}}}",
        errors.join(", ")
    );
    Err(validation_error(&message))
}

/// `str(ValidationError(message))`: the repr of a list of one message.
pub fn validation_error(message: &str) -> String {
    format!("[{}]", py_repr(message))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_fail_as_django_words_it() {
        let ok = full_clean(
            "Payer",
            &[Field::text("name", Some("x"), 100).required().check()],
        );
        assert_eq!(ok, Ok(()));
        let long = "9".repeat(51);
        let bad = full_clean(
            "Payer",
            &[
                Field::text("type", Some("X"), 1)
                    .required()
                    .choices(&["C", "D"])
                    .check(),
                Field::text("name", Some(""), 100).required().check(),
                Field::text("address", None, 100).check(),
                Field::text("phone", Some(&long), 50).check(),
            ],
        );
        // Python's repr of the message: it holds both quotes, so single ones, escaped.
        assert_eq!(
            bad.unwrap_err(),
            r#"['Object Payer is not respecting the mandatory fields: {\'type\': ["Value \'X\' is not a valid choice."], \'name\': [\'This field cannot be blank.\'], \'phone\': [\'Ensure this value has at most 50 characters (it has 51).\']}']"#
        );
        let blank = full_clean(
            "Payer",
            &[Field::text("name", Some(""), 100).required().check()],
        );
        assert_eq!(
            blank.unwrap_err(),
            r#"["Object Payer is not respecting the mandatory fields: {'name': ['This field cannot be blank.']}"]"#
        );
    }

    #[test]
    fn decimals_are_djangos_decimal_validator() {
        assert_eq!(decimal_error("12.50", 18, 2), None);
        assert_eq!(decimal_error("0", 18, 2), None);
        assert_eq!(decimal_error("-9999999999999999.99", 18, 2), None);
        assert_eq!(
            decimal_error("12345678901234567.00", 18, 2).as_deref(),
            Some("Ensure that there are no more than 18 digits in total.")
        );
        assert_eq!(
            decimal_error("0.000", 18, 2).as_deref(),
            Some("Ensure that there are no more than 2 decimal places.")
        );
    }
}
