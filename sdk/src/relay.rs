//! Relay conventions as the original serves them: global ids, array-connection cursors,
//! `first`/`after`/`last`/`before`/`offset` with the 100-row cap, and connection JSON.

use crate::abi::ModuleError;
use crate::payload::SelectionField;
use base64::{engine::general_purpose::STANDARD, Engine};
use serde_json::{json, Map, Value};

/// The default and maximum page size (`RELAY_CONNECTION_MAX_LIMIT`).
pub const MAX_PAGE: usize = 100;

/// `base64("<Type>:<pk>")`: the plain text and its encoding each written once at its final
/// size (every row of every list has one).
pub fn global_id(type_name: &str, pk: impl std::fmt::Display) -> String {
    use std::fmt::Write as _;
    let mut plain = String::with_capacity(type_name.len() + 21);
    plain.push_str(type_name);
    plain.push(':');
    let _ = write!(plain, "{pk}");
    let mut id = String::with_capacity(plain.len().div_ceil(3) * 4);
    STANDARD.encode_string(plain, &mut id);
    id
}

/// Splits a global id into `(type, pk)`.
pub fn parse_global_id(id: &str) -> Option<(String, String)> {
    let bytes = STANDARD.decode(id).ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let (type_name, pk) = text.split_once(':')?;
    Some((type_name.to_owned(), pk.to_owned()))
}

/// `base64("arrayconnection:<n>")`.
pub fn cursor(index: usize) -> String {
    STANDARD.encode(format!("arrayconnection:{index}"))
}

fn parse_cursor(cursor: &str) -> Option<usize> {
    let text = String::from_utf8(STANDARD.decode(cursor).ok()?).ok()?;
    text.strip_prefix("arrayconnection:")?.parse().ok()
}

/// Which rows a connection field asks for: `limit` rows from `offset` (absolute, 0-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub offset: usize,
    pub limit: usize,
    first_given: bool,
    last_given: bool,
}

fn usize_arg(field: &SelectionField, name: &str) -> Result<Option<usize>, ModuleError> {
    match field.arg(name) {
        None => Ok(None),
        Some(value) => value.as_u64().map(|n| Some(n as usize)).ok_or_else(|| {
            ModuleError::new(
                "BAD_ARGUMENT",
                format!("`{name}` must be a non-negative integer"),
            )
        }),
    }
}

impl Page {
    /// Reads the pagination arguments of `field`; `total` is needed only for `last`.
    pub fn from_field(
        field: &SelectionField,
        total: impl FnOnce() -> usize,
    ) -> Result<Self, ModuleError> {
        let first = usize_arg(field, "first")?;
        let last = usize_arg(field, "last")?;
        for (arg, value) in [("first", first), ("last", last)] {
            if let Some(n) = value.filter(|n| *n > MAX_PAGE) {
                return Err(ModuleError::new(
                    "PAGE_LIMIT",
                    format!(
                        "Requesting {n} records on the `{}` connection exceeds the `{arg}` limit of {MAX_PAGE} records.",
                        field.name
                    ),
                ));
            }
        }
        let mut start = usize_arg(field, "offset")?.unwrap_or(0);
        if let Some(after) = field.arg("after").and_then(Value::as_str) {
            start = start.max(parse_cursor(after).map_or(0, |n| n + 1));
        }
        let mut end = None;
        if let Some(before) = field.arg("before").and_then(Value::as_str) {
            end = parse_cursor(before);
        }
        let first_given = first.is_some() || last.is_none();
        let mut limit = first.unwrap_or(MAX_PAGE);
        if let Some(end) = end {
            limit = limit.min(end.saturating_sub(start));
        }
        if let Some(last) = last {
            let end = end.unwrap_or_else(total).min(start + limit);
            let from = end.saturating_sub(last).max(start);
            return Ok(Self {
                offset: from,
                limit: end - from,
                first_given,
                last_given: true,
            });
        }
        Ok(Self {
            offset: start,
            limit,
            first_given,
            last_given: false,
        })
    }
}

/// What a connection's fields answer besides its nodes: which rows show, whether there are
/// more on either side, the total. [`connection`] builds it as a value, [`write_connection`]
/// as text; both read every field but `node` here.
struct Window {
    offset: usize,
    shown: usize,
    has_next: bool,
    has_previous: bool,
    total: Option<usize>,
}

impl Window {
    fn new(page: Page, rows: usize, total: Option<usize>) -> Self {
        Self {
            offset: page.offset,
            shown: rows.min(page.limit),
            has_next: page.first_given && rows > page.limit,
            has_previous: page.last_given && page.offset > 0,
            total,
        }
    }

    /// A field of the connection itself (`edges` and `pageInfo` aside).
    fn field(&self, name: &str) -> Value {
        match name {
            "totalCount" => self.total.map_or(Value::Null, |t| json!(t)),
            "edgeCount" => json!(self.shown),
            _ => Value::Null,
        }
    }

    /// A field of `pageInfo`.
    fn page_info(&self, name: &str) -> Value {
        match name {
            "hasNextPage" => json!(self.has_next),
            "hasPreviousPage" => json!(self.has_previous),
            "startCursor" if self.shown > 0 => json!(cursor(self.offset)),
            "endCursor" if self.shown > 0 => json!(cursor(self.offset + self.shown - 1)),
            _ => Value::Null,
        }
    }

    /// A field of the `n`th edge (`node` aside).
    fn edge(&self, name: &str, n: usize) -> Value {
        match name {
            "cursor" => json!(cursor(self.offset + n)),
            _ => Value::Null,
        }
    }
}

/// Builds a connection's JSON from `rows` (the rows from `page.offset`, at most `page.limit + 1`
/// of them so a next page can be seen), shaped by the field's selection. `node` projects one row
/// for the `node` sub-selection; `total` fills `totalCount`.
pub fn connection<R: std::borrow::Borrow<Value>>(
    field: &SelectionField,
    page: Page,
    rows: &[R],
    total: Option<usize>,
    node: impl Fn(&[SelectionField], &Value) -> Value,
) -> Value {
    let window = Window::new(page, rows.len(), total);
    let mut out = Map::new();
    for sel in &field.selection {
        let value = match sel.name.as_str() {
            "pageInfo" => Value::Object(
                sel.selection
                    .iter()
                    .map(|f| (f.alias.clone(), window.page_info(&f.name)))
                    .collect(),
            ),
            "edges" => Value::Array(
                rows[..window.shown]
                    .iter()
                    .enumerate()
                    .map(|(n, row)| {
                        let edge = sel.selection.iter().map(|f| {
                            let value = match f.name.as_str() {
                                "node" => node(&f.selection, row.borrow()),
                                name => window.edge(name, n),
                            };
                            (f.alias.clone(), value)
                        });
                        Value::Object(edge.collect())
                    })
                    .collect(),
            ),
            name => window.field(name),
        };
        out.insert(sel.alias.clone(), value);
    }
    Value::Object(out)
}

/// A selection's fields by response key, as `json_text::write_object` takes members.
fn by_alias(selection: &[SelectionField]) -> impl Iterator<Item = (&str, &SelectionField)> {
    selection.iter().map(|f| (f.alias.as_str(), f))
}

/// [`connection`] written straight into `out` as JSON text; `node` writes one row for the
/// `node` sub-selection (`project::write`). The same keys and values as [`connection`]'s.
pub fn write_connection<R: std::borrow::Borrow<Value>>(
    out: &mut Vec<u8>,
    field: &SelectionField,
    page: Page,
    rows: &[R],
    total: Option<usize>,
    node: impl Fn(&mut Vec<u8>, &[SelectionField], &Value),
) {
    use crate::json_text::{write_object, write_value};
    let window = Window::new(page, rows.len(), total);
    write_object(out, by_alias(&field.selection), |out, sel| {
        match sel.name.as_str() {
            "pageInfo" => write_object(out, by_alias(&sel.selection), |out, f| {
                write_value(out, &window.page_info(&f.name))
            }),
            "edges" => {
                out.push(b'[');
                for (n, row) in rows[..window.shown].iter().enumerate() {
                    if n > 0 {
                        out.push(b',');
                    }
                    write_object(out, by_alias(&sel.selection), |out, f| {
                        match f.name.as_str() {
                            "node" => node(out, &f.selection, row.borrow()),
                            name => write_value(out, &window.edge(name, n)),
                        }
                    });
                }
                out.push(b']');
            }
            name => write_value(out, &window.field(name)),
        }
    });
}

/// The page a connection field asks of all `rows` (already filtered and ordered), and the rows
/// from its offset, one more than the page where there are, so a next page can be seen.
fn page_of<'r, R>(field: &SelectionField, rows: &'r [R]) -> Result<(Page, &'r [R]), ModuleError> {
    let page = Page::from_field(field, || rows.len())?;
    let end = rows.len().min(page.offset.saturating_add(page.limit + 1));
    let window = rows.get(page.offset.min(end)..end).unwrap_or_default();
    Ok((page, window))
}

/// A connection over all `rows` (already filtered and ordered): reads the field's pagination
/// arguments, takes the page, and answers it with `totalCount` = `rows.len()`.
pub fn paginate<R: std::borrow::Borrow<Value>>(
    field: &SelectionField,
    rows: &[R],
    node: impl Fn(&[SelectionField], &Value) -> Value,
) -> Result<Value, ModuleError> {
    let (page, window) = page_of(field, rows)?;
    Ok(connection(field, page, window, Some(rows.len()), node))
}

/// [`paginate`] written straight into `out` as JSON text (see [`write_connection`]).
pub fn write_paginated<R: std::borrow::Borrow<Value>>(
    out: &mut Vec<u8>,
    field: &SelectionField,
    rows: &[R],
    node: impl Fn(&mut Vec<u8>, &[SelectionField], &Value),
) -> Result<(), ModuleError> {
    let (page, window) = page_of(field, rows)?;
    write_connection(out, field, page, window, Some(rows.len()), node);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(args: Value) -> SelectionField {
        let mut f = SelectionField::new("locations");
        f.args = args.as_object().unwrap().clone();
        f
    }

    #[test]
    fn ids_and_cursors_match_the_original() {
        assert_eq!(global_id("LocationGQLType", 1), "TG9jYXRpb25HUUxUeXBlOjE=");
        assert_eq!(cursor(9), "YXJyYXljb25uZWN0aW9uOjk=");
        assert_eq!(
            parse_global_id("TG9jYXRpb25HUUxUeXBlOjE3").unwrap(),
            ("LocationGQLType".into(), "17".into())
        );
    }

    #[test]
    fn first_over_the_cap_is_the_original_error() {
        let err = Page::from_field(&field(json!({"first": 200})), || 0).unwrap_err();
        assert_eq!(
            err.message.as_str(),
            "Requesting 200 records on the `locations` connection exceeds the `first` limit of 100 records."
        );
    }

    #[test]
    fn after_and_offset_move_the_window() {
        let page =
            Page::from_field(&field(json!({"first": 10, "after": cursor(9)})), || 0).unwrap();
        assert_eq!((page.offset, page.limit), (10, 10));
        let page = Page::from_field(&field(json!({"offset": 5})), || 0).unwrap();
        assert_eq!((page.offset, page.limit), (5, 100));
        let page = Page::from_field(&field(json!({"last": 3})), || 10).unwrap();
        assert_eq!((page.offset, page.limit), (7, 3));
    }

    #[test]
    fn paginate_takes_the_page_and_counts_all_rows() {
        let rows: Vec<Value> = (1..=5).map(|i| json!({"id": i})).collect();
        let mut f = field(json!({"first": 2, "offset": 3}));
        f.selection = vec![
            SelectionField::new("totalCount"),
            SelectionField::new("pageInfo")
                .with_selection(vec![SelectionField::new("hasNextPage")]),
            SelectionField::new("edges").with_selection(vec![
                SelectionField::new("node").with_selection(vec![SelectionField::new("id")])
            ]),
        ];
        let node = |sel: &[SelectionField], row: &Value| crate::project::project(sel, row, "id");
        assert_eq!(
            paginate(&f, &rows, node).unwrap(),
            json!({"totalCount": 5, "pageInfo": {"hasNextPage": false}, "edges": [{"node": {"id": 4}}, {"node": {"id": 5}}]})
        );
        f.args.insert("offset".into(), json!(9));
        assert_eq!(paginate(&f, &rows, node).unwrap()["edges"], json!([]));
    }

    #[test]
    fn connection_json_has_edges_cursors_and_page_info() {
        let mut f = field(json!({"first": 2}));
        f.selection = vec![
            SelectionField::new("totalCount"),
            SelectionField::new("pageInfo").with_selection(vec![
                SelectionField::new("hasNextPage"),
                SelectionField::new("endCursor"),
            ]),
            SelectionField::new("edges").with_selection(vec![
                SelectionField::new("cursor"),
                SelectionField::new("node").with_selection(vec![SelectionField::new("id")]),
            ]),
        ];
        let page = Page::from_field(&f, || 3).unwrap();
        let rows = vec![json!({"id": 1}), json!({"id": 2}), json!({"id": 3})];
        let out = connection(&f, page, &rows, Some(3), |sel, row| {
            crate::project::project(sel, row, "id")
        });
        assert_eq!(
            out,
            json!({
                "totalCount": 3,
                "pageInfo": {"hasNextPage": true, "endCursor": cursor(1)},
                "edges": [{"cursor": cursor(0), "node": {"id": 1}}, {"cursor": cursor(1), "node": {"id": 2}}]
            })
        );
    }

    #[test]
    fn written_pages_say_what_paginate_says() {
        let rows: Vec<Value> = (1..=7)
            .map(|i| json!({"id": i, "code": format!("C{i}")}))
            .collect();
        let mut node = SelectionField::new("node").with_selection(vec![
            SelectionField::new("code"),
            SelectionField::new(crate::payload::KEY_FIELD),
        ]);
        node.alias = "n".into();
        let mut total = SelectionField::new("totalCount");
        total.alias = "all".into();
        let selection = vec![
            total,
            SelectionField::new("edgeCount"),
            SelectionField::new("pageInfo").with_selection(
                [
                    "hasNextPage",
                    "hasPreviousPage",
                    "startCursor",
                    "endCursor",
                    "other",
                ]
                .map(SelectionField::new)
                .to_vec(),
            ),
            SelectionField::new("edges").with_selection(vec![SelectionField::new("cursor"), node]),
            SelectionField::new("unknown"),
        ];
        for args in [
            json!({}),
            json!({"first": 2}),
            json!({"first": 3, "after": cursor(1)}),
            json!({"last": 2}),
            json!({"offset": 6, "first": 5}),
            json!({"offset": 9}),
        ] {
            let mut f = field(args.clone());
            f.selection = selection.clone();
            let expected = paginate(&f, &rows, |sel, row| {
                crate::project::project(sel, row, "id")
            });
            let mut out = Vec::new();
            write_paginated(&mut out, &f, &rows, |out, sel, row| {
                crate::project::write(out, sel, row, "id")
            })
            .unwrap();
            let written: Value = serde_json::from_slice(&out).unwrap();
            assert_eq!(written, expected.unwrap(), "with {args}");
        }
        let mut out = Vec::new();
        let over = write_paginated(&mut out, &field(json!({"first": 101})), &rows, |_, _, _| ());
        assert_eq!(over.unwrap_err().code.as_str(), "PAGE_LIMIT");
    }
}
