//! Connections cut in SQL: the page a connection field asks for becomes `LIMIT`/`OFFSET` on the
//! module's query, and the count runs only when `totalCount` (or `last`) needs it, so a list
//! over a large table costs one page of rows, not the table. With [`windowed_counted`] the
//! page's own statement carries the count (`COUNT(*) OVER ()`): one statement, not two.

use super::project::project;
use super::relay::{connection, Page};
use crate::abi::ModuleError;
use crate::payload::SelectionField;
use serde_json::Value;

/// The sub-selection of every field called `name` in `selection` (aliases merged).
pub fn children(selection: &[SelectionField], name: &str) -> Vec<SelectionField> {
    selection
        .iter()
        .filter(|f| f.name == name)
        .flat_map(|f| f.selection.iter().cloned())
        .collect()
}

/// What a connection field's `edges { node { ... } }` selects.
pub fn node_selection(field: &SelectionField) -> Vec<SelectionField> {
    children(&children(&field.selection, "edges"), "node")
}

/// A connection whose rows come from `load(offset, limit)` (at most `limit` rows from `offset`,
/// already shaped as full JSON objects keyed by `key_field`); `count` answers the total when
/// `totalCount` or `last` needs it.
pub fn windowed(
    field: &SelectionField,
    key_field: &str,
    count: impl FnOnce() -> Result<usize, ModuleError>,
    load: impl FnOnce(usize, usize) -> Result<Vec<Value>, ModuleError>,
) -> Result<Value, ModuleError> {
    windowed_in(
        &mut (),
        field,
        key_field,
        |_| count(),
        |_, offset, limit| load(offset, limit),
    )
}

/// [`windowed`] over a connection both closures use in turn.
fn windowed_in<C: ?Sized>(
    conn: &mut C,
    field: &SelectionField,
    key_field: &str,
    count: impl FnOnce(&mut C) -> Result<usize, ModuleError>,
    load: impl FnOnce(&mut C, usize, usize) -> Result<Vec<Value>, ModuleError>,
) -> Result<Value, ModuleError> {
    let needs_total = field.child("totalCount").is_some() || field.arg("last").is_some();
    let total = if needs_total {
        Some(count(conn)?)
    } else {
        None
    };
    let page = Page::from_field(field, || total.unwrap_or(0))?;
    let rows = if field.child("edges").is_none() && field.child("pageInfo").is_none() {
        Vec::new()
    } else {
        load(conn, page.offset, page.limit + 1)?
    };
    Ok(connection(field, page, &rows, total, |sel, row| {
        project(sel, row, key_field)
    }))
}

/// One page to read: `limit` rows from `offset`; with `with_total`, each row also carries the
/// number of rows matching (`COUNT(*) OVER ()`), read back from the first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageAsk {
    pub offset: usize,
    pub limit: usize,
    pub with_total: bool,
}

/// The select-list item a page asked `with_total` adds (read it back as a `BIGINT`).
pub const COUNT_OVER: &str = "COUNT(*) OVER ()";

/// As [`windowed`], but the page's statement carries the total when `totalCount` is asked with
/// the rows: `load(conn, ask)` answers the rows and, when `ask.with_total`, the total read from
/// its first row (`None` without rows). `count(conn)` runs only when the page cannot carry it:
/// `last` (the total is needed before the page), no rows asked, or a page past the end.
pub fn windowed_counted<C: ?Sized>(
    conn: &mut C,
    field: &SelectionField,
    key_field: &str,
    count: impl FnOnce(&mut C) -> Result<usize, ModuleError>,
    load: impl FnOnce(&mut C, PageAsk) -> Result<(Vec<Value>, Option<usize>), ModuleError>,
) -> Result<Value, ModuleError> {
    let shows_rows = field.child("edges").is_some() || field.child("pageInfo").is_some();
    let with_total = field.child("totalCount").is_some() && field.arg("last").is_none();
    if with_total && shows_rows {
        let page = Page::from_field(field, || 0)?;
        let ask = PageAsk {
            offset: page.offset,
            limit: page.limit + 1,
            with_total,
        };
        let (rows, carried) = load(conn, ask)?;
        let total = match carried {
            Some(total) => total,
            None if page.offset == 0 => 0,
            None => count(conn)?,
        };
        return Ok(connection(field, page, &rows, Some(total), |sel, row| {
            project(sel, row, key_field)
        }));
    }
    windowed_in(conn, field, key_field, count, |conn, offset, limit| {
        let ask = PageAsk {
            offset,
            limit,
            with_total: false,
        };
        load(conn, ask).map(|(rows, _)| rows)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn loads_one_window_and_counts_only_when_asked() {
        let mut f = SelectionField::new("things").with_selection(vec![
            SelectionField::new("pageInfo")
                .with_selection(vec![SelectionField::new("hasNextPage")]),
            SelectionField::new("edges").with_selection(vec![
                SelectionField::new("node").with_selection(vec![SelectionField::new("code")])
            ]),
        ]);
        f.args.insert("first".into(), json!(2));
        f.args.insert("offset".into(), json!(1));
        let rows: Vec<Value> = (0..5)
            .map(|i| json!({"pk": i, "code": format!("C{i}")}))
            .collect();
        let answer = windowed(
            &f,
            "pk",
            || panic!("no totalCount was asked for"),
            |offset, limit| Ok(rows.iter().skip(offset).take(limit).cloned().collect()),
        )
        .unwrap();
        assert_eq!(
            answer,
            json!({"pageInfo": {"hasNextPage": true}, "edges": [{"node": {"code": "C1"}}, {"node": {"code": "C2"}}]})
        );
        f.selection.push(SelectionField::new("totalCount"));
        let answer = windowed(&f, "pk", || Ok(5), |_, _| Ok(Vec::new())).unwrap();
        assert_eq!(answer["totalCount"], 5);
        assert_eq!(node_selection(&f), vec![SelectionField::new("code")]);
    }
}
