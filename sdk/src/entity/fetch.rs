//! Loading an entity's rows as JSON: one statement over its table and alias, a `WHERE` the
//! caller built (access applied), an order and an optional window.

use super::access::{Access, Reach};
use super::row::{columns, to_json, Cells};
use super::spec::EntitySpec;
use crate::abi::ModuleError;
use crate::db::{self, DbConnection};
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
    let (list, _) = columns(spec);
    let mut sql = format!("SELECT {list} {}{order}", from(spec, w));
    if let Some((offset, limit)) = window {
        sql.push_str(&format!(" LIMIT {limit} OFFSET {offset}"));
    }
    let found: Vec<Cells> = db::load(conn, &sql, w.binds())?;
    Ok(found.iter().map(|cells| to_json(spec, cells)).collect())
}

/// The rows whose key is one of `ids` (history rows included), restricted by `access`.
pub fn by_ids(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    ids: &[i64],
    reach: Reach,
    access: &Access,
) -> Result<Vec<Value>, ModuleError> {
    let mut ids = ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
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
