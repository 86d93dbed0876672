//! The rows of a filtered entity read page by page (keyset: `key > last`, in key order), each
//! page handed on and dropped before the next is read, so an export of any size holds one
//! page at a time.

use crate::abi::ModuleError;
use crate::db::{Bind, DbConnection};
use crate::entity::{extra, load_cells, Cell, Cells, EntitySpec, Kind};
use crate::sql_filter::Where;

/// Rows read per statement.
pub const PAGE: usize = 1000;

/// `SELECT <key>, <exprs> FROM <table> <alias> WHERE <w>`, each column aliased by its kind.
fn select(spec: &EntitySpec, w: &Where, exprs: &[(&str, Kind)]) -> String {
    let mut list = vec![extra(&spec.col(spec.key), Kind::BigInt, 0)];
    for (i, (expr, kind)) in exprs.iter().enumerate() {
        list.push(extra(expr, *kind, i + 1));
    }
    format!(
        r#"SELECT {} FROM "{}" {} WHERE {}"#,
        list.join(", "),
        spec.table,
        spec.alias,
        w.sql()
    )
}

/// The whole statement, as stored with the export (`sql_query`).
pub fn statement(spec: &EntitySpec, w: &Where, exprs: &[(&str, Kind)]) -> String {
    format!("{} ORDER BY {}", select(spec, w, exprs), spec.col(spec.key))
}

/// Calls `each` with the cells of `exprs` of every row matching `w`, in key order.
pub fn scan(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    w: &Where,
    exprs: &[(&str, Kind)],
    mut each: impl FnMut(&[Cell]) -> Result<(), ModuleError>,
) -> Result<(), ModuleError> {
    let key = spec.col(spec.key);
    let sql = format!(
        "{} AND {key} > ? ORDER BY {key} LIMIT {PAGE}",
        select(spec, w, exprs)
    );
    let mut last = i64::MIN;
    loop {
        let mut binds = w.binds().to_vec();
        binds.push(Bind::BigInt(Some(last)));
        let page: Vec<Cells> = load_cells(conn, &sql, &binds)?;
        for cells in &page {
            each(cells.0.get(1..).unwrap_or_default())?;
        }
        match page.last().and_then(|cells| cells.0.first()?.int()) {
            Some(key) if page.len() == PAGE => last = key,
            _ => return Ok(()),
        }
    }
}
