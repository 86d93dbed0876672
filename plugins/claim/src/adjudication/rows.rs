//! Reading rows as text: every column the loader selects is `CAST(.. AS TEXT)` (the same text
//! on SQLite and PostgreSQL but for booleans, which it never selects), read into a [`Text`] row
//! and parsed here.

use super::amount::Amount;
use super::day::{Day, Stamp};
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::ModuleError;

/// A row of text columns named `c0`…`c39`: a statement selects as many as it needs, the rest
/// are padded with `NULL` by [`select`].
#[derive(diesel::QueryableByName, Debug, Clone, Default)]
pub struct Text {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c0: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c1: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c2: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c3: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c4: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c5: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c6: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c7: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c8: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c9: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c10: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c11: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c12: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c13: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c14: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c15: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c16: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c17: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c18: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c19: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c20: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c21: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c22: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c23: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c24: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c25: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c26: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c27: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c28: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c29: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c30: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c31: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c32: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c33: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c34: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c35: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c36: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c37: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c38: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    c39: Option<String>,
}

const WIDTH: usize = 40;

impl Text {
    /// Column `i` (0-based, in select order).
    pub fn get(&self, i: usize) -> Option<&str> {
        let cols = [
            &self.c0, &self.c1, &self.c2, &self.c3, &self.c4, &self.c5, &self.c6, &self.c7,
            &self.c8, &self.c9, &self.c10, &self.c11, &self.c12, &self.c13, &self.c14, &self.c15,
            &self.c16, &self.c17, &self.c18, &self.c19, &self.c20, &self.c21, &self.c22, &self.c23,
            &self.c24, &self.c25, &self.c26, &self.c27, &self.c28, &self.c29, &self.c30, &self.c31,
            &self.c32, &self.c33, &self.c34, &self.c35, &self.c36, &self.c37, &self.c38, &self.c39,
        ];
        cols.get(i).and_then(|c| c.as_deref())
    }

    pub fn text(&self, i: usize) -> Option<String> {
        self.get(i).map(str::to_string)
    }

    /// An integer column (`"12"`, or `"12.0"` as SQLite may keep a number).
    pub fn int(&self, i: usize) -> Option<i32> {
        let text = self.get(i)?;
        text.parse()
            .ok()
            .or_else(|| Amount::parse(text).map(|a| a.truncated().to_string().parse().unwrap_or(0)))
    }

    pub fn amount(&self, i: usize) -> Option<Amount> {
        self.get(i).and_then(Amount::parse)
    }

    pub fn day(&self, i: usize) -> Option<Day> {
        self.get(i).and_then(Day::parse)
    }

    pub fn stamp(&self, i: usize) -> Option<Stamp> {
        self.get(i).and_then(Stamp::parse)
    }
}

/// Runs `SELECT <columns> <rest>`, each column cast to text as `c0`, `c1`…
pub fn select(
    conn: &mut DbConnection,
    columns: &[&str],
    rest: &str,
    binds: &[Bind],
) -> Result<Vec<Text>, ModuleError> {
    assert!(columns.len() <= WIDTH, "at most {WIDTH} columns");
    let mut list: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, c)| format!("CAST({c} AS TEXT) AS c{i}"))
        .collect();
    for i in columns.len()..WIDTH {
        list.push(format!("CAST(NULL AS TEXT) AS c{i}"));
    }
    let sql = format!("SELECT {} {rest}", list.join(", "));
    db::load(conn, &sql, binds)
}

/// `?, ?, ?` for `n` values.
pub fn marks(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// Integer binds.
pub fn ints(values: impl IntoIterator<Item = i32>) -> Vec<Bind> {
    values.into_iter().map(|v| Bind::Int(Some(v))).collect()
}
