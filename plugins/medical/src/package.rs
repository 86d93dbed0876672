//! A package service's children (`ServiceItem` in `tblProductContainedPackage`, `ServiceService`
//! in `tblServiceContainedPackage`) as the original's `update_or_create_item_or_service` and
//! `process_child_relation` handle them.

use crate::inputs::ChildInput;
use crate::specs::{ITEM, SERVICE, SERVICE_ITEM, SERVICE_SERVICE};
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity::{self, EntitySpec};
use openimis_sdk::sql_filter::Where;
use openimis_sdk::{time, ModuleError};
use serde_json::{json, Map, Value};

/// One kind of child: its link entity, the contained entity, the link's fields naming them.
pub struct Children {
    pub link: &'static EntitySpec,
    pub target: &'static EntitySpec,
    /// The link field naming the contained row (`item` / `service`).
    pub target_field: &'static str,
    /// The original's names in its error texts.
    pub link_model: &'static str,
    pub target_model: &'static str,
    /// The stamp field (`pcpDate` / `scpDate`).
    pub date_field: &'static str,
}

pub static ITEMS: Children = Children {
    link: &SERVICE_ITEM,
    target: &ITEM,
    target_field: "item",
    link_model: "ServiceItem",
    target_model: "Item",
    date_field: "pcpDate",
};

pub static SERVICES: Children = Children {
    link: &SERVICE_SERVICE,
    target: &SERVICE,
    target_field: "service",
    link_model: "ServiceService",
    target_model: "Service",
    date_field: "scpDate",
};

fn failed(e: ModuleError) -> String {
    e.message.to_string()
}

fn exists(conn: &mut DbConnection, spec: &EntitySpec, id: i64) -> Result<bool, String> {
    let sql = format!(
        r#"SELECT COUNT(*) AS n FROM "{}" WHERE "{}" = ?"#,
        spec.table, spec.key
    );
    Ok(db::count(conn, &sql, &[Bind::BigInt(Some(id))]).map_err(failed)? > 0)
}

/// The stored links of `package`, by their own id.
fn stored(conn: &mut DbConnection, kind: &Children, package: i64) -> Result<Vec<i64>, String> {
    let mut w = Where::new();
    w.and(
        &format!("{} = ?", kind.link.col(parent_column(kind))),
        [Bind::BigInt(Some(package))],
    );
    let rows = entity::find(conn, kind.link, &w, "").map_err(failed)?;
    Ok(rows.iter().filter_map(|r| r["pk"].as_i64()).collect())
}

fn parent_column(kind: &Children) -> &'static str {
    kind.link.field("parent").map_or("", |f| f.column)
}

/// On an update with a non-empty list: removes the stored links whose *link id* is not among
/// the sent *target ids*. The original compares the two (`service_existing` holds link ids,
/// `service_sent` item/service ids); kept as it is, since links of an unchanged package would
/// otherwise differ from the original's.
pub fn remove_unsent(
    conn: &mut DbConnection,
    kind: &Children,
    package: i64,
    sent: &[ChildInput],
) -> Result<(), String> {
    if sent.is_empty() {
        return Ok(());
    }
    let targets: Vec<i64> = sent.iter().filter_map(|c| c.target).collect();
    for link in stored(conn, kind, package)? {
        if !targets.contains(&link) {
            entity::delete(conn, kind.link, link).map_err(failed)?;
        }
    }
    Ok(())
}

/// `process_child_relation`: a child with an `id` updates that link with the sent fields; one
/// without creates a link to the contained row (which must exist) with the asked price and
/// quantity (the original reads both keys: a missing one is its `KeyError`).
pub fn save(
    conn: &mut DbConnection,
    kind: &Children,
    package: i64,
    sent: &[ChildInput],
) -> Result<(), String> {
    for child in sent {
        let target = child.target;
        let qty = |q: &Option<crate::inputs::Decimal>| json!(q.as_ref().map(|q| q.truncated()));
        let price = |p: &Option<crate::inputs::Decimal>| json!(p.as_ref().map(|p| p.0.clone()));
        if let Some(id) = child.id {
            if !exists(conn, kind.link, id)? {
                return Err(format!(
                    "{} matching query does not exist.",
                    kind.link_model
                ));
            }
            let mut values = Map::new();
            values.insert(kind.target_field.into(), json!(target));
            values.insert("status".into(), json!(child.status.map(|s| s != 0)));
            if let Some(q) = &child.qty_provided {
                values.insert("qtyProvided".into(), qty(q));
            }
            if let Some(p) = &child.price_asked {
                values.insert("priceAsked".into(), price(p));
            }
            entity::update_in_place(conn, kind.link, id, &Value::Object(values), None)
                .map_err(failed)?;
            continue;
        }
        let missing = || format!("{} matching query does not exist.", kind.target_model);
        let target = target.ok_or_else(missing)?;
        if !exists(conn, kind.target, target)? {
            return Err(missing());
        }
        let asked = child.price_asked.as_ref().ok_or("'price_asked'")?;
        let provided = child.qty_provided.as_ref().ok_or("'qty_provided'")?;
        let values = json!({
            kind.target_field: target, "parent": package, "qtyProvided": qty(provided),
            "priceAsked": price(asked), "status": true, kind.date_field: time::now(),
        });
        entity::insert(conn, kind.link, &values, 0).map_err(failed)?;
    }
    Ok(())
}
