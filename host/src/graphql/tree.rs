//! A module's answer as the host reads it: a JSON tree whose strings and keys borrow from the
//! answer's text (copied only where the text escapes them), objects as small vectors of pairs.
//! `answer_reader` reads it from the text; federation builds and merges it, the projection
//! reads it. A tree lives in a [`Store`]: its arrays, objects and copied strings are allocated
//! in the store's arena and freed all at once with it, never one by one.

use abi_stable::std_types::RString;
use bumpalo::collections::Vec as ArenaVec;
use bumpalo::Bump;
use openimis_sdk::json_text::{same_key, write_str};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Number, Value as Json};
use std::mem::ManuallyDrop;
use std::ops::{Deref, DerefMut};
use typed_arena::Arena;

/// Where one root field's answers live: the modules' answer texts, which trees borrow from,
/// and the arena the trees are allocated in.
#[derive(Default)]
pub struct Store {
    texts: Arena<RString>,
    nodes: Bump,
}

impl Store {
    /// Keeps a module's answer text as long as the store.
    pub fn keep(&self, text: RString) -> &str {
        self.texts.alloc(text).as_str()
    }

    /// The arena of the store's trees.
    pub fn nodes(&self) -> &Bump {
        &self.nodes
    }
}

/// One JSON value of an answer; `'t` is its store's. A node owns nothing outside the store's
/// arena, so it is never dropped piece by piece: dropping one does nothing (no walk of the
/// tree) and the arena frees everything with the store. Its tag is a whole word: a node is
/// moved as aligned words (a byte tag had it copied in overlapping pieces, which stalls the
/// reads that follow).
#[derive(Debug, Clone, PartialEq, Default)]
#[repr(u64)]
pub enum Node<'t> {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(Str<'t>),
    Array(Items<'t, Node<'t>>),
    Object(Object<'t>),
}

/// A string of an answer, and whether it is known to need no escape in JSON (the reader
/// found it between quotes in the answer's text, with none): such a string is written back
/// as it is, without a scan.
#[derive(Debug, Clone, Copy)]
pub struct Str<'t> {
    text: &'t str,
    plain: bool,
}

impl<'t> Str<'t> {
    /// A string that holds no quote, backslash or control character (not checked).
    pub fn plain(text: &'t str) -> Self {
        Str { text, plain: true }
    }

    /// Any string (escaped where needed when written).
    pub fn new(text: &'t str) -> Self {
        Str { text, plain: false }
    }

    pub fn as_str(&self) -> &'t str {
        self.text
    }

    /// The string as JSON text.
    #[inline]
    pub fn write(&self, out: &mut Vec<u8>) {
        if !self.plain {
            return write_str(out, self.text);
        }
        out.reserve(self.text.len() + 2);
        out.push(b'"');
        out.extend_from_slice(self.text.as_bytes());
        out.push(b'"');
    }
}

impl Deref for Str<'_> {
    type Target = str;
    fn deref(&self) -> &str {
        self.text
    }
}

impl PartialEq for Str<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

/// A vector in a store's arena, never dropped (what it holds needs no drop: see [`Node`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Items<'t, T>(ManuallyDrop<ArenaVec<'t, T>>);

impl<'t, T> Items<'t, T> {
    pub fn with_capacity_in(capacity: usize, arena: &'t Bump) -> Self {
        Items(ManuallyDrop::new(ArenaVec::with_capacity_in(
            capacity, arena,
        )))
    }
}

impl<'t, T> Deref for Items<'t, T> {
    type Target = ArenaVec<'t, T>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl<T> DerefMut for Items<'_, T> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.0
    }
}

/// An object's members in the order the answer gave them (keys are unique).
#[derive(Debug, Clone, PartialEq)]
pub struct Object<'t>(Items<'t, (&'t str, Node<'t>)>);

impl<'t> Object<'t> {
    /// An empty object with room for `capacity` members.
    pub fn with_capacity_in(capacity: usize, arena: &'t Bump) -> Self {
        Object(Items::with_capacity_in(capacity, arena))
    }

    /// The members themselves, for a reader filling the object in place (keys kept unique).
    pub fn members_mut(&mut self) -> &mut ArenaVec<'t, (&'t str, Node<'t>)> {
        &mut self.0
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
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
    pub fn insert(&mut self, key: &'t str, value: Node<'t>) {
        match self.get_mut(key) {
            Some(slot) => *slot = value,
            None => self.0.push((key, value)),
        }
    }

    pub fn keys(&self) -> impl Iterator<Item = &'t str> + '_ {
        self.0.iter().map(|(k, _)| *k)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&'t str, &Node<'t>)> {
        self.0.iter().map(|(k, v)| (*k, v))
    }

    /// The members, taken out (the object is left empty).
    pub fn take_pairs(&mut self) -> impl Iterator<Item = (&'t str, Node<'t>)> + '_ {
        self.0.drain(..)
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
            Node::String(s) => Some(s.as_str()),
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

    /// A `serde_json` value as a tree in `arena`.
    pub fn from_json(value: &Json, arena: &'t Bump) -> Node<'t> {
        match value {
            Json::Null => Node::Null,
            Json::Bool(b) => Node::Bool(*b),
            Json::Number(n) => Node::Number(n.clone()),
            Json::String(s) => Node::String(Str::new(arena.alloc_str(s))),
            Json::Array(items) => {
                let mut array = Items::with_capacity_in(items.len(), arena);
                array.extend(items.iter().map(|v| Node::from_json(v, arena)));
                Node::Array(array)
            }
            Json::Object(map) => {
                let mut object = Object::with_capacity_in(map.len(), arena);
                for (k, v) in map {
                    object
                        .members_mut()
                        .push((arena.alloc_str(k), Node::from_json(v, arena)));
                }
                Node::Object(object)
            }
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
            Node::Array(items) => serializer.collect_seq(items.iter()),
            Node::Object(o) => {
                let mut map = serializer.serialize_map(Some(o.len()))?;
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
        let arena = Bump::new();
        let value = json!({"a": 3, "b": [true, null, -2, 1.5, "x"], "c": {"d": "e\"f"}});
        let node = Node::from_json(&value, &arena);
        assert_eq!(node.to_json(), value);
        assert_eq!(serde_json::to_value(&node).unwrap(), value);
    }

    #[test]
    fn insert_replaces_in_place_or_appends() {
        let arena = Bump::new();
        let mut node = Node::from_json(&json!({"a": 1, "b": 2}), &arena);
        let Node::Object(o) = &mut node else { panic!() };
        o.insert("a", Node::Null);
        o.insert("c", Node::Bool(true));
        assert_eq!(o.keys().collect::<Vec<_>>(), ["a", "b", "c"]);
        assert_eq!(node.to_json(), json!({"a": null, "b": 2, "c": true}));
    }

    #[test]
    fn a_plain_string_is_written_as_an_escaped_one_is() {
        for text in [
            "",
            "T001",
            "base 1",
            "é ü 中文 🙂",
            "VGhpbmdHUUxUeXBlOjE=",
            "\u{7f}",
        ] {
            let (mut plain, mut escaped) = (Vec::new(), Vec::new());
            Str::plain(text).write(&mut plain);
            Str::new(text).write(&mut escaped);
            assert_eq!(plain, escaped, "{text:?}");
        }
        let mut out = Vec::new();
        Str::new("a\"b\n").write(&mut out);
        assert_eq!(out, br#""a\"b\n""#);
    }

    #[test]
    fn a_tree_needs_no_drop() {
        // What a node holds is the store's: nothing to free, nothing to walk when it goes.
        assert!(!std::mem::needs_drop::<Node<'static>>());
    }
}
