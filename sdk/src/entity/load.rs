//! The entry points of the read side: a root connection paged in SQL, a root list, and the
//! entities by key of federation and relay `node`.

use super::access::{Access, Reach};
use super::fetch::{self, from};
use super::relations::{complete, complete_within, self_chain};
use super::row::{columns, extra, load_cells, Cells, RowsJson};
use super::spec::{EntitySpec, Kind};
use super::{filter, order};
use crate::abi::ModuleError;
use crate::db::{self, DbConnection};
use crate::payload::SelectionField;
use crate::project::project;
use crate::sql_filter::Where;
use crate::windowed::{node_selection, windowed_counted, COUNT_OVER};
use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::Value;

/// `base` plus the default `ValidityTo IS NULL` of a versioned entity (lifted by
/// `showHistory: true`), the field's filters and the access hook.
pub fn filtered(
    conn: &DbConnection,
    spec: &EntitySpec,
    field: &SelectionField,
    base: Where,
    access: &Access,
) -> Result<Where, ModuleError> {
    let mut w = base;
    if spec.history.is_some() && field.arg("showHistory") != Some(&Value::Bool(true)) {
        w.and(&format!("{} IS NULL", spec.col("ValidityTo")), []);
    }
    filter::apply(conn, spec, field, &mut w)?;
    (access.rows)(spec, Reach::List, &mut w)?;
    Ok(w)
}

/// A relay connection over `spec`'s rows matching `base` and the field's arguments: one page
/// in SQL (`LIMIT`/`OFFSET`), counted only when `totalCount` or `last` asks, nodes completed
/// and projected to the selection.
pub fn connection(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    field: &SelectionField,
    base: Where,
    access: &Access,
) -> Result<Value, ModuleError> {
    let w = filtered(conn, spec, field, base, access)?;
    let order = order::clause(spec, field)?;
    let node = node_selection(field);
    let count = |conn: &mut DbConnection| {
        let sql = format!("SELECT COUNT(*) AS n {}", from(spec, &w));
        db::count(conn, &sql, w.binds()).map(|n| n as usize)
    };
    windowed_counted(conn, field, "pk", count, |conn, ask| {
        let (list, n) = columns(spec);
        let total = match ask.with_total {
            true => format!(", {}", extra(COUNT_OVER, Kind::BigInt, n)),
            false => String::new(),
        };
        let sql = format!(
            "SELECT {list}{total} {}{order} LIMIT {} OFFSET {}",
            from(spec, &w),
            ask.limit,
            ask.offset
        );
        let found: Vec<Cells> = load_cells(conn, &sql, w.binds())?;
        let carried = found.first().and_then(|cells| cells.0.get(n)?.int());
        let mut json = RowsJson::new(spec);
        let mut rows: Vec<Value> = found.into_iter().map(|cells| json.row(cells)).collect();
        complete(conn, spec, &mut rows, &node, access)?;
        Ok((rows, carried.map(|t| t as usize)))
    })
}

/// A plain list of `spec`'s rows matching `base` and the field's arguments, projected.
pub fn list(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    field: &SelectionField,
    base: Where,
    access: &Access,
) -> Result<Value, ModuleError> {
    let w = filtered(conn, spec, field, base, access)?;
    let order = order::clause(spec, field)?;
    let mut rows = fetch::rows(conn, spec, &w, &order, None)?;
    complete(conn, spec, &mut rows, &field.selection, access)?;
    Ok(project(&field.selection, &Value::Array(rows), "pk"))
}

/// The rows of `keys` (integers or numeric strings), in key order, `null` for a missing or
/// refused one: one statement, then the relations the selection asks for.
pub fn by_keys(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    keys: &[Value],
    selection: &[SelectionField],
    access: &Access,
) -> Result<Vec<Value>, ModuleError> {
    let ids: Vec<i64> = keys.iter().filter_map(crate::sql_filter::int_of).collect();
    let rows = match self_chain(spec, selection) {
        // The keys and the ancestors the selection climbs to, in one statement, when the
        // access hook restricts keys as it restricts hops (else the keys alone, then the hops).
        Some((column, levels)) if same_access(spec, access, Reach::Keys, Reach::Hop) => {
            let chain = fetch::with_ancestors(conn, spec, &ids, column, levels, access)?;
            let wanted: FxHashSet<i64> = ids.iter().copied().collect();
            let mut rows: Vec<Value> = chain
                .iter()
                .filter(|r| r["pk"].as_i64().is_some_and(|pk| wanted.contains(&pk)))
                .cloned()
                .collect();
            complete_within(conn, spec, &mut rows, selection, access, chain)?;
            rows
        }
        _ => {
            let mut rows = fetch::by_ids(conn, spec, &ids, Reach::Keys, access)?;
            complete(conn, spec, &mut rows, selection, access)?;
            rows
        }
    };
    let by_pk: FxHashMap<i64, Value> = rows
        .into_iter()
        .filter_map(|r| r["pk"].as_i64().map(|pk| (pk, r)))
        .collect();
    Ok(keys
        .iter()
        .map(|key| {
            crate::sql_filter::int_of(key)
                .and_then(|k| by_pk.get(&k))
                .map_or(Value::Null, |row| project(selection, row, "pk"))
        })
        .collect())
}

/// Whether `access` restricts `spec`'s rows reached as `a` exactly as reached as `b`.
fn same_access(spec: &EntitySpec, access: &Access, a: Reach, b: Reach) -> bool {
    let (mut first, mut second) = (Where::new(), Where::new());
    (access.rows)(spec, a, &mut first).is_ok()
        && (access.rows)(spec, b, &mut second).is_ok()
        && first == second
}

/// Another module's objects named by `keys`, answered with only the relations this module adds
/// to their type (the reverse relations of `parent`, a spec of that type's table): no read of
/// the objects themselves, one statement per relation for all keys, in key order.
pub fn extended_by_keys(
    conn: &mut DbConnection,
    parent: &EntitySpec,
    keys: &[Value],
    selection: &[SelectionField],
    access: &Access,
) -> Result<Vec<Value>, ModuleError> {
    let mut rows: Vec<Value> = keys
        .iter()
        .map(|key| serde_json::json!({ "pk": crate::sql_filter::int_of(key) }))
        .collect();
    complete(conn, parent, &mut rows, selection, access)?;
    Ok(rows
        .iter()
        .map(|row| project(selection, row, "pk"))
        .collect())
}
