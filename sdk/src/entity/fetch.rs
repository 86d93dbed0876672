//! Loading an entity's rows as JSON: one statement over its table and alias, a `WHERE` the
//! caller built (access applied), an order and an optional window.

use super::access::{Access, Reach};
use super::row::{columns, load_cells, Cells, RowsJson};
use super::spec::EntitySpec;
use crate::abi::ModuleError;
use crate::db::DbConnection;
use crate::sql_filter::{id_list, Where};
use serde_json::Value;

/// `FROM "table" alias WHERE ...`.
pub fn from(spec: &EntitySpec, w: &Where) -> String {
    format!(r#"FROM "{}" {} WHERE {}"#, spec.table, spec.alias, w.sql())
}

/// The rows matching `w`, ordered by `order`, `window` = `(offset, limit)`.
pub fn rows(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    w: &Where,
    order: &str,
    window: Option<(usize, usize)>,
) -> Result<Vec<Value>, ModuleError> {
    rows_after(conn, "", spec, w, order, window)
}

/// [`rows`], the select preceded by `with` (a `WITH ...` clause the `WHERE` names, or nothing).
fn rows_after(
    conn: &mut DbConnection,
    with: &str,
    spec: &EntitySpec,
    w: &Where,
    order: &str,
    window: Option<(usize, usize)>,
) -> Result<Vec<Value>, ModuleError> {
    let (list, _) = columns(spec);
    let mut sql = format!("{with}SELECT {list} {}{order}", from(spec, w));
    if let Some((offset, limit)) = window {
        sql.push_str(&format!(" LIMIT {limit} OFFSET {offset}"));
    }
    let found: Vec<Cells> = load_cells(conn, &sql, w.binds())?;
    let mut json = RowsJson::new(spec);
    Ok(found.into_iter().map(|cells| json.row(cells)).collect())
}

/// `ids` sorted, each once.
pub(super) fn distinct(ids: &[i64]) -> Vec<i64> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The rows whose key is one of `ids` (history rows included), restricted by `access`.
pub fn by_ids(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    ids: &[i64],
    reach: Reach,
    access: &Access,
) -> Result<Vec<Value>, ModuleError> {
    let ids = distinct(ids);
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut w = Where::new();
    w.and(
        &format!("{} IN ({})", spec.col(spec.key), id_list(&ids)),
        [],
    );
    (access.rows)(spec, reach, &mut w)?;
    rows(conn, spec, &w, "", None)
}

/// The rows whose key is one of `ids`, and their ancestors through the self-reference in
/// `parent_column` up to `levels` hops above them, in one statement (a recursive walk), so a
/// selection nesting `parent { parent { parent } }` costs one statement, not one per level.
/// Restricted by `access` as [`by_ids`]: an ancestor `access` hides is absent, so the chain
/// stops at it as a hop-by-hop walk would.
pub fn with_ancestors(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    ids: &[i64],
    parent_column: &str,
    levels: usize,
    access: &Access,
) -> Result<Vec<Value>, ModuleError> {
    let ids = distinct(ids);
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let (table, key) = (spec.table, spec.key);
    let chain = format!(
        r#"WITH RECURSIVE chain(id, above) AS (SELECT c."{key}", 0 FROM "{table}" c WHERE c."{key}" IN ({}) UNION ALL SELECT c."{parent_column}", chain.above + 1 FROM chain JOIN "{table}" c ON c."{key}" = chain.id WHERE chain.above < {levels} AND c."{parent_column}" IS NOT NULL) "#,
        id_list(&ids)
    );
    let mut w = Where::new();
    w.and(&format!("{} IN (SELECT id FROM chain)", spec.col(key)), []);
    (access.rows)(spec, Reach::Hop, &mut w)?;
    rows_after(conn, &chain, spec, &w, "", None)
}
