//! A portable statement diesel may keep prepared: `diesel::sql_query` marks every raw statement
//! unsafe to cache, so each run was parsed and planned anew (two round trips on PostgreSQL).
//!
//! [`Statement`] walks its SQL as text pieces between `?` placeholders and pushes each bind
//! where its placeholder stood (diesel writes `$n` or `?`), so the connection's statement cache
//! keys it by its text. Only texts that recur are admitted ([`Admission`]): statements built
//! with inline id lists differ every time and must not fill the per-connection cache.

use crate::bind::Bind;
use diesel::backend::Backend;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Bool, HasSqlType, Integer, Nullable, Text, Untyped};
use diesel::QueryResult;
use std::collections::HashMap;
use std::sync::Mutex;

/// One statement with its binds, borrowed for one run.
pub struct Statement<'a> {
    sql: &'a str,
    binds: &'a [Bind],
    cacheable: bool,
}

impl<'a> Statement<'a> {
    /// `sql` with `?` placeholders (outside quotes), one bind per placeholder.
    pub fn new(sql: &'a str, binds: &'a [Bind]) -> Self {
        Self {
            sql,
            binds,
            cacheable: ADMISSION.admit(sql),
        }
    }
}

impl QueryId for Statement<'_> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl Query for Statement<'_> {
    type SqlType = Untyped;
}

impl<Conn> diesel::RunQueryDsl<Conn> for Statement<'_> {}

impl<DB> QueryFragment<DB> for Statement<'_>
where
    DB: Backend + HasSqlType<Text> + HasSqlType<Integer> + HasSqlType<BigInt> + HasSqlType<Bool>,
    Option<String>: diesel::serialize::ToSql<Nullable<Text>, DB>,
    Option<i32>: diesel::serialize::ToSql<Nullable<Integer>, DB>,
    Option<i64>: diesel::serialize::ToSql<Nullable<BigInt>, DB>,
    Option<bool>: diesel::serialize::ToSql<Nullable<Bool>, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        if !self.cacheable {
            out.unsafe_to_cache_prepared();
        }
        let mut binds = self.binds.iter();
        for (i, piece) in pieces(self.sql).into_iter().enumerate() {
            if i > 0 {
                match binds.next() {
                    Some(Bind::Text(v)) => out.push_bind_param::<Nullable<Text>, _>(v)?,
                    Some(Bind::Int(v)) => out.push_bind_param::<Nullable<Integer>, _>(v)?,
                    Some(Bind::BigInt(v)) => out.push_bind_param::<Nullable<BigInt>, _>(v)?,
                    Some(Bind::Bool(v)) => out.push_bind_param::<Nullable<Bool>, _>(v)?,
                    None => {
                        return Err(diesel::result::Error::QueryBuilderError(
                            format!("more placeholders than binds in: {}", self.sql).into(),
                        ))
                    }
                }
            }
            out.push_sql(piece);
        }
        if binds.next().is_some() {
            return Err(diesel::result::Error::QueryBuilderError(
                format!("more binds than placeholders in: {}", self.sql).into(),
            ));
        }
        Ok(())
    }
}

/// The text between `?` placeholders outside quotes: n placeholders give n + 1 pieces. Runs on
/// every statement, so it jumps from one `?`, `'` or `"` to the next (memchr) instead of
/// walking the text byte by byte.
pub fn pieces(sql: &str) -> Vec<&str> {
    let bytes = sql.as_bytes();
    let mut out = Vec::new();
    let (mut start, mut at) = (0, 0);
    while let Some(found) = memchr::memchr3(b'?', b'\'', b'"', &bytes[at..]) {
        let i = at + found;
        match bytes[i] {
            b'?' => {
                out.push(&sql[start..i]);
                start = i + 1;
                at = i + 1;
            }
            quote => match memchr::memchr(quote, &bytes[i + 1..]) {
                Some(close) => at = i + 1 + close + 1,
                None => break,
            },
        }
    }
    out.push(&sql[start..]);
    out
}

/// A fast, non-keyed 64-bit hash of a statement's text (FxHash's step over 8-byte words):
/// the admission only counts recurring texts, so SipHash's defence against chosen keys buys
/// nothing here and cost a third of a list request's hashing.
fn text_hash(sql: &str) -> u64 {
    const K: u64 = 0xf135_7aea_2e62_a9c5;
    let step = |h: u64, word: u64| (h.rotate_left(26) ^ word).wrapping_mul(K);
    let mut chunks = sql.as_bytes().chunks_exact(8);
    let mut h = sql.len() as u64;
    for chunk in &mut chunks {
        h = step(h, u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
    }
    let mut tail = [0u8; 8];
    tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
    step(h, u64::from_le_bytes(tail))
}

/// Which statement texts the connections may keep prepared.
static ADMISSION: Admission = Admission::new();

/// A text is admitted once it has been seen [`Admission::RECURS`] times, up to
/// [`Admission::MAX_ADMITTED`] texts per module; sightings are forgotten in bulk when too many
/// distinct texts were seen.
struct Admission {
    seen: Mutex<Option<HashMap<u64, u32>>>,
}

impl Admission {
    const RECURS: u32 = 3;
    const MAX_ADMITTED: usize = 256;
    const MAX_SEEN: usize = 4096;

    const fn new() -> Self {
        Self {
            seen: Mutex::new(None),
        }
    }

    fn admit(&self, sql: &str) -> bool {
        let key = text_hash(sql);
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        let seen = seen.get_or_insert_with(HashMap::new);
        if let Some(count) = seen.get_mut(&key) {
            if *count >= Self::RECURS {
                return true;
            }
            let admitted = seen.values().filter(|c| **c >= Self::RECURS).count();
            let count = seen.get_mut(&key).expect("present");
            *count += 1;
            return *count >= Self::RECURS && admitted < Self::MAX_ADMITTED;
        }
        if seen.len() >= Self::MAX_SEEN {
            seen.retain(|_, c| *c >= Self::RECURS);
        }
        seen.insert(key, 1);
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_split_the_text_outside_quotes_only() {
        assert_eq!(
            pieces(r#"SELECT "a?" FROM t WHERE x = ? AND y = '?' AND z = ?"#),
            vec![
                r#"SELECT "a?" FROM t WHERE x = "#,
                " AND y = '?' AND z = ",
                ""
            ]
        );
        assert_eq!(pieces("SELECT 1"), vec!["SELECT 1"]);
        // A quote never closed hides every later `?`; a doubled quote closes and reopens.
        assert_eq!(pieces("a = ? AND b = 'x?"), vec!["a = ", " AND b = 'x?"]);
        assert_eq!(pieces("'it''s?' = ?"), vec!["'it''s?' = ", ""]);
    }

    #[test]
    fn texts_hash_apart() {
        let a = "SELECT * FROM t WHERE a = ? AND b = ?";
        assert_eq!(text_hash(a), text_hash(a));
        assert_ne!(
            text_hash(a),
            text_hash("SELECT * FROM t WHERE a = ? AND c = ?")
        );
        assert_ne!(text_hash("SELECT 1"), text_hash("SELECT 1 "));
        assert_ne!(text_hash(""), text_hash("\0"));
    }

    #[test]
    fn a_text_is_admitted_once_it_recurs() {
        let admission = Admission::new();
        assert!(!admission.admit("SELECT 1"));
        assert!(!admission.admit("SELECT 1"));
        assert!(admission.admit("SELECT 1"));
        assert!(admission.admit("SELECT 1"));
        assert!(!admission.admit("SELECT 2"));
    }
}
