//! Completing price-list and detail JSON with what a selection asks beyond their columns:
//! `details` (a connection per list, the details of a page of lists read in one query) and a
//! detail's price list.

use crate::kind::Kind;
use crate::rows::{self, id_list};
use crate::Conn;
use openimis_sdk::project::{fill_answers, project};
use openimis_sdk::relay::paginate;
use openimis_sdk::sql_filter::pk_of;
use openimis_sdk::windowed::children;
use openimis_sdk::{ModuleError, SelectionField};
use serde_json::Value;
use std::collections::HashMap;

fn pk(row: &Value, key: &str) -> Option<i64> {
    row.get(key).and_then(Value::as_i64)
}

/// Fills `details` of each price list in `lists` when the selection asks for it, per alias.
/// Details are the valid ones (the original's `get_queryset`), filtered by the
/// `<kind>Pricelist` argument.
pub fn complete_lists(
    conn: &mut Conn,
    kind: Kind,
    lists: &mut [Value],
    sel: &[SelectionField],
) -> Result<(), ModuleError> {
    if !sel.iter().any(|f| f.name == "details") {
        return Ok(());
    }
    let ids: Vec<i64> = lists.iter().filter_map(|r| pk(r, "pk")).collect();
    let found = rows::details_where(
        conn,
        kind,
        &format!(
            r#"d."ValidityTo" IS NULL AND d."{}" IN ({})"#,
            kind.pk(),
            id_list(&ids)
        ),
    )?;
    let mut grouped: HashMap<i64, Vec<Value>> = HashMap::new();
    for detail in &found {
        grouped
            .entry(i64::from(detail.list_id))
            .or_default()
            .push(detail.to_json(kind));
    }
    fill_answers(lists, sel, "details", |field, lists| {
        let only: Option<i64> = field.arg(kind.list_field()).and_then(|v| {
            let text = v.as_str().map_or_else(|| v.to_string(), str::to_owned);
            pk_of(&text).parse().ok()
        });
        lists
            .iter()
            .map(|list| {
                let mut items = match (pk(list, "pk"), only) {
                    (Some(id), Some(wanted)) if id != wanted => Vec::new(),
                    (Some(id), _) => grouped.get(&id).cloned().unwrap_or_default(),
                    _ => Vec::new(),
                };
                for item in items.iter_mut() {
                    item[kind.list_field()] = list.clone();
                }
                paginate(field, &items, |s, row| project(s, row, "pk"))
            })
            .collect()
    })
}

/// Fills each detail's price list (`servicesPricelist` / `itemsPricelist`) when selected.
pub fn complete_details(
    conn: &mut Conn,
    kind: Kind,
    details: &mut [Value],
    sel: &[SelectionField],
) -> Result<(), ModuleError> {
    if !sel.iter().any(|f| f.name == kind.list_field()) {
        return Ok(());
    }
    let ids: Vec<i64> = details.iter().filter_map(|d| pk(d, "listPk")).collect();
    let mut lists: Vec<Value> = rows::pricelists_by_id(conn, kind, &ids)?
        .iter()
        .map(|r| r.to_json(kind))
        .collect();
    complete_lists(conn, kind, &mut lists, &children(sel, kind.list_field()))?;
    let by_pk: HashMap<i64, Value> = lists
        .into_iter()
        .filter_map(|l| pk(&l, "pk").map(|p| (p, l)))
        .collect();
    for detail in details.iter_mut() {
        detail[kind.list_field()] = pk(detail, "listPk")
            .and_then(|p| by_pk.get(&p).cloned())
            .unwrap_or(Value::Null);
    }
    Ok(())
}
