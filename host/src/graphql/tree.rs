//! A module's answer as the host reads it: a JSON tree whose strings and keys borrow from the
//! answer's text (copied only where the text escapes them), objects as small vectors of pairs.
//! `answer_reader` reads it from the text; federation builds and merges it, the projection
//! reads it.

use openimis_sdk::json_text::same_key;
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Number, Value as Json};
use std::borrow::Cow;

/// One JSON value of an answer; `'t` is the answer text's. Its tag is a whole word: a node is
/// moved as four aligned words (a byte tag had it copied in overlapping pieces, which stalls
/// the reads that follow).
#[derive(Debug, Clone, PartialEq, Default)]
#[repr(u64)]
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
    /// The members themselves, for a reader filling the object in place (keys kept unique).
    pub fn members_mut(&mut self) -> &mut Vec<(Cow<'t, str>, Node<'t>)> {
        &mut self.0
    }

    pub fn get(&self, key: &str) -> Option<&Node<'t>> {
        self.0
            .iter()
            .find(|(k, _)| same_key(k, key))
            .map(|(_, v)| v)
    }

    pub fn get_mut(&mut self, key: &str) -> Option<&mut Node<'t>> {
        self.0
            .iter_mut()
            .find(|(k, _)| same_key(k, key))
            .map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| same_key(k, key))
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn converts_to_and_from_serde_json_values() {
        let value = json!({"a": 3, "b": [true, null, -2, 1.5, "x"], "c": {"d": "e\"f"}});
        let node = Node::from_json(&value);
        assert_eq!(node.to_json(), value);
        assert_eq!(serde_json::to_value(&node).unwrap(), value);
    }

    #[test]
    fn insert_replaces_in_place_or_appends() {
        let mut node = Node::from_json(&json!({"a": 1, "b": 2}));
        let Node::Object(o) = &mut node else { panic!() };
        o.insert("a".into(), Node::Null);
        o.insert("c".into(), Node::Bool(true));
        assert_eq!(o.keys().collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(node.to_json(), json!({"a": null, "b": 2, "c": true}));
    }
}
