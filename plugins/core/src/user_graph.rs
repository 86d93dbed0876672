//! Selection helpers shared by core's resolvers (users, officers, claim admins, roles, languages,
//! the mutation log): what a connection's nodes select, whether a nested field is asked for, and
//! page windows that are enriched (with the extra queries their selection needs) before they are
//! shaped.

use openimis_sdk::project::project;
use openimis_sdk::relay::{connection, Page};
pub use openimis_sdk::windowed::{children, node_selection};
use openimis_sdk::{ModuleError, SelectionField};
use serde_json::Value;

/// The first field called `name` in `selection`: whether it is asked for. A field with
/// arguments is answered per alias (`sdk::project::fill_answers`), and an object field for the
/// sub-selections of all its aliases ([`children`]).
pub fn field<'s>(selection: &'s [SelectionField], name: &str) -> Option<&'s SelectionField> {
    selection.iter().find(|f| f.name == name)
}

/// The mutable objects at `key` of each row (skipping nulls).
pub fn objects_at<'r>(rows: &'r mut [Value], key: &str) -> Vec<&'r mut Value> {
    rows.iter_mut()
        .filter_map(|row| row.get_mut(key))
        .filter(|v| v.is_object())
        .collect()
}

/// A connection over all `rows`: the page the field asks for is cut out, `enrich`ed with what
/// its node selection needs, then shaped (`totalCount` = all rows). Keys are `pk`.
pub fn page(
    field: &SelectionField,
    mut rows: Vec<Value>,
    enrich: impl FnOnce(&mut [Value], &[SelectionField]) -> Result<(), ModuleError>,
) -> Result<Value, ModuleError> {
    let total = rows.len();
    let page = Page::from_field(field, || total)?;
    let end = total.min(page.offset.saturating_add(page.limit + 1));
    let start = page.offset.min(end);
    let mut window: Vec<Value> = rows.drain(start..end).collect();
    enrich(&mut window, &node_selection(field))?;
    Ok(connection(field, page, &window, Some(total), |sel, row| {
        project(sel, row, "pk")
    }))
}

/// One connection per parent, each over its own group of `groups` (a nested connection field such
/// as `userSet`, same order as the parents): every group's page is cut, the windows of all the
/// parents are `enrich`ed together (one batch for the page, never one per parent), then shaped.
pub fn pages(
    field: &SelectionField,
    groups: Vec<Vec<Value>>,
    enrich: impl FnOnce(&mut [Value], &[SelectionField]) -> Result<(), ModuleError>,
) -> Result<Vec<Value>, ModuleError> {
    let mut cuts = Vec::with_capacity(groups.len());
    let mut windows = Vec::new();
    for mut rows in groups {
        let total = rows.len();
        let page = Page::from_field(field, || total)?;
        let end = total.min(page.offset.saturating_add(page.limit + 1));
        let start = page.offset.min(end);
        cuts.push((page, total, end - start));
        windows.extend(rows.drain(start..end));
    }
    enrich(&mut windows, &node_selection(field))?;
    let mut rows = windows.into_iter();
    Ok(cuts
        .into_iter()
        .map(|(page, total, len)| {
            let window: Vec<Value> = rows.by_ref().take(len).collect();
            connection(field, page, &window, Some(total), |sel, row| {
                project(sel, row, "pk")
            })
        })
        .collect())
}

/// `rows` split by parent: for each of `parents` (in order, repeats allowed), the rows whose
/// `key(row)` is that parent's key.
pub fn grouped<K: PartialEq>(
    parents: &[K],
    rows: Vec<Value>,
    key: impl Fn(&Value) -> Option<K>,
) -> Vec<Vec<Value>> {
    let mut groups: Vec<Vec<Value>> = parents.iter().map(|_| Vec::new()).collect();
    for row in rows {
        let Some(k) = key(&row) else {
            continue;
        };
        for (at, parent) in parents.iter().enumerate() {
            if *parent == k {
                groups[at].push(row.clone());
            }
        }
    }
    groups
}
