//! A module's answer as the host reads it: a JSON tree whose strings and keys borrow from the
//! answer's text (copied only where the text escapes them), objects as small vectors of pairs.
//! Parsing it costs about two thirds of a `serde_json::Value` and dropping it next to nothing.
//! A leaf: federation builds and merges it, the projection reads it.

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Number, Value as Json};
use std::borrow::Cow;
use std::fmt;

/// One JSON value of an answer; `'t` is the answer text's.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Node<'t> {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(Cow<'t, str>),
    Array(Vec<Node<'t>>),
    Object(Object<'t>),
}

/// An object's members in the order the answer gave them (keys are unique).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Object<'t>(Vec<(Cow<'t, str>, Node<'t>)>);

impl<'t> Object<'t> {
    pub fn get(&self, key: &str) -> Option<&Node<'t>> {
        self.0.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node<'t>> {
        self.0.iter_mut().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| k == key)
    }

    /// Sets `key` to `value`, in place when the object has it already.
    pub fn insert(&mut self, key: Cow<'t, str>, value: Node<'t>) {
        match self.get_mut(&key) {
            Some(slot) => *slot = value,
            None => self.0.push((key, value)),
        }
    }

    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_ref())
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Node<'t>)> {
        self.0.iter().map(|(k, v)| (k.as_ref(), v))
    }

    pub fn into_pairs(self) -> impl Iterator<Item = (Cow<'t, str>, Node<'t>)> {
        self.0.into_iter()
    }
}

impl<'t> Node<'t> {
    /// Reads `text`, borrowing from it.
    pub fn parse(text: &'t str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Node<'t>> {
        match self {
            Node::Object(o) => o.get(key),
            _ => None,
        }
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node<'t>> {
        match self {
            Node::Object(o) => o.get_mut(key),
            _ => None,
        }
    }

    /// The item `index` of an array.
    pub fn index(&self, index: usize) -> Option<&Node<'t>> {
        match self {
            Node::Array(items) => items.get(index),
            _ => None,
        }
    }

    pub fn index_mut(&mut self, index: usize) -> Option<&mut Node<'t>> {
        match self {
            Node::Array(items) => items.get_mut(index),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Node::Null)
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Node::Object(_))
    }

    pub fn is_string(&self) -> bool {
        matches!(self, Node::String(_))
    }

    /// A `serde_json` value as a tree (owning its strings).
    pub fn from_json(value: &Json) -> Node<'static> {
        match value {
            Json::Null => Node::Null,
            Json::Bool(b) => Node::Bool(*b),
            Json::Number(n) => Node::Number(n.clone()),
            Json::String(s) => Node::String(Cow::Owned(s.clone())),
            Json::Array(items) => Node::Array(items.iter().map(Node::from_json).collect()),
            Json::Object(map) => Node::Object(Object(
                map.iter()
                    .map(|(k, v)| (Cow::Owned(k.clone()), Node::from_json(v)))
                    .collect(),
            )),
        }
    }

    /// The tree as a `serde_json` value (keys of a request, error details).
    pub fn to_json(&self) -> Json {
        match self {
            Node::Null => Json::Null,
            Node::Bool(b) => Json::Bool(*b),
            Node::Number(n) => Json::Number(n.clone()),
            Node::String(s) => Json::String(s.to_string()),
            Node::Array(items) => Json::Array(items.iter().map(Node::to_json).collect()),
            Node::Object(o) => {
                Json::Object(o.iter().map(|(k, v)| (k.to_owned(), v.to_json())).collect())
            }
        }
    }
}

impl Serialize for Node<'_> {
    /// As serde_json writes the same value (members in the tree's order).
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Null => serializer.serialize_unit(),
            Node::Bool(b) => serializer.serialize_bool(*b),
            Node::Number(n) => n.serialize(serializer),
            Node::String(s) => serializer.serialize_str(s),
            Node::Array(items) => items.serialize(serializer),
            Node::Object(o) => {
                let mut map = serializer.serialize_map(Some(o.0.len()))?;
                for (k, v) in o.iter() {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
        }
    }
}

/// Reads a JSON value, borrowing strings and keys from the text where it can.
struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node<'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }

    fn visit_none<E>(self) -> Result<Node<'de>, E> {
        Ok(Node::Null)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Node<'de>, E> {
        Ok(Node::Bool(b))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Node<'de>, E> {
        Ok(Node::Number(n.into()))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Node<'de>, E> {
        Ok(Node::Number(n.into()))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Node<'de>, E> {
        Ok(Number::from_f64(n).map_or(Node::Null, Node::Number))
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Node<'de>, E> {
        Ok(Node::String(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Node<'de>, E> {
        Ok(Node::String(Cow::Owned(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> Result<Node<'de>, E> {
        Ok(Node::String(Cow::Owned(s)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(4));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node<'de>, A::Error> {
        let mut pairs: Vec<(Cow<'de, str>, Node<'de>)> = Vec::with_capacity(4);
        while let Some(Key(key)) = map.next_key()? {
            let value = map.next_value()?;
            match pairs.iter_mut().find(|(k, _)| *k == key) {
                // A key given twice keeps its last value, as serde_json's maps do.
                Some((_, slot)) => *slot = value,
                None => pairs.push((key, value)),
            }
        }
        Ok(Node::Object(Object(pairs)))
    }
}

impl<'de> Deserialize<'de> for Node<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

/// An object key, borrowed from the text unless escaped there.
struct Key<'t>(Cow<'t, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object key")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(s)))
            }
        }
        deserializer.deserialize_str(KeyVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_what_serde_json_reads_borrowing_plain_strings() {
        let text = r#"{"a": 1, "b": [true, null, -2, 1.5, "x"], "c": {"d": "e\"f"}, "a": 3}"#;
        let node = Node::parse(text).unwrap();
        assert_eq!(
            node.to_json(),
            json!({"a": 3, "b": [true, null, -2, 1.5, "x"], "c": {"d": "e\"f"}})
        );
        assert!(matches!(
            node.get("b").and_then(|b| b.index(4)),
            Some(Node::String(Cow::Borrowed("x")))
        ));
        assert!(matches!(
            node.get("c").and_then(|c| c.get("d")),
            Some(Node::String(Cow::Owned(_)))
        ));
        assert_eq!(Node::from_json(&node.to_json()), node);
    }

    #[test]
    fn insert_replaces_in_place_or_appends() {
        let mut node = Node::parse(r#"{"a": 1, "b": 2}"#).unwrap();
        let Node::Object(o) = &mut node else { panic!() };
        o.insert("a".into(), Node::Null);
        o.insert("c".into(), Node::Bool(true));
        assert_eq!(o.keys().collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(node.to_json(), json!({"a": null, "b": 2, "c": true}));
    }
}
