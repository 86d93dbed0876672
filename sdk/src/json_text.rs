//! Writing JSON text straight into a buffer, for answers a module returns as text
//! (`resolve_text`, `entities_text`): strings, keys, values, and the finished answer.

use crate::abi::ModuleError;
use serde_json::Value;

/// `value` as JSON text. Strings take [`write_str`]; numbers are serde_json's own text.
pub fn write_value(out: &mut Vec<u8>, value: &Value) {
    match value {
        Value::Null => out.extend_from_slice(b"null"),
        Value::Bool(true) => out.extend_from_slice(b"true"),
        Value::Bool(false) => out.extend_from_slice(b"false"),
        Value::Number(number) => {
            // Writing a number into a Vec cannot fail.
            let _ = serde_json::to_writer(&mut *out, number);
        }
        Value::String(text) => write_str(out, text),
        Value::Array(items) => write_list(out, items, write_value),
        Value::Object(fields) => write_object(
            out,
            fields.iter().map(|(k, v)| (k.as_str(), v)),
            write_value,
        ),
    }
}

/// `[item,item,...]`, each item written by `write_item`.
pub fn write_list<T>(out: &mut Vec<u8>, items: &[T], mut write_item: impl FnMut(&mut Vec<u8>, &T)) {
    out.push(b'[');
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        write_item(out, item);
    }
    out.push(b']');
}

/// `{"key":value,...}`, each value written by `write_member`.
pub fn write_object<'k, T>(
    out: &mut Vec<u8>,
    members: impl IntoIterator<Item = (&'k str, T)>,
    mut write_member: impl FnMut(&mut Vec<u8>, T),
) {
    let mut first = true;
    out.push(b'{');
    for (key, member) in members {
        write_key(out, &mut first, key);
        write_member(out, member);
    }
    out.push(b'}');
}

/// `"key":`, after a comma unless it is the object's first.
pub fn write_key(out: &mut Vec<u8>, first: &mut bool, key: &str) {
    if !std::mem::take(first) {
        out.push(b',');
    }
    write_str(out, key);
    out.push(b':');
}

/// `"key":` for a response key (a field name or alias), after a comma unless it is the
/// object's first. GraphQL names (`[_A-Za-z][_0-9A-Za-z]*`) never need escaping: they are
/// copied as they are, without [`write_str`]'s scan; anything else is written by it.
#[inline]
pub fn write_name_key(out: &mut Vec<u8>, first: &mut bool, key: &str) {
    if !key.bytes().all(|b| NAME_BYTE[usize::from(b)]) {
        return write_key(out, first, key);
    }
    out.reserve(key.len() + 4);
    if !std::mem::take(first) {
        out.push(b',');
    }
    out.push(b'"');
    out.extend_from_slice(key.as_bytes());
    out.extend_from_slice(b"\":");
}

/// Whether a byte may be in a GraphQL name (`_`, ASCII letters and digits), for every byte.
static NAME_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        let b = byte as u8;
        table[byte] = b.is_ascii_alphanumeric() || b == b'_';
        byte += 1;
    }
    table
};

/// Whether a byte cannot stand in a JSON string as it is, for every byte.
static ESCAPED: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = true;
        byte += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

/// Which of eight bytes (little-endian) need an escape: below 0x20, a quote or a backslash,
/// each marked by its high bit (the usual test for a zero byte, on the word and on the word
/// xor'ed with each character). The lowest mark is exact; marks above it may be borrows.
fn escaped_marks(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let zero_byte = |w: u64| w.wrapping_sub(ONES) & !w;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word;
    let quote = zero_byte(word ^ (ONES * u64::from(b'"')));
    let backslash = zero_byte(word ^ (ONES * u64::from(b'\\')));
    (below_space | quote | backslash) & HIGH
}

/// Where the first byte that needs an escape in a JSON string is (below 0x20, a quote, a
/// backslash): eight bytes at a time, the rest one by one. A reader finds a string's end with
/// it, a writer whether the string can be copied whole.
pub fn first_escaped(bytes: &[u8]) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in &mut words {
        let word: [u8; 8] = word.try_into().unwrap_or_default();
        let marks = escaped_marks(u64::from_le_bytes(word));
        if marks != 0 {
            return Some(at + marks.trailing_zeros() as usize / 8);
        }
        at += 8;
    }
    let rest = words
        .remainder()
        .iter()
        .position(|&b| ESCAPED[usize::from(b)]);
    rest.map(|n| at + n)
}

/// `text` as a JSON string, escaped as serde_json escapes it. Most texts need no escape at
/// all: those are found eight bytes at a time and copied whole; the others from their first
/// escape on, byte by byte.
pub fn write_str(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut start = 0;
    if let Some(first) = first_escaped(bytes) {
        for (n, &byte) in bytes.iter().enumerate().skip(first) {
            if !ESCAPED[usize::from(byte)] {
                continue;
            }
            out.extend_from_slice(&bytes[start..n]);
            match byte {
                b'"' => out.extend_from_slice(b"\\\""),
                b'\\' => out.extend_from_slice(b"\\\\"),
                b'\n' => out.extend_from_slice(b"\\n"),
                b'\r' => out.extend_from_slice(b"\\r"),
                b'\t' => out.extend_from_slice(b"\\t"),
                0x08 => out.extend_from_slice(b"\\b"),
                0x0c => out.extend_from_slice(b"\\f"),
                control => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    out.extend_from_slice(b"\\u00");
                    out.push(HEX[usize::from(control >> 4)]);
                    out.push(HEX[usize::from(control & 0xf)]);
                }
            }
            start = n + 1;
        }
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

/// Whether two object keys (or aliases) are equal: mostly told apart by their length or first
/// byte, without a call to compare the bytes (comparing short keys in place, as words, was
/// tried: more instructions than `memcmp` on the few keys that get that far).
#[inline]
pub fn same_key(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
}

/// The text written, as the answer a module returns from `resolve_text`/`entities_text`.
pub fn finish(out: Vec<u8>) -> Result<String, ModuleError> {
    String::from_utf8(out).map_err(|e| ModuleError::new("BAD_RESPONSE", e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn written(value: &Value) -> String {
        let mut out = Vec::new();
        write_value(&mut out, value);
        finish(out).unwrap()
    }

    #[test]
    fn writes_what_serde_json_writes() {
        let every_byte: String = (0u8..0x80).map(char::from).collect();
        for value in [
            json!(null),
            json!([true, false, 0, -7, 1.5, 1e300, u64::MAX]),
            json!({"b": "plain", "a": {"nested": ["x", null]}, "": ""}),
            json!("quote \" backslash \\ newline \n tab \t cr \r bell \u{7} ff \u{c} bs \u{8}"),
            json!(every_byte),
            json!("non-ASCII: é ü 中文 🙂, and a long text without any escape at all in it"),
        ] {
            assert_eq!(written(&value), serde_json::to_string(&value).unwrap());
        }
    }

    #[test]
    fn every_byte_is_seen_at_every_place_of_a_word() {
        for special in (0u8..0x20).chain([b'"', b'\\']) {
            for len in 1..20 {
                for at in 0..len {
                    let mut bytes = vec![0xe9; len];
                    bytes[at] = special;
                    if at + 1 < len {
                        bytes[len - 1] = b'"';
                    }
                    assert_eq!(
                        first_escaped(&bytes),
                        Some(at),
                        "{special:#x} at {at} of {len}"
                    );
                }
            }
        }
        assert_eq!(first_escaped(b"0123456789\"x\\"), Some(10));
        assert_eq!(first_escaped(b"ab\ncd"), Some(2));
        assert_eq!(first_escaped(b"0123456789abc"), None);
        let no_escape: Vec<u8> = (0x20u8..=0xff)
            .filter(|b| ![b'"', b'\\'].contains(b))
            .collect();
        assert_eq!(first_escaped(&no_escape), None);
        assert_eq!(
            first_escaped("é ü 中文 🙂 and more than eight bytes".as_bytes()),
            None
        );
    }

    #[test]
    fn name_keys_are_written_as_any_key_is() {
        for key in [
            "id",
            "__typename",
            "code_Icontains",
            "a1",
            "",
            "not a name",
            "q\"uote",
        ] {
            let (mut ours, mut theirs) = (Vec::new(), Vec::new());
            let (mut first_ours, mut first_theirs) = (true, true);
            for _ in 0..2 {
                write_name_key(&mut ours, &mut first_ours, key);
                write_key(&mut theirs, &mut first_theirs, key);
            }
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(theirs).unwrap()
            );
        }
    }

    #[test]
    fn same_key_is_equality() {
        let keys = [
            "",
            "a",
            "b",
            "ab",
            "ba",
            "code",
            "name",
            "cod",
            "codes",
            "abc",
            "abd",
            "xbc",
            "abcd",
            "abce",
            "0bcd",
            "__key",
            "__kez",
            "_bcdefg",
            "abcdefg",
            "abcdefgh",
            "abcdefgi",
            "bbcdefgh",
            "__typename",
            "__typenamf",
            "0123456789abcdef",
            "0123456789abcdeF",
            "X123456789abcdef",
            "0123456789abcdefX",
            "0123456789abcdefY",
        ];
        for a in keys {
            for b in keys {
                assert_eq!(same_key(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn keys_are_separated_by_commas() {
        let (mut out, mut first) = (Vec::new(), true);
        out.push(b'{');
        for key in ["a", "b\"c"] {
            write_key(&mut out, &mut first, key);
            write_value(&mut out, &json!(1));
        }
        out.push(b'}');
        assert_eq!(finish(out).unwrap(), r#"{"a":1,"b\"c":1}"#);
    }
}
