//! Reads a module's answer text into a [`Node`] tree: JSON as RFC 8259 has it, strings and
//! keys borrowed from the text unless it escapes them, numbers as serde_json reads them, a
//! key given twice keeping its last value. Answers are the host's largest input per request;
//! reading them straight into the tree costs about half of going through serde's visitor.

use super::tree::{Items, Node, Object, Str};
use bumpalo::Bump;
use openimis_sdk::json_text::{first_escaped, same_key};
use serde_json::Number;
use std::fmt;

/// How deep arrays and objects may nest (serde_json's own limit).
const MAX_DEPTH: usize = 128;

/// The members an object has room for when the reader starts it.
const OBJECT_ROOM: usize = 8;

/// Why an answer is not JSON, and where. Boxed: a result carrying it stays the size of a
/// node, which every level of the reader returns.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadError(Box<Place>);

#[derive(Debug, Clone, PartialEq)]
struct Place {
    what: &'static str,
    line: usize,
    column: usize,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Place { what, line, column } = &*self.0;
        write!(f, "{what} at line {line} column {column}")
    }
}

/// Reads all of `text` as one JSON value, its arrays and objects (and strings the text
/// escapes) allocated in `arena`.
pub fn read<'t>(text: &'t str, arena: &'t Bump) -> Result<Node<'t>, ReadError> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        arena,
        at: 0,
        depth: 0,
    };
    let value = reader.value()?;
    reader.skip_space();
    match reader.at == reader.bytes.len() {
        true => Ok(value),
        false => Err(reader.error("trailing characters")),
    }
}

struct Reader<'t> {
    text: &'t str,
    bytes: &'t [u8],
    arena: &'t Bump,
    at: usize,
    depth: usize,
}

impl<'t> Reader<'t> {
    fn error(&self, what: &'static str) -> ReadError {
        let before = &self.bytes[..self.at.min(self.bytes.len())];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |n| n + 1);
        ReadError(Box::new(Place {
            what,
            line: 1 + before.iter().filter(|&&b| b == b'\n').count(),
            column: 1 + self.at - line_start,
        }))
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    /// The next byte after white space, not taken (answers written by the SDK have none).
    fn peek(&mut self) -> Option<u8> {
        match self.bytes.get(self.at) {
            Some(&b) if b > b' ' => Some(b),
            _ => {
                self.skip_space();
                self.bytes.get(self.at).copied()
            }
        }
    }

    fn expect(&mut self, byte: u8, what: &'static str) -> Result<(), ReadError> {
        match self.peek() {
            Some(b) if b == byte => {
                self.at += 1;
                Ok(())
            }
            Some(_) => Err(self.error(what)),
            None => Err(self.error("EOF while parsing a value")),
        }
    }

    fn value(&mut self) -> Result<Node<'t>, ReadError> {
        let mut node = Node::Null;
        self.value_into(&mut node)?;
        Ok(node)
    }

    /// Reads one value into `slot` (a `Null` until then), where it stays: a node handed back
    /// by value at every level was copied in pieces the next read stalled on (perf annotate).
    fn value_into(&mut self, slot: &mut Node<'t>) -> Result<(), ReadError> {
        match self.peek() {
            Some(b'{') => {
                self.enter()?;
                // Room for the members of a row and a field or two federation adds to it.
                *slot = Node::Object(Object::with_capacity_in(OBJECT_ROOM, self.arena));
                let Node::Object(object) = slot else {
                    unreachable!("just set")
                };
                self.object(object)?;
                self.depth -= 1;
            }
            Some(b'[') => {
                self.enter()?;
                *slot = Node::Array(Items::with_capacity_in(0, self.arena));
                let Node::Array(items) = slot else {
                    unreachable!("just set")
                };
                self.array(items)?;
                self.depth -= 1;
            }
            Some(b'"') => *slot = Node::String(self.string()?),
            Some(b't') => *slot = self.literal("true", Node::Bool(true))?,
            Some(b'f') => *slot = self.literal("false", Node::Bool(false))?,
            Some(b'n') => {
                self.literal("null", Node::Null)?;
            }
            Some(b'-' | b'0'..=b'9') => *slot = self.number()?,
            Some(_) => return Err(self.error("expected value")),
            None => return Err(self.error("EOF while parsing a value")),
        }
        Ok(())
    }

    /// Takes the `{` or `[` of one more level of nesting, if the limit allows it.
    fn enter(&mut self) -> Result<(), ReadError> {
        if self.depth == MAX_DEPTH {
            return Err(self.error("recursion limit exceeded"));
        }
        self.depth += 1;
        self.at += 1;
        Ok(())
    }

    fn literal(&mut self, word: &'static str, value: Node<'t>) -> Result<Node<'t>, ReadError> {
        match self.bytes[self.at..].starts_with(word.as_bytes()) {
            true => {
                self.at += word.len();
                Ok(value)
            }
            false => Err(self.error("expected value")),
        }
    }

    /// After `[`: the items, each read in its place.
    fn array(&mut self, items: &mut Items<'t, Node<'t>>) -> Result<(), ReadError> {
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(());
        }
        loop {
            items.push(Node::Null);
            let last = items.len() - 1;
            self.value_into(&mut items[last])?;
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(());
                }
                Some(_) => return Err(self.error("expected `,` or `]`")),
                None => return Err(self.error("EOF while parsing a list")),
            }
        }
    }

    /// After `{`: the members, each value read in its place (a key given twice keeps its last).
    fn object(&mut self, object: &mut Object<'t>) -> Result<(), ReadError> {
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(());
        }
        let members = object.members_mut();
        loop {
            match self.peek() {
                Some(b'"') => {}
                Some(_) => return Err(self.error("key must be a string")),
                None => return Err(self.error("EOF while parsing an object")),
            }
            let key = self.string()?.as_str();
            self.expect(b':', "expected `:`")?;
            let at = match members.iter().position(|(k, _)| same_key(k, key)) {
                Some(at) => {
                    members[at].1 = Node::Null; // a key given twice: its first value goes
                    at
                }
                None => {
                    members.push((key, Node::Null));
                    members.len() - 1
                }
            };
            self.value_into(&mut members[at].1)?;
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(());
                }
                Some(_) => return Err(self.error("expected `,` or `}`")),
                None => return Err(self.error("EOF while parsing an object")),
            }
        }
    }

    /// At `"`: the string, borrowed from the text (plain: nothing in it needs an escape) when
    /// it has no escape, else copied into the arena.
    fn string(&mut self) -> Result<Str<'t>, ReadError> {
        self.at += 1;
        let start = self.at;
        let mut owned = bumpalo::collections::String::new_in(self.arena);
        loop {
            let Some(n) = first_escaped(&self.bytes[self.at..]) else {
                self.at = self.bytes.len();
                return Err(self.error("EOF while parsing a string"));
            };
            let stop = self.at + n;
            match self.bytes[stop] {
                b'"' if owned.is_empty() && self.at == start => {
                    self.at = stop + 1;
                    return Ok(Str::plain(&self.text[start..stop]));
                }
                b'"' => {
                    owned.push_str(&self.text[self.at..stop]);
                    self.at = stop + 1;
                    return Ok(Str::new(owned.into_bump_str()));
                }
                b'\\' => {
                    owned.push_str(&self.text[self.at..stop]);
                    self.at = stop + 1;
                    self.escape(&mut owned)?;
                }
                _ => {
                    self.at = stop;
                    return Err(self.error(
                        "control character (\\u0000-\\u001F) found while parsing a string",
                    ));
                }
            }
        }
    }

    /// After a backslash: the escaped character, pushed.
    fn escape(&mut self, out: &mut bumpalo::collections::String<'t>) -> Result<(), ReadError> {
        let Some(&letter) = self.bytes.get(self.at) else {
            return Err(self.error("EOF while parsing a string"));
        };
        self.at += 1;
        let plain = match letter {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => self.unicode()?,
            _ => {
                self.at -= 1;
                return Err(self.error("invalid escape"));
            }
        };
        out.push(plain);
        Ok(())
    }

    /// After `\u`: one character, from a surrogate pair where it takes two escapes.
    fn unicode(&mut self) -> Result<char, ReadError> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                if !self.bytes[self.at..].starts_with(b"\\u") {
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                self.at += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error("lone leading surrogate in hex escape"));
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(self.error("lone trailing surrogate in hex escape")),
            code => code,
        };
        char::from_u32(code).ok_or_else(|| self.error("invalid unicode code point"))
    }

    fn hex4(&mut self) -> Result<u32, ReadError> {
        let digits = self
            .bytes
            .get(self.at..self.at + 4)
            .and_then(|d| std::str::from_utf8(d).ok())
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.error("invalid escape"))?;
        self.at += 4;
        u32::from_str_radix(digits, 16).map_err(|_| self.error("invalid escape"))
    }

    /// At `-` or a digit: an integer as `u64`/`i64` where it fits (but `-0`), any other number
    /// as `f64`.
    fn number(&mut self) -> Result<Node<'t>, ReadError> {
        let start = self.at;
        let negative = self.bytes[self.at] == b'-';
        self.at += usize::from(negative);
        match self.bytes.get(self.at) {
            Some(b'0') => self.at += 1,
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error("invalid number")),
        }
        let mut integer = true;
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            self.required_digits()?;
            integer = false;
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.at) {
            self.at += 1;
            if let Some(b'+' | b'-') = self.bytes.get(self.at) {
                self.at += 1;
            }
            self.required_digits()?;
            integer = false;
        }
        let text = &self.text[start..self.at];
        if integer {
            let exact = match negative {
                // `-0` is the float -0.0, as serde_json reads it.
                true => text
                    .parse::<i64>()
                    .ok()
                    .filter(|&n| n != 0)
                    .map(Number::from),
                false => text.parse::<u64>().ok().map(Number::from),
            };
            if let Some(number) = exact {
                return Ok(Node::Number(number));
            }
        }
        let float: f64 = text.parse().map_err(|_| self.error("invalid number"))?;
        match Number::from_f64(float) {
            Some(number) => Ok(Node::Number(number)),
            None => Err(self.error("number out of range")),
        }
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn required_digits(&mut self) -> Result<(), ReadError> {
        match self.bytes.get(self.at) {
            Some(b'0'..=b'9') => {
                self.digits();
                Ok(())
            }
            _ => Err(self.error("invalid number")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value as Json;

    /// What serde_json reads of `text`, and what the reader reads.
    fn both(text: &str) -> (Result<Json, String>, Result<Json, String>) {
        let theirs = serde_json::from_str::<Json>(text).map_err(|e| e.to_string());
        let arena = Bump::new();
        let ours = read(text, &arena)
            .map(|n| n.to_json())
            .map_err(|e| e.to_string());
        (theirs, ours)
    }

    #[test]
    fn reads_what_serde_json_reads() {
        for text in [
            "null",
            " true ",
            "false",
            "0",
            "-0",
            "-12",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "1.5",
            "-0.25e-3",
            "1E+2",
            "2.2250738585072014e-308",
            "123456789012345678901234567890.5",
            r#""""#,
            r#""plain text, longer than a word""#,
            r#""é ü 中文 🙂""#,
            r#""esc \" \\ \/ \b \f \n \r \t \u0041 \u00e9 \ud83d\ude42 end""#,
            "[]",
            "[1, [2, [3, []]], {}]",
            r#"{"a": 1, "b": {"c": [true, null]}, "a": 2}"#,
            "{ \"k\" :\n\t\"v\" }",
            r#"{"\u0061": "key escaped", "a": "again"}"#,
        ] {
            let (theirs, ours) = both(text);
            assert_eq!(ours, theirs, "{text}");
            assert!(ours.is_ok(), "{text}");
        }
    }

    #[test]
    fn refuses_what_serde_json_refuses() {
        for text in [
            "",
            "   ",
            "nul",
            "tru",
            "01",
            "-",
            "1.",
            ".5",
            "1e",
            "1e400",
            "+1",
            "[1,]",
            "[1 2]",
            "{\"a\" 1}",
            "{\"a\": 1,}",
            "{a: 1}",
            "{\"a\": 1",
            "[1",
            "\"open",
            "\"tab\there\"",
            r#""\x""#,
            r#""\u12""#,
            r#""\ud83d""#,
            r#""\ude42""#,
            r#""\ud83d\u0041""#,
            "1 2",
            "{} x",
        ] {
            let (theirs, ours) = both(text);
            assert!(theirs.is_err() && ours.is_err(), "{text}: {ours:?}");
        }
        assert_eq!(
            read("{\"a\":\n  [1,]}", &Bump::new())
                .unwrap_err()
                .to_string(),
            "expected value at line 2 column 6"
        );
    }

    #[test]
    fn borrows_plain_strings_and_keys() {
        let text = r#"{"key": ["plain", "esc\"aped"]}"#;
        let arena = Bump::new();
        let node = read(text, &arena).unwrap();
        let inside = |s: &str| text.as_bytes().as_ptr_range().contains(&s.as_ptr());
        let Node::Object(object) = &node else {
            panic!("an object")
        };
        assert_eq!(object.keys().collect::<Vec<_>>(), ["key"]);
        let items = node.get("key").unwrap();
        assert!(
            matches!(items.index(0), Some(Node::String(s)) if s.as_str() == "plain" && inside(s))
        );
        assert!(
            matches!(items.index(1), Some(Node::String(s)) if s.as_str() == "esc\"aped" && !inside(s))
        );
        assert!(object.keys().all(inside));
    }

    #[test]
    fn nesting_is_limited() {
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert_eq!(
            read(&deep, &Bump::new()).unwrap_err().to_string(),
            "recursion limit exceeded at line 1 column 129"
        );
        let fine = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(read(&fine, &Bump::new()).is_ok());
    }
}
