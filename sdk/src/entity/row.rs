//! An entity's rows: the column list its spec gives (each column aliased by its read type and
//! position: `l0`, `t1`, `b2`), a row read through diesel by those aliases alone, and its JSON
//! (`pk`, relay `id`, `uuid`, each field under its GraphQL name, the history fields).

use super::spec::{EntitySpec, Kind, Shape, Target};
use crate::relay::global_id;
use crate::time;
use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, QueryableByName};
use diesel::row::{Field as _, NamedRow};
use diesel::sql_types::{BigInt, Bool, Nullable, Text};
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

impl<DB: Backend> QueryableByName<DB> for Cells
where
    Option<i64>: FromSql<Nullable<BigInt>, DB>,
    Option<bool>: FromSql<Nullable<Bool>, DB>,
    Option<String>: FromSql<Nullable<Text>, DB>,
{
    fn build<'a>(row: &impl NamedRow<'a, DB>) -> deserialize::Result<Self> {
        let mut cells = Vec::with_capacity(row.field_count());
        for i in 0..row.field_count() {
            let letter = diesel::row::Row::get(row, i)
                .and_then(|f| f.field_name().and_then(|n| n.bytes().next()))
                .ok_or("a column without a name")?;
            let cell = match letter {
                b'l' => row
                    .get_value::<Nullable<BigInt>, Option<i64>, _>(i)?
                    .map(Cell::Int),
                b'b' => row
                    .get_value::<Nullable<Bool>, Option<bool>, _>(i)?
                    .map(Cell::Bool),
                _ => row
                    .get_value::<Nullable<Text>, Option<String>, _>(i)?
                    .map(Cell::Text),
            };
            cells.push(cell.unwrap_or(Cell::Null));
        }
        Ok(Cells(cells))
    }
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

fn answer(kind: Kind, cell: &Cell) -> Value {
    match (kind, cell) {
        (_, Cell::Null) => Value::Null,
        (Kind::Decimal(places), Cell::Text(t)) => json!(fixed(t, places as usize)),
        (Kind::Date, Cell::Text(t)) => json!(t.get(..10).unwrap_or(t)),
        (Kind::DateTime, Cell::Text(t)) => json!(time::iso(t)),
        (_, Cell::Int(n)) => json!(n),
        (_, Cell::Bool(b)) => json!(b),
        (_, Cell::Text(t)) => json!(t),
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

/// The JSON of a row read with [`columns`]: `pk`, `id`, `uuid`, the fields (a foreign key also
/// as `<name>Pk`, a stub relation as `{"pk": fk}`), and the history fields.
pub fn to_json(spec: &EntitySpec, cells: &Cells) -> Value {
    let mut cells = cells.0.iter();
    let mut next = || cells.next().unwrap_or(&Cell::Null);
    let mut out = Map::new();
    let pk = next().clone();
    out.insert("pk".into(), answer(Kind::BigInt, &pk));
    let id = pk
        .int()
        .map_or(Value::Null, |pk| json!(global_id(spec.type_name, pk)));
    out.insert("id".into(), id);
    if spec.uuid.is_some() {
        out.insert("uuid".into(), answer(Kind::Uuid, next()));
    }
    for field in spec.fields {
        match field.shape {
            Shape::Scalar(kind) => {
                out.insert(field.name.into(), answer(kind, next()));
            }
            Shape::One(target) => {
                let fk = next().int();
                out.insert(format!("{}Pk", field.name), json!(fk));
                if let Target::Stub(_) = target {
                    out.insert(
                        field.name.into(),
                        fk.map_or(Value::Null, |fk| json!({"pk": fk})),
                    );
                }
            }
            Shape::Many { .. } => {}
        }
    }
    if spec.history.is_some() {
        let from = next().text().map(time::iso);
        out.insert("validityFrom".into(), json!(from));
        let to = next().text().map(time::iso);
        out.insert("validityTo".into(), json!(to));
        out.insert("legacyId".into(), json!(next().int()));
        out.insert("auditUserId".into(), json!(next().int()));
    }
    Value::Object(out)
}
