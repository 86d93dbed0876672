//! An entity's rows: the column list its spec gives (each column aliased by its read type and
//! position: `l0`, `t1`, `b2`), a row read through diesel by those aliases alone, and its JSON
//! (`pk`, relay `id`, `uuid`, each field under its GraphQL name, the history fields).

use super::spec::{EntitySpec, Kind, Shape, Target};
use crate::abi::ModuleError;
use crate::db::{self, Bind, DbConnection};
use crate::relay::global_id;
use crate::statement::Statement;
use crate::time;
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::row::{Field as _, Row};
use diesel::sql_types::{BigInt, Bool, Text};
use diesel::QueryResult;
use serde_json::{json, Map, Value};

/// One value as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Int(i64),
    Text(String),
    Bool(bool),
}

impl Cell {
    pub fn int(&self) -> Option<i64> {
        match self {
            Cell::Int(n) => Some(*n),
            _ => None,
        }
    }

    fn text(&self) -> Option<&str> {
        match self {
            Cell::Text(t) => Some(t),
            _ => None,
        }
    }
}

/// A row of any statement whose columns are aliased `l<n>` (integers), `b<n>` (booleans) or
/// `t<n>` (text), in select order.
#[derive(Debug, Clone, PartialEq)]
pub struct Cells(pub Vec<Cell>);

/// Runs a portable statement whose columns are aliased as [`Cells`] are (`l<n>`, `b<n>`,
/// `t<n>`) and reads its rows. Each column's letter is read off the first row's column names
/// once for the statement, and each cell straight from its field: going through
/// `QueryableByName` asked every cell its column's name twice (about 230 instructions a cell).
pub fn load_cells(
    conn: &mut DbConnection,
    sql: &str,
    binds: &[Bind],
) -> Result<Vec<Cells>, ModuleError> {
    use diesel::connection::{DefaultLoadingMode, LoadConnection};
    crate::query_log::statement(sql);
    let statement = Statement::new(sql, binds);
    crate::profile::timed(sql, || match conn {
        DbConnection::Postgresql(c) => {
            let rows = LoadConnection::<DefaultLoadingMode>::load(c, statement)?;
            read_rows::<diesel::pg::Pg, _>(rows)
        }
        DbConnection::Sqlite(c) => {
            let rows = LoadConnection::<DefaultLoadingMode>::load(c, statement)?;
            read_rows::<diesel::sqlite::Sqlite, _>(rows)
        }
    })
    .map_err(db::query_error)
}

/// The cells of every row, the letters taken from the first.
fn read_rows<'a, DB, R>(rows: impl Iterator<Item = QueryResult<R>>) -> QueryResult<Vec<Cells>>
where
    DB: Backend,
    R: Row<'a, DB>,
    i64: FromSql<BigInt, DB>,
    bool: FromSql<Bool, DB>,
    String: FromSql<Text, DB>,
{
    let mut letters: Vec<u8> = Vec::new();
    let mut out = Vec::new();
    for row in rows {
        let row = row?;
        let count = row.field_count();
        if letters.len() != count {
            letters = (0..count)
                .map(|i| {
                    Row::get(&row, i)
                        .and_then(|f| f.field_name().and_then(|n| n.bytes().next()))
                        .ok_or_else(|| {
                            diesel::result::Error::DeserializationError(
                                "a column without a name".into(),
                            )
                        })
                })
                .collect::<QueryResult<_>>()?;
        }
        let mut cells = Vec::with_capacity(count);
        for (i, &letter) in letters.iter().enumerate() {
            let field = Row::get(&row, i);
            let cell: deserialize::Result<Cell> = match field.as_ref().and_then(|f| f.value()) {
                None => Ok(Cell::Null),
                Some(raw) => match letter {
                    b'l' => i64::from_sql(raw).map(Cell::Int),
                    b'b' => bool::from_sql(raw).map(Cell::Bool),
                    _ => String::from_sql(raw).map(Cell::Text),
                },
            };
            cells.push(cell.map_err(diesel::result::Error::DeserializationError)?);
        }
        out.push(Cells(cells));
    }
    Ok(out)
}

/// How a column is read: its SQL expression and alias letter.
fn read(kind: Kind, column: &str) -> (String, char) {
    match kind {
        Kind::Int | Kind::BigInt => (format!("CAST({column} AS BIGINT)"), 'l'),
        Kind::Bool => (column.to_owned(), 'b'),
        Kind::Text => (column.to_owned(), 't'),
        _ => (format!("CAST({column} AS TEXT)"), 't'),
    }
}

/// The select list of `spec`'s rows on its alias, and how many columns it has: built once per
/// spec (every list, page and hop asks for it) and kept for the life of the process.
pub fn columns(spec: &EntitySpec) -> (&'static str, usize) {
    use std::collections::HashMap;
    use std::sync::{OnceLock, RwLock};
    type Known = RwLock<HashMap<SpecIdentity, (&'static str, usize)>>;
    static KNOWN: OnceLock<Known> = OnceLock::new();
    let known = KNOWN.get_or_init(Known::default);
    let identity = SpecIdentity::of(spec);
    if let Some(found) = known.read().ok().and_then(|k| k.get(&identity).copied()) {
        return found;
    }
    let (list, n) = column_list(spec);
    let built: (&'static str, usize) = (Box::leak(list.into_boxed_str()), n);
    if let Ok(mut known) = known.write() {
        return *known.entry(identity).or_insert(built);
    }
    built
}

/// What tells two specs apart: the addresses of their static parts (a spec is a `static`, but
/// tests build specs on the stack, where two may share an address in turn).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct SpecIdentity([usize; 8]);

impl SpecIdentity {
    fn of(spec: &EntitySpec) -> Self {
        let address = |s: &'static str| s.as_ptr() as usize;
        Self([
            address(spec.table),
            address(spec.alias),
            address(spec.key),
            spec.uuid.map_or(0, address),
            spec.history.map_or(0, |h| address(h.legacy_id)),
            spec.history.map_or(0, |h| address(h.audit_user)),
            spec.fields.as_ptr() as usize,
            spec.fields.len(),
        ])
    }
}

fn column_list(spec: &EntitySpec) -> (String, usize) {
    let mut exprs: Vec<(String, char)> = vec![read(Kind::BigInt, &spec.col(spec.key))];
    if let Some(uuid) = spec.uuid {
        exprs.push(read(Kind::Uuid, &spec.col(uuid)));
    }
    for field in spec.fields {
        if let Some(kind) = field.kind() {
            exprs.push(read(kind, &spec.col(field.column)));
        }
    }
    if let Some(h) = spec.history {
        exprs.push(read(Kind::DateTime, &spec.col("ValidityFrom")));
        exprs.push(read(Kind::DateTime, &spec.col("ValidityTo")));
        exprs.push(read(Kind::Int, &spec.col(h.legacy_id)));
        exprs.push(read(Kind::Int, &spec.col(h.audit_user)));
    }
    let n = exprs.len();
    let list = exprs
        .into_iter()
        .enumerate()
        .map(|(i, (expr, letter))| format!("{expr} AS {letter}{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    (list, n)
}

/// `expr AS <letter><n>`: an extra column after a spec's columns.
pub fn extra(expr: &str, kind: Kind, n: usize) -> String {
    let (expr, letter) = read(kind, expr);
    format!("{expr} AS {letter}{n}")
}

fn answer(kind: Kind, cell: Cell) -> Value {
    match (kind, cell) {
        (_, Cell::Null) => Value::Null,
        (Kind::Decimal(places), Cell::Text(t)) => Value::String(fixed(&t, places as usize)),
        (Kind::Date, Cell::Text(mut t)) => {
            if t.is_char_boundary(10) {
                t.truncate(10);
            }
            Value::String(t)
        }
        (Kind::DateTime, Cell::Text(t)) => Value::String(time::iso(&t)),
        (_, Cell::Int(n)) => Value::from(n),
        (_, Cell::Bool(b)) => Value::Bool(b),
        (_, Cell::Text(t)) => Value::String(t),
    }
}

/// The stored number with exactly `places` fraction digits (padded, or cut).
pub fn fixed(text: &str, places: usize) -> String {
    let text = text.trim();
    let (whole, fraction) = text.split_once('.').unwrap_or((text, ""));
    if places == 0 {
        return whole.to_owned();
    }
    let digits: String = fraction
        .chars()
        .chain(std::iter::repeat('0'))
        .take(places)
        .collect();
    format!("{whole}.{digits}")
}

/// The JSON of rows read with [`columns`], one after the other: `pk`, `id`, `uuid`, the fields
/// (a foreign key also as `<name>Pk`, a stub relation as `{"pk": fk}`), and the history
/// fields. A row's texts move into its JSON. Every row of a spec has the same members: the
/// first row tells the order their keys sort in, and each row's members are then placed in
/// that order before the map is built from them in bulk (a map built from sorted members
/// compares each key once; inserted one by one, or sorted every time, it compared them
/// again and again).
pub struct RowsJson<'s> {
    spec: &'s EntitySpec,
    /// Where each member, in the order [`members`] makes them, goes among the sorted ones.
    rank: Vec<usize>,
}

impl<'s> RowsJson<'s> {
    pub fn new(spec: &'s EntitySpec) -> Self {
        Self {
            spec,
            rank: Vec::new(),
        }
    }

    /// The JSON of one row.
    pub fn row(&mut self, cells: Cells) -> Value {
        let members = members(self.spec, cells);
        if self.rank.len() != members.len() {
            self.rank = rank(&members);
        }
        object(members, &self.rank)
    }
}

/// The object of `members`, each first put in its `rank`.
fn object(members: Vec<(String, Value)>, rank: &[usize]) -> Value {
    let mut sorted = vec![(String::new(), Value::Null); members.len()];
    for (member, &at) in members.into_iter().zip(rank) {
        sorted[at] = member;
    }
    Value::Object(sorted.into_iter().collect::<Map<String, Value>>())
}

/// Each member's place once their keys are sorted (equal keys kept in the order given, so the
/// map keeps the last, as inserting them one by one did).
fn rank(members: &[(String, Value)]) -> Vec<usize> {
    let mut by_key: Vec<usize> = (0..members.len()).collect();
    by_key.sort_by(|&a, &b| members[a].0.cmp(&members[b].0));
    let mut rank = vec![0; members.len()];
    for (place, &member) in by_key.iter().enumerate() {
        rank[member] = place;
    }
    rank
}

/// A row's members in the order its columns come.
fn members(spec: &EntitySpec, cells: Cells) -> Vec<(String, Value)> {
    let mut cells = cells.0.into_iter();
    let mut next = || cells.next().unwrap_or(Cell::Null);
    let mut out: Vec<(String, Value)> = Vec::with_capacity(7 + 2 * spec.fields.len());
    let pk = next();
    let id = pk.int().map_or(Value::Null, |pk| {
        Value::String(global_id(spec.type_name, pk))
    });
    out.push(("pk".into(), answer(Kind::BigInt, pk)));
    out.push(("id".into(), id));
    if spec.uuid.is_some() {
        out.push(("uuid".into(), answer(Kind::Uuid, next())));
    }
    for field in spec.fields {
        match field.shape {
            Shape::Scalar(kind) => out.push((field.name.into(), answer(kind, next()))),
            Shape::One(target) => {
                let fk = next().int();
                let mut key = String::with_capacity(field.name.len() + 2);
                key.push_str(field.name);
                key.push_str("Pk");
                out.push((key, json!(fk)));
                if let Target::Stub(_) = target {
                    let stub = fk.map_or(Value::Null, |fk| json!({"pk": fk}));
                    out.push((field.name.into(), stub));
                }
            }
            Shape::Many { .. } => {}
        }
    }
    if spec.history.is_some() {
        let from = next().text().map(time::iso);
        out.push(("validityFrom".into(), json!(from)));
        let to = next().text().map(time::iso);
        out.push(("validityTo".into(), json!(to)));
        out.push(("legacyId".into(), json!(next().int())));
        out.push(("auditUserId".into(), json!(next().int())));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_go_in_key_order_and_a_key_given_twice_keeps_its_last_value() {
        let members = || {
            vec![
                ("pk".to_owned(), json!(1)),
                ("id".to_owned(), json!("x")),
                ("codePk".to_owned(), json!(null)),
                ("pk".to_owned(), json!(2)),
            ]
        };
        let rank = rank(&members());
        assert_eq!(rank, vec![2, 1, 0, 3]);
        let built = object(members(), &rank);
        assert_eq!(built, json!({"codePk": null, "id": "x", "pk": 2}));
        let keys: Vec<&String> = built.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["codePk", "id", "pk"]);
    }
}
