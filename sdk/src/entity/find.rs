//! Reads and writes a module composes itself: rows by its own `WHERE` (no default validity,
//! no access hook), rows by key restricted and completed but not projected (to nest them in
//! another module's type), the children of a `many` relation per parent field, and an update
//! in place (the tables the original changes without a history copy).

use super::access::{Access, Reach};
use super::fetch;
use super::relations::complete;
use super::row::{load_cells, Cells};
use super::spec::{EntitySpec, Shape};
use super::write::{set_columns, written};
use crate::abi::ModuleError;
use crate::db::{Bind, DbConnection};
use crate::payload::SelectionField;
use crate::sql_filter::Where;
use serde_json::{Map, Value};

/// The rows of `spec` matching `w` as JSON (history rows too unless `w` says otherwise),
/// ordered by `order` (SQL terms on the spec's alias) then the key, not completed.
pub fn find(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    w: &Where,
    order: &str,
) -> Result<Vec<Value>, ModuleError> {
    let key = spec.col(spec.key);
    let order = match order {
        "" => format!(" ORDER BY {key}"),
        terms => format!(" ORDER BY {terms}, {key}"),
    };
    fetch::rows(conn, spec, w, &order, None)
}

/// The rows whose key is one of `ids`, restricted by `access` and completed for `sel`, in key
/// order and not projected.
pub fn loaded(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    ids: &[i64],
    sel: &[SelectionField],
    access: &Access,
) -> Result<Vec<Value>, ModuleError> {
    let mut rows = fetch::by_ids(conn, spec, ids, Reach::Keys, access)?;
    complete(conn, spec, &mut rows, sel, access)?;
    Ok(rows)
}

/// Updates row `pk` with the writable fields `values` names and the audit user (null when
/// `None`), without a history copy.
pub fn update_in_place(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    pk: i64,
    values: &Value,
    audit_user_id: Option<i64>,
) -> Result<(), ModuleError> {
    let cols = written(conn, spec, values)?;
    set_columns(conn, spec, pk, cols, audit_user_id).map(drop)
}

/// The distinct integers of column `id` of statement `sql`, ascending (ids a module computes
/// with its own SQL: a recursive tree walk, a join).
pub fn ids(conn: &mut DbConnection, sql: &str, binds: &[Bind]) -> Result<Vec<i64>, ModuleError> {
    let sql = format!("SELECT DISTINCT CAST(x.id AS BIGINT) AS l0 FROM ({sql}) x ORDER BY l0");
    let rows: Vec<Cells> = load_cells(conn, &sql, binds)?;
    Ok(rows.iter().filter_map(|r| r.0.first()?.int()).collect())
}

/// `input` with every writable field of `spec` it lacks set to null (a foreign key is given as
/// `nameId` by the input, and left alone): the values of a write that sets every field, as
/// the original's services do.
pub fn every_field(spec: &EntitySpec, input: &Map<String, Value>) -> Map<String, Value> {
    let mut values = input.clone();
    for field in spec.fields.iter().filter(|f| f.writable) {
        if !matches!(field.shape, Shape::One(_)) {
            values.entry(field.name).or_insert(Value::Null);
        }
    }
    values
}
