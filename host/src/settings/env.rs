//! The primitives every setting is read with: `MODE`, the variable lookup and the error naming a
//! bad variable. A leaf: `settings.rs` and the parts it assembles (`cache/config.rs`,
//! `mail.rs`) all read through it.

/// `MODE`: DEV serves GraphiQL and runs mutations in-line; PROD hardens everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Dev,
    Prod,
}

/// A setting with a bad value, named.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("setting {name}={value:?} is invalid: {reason}")]
pub struct SettingError {
    pub name: String,
    pub value: String,
    pub reason: String,
}

/// Reads variables through a lookup function (the process environment, or a map in tests).
pub struct Env<'a> {
    lookup: &'a dyn Fn(&str) -> Option<String>,
}

impl<'a> Env<'a> {
    pub fn new(lookup: &'a dyn Fn(&str) -> Option<String>) -> Self {
        Self { lookup }
    }

    pub fn get(&self, name: &str) -> Option<String> {
        (self.lookup)(name).filter(|v| !v.is_empty())
    }

    pub fn string(&self, name: &str, default: &str) -> String {
        self.get(name).unwrap_or_else(|| default.to_owned())
    }

    /// Django-style booleans: True/true/1/yes/on and False/false/0/no/off.
    pub fn flag(&self, name: &str, default: bool) -> Result<bool, SettingError> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => match v.to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "on" => Ok(true),
                "false" | "0" | "no" | "off" => Ok(false),
                _ => Err(bad(name, &v, "expected True or False")),
            },
        }
    }

    pub fn number<T: std::str::FromStr>(&self, name: &str, default: T) -> Result<T, SettingError> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => v
                .trim()
                .parse()
                .map_err(|_| bad(name, &v, "expected a whole number")),
        }
    }
}

/// The error for variable `name` set to `value`, and why that is wrong.
pub(super) fn bad(name: &str, value: &str, reason: &str) -> SettingError {
    SettingError {
        name: name.into(),
        value: value.into(),
        reason: reason.into(),
    }
}
