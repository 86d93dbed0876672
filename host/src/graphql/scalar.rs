//! The scalar values juniper executes with: GraphQL's four, as juniper's default, plus a
//! module's answer for an object already written as JSON text by [`super::projection`], which
//! the response carries as it is instead of rebuilding it as juniper values and serializing
//! those again.

use derive_more::with_trait::{Display, From, TryInto};
use juniper::ScalarValue;
use serde::ser::SerializeStruct;
use serde::{de, Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A scalar of the host's juniper schema.
#[derive(Clone, Debug, Display, From, PartialEq, ScalarValue, Serialize, TryInto)]
#[serde(untagged)]
pub enum Scalar {
    #[from]
    #[value(to_float, to_int)]
    Int(i32),
    #[from]
    #[value(to_float)]
    Float(f64),
    #[from(&str, String)]
    #[value(as_str, to_string)]
    String(String),
    #[from]
    #[value(to_bool)]
    Boolean(bool),
    /// An object (or null) of a module's answer, projected onto its selection as JSON text.
    Written(Written),
}

/// JSON text the projection wrote (one JSON value); serialized verbatim.
#[derive(Clone, Debug, Display, PartialEq)]
pub struct Written(String);

/// The struct name by which serde_json's serializer (feature `raw_value`) recognizes a value to
/// write as it is: what `serde_json::value::RawValue` serializes as. Used instead of building a
/// `RawValue`, whose constructor parses the whole text again to check it.
const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

impl Written {
    /// `text` must be one JSON value, as the projection writes it; `None` if it is not UTF-8.
    pub fn new(text: Vec<u8>) -> Option<Self> {
        String::from_utf8(text).ok().map(Written)
    }
}

impl Serialize for Written {
    fn serialize<Z: Serializer>(&self, serializer: Z) -> Result<Z::Ok, Z::Error> {
        let mut raw = serializer.serialize_struct(RAW_VALUE_TOKEN, 1)?;
        raw.serialize_field(RAW_VALUE_TOKEN, &self.0)?;
        raw.end()
    }
}

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        struct Visitor;

        impl de::Visitor<'_> for Visitor {
            type Value = Scalar;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a valid input value")
            }

            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Scalar, E> {
                Ok(Scalar::Boolean(b))
            }

            fn visit_i64<E: de::Error>(self, n: i64) -> Result<Scalar, E> {
                Ok(match i32::try_from(n) {
                    Ok(i) => Scalar::Int(i),
                    Err(_) => Scalar::Float(n as f64),
                })
            }

            fn visit_u64<E: de::Error>(self, n: u64) -> Result<Scalar, E> {
                Ok(match i32::try_from(n) {
                    Ok(i) => Scalar::Int(i),
                    Err(_) => Scalar::Float(n as f64),
                })
            }

            fn visit_f64<E: de::Error>(self, f: f64) -> Result<Scalar, E> {
                Ok(Scalar::Float(f))
            }

            fn visit_str<E: de::Error>(self, s: &str) -> Result<Scalar, E> {
                Ok(Scalar::String(s.into()))
            }

            fn visit_string<E: de::Error>(self, s: String) -> Result<Scalar, E> {
                Ok(Scalar::String(s))
            }
        }

        de.deserialize_any(Visitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_text_reaches_serde_json_output_as_it_is() {
        let text = br#"{"a":[1,"x\"y"],"b":null}"#.to_vec();
        let value = Scalar::Written(Written::new(text.clone()).unwrap());
        let out = serde_json::to_vec(&vec![value]).unwrap();
        assert_eq!(out, [b"[".as_slice(), &text, b"]"].concat());
    }
}
