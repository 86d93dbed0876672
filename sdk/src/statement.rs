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
use std::hash::{DefaultHasher, Hash, Hasher};
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

/// The text between `?` placeholders outside quotes: n placeholders give n + 1 pieces.
pub fn pieces(sql: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quote) = (0, None::<u8>);
    for (i, c) in sql.bytes().enumerate() {
        match (c, quote) {
            (b'\'' | b'"', None) => quote = Some(c),
            (q, Some(open)) if q == open => quote = None,
            (b'?', None) => {
                out.push(&sql[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&sql[start..]);
    out
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
        let mut hasher = DefaultHasher::new();
        sql.hash(&mut hasher);
        let key = hasher.finish();
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
