//! Relay conventions as the original serves them: global ids, array-connection cursors,
//! `first`/`after`/`last`/`before`/`offset` with the 100-row cap, and connection JSON.

use crate::abi::ModuleError;
use crate::payload::SelectionField;
use base64::{engine::general_purpose::STANDARD, Engine};
use serde_json::{json, Map, Value};

/// The default and maximum page size (`RELAY_CONNECTION_MAX_LIMIT`).
pub const MAX_PAGE: usize = 100;

/// `base64("<Type>:<pk>")`.
pub fn global_id(type_name: &str, pk: impl std::fmt::Display) -> String {
    STANDARD.encode(format!("{type_name}:{pk}"))
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
    let shown = &rows[..rows.len().min(page.limit)];
    let has_next = page.first_given && rows.len() > page.limit;
    let has_previous = page.last_given && page.offset > 0;
    let mut out = Map::new();
    for sel in &field.selection {
        let value = match sel.name.as_str() {
            "totalCount" => total.map_or(Value::Null, |t| json!(t)),
            "edgeCount" => json!(shown.len()),
            "pageInfo" => {
                let mut info = Map::new();
                for f in &sel.selection {
                    let v = match f.name.as_str() {
                        "hasNextPage" => json!(has_next),
                        "hasPreviousPage" => json!(has_previous),
                        "startCursor" if !shown.is_empty() => json!(cursor(page.offset)),
                        "endCursor" if !shown.is_empty() => {
                            json!(cursor(page.offset + shown.len() - 1))
                        }
                        _ => Value::Null,
                    };
                    info.insert(f.alias.clone(), v);
                }
                Value::Object(info)
            }
            "edges" => Value::Array(
                shown
                    .iter()
                    .enumerate()
                    .map(|(i, row)| {
                        let mut edge = Map::new();
                        for f in &sel.selection {
                            let v = match f.name.as_str() {
                                "cursor" => json!(cursor(page.offset + i)),
                                "node" => node(&f.selection, row.borrow()),
                                _ => Value::Null,
                            };
                            edge.insert(f.alias.clone(), v);
                        }
                        Value::Object(edge)
                    })
                    .collect(),
            ),
            _ => Value::Null,
        };
        out.insert(sel.alias.clone(), value);
    }
    Value::Object(out)
}

/// A connection over all `rows` (already filtered and ordered): reads the field's pagination
/// arguments, takes the page, and answers it with `totalCount` = `rows.len()`.
pub fn paginate<R: std::borrow::Borrow<Value>>(
    field: &SelectionField,
    rows: &[R],
    node: impl Fn(&[SelectionField], &Value) -> Value,
) -> Result<Value, ModuleError> {
    let page = Page::from_field(field, || rows.len())?;
    let end = rows.len().min(page.offset.saturating_add(page.limit + 1));
    let window = rows.get(page.offset.min(end)..end).unwrap_or_default();
    Ok(connection(field, page, window, Some(rows.len()), node))
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
}
