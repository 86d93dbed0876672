//! Selection helpers shared by the user, officer and claim-admin resolvers: what a connection's
//! nodes select, whether a nested field is asked for, and a page window that is enriched (with
//! the extra queries its selection needs) before it is shaped.

use openimis_plugin_api::sdk::project::project;
use openimis_plugin_api::sdk::relay::{connection, Page};
use openimis_plugin_api::{ModuleError, SelectionField};
use serde_json::Value;

/// The sub-selection of every field called `name` in `selection` (aliases merged).
pub fn children(selection: &[SelectionField], name: &str) -> Vec<SelectionField> {
    selection
        .iter()
        .filter(|f| f.name == name)
        .flat_map(|f| f.selection.iter().cloned())
        .collect()
}

/// The first field called `name` in `selection`.
pub fn field<'s>(selection: &'s [SelectionField], name: &str) -> Option<&'s SelectionField> {
    selection.iter().find(|f| f.name == name)
}

/// What a connection field's `edges { node { ... } }` selects.
pub fn node_selection(connection_field: &SelectionField) -> Vec<SelectionField> {
    children(&children(&connection_field.selection, "edges"), "node")
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
