//! [`Bind`]: a value bound to a `?` placeholder, shared by `db` and `statement` (a leaf both
//! import, so neither imports the other back).

/// A value bound to a `?` placeholder of a portable statement.
#[derive(Debug, Clone, PartialEq)]
pub enum Bind {
    Text(Option<String>),
    Int(Option<i32>),
    BigInt(Option<i64>),
    Bool(Option<bool>),
}

impl Bind {
    pub fn text(value: impl Into<String>) -> Self {
        Bind::Text(Some(value.into()))
    }
}
