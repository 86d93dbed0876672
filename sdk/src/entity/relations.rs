//! Completing rows for a selection through the declared relations: `one` to a local entity is
//! one statement per hop for all rows (completed recursively; a self-reference nested several
//! times, `parent { parent { parent } }`, is one statement for the whole chain), `one` to
//! another module's type is
//! the stub the row carries already, `many` is one statement per hop for all parents (paged
//! per parent with `ROW_NUMBER() OVER (PARTITION BY ...)`), answered per alias
//! (`project::fill_answers`). The access hooks run on every hop.

use super::access::{Access, Reach};
use super::fetch::{self, from};
use super::row::{columns, extra, load_cells, Cells, RowsJson};
use super::spec::{EntitySpec, Kind, Shape, Target};
use super::{filter, order};
use crate::abi::ModuleError;
use crate::db::DbConnection;
use crate::payload::SelectionField;
use crate::project::{fill_answers, project};
use crate::relay::{connection, Page};
use crate::sql_filter::{id_list, Where};
use crate::windowed::{children, node_selection};
use rustc_hash::FxHashMap;
use serde_json::Value;

fn pks(rows: &[Value], key: &str) -> Vec<i64> {
    rows.iter().filter_map(|r| r[key].as_i64()).collect()
}

/// How many times `name` nests in itself from `sel` (`parent { parent { code } }`: 2).
fn nesting(sel: &[SelectionField], name: &str) -> usize {
    if !sel.iter().any(|f| f.name == name) {
        return 0;
    }
    1 + nesting(&children(sel, name), name)
}

/// Rows already read for this completion, by table and key: the ancestors a self-reference
/// (`parent`) prefetched in one statement.
type Known = FxHashMap<&'static str, FxHashMap<i64, Value>>;

/// Fills each row's relation fields that `sel` asks for, then the module's computed fields.
pub fn complete(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    rows: &mut [Value],
    sel: &[SelectionField],
    access: &Access,
) -> Result<(), ModuleError> {
    complete_knowing(conn, spec, rows, sel, access, &mut Known::default())
}

/// [`complete`], for rows read together with their ancestors through a self-reference
/// (`chain`, from [`fetch::with_ancestors`]): hops into the chain need no statement.
pub fn complete_within(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    rows: &mut [Value],
    sel: &[SelectionField],
    access: &Access,
    chain: Vec<Value>,
) -> Result<(), ModuleError> {
    let mut known = Known::default();
    let read = known.entry(spec.table).or_default();
    for row in chain {
        if let Some(pk) = row["pk"].as_i64() {
            read.insert(pk, row);
        }
    }
    complete_knowing(conn, spec, rows, sel, access, &mut known)
}

/// The self-reference of `spec` that `sel` follows (`parent`), its column and how many times
/// it nests (`parent { parent { code } }`: 2); `None` when `sel` follows none.
pub fn self_chain(spec: &EntitySpec, sel: &[SelectionField]) -> Option<(&'static str, usize)> {
    spec.fields.iter().find_map(|field| match field.shape {
        Shape::One(Target::Local(target)) if std::ptr::eq(spec, target) => {
            let levels = nesting(sel, field.name);
            (levels > 0).then_some((field.column, levels))
        }
        _ => None,
    })
}

/// The target rows of the `one` hop `field` from `rows`: a self-reference nested more than
/// once reads the whole chain at the first hop ([`fetch::with_ancestors`]) and answers the
/// deeper hops from `known`; any other hop is one statement ([`fetch::by_ids`]).
fn hop_targets(
    conn: &mut DbConnection,
    (spec, target, column): (&EntitySpec, &EntitySpec, &str),
    ids: &[i64],
    levels: usize,
    access: &Access,
    known: &mut Known,
) -> Result<Vec<Value>, ModuleError> {
    if !std::ptr::eq(spec, target) {
        return fetch::by_ids(conn, target, ids, Reach::Hop, access);
    }
    let ids = fetch::distinct(ids);
    let read = known.entry(target.table).or_default();
    let all_read = !ids.is_empty() && ids.iter().all(|id| read.contains_key(id));
    if !all_read && levels < 2 {
        return fetch::by_ids(conn, target, &ids, Reach::Hop, access);
    }
    if !all_read {
        let chain = fetch::with_ancestors(conn, target, &ids, column, levels - 1, access)?;
        for row in chain {
            if let Some(pk) = row["pk"].as_i64() {
                read.insert(pk, row);
            }
        }
    }
    Ok(ids.iter().filter_map(|id| read.get(id).cloned()).collect())
}

fn complete_knowing(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    rows: &mut [Value],
    sel: &[SelectionField],
    access: &Access,
    known: &mut Known,
) -> Result<(), ModuleError> {
    if rows.is_empty() {
        return Ok(());
    }
    for field in spec.fields {
        match field.shape {
            Shape::One(Target::Local(target)) if sel.iter().any(|f| f.name == field.name) => {
                let key = format!("{}Pk", field.name);
                let levels = nesting(sel, field.name);
                let column = field.column;
                let mut found = hop_targets(
                    conn,
                    (spec, target, column),
                    &pks(rows, &key),
                    levels,
                    access,
                    known,
                )?;
                let nested = children(sel, field.name);
                complete_knowing(conn, target, &mut found, &nested, access, known)?;
                // Each target row goes to the rows naming it: moved to the last, copied before.
                let mut by_pk: FxHashMap<i64, (usize, Value)> = found
                    .into_iter()
                    .filter_map(|r| r["pk"].as_i64().map(|pk| (pk, (0, r))))
                    .collect();
                for k in rows.iter().filter_map(|row| row[&key].as_i64()) {
                    if let Some((uses, _)) = by_pk.get_mut(&k) {
                        *uses += 1;
                    }
                }
                for row in rows.iter_mut() {
                    let value = row[&key].as_i64().and_then(|k| match by_pk.get_mut(&k) {
                        Some((1, _)) => by_pk.remove(&k).map(|(_, r)| r),
                        Some((uses, r)) => {
                            *uses -= 1;
                            Some(r.clone())
                        }
                        None => None,
                    });
                    row[field.name] = value.unwrap_or(Value::Null);
                }
            }
            Shape::Many {
                target,
                column,
                paged,
            } => fill_answers(rows, sel, field.name, |nested, parents| {
                let parents = pks(parents, "pk");
                match paged {
                    true => many_paged(conn, target, column, nested, &parents, access),
                    false => many_listed(conn, target, column, nested, &parents, access),
                }
            })?,
            _ => {}
        }
    }
    (access.extend)(conn, spec, rows, sel)
}

/// The `WHERE` of the children of `parents`: valid ones, the field's filters, the access hook.
fn children_where(
    conn: &DbConnection,
    target: &EntitySpec,
    column: &str,
    field: &SelectionField,
    parents: &[i64],
    access: &Access,
) -> Result<Where, ModuleError> {
    let mut w = Where::new();
    let mut ids = parents.to_vec();
    ids.sort_unstable();
    ids.dedup();
    w.and(
        &format!("{} IN ({})", target.col(column), id_list(&ids)),
        [],
    );
    if target.history.is_some() && field.arg("showHistory") != Some(&Value::Bool(true)) {
        w.and(&format!("{} IS NULL", target.col("ValidityTo")), []);
    }
    filter::apply(conn, target, field, &mut w)?;
    (access.rows)(target, Reach::Children, &mut w)?;
    Ok(w)
}

/// `(parent, row)` of each child read by `sql` (the parent key in cell `n`).
fn load_children(
    conn: &mut DbConnection,
    target: &EntitySpec,
    sql: &str,
    w: &Where,
    n: usize,
) -> Result<Vec<(i64, Value)>, ModuleError> {
    let found: Vec<Cells> = load_cells(conn, sql, w.binds())?;
    let mut json = RowsJson::new(target);
    Ok(found
        .into_iter()
        .map(|cells| {
            let parent = cells.0.get(n).and_then(|c| c.int()).unwrap_or_default();
            (parent, json.row(cells))
        })
        .collect())
}

fn group(parents: &[i64], children: Vec<(i64, Value)>) -> Vec<Vec<Value>> {
    let mut by_parent: FxHashMap<i64, Vec<Value>> = FxHashMap::default();
    for (parent, row) in children {
        by_parent.entry(parent).or_default().push(row);
    }
    parents
        .iter()
        .map(|p| by_parent.get(p).cloned().unwrap_or_default())
        .collect()
}

/// For each of `parents`, the list `field` asks for of the valid `target` rows whose `column`
/// is that parent (a `many` relation; exported as `children_of` for another module's type).
pub fn many_listed(
    conn: &mut DbConnection,
    target: &EntitySpec,
    column: &str,
    field: &SelectionField,
    parents: &[i64],
    access: &Access,
) -> Result<Vec<Value>, ModuleError> {
    let w = children_where(conn, target, column, field, parents, access)?;
    let (list, n) = columns(target);
    let parent = extra(&target.col(column), Kind::BigInt, n);
    let order = order::clause(target, field)?;
    let sql = format!("SELECT {list}, {parent} {}{order}", from(target, &w));
    let mut children = load_children(conn, target, &sql, &w, n)?;
    let mut rows: Vec<Value> = children.iter().map(|(_, r)| r.clone()).collect();
    complete(conn, target, &mut rows, &field.selection, access)?;
    for ((_, child), row) in children.iter_mut().zip(rows) {
        *child = row;
    }
    Ok(group(parents, children)
        .into_iter()
        .map(|list| project(&field.selection, &Value::Array(list), "pk"))
        .collect())
}

fn many_paged(
    conn: &mut DbConnection,
    target: &EntitySpec,
    column: &str,
    field: &SelectionField,
    parents: &[i64],
    access: &Access,
) -> Result<Vec<Value>, ModuleError> {
    let w = children_where(conn, target, column, field, parents, access)?;
    let parent_col = target.col(column);
    let counted = field.child("totalCount").is_some() || field.arg("last").is_some();
    let mut totals: FxHashMap<i64, usize> = FxHashMap::default();
    if counted {
        let sql = format!(
            "SELECT {}, COUNT(*) AS l1 {} GROUP BY {parent_col}",
            extra(&parent_col, Kind::BigInt, 0),
            from(target, &w)
        );
        let found: Vec<Cells> = load_cells(conn, &sql, w.binds())?;
        for cells in found {
            if let (Some(p), Some(n)) = (cells.0[0].int(), cells.0[1].int()) {
                totals.insert(p, n as usize);
            }
        }
    }
    let total = |p: &i64| totals.get(p).copied().unwrap_or(0);
    let pages = parents
        .iter()
        .map(|p| Page::from_field(field, || total(p)))
        .collect::<Result<Vec<_>, _>>()?;
    let (list, n) = columns(target);
    let order = order::clause(target, field)?;
    let order = order.trim_start().trim_start_matches("ORDER BY ");
    let inner = format!(
        "SELECT {list}, {}, ROW_NUMBER() OVER (PARTITION BY {parent_col} ORDER BY {order}) AS l{} {}",
        extra(&parent_col, Kind::BigInt, n),
        n + 1,
        from(target, &w)
    );
    // Without `last` every parent's window is the same: cut it in SQL.
    let bounds = match (field.arg("last"), pages.first()) {
        (None, Some(page)) => format!(
            " WHERE x.l{rn} > {} AND x.l{rn} <= {}",
            page.offset,
            page.offset + page.limit + 1,
            rn = n + 1
        ),
        _ => String::new(),
    };
    let sql = format!(
        "SELECT * FROM ({inner}) x{bounds} ORDER BY x.l{n}, x.l{}",
        n + 1
    );
    let groups = group(parents, load_children(conn, target, &sql, &w, n)?);
    let bounded = !bounds.is_empty();
    let mut windows: Vec<Vec<Value>> = groups
        .into_iter()
        .zip(&pages)
        .map(|(rows, page)| {
            let start = if bounded {
                0
            } else {
                page.offset.min(rows.len())
            };
            rows.into_iter().skip(start).take(page.limit + 1).collect()
        })
        .collect();
    let mut all: Vec<Value> = windows.iter().flatten().cloned().collect();
    complete(conn, target, &mut all, &node_selection(field), access)?;
    let mut done = all.into_iter();
    for window in windows.iter_mut() {
        for row in window.iter_mut() {
            *row = done.next().unwrap_or(Value::Null);
        }
    }
    Ok(windows
        .iter()
        .zip(parents.iter().zip(&pages))
        .map(|(window, (p, page))| {
            let total = counted.then(|| total(p));
            connection(field, *page, window, total, |s, r| project(s, r, "pk"))
        })
        .collect())
}
