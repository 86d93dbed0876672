//! The fundings' reads (payer.md §4): the root `fundings` (the original has no resolver, so
//! its own `payerId`, `clientMutationId`, `showHistory` and `parentLocationLevel` are accepted
//! and ignored, and every funding is listed; `FundingFilter`; `orderBy`), `funding(uuid)`
//! (no resolver either: always null), fundings by key (relay `node`), and the reverse
//! relations: `PayerGQLType.fundings` (by `-payDate`), product's `ProductGQLType.fundings` and
//! core's `UserGQLType.fundingUserCreated`/`fundingUserUpdated`, one statement per relation
//! for all parents, each parent's page cut from its rows.

use crate::funding_rows::{self, FundingRow, Read};
use crate::specs::FUNDING_FILTERS;
use openimis_sdk::db::{Bind, DbConnection};
use openimis_sdk::entity::{self, Access};
use openimis_sdk::project::{fill_answers, project};
use openimis_sdk::relay::paginate;
use openimis_sdk::scalars;
use openimis_sdk::sql_filter::{id_list, int_of, order_by, pk_of, Where};
use openimis_sdk::windowed::{children, node_selection, windowed_counted};
use openimis_sdk::{ModuleError, SelectionField};
use serde_json::{json, Value};
use std::collections::HashMap;

/// The arguments of `fundings` the original accepts and ignores (no resolver reads them).
const IGNORED: [&str; 4] = [
    "payerId",
    "clientMutationId",
    "showHistory",
    "parentLocationLevel",
];

/// `orderBy` names (django's, or camelCase) and what they sort by.
const ORDER: &[(&str, &str)] = &[
    ("id", r#"f."UUID""#),
    ("uuid", r#"f."UUID""#),
    ("is_deleted", r#"f."isDeleted""#),
    ("date_created", r#"f."DateCreated""#),
    ("date_updated", r#"f."DateUpdated""#),
    ("user_created", r#"f."UserCreatedUUID""#),
    ("user_updated", r#"f."UserUpdatedUUID""#),
    ("version", r#"f."version""#),
    ("product", r#"f."ProdID""#),
    (
        "product__code",
        r#"(SELECT o."ProductCode" FROM "tblProduct" o WHERE o."ProdID" = f."ProdID")"#,
    ),
    ("amount", r#"f."Amount""#),
    ("pay_date", r#"f."PaidDate""#),
    ("status", r#"f."Status""#),
    ("payer", r#"f."PayerID""#),
    (
        "payer__name",
        r#"(SELECT o."PayerName" FROM "tblPayer" o WHERE o."PayerID" = f."PayerID")"#,
    ),
    ("receipt", r#"f."Receipt""#),
];

/// Ties, and the order without `orderBy` (the original's is the database's: unordered).
const TIES: &str = r#"f."DateCreated", f."UUID""#;

/// `LOWER(CAST(f."UUID" AS TEXT))`, compared with lower-case uuid texts.
const KEY: &str = r#"LOWER(CAST(f."UUID" AS TEXT))"#;

/// The `WHERE` of `field`'s `FundingFilter` arguments: `id` (a relay id or the uuid) and
/// `uuid` (the original's `filter_uuid`: the key) here, the others the entity layer's.
pub fn filtered(conn: &DbConnection, field: &SelectionField) -> Result<Where, ModuleError> {
    let mut field = field.clone();
    let mut w = Where::new();
    for name in ["id", "uuid"] {
        if let Some(value) = field.args.remove(name).filter(|v| !v.is_null()) {
            let raw = match &value {
                Value::String(s) => json!(pk_of(s)),
                other => other.clone(),
            };
            let uuid = scalars::uuid(name, &raw)?;
            w.and(&format!("{KEY} = ?"), [Bind::text(uuid)]);
        }
    }
    for name in IGNORED {
        field.args.remove(name);
    }
    entity::filtered(conn, &FUNDING_FILTERS, &field, w, &Access::open())
}

/// Completes funding rows for `sel`: their payer, and the fields payer adds to the product and
/// user stubs they carry (`product { fundings }`, `userCreated { fundingUserCreated }`): the
/// host takes a stub's fields from its producer when the producer owns them.
fn complete(
    conn: &mut DbConnection,
    rows: &mut [Value],
    sel: &[SelectionField],
    payer_access: &Access,
) -> Result<(), ModuleError> {
    funding_rows::complete(conn, rows, sel, payer_access)?;
    let users: &[&Relation] = &[&CREATED_BY, &UPDATED_BY];
    for (name, relations) in [
        ("product", &[&OF_PRODUCT][..]),
        ("userCreated", users),
        ("userUpdated", users),
    ] {
        let nested = children(sel, name);
        if !relations
            .iter()
            .any(|r| nested.iter().any(|f| f.name == r.name))
        {
            continue;
        }
        let mut stubs: Vec<Value> = rows
            .iter()
            .map(|r| r[name].clone())
            .filter(Value::is_object)
            .collect();
        for relation in relations {
            fill(conn, relation, &mut stubs, &nested, payer_access)?;
        }
        let mut filled = stubs.into_iter();
        for row in rows.iter_mut().filter(|r| r[name].is_object()) {
            row[name] = filled.next().unwrap_or_default();
        }
    }
    Ok(())
}

/// The root `fundings`: a page in SQL, counted only when asked (on the page's own statement).
pub fn connection(
    conn: &mut DbConnection,
    field: &SelectionField,
    payer_access: &Access,
) -> Result<Value, ModuleError> {
    let w = filtered(conn, field)?;
    let order = order_by(field, ORDER, TIES)?;
    let node = node_selection(field);
    let count = |conn: &mut DbConnection| funding_rows::count(conn, &w);
    windowed_counted(conn, field, "pk", count, |conn, ask| {
        let read = Read {
            order: &order,
            window: Some((ask.offset, ask.limit)),
            with_total: ask.with_total,
            parent: None,
        };
        let found = funding_rows::load(conn, &w, read)?;
        let carried = found.first().and_then(|r| r.total).map(|t| t as usize);
        let mut rows: Vec<Value> = found.iter().map(FundingRow::json).collect();
        complete(conn, &mut rows, &node, payer_access)?;
        Ok((rows, carried))
    })
}

/// `funding(uuid:)`: the original declares the field without a resolver, so it answers null;
/// the argument is still parsed as the `UUID` it is.
pub fn funding(field: &SelectionField) -> Result<Value, ModuleError> {
    if let Some(value) = field.arg("uuid") {
        scalars::uuid("uuid", value)?;
    }
    Ok(Value::Null)
}

/// Fundings by key (uuids; relay `node`), in key order, `null` for a missing one.
pub fn by_keys(
    conn: &mut DbConnection,
    keys: &[Value],
    sel: &[SelectionField],
    payer_access: &Access,
) -> Result<Vec<Value>, ModuleError> {
    entity::by_uuid_keys(keys, key_text, KEY, sel, |w| {
        let found = funding_rows::load(conn, w, Read::default())?;
        let mut rows: Vec<Value> = found.iter().map(FundingRow::json).collect();
        complete(conn, &mut rows, sel, payer_access)?;
        Ok(rows)
    })
}

fn key_text(key: &Value) -> String {
    key.as_str()
        .map_or_else(|| key.to_string(), str::to_owned)
        .to_lowercase()
}

/// A reverse relation of fundings on another type: its field, the funding column naming the
/// parent, whether the parents' keys are integers (else uuids) and its order.
pub struct Relation {
    pub name: &'static str,
    pub column: &'static str,
    pub integer_keys: bool,
    pub order: &'static str,
}

/// `PayerGQLType.fundings`: `self.fundings.order_by("-pay_date")`.
pub const OF_PAYER: Relation = Relation {
    name: "fundings",
    column: "PayerID",
    integer_keys: true,
    order: r#" ORDER BY f."PaidDate" DESC, f."DateCreated", f."UUID""#,
};

/// product's `ProductGQLType.fundings` (`Funding.product`, related name `fundings`).
pub const OF_PRODUCT: Relation = Relation {
    name: "fundings",
    column: "ProdID",
    integer_keys: true,
    order: r#" ORDER BY f."DateCreated", f."UUID""#,
};

/// core's `UserGQLType.fundingUserCreated` (`HistoryModel.user_created`).
pub const CREATED_BY: Relation = Relation {
    name: "fundingUserCreated",
    column: "UserCreatedUUID",
    integer_keys: false,
    order: r#" ORDER BY f."DateCreated", f."UUID""#,
};

/// core's `UserGQLType.fundingUserUpdated` (`HistoryModel.user_updated`).
pub const UPDATED_BY: Relation = Relation {
    name: "fundingUserUpdated",
    column: "UserUpdatedUUID",
    integer_keys: false,
    order: r#" ORDER BY f."DateCreated", f."UUID""#,
};

/// Answers `relation` on each parent (`{"pk": key}` objects) for every distinct field of that
/// name `sel` asks (its own filters and page), stored where `project` finds it.
pub fn fill(
    conn: &mut DbConnection,
    relation: &Relation,
    parents: &mut [Value],
    sel: &[SelectionField],
    payer_access: &Access,
) -> Result<(), ModuleError> {
    fill_answers(parents, sel, relation.name, |field, parents| {
        let keys: Vec<String> = parents.iter().map(|p| key_text(&p["pk"])).collect();
        let mut w = filtered(conn, field)?;
        let column = format!(r#"f."{}""#, relation.column);
        if relation.integer_keys {
            let ids: Vec<i64> = keys.iter().filter_map(|k| int_of(&json!(k))).collect();
            w.and(&format!("{column} IN ({})", id_list(&ids)), []);
        } else {
            let marks = vec!["?"; keys.len()].join(", ");
            let binds = keys.iter().map(Bind::text);
            w.and(
                &format!("LOWER(CAST({column} AS TEXT)) IN ({marks})"),
                binds,
            );
        }
        let read = Read {
            order: relation.order,
            parent: Some(relation.column),
            ..Read::default()
        };
        let found = funding_rows::load(conn, &w, read)?;
        let mut rows: Vec<Value> = found.iter().map(FundingRow::json).collect();
        complete(conn, &mut rows, &node_selection(field), payer_access)?;
        let mut of_parent: HashMap<String, Vec<Value>> = HashMap::new();
        for (found, row) in found.iter().zip(rows) {
            let parent = found.parent.clone().unwrap_or_default();
            of_parent.entry(parent).or_default().push(row);
        }
        keys.iter()
            .map(|key| {
                let rows = of_parent.get(key).map_or(&[][..], Vec::as_slice);
                paginate(field, rows, |sel, row| project(sel, row, "pk"))
            })
            .collect()
    })
}
