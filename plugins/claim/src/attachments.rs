//! The attachments' reads (claim.md §4): the root `claimAttachments` (valid attachments, the
//! original's `ClaimAttachmentGQLType.get_queryset`, with its filter set: `id`, the declared
//! fields and `claim_*`, ClaimGQLType's filter set), attachments by key (relay `node`), and the
//! connections `ClaimGQLType.attachments` and `ClaimAttachmentTypeGQLType.typeDropdown`, one
//! statement per relation for all parents, each parent's page cut from its rows.

use crate::attachment_rows::{self, AttachmentRow, ATTACHMENT_FILTERS, KEY};
use crate::filters::{self, Resolver};
use crate::specs::{ATTACHMENT_TYPE, CLAIM};
use openimis_sdk::db::{Bind, DbConnection};
use openimis_sdk::entity::{self, Access};
use openimis_sdk::project::{fill_answers, project};
use openimis_sdk::relay::paginate;
use openimis_sdk::scalars;
use openimis_sdk::sql_filter::{id_list, pk_of, Where};
use openimis_sdk::windowed::{children, node_selection, windowed_counted};
use openimis_sdk::{ModuleError, SelectionField};
use serde_json::{json, Value};
use std::collections::HashMap;

/// The `WHERE` of `field`'s filters (valid attachments only): `id` (a relay id or the uuid)
/// here, `claim_*` as a claim list's filters, the others the entity layer's.
pub fn filtered(conn: &DbConnection, field: &SelectionField) -> Result<Where, ModuleError> {
    let mut field = field.clone();
    let mut w = Where::new();
    w.and(r#"at."ValidityTo" IS NULL"#, []);
    if let Some(value) = field.args.remove("id").filter(|v| !v.is_null()) {
        let raw = match &value {
            Value::String(s) => json!(pk_of(s)),
            other => other.clone(),
        };
        let uuid = scalars::uuid("id", &raw)?;
        w.and(&format!("{KEY} = ?"), [Bind::text(uuid)]);
    }
    let mut claim = SelectionField::new("claims");
    claim.args = entity::take_prefixed(&mut field, "claim_");
    claim.args.retain(|_, value| !value.is_null());
    if !claim.args.is_empty() {
        let base = filters::claims(conn, &mut claim, Resolver::FilterSet)?;
        // django's join: the claim whatever its validity.
        claim.args.insert("showHistory".into(), Value::Bool(true));
        let found = entity::filtered(conn, &CLAIM, &claim, base, &Access::open())?;
        let sql = format!(
            r#"at."claim_id" IN (SELECT c."ClaimID" FROM "tblClaim" c WHERE {})"#,
            found.sql()
        );
        w.and(&sql, found.binds().to_vec());
    }
    entity::filtered(conn, &ATTACHMENT_FILTERS, &field, w, &Access::open())
}

/// Completes attachment rows for `sel`: their `claim` and `predefinedType`.
fn complete(
    conn: &mut DbConnection,
    rows: &mut [Value],
    sel: &[SelectionField],
    access: &Access,
) -> Result<(), ModuleError> {
    for (name, spec) in [("claim", &CLAIM), ("predefinedType", &ATTACHMENT_TYPE)] {
        if !sel.iter().any(|f| f.name == name) {
            continue;
        }
        let key = format!("{name}Pk");
        let ids: Vec<i64> = rows.iter().filter_map(|r| r[&key].as_i64()).collect();
        let found = entity::loaded(conn, spec, &ids, &children(sel, name), access)?;
        let by_pk: HashMap<i64, Value> = found
            .into_iter()
            .filter_map(|r| r["pk"].as_i64().map(|pk| (pk, r)))
            .collect();
        for row in rows.iter_mut() {
            let target = row[&key].as_i64().and_then(|pk| by_pk.get(&pk));
            row[name] = target.cloned().unwrap_or(Value::Null);
        }
    }
    Ok(())
}

/// The root `claimAttachments`: a page in SQL, counted only when asked.
pub fn connection(
    conn: &mut DbConnection,
    field: &SelectionField,
    access: &Access,
) -> Result<Value, ModuleError> {
    let w = filtered(conn, field)?;
    let node = node_selection(field);
    let count = |conn: &mut DbConnection| attachment_rows::count(conn, &w);
    windowed_counted(conn, field, "pk", count, |conn, ask| {
        let window = Some((ask.offset, ask.limit));
        let found = attachment_rows::load(conn, &w, window, ask.with_total)?;
        let carried = found.first().and_then(|r| r.total).map(|t| t as usize);
        let mut rows: Vec<Value> = found.iter().map(AttachmentRow::json).collect();
        complete(conn, &mut rows, &node, access)?;
        Ok((rows, carried))
    })
}

/// Attachments by key (uuids; relay `node`), in key order, `null` for a missing one.
pub fn by_keys(
    conn: &mut DbConnection,
    keys: &[Value],
    sel: &[SelectionField],
    access: &Access,
) -> Result<Vec<Value>, ModuleError> {
    let text = |k: &Value| k.as_str().map_or_else(|| k.to_string(), str::to_owned);
    entity::by_uuid_keys(keys, text, KEY, sel, |w| {
        let found = attachment_rows::load(conn, w, None, false)?;
        let mut rows: Vec<Value> = found.iter().map(AttachmentRow::json).collect();
        complete(conn, &mut rows, sel, access)?;
        Ok(rows)
    })
}

/// A connection of attachments on a parent: its field and the attachment column naming the
/// parent (the parents' `pk`).
pub struct Relation {
    pub name: &'static str,
    pub column: &'static str,
}

/// `ClaimGQLType.attachments`.
pub const OF_CLAIM: Relation = Relation {
    name: "attachments",
    column: "claim_id",
};

/// `ClaimAttachmentTypeGQLType.typeDropdown`.
pub const OF_TYPE: Relation = Relation {
    name: "typeDropdown",
    column: "predefined_type_id",
};

/// Answers `relation` on `parents` (objects with an integer `pk`) for each distinct field `sel`
/// asks: one statement for all parents, each parent's page cut from its rows.
pub fn fill(
    conn: &mut DbConnection,
    relation: &Relation,
    parents: &mut [Value],
    sel: &[SelectionField],
    access: &Access,
) -> Result<(), ModuleError> {
    fill_answers(parents, sel, relation.name, |field, parents| {
        let ids: Vec<i64> = parents.iter().filter_map(|p| p["pk"].as_i64()).collect();
        let mut w = filtered(conn, field)?;
        let column = format!(r#"at."{}""#, relation.column);
        match ids.is_empty() {
            true => w.and("1 = 0", []),
            false => w.and(&format!("{column} IN ({})", id_list(&ids)), []),
        };
        let found = attachment_rows::load(conn, &w, None, false)?;
        let parent_of: Vec<Option<i64>> = found
            .iter()
            .map(|r| match relation.column {
                "claim_id" => r.claim,
                _ => r.predefined_type,
            })
            .collect();
        let mut rows: Vec<Value> = found.iter().map(AttachmentRow::json).collect();
        complete(conn, &mut rows, &node_selection(field), access)?;
        let mut by_parent: HashMap<i64, Vec<Value>> = HashMap::new();
        for (row, parent) in rows.into_iter().zip(parent_of) {
            if let Some(parent) = parent {
                by_parent.entry(parent).or_default().push(row);
            }
        }
        parents
            .iter()
            .map(|p| {
                let mine = p["pk"]
                    .as_i64()
                    .and_then(|pk| by_parent.get(&pk))
                    .map_or(&[][..], Vec::as_slice);
                paginate(field, mine, |sel, row| project(sel, row, "pk"))
            })
            .collect()
    })
}
