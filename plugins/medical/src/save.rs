//! `createItem`/`updateItem`/`createService`/`updateService`: the original's single code path
//! (`update_or_create_item_or_service`) inside one transaction. A `uuid` in the input updates
//! that row, none creates one, whichever mutation carries it (the original's behaviour). A
//! changed code must be free among valid rows; an update copies the stored row to history
//! first when a compared field differs (the original's `pre_save` receiver); every save sets
//! `ValidityFrom` and the audit user; a package's children follow.

use crate::inputs::{item_values, service_values, ChildInput, Decimal, ItemInput, ServiceInput};
use crate::item_or_service::ItemOrService;
use crate::mutation_links::link;
use crate::package::{self, Children};
use openimis_sdk::db::{Bind, DbConnection};
use openimis_sdk::entity;
use openimis_sdk::entity::restamp;
use openimis_sdk::sql_filter::Where;
use openimis_sdk::ModuleError;
use serde_json::{Map, Value};

/// What one save writes: the row's values and, for a service, its children.
pub struct Saved<'a> {
    pub uuid: Option<&'a str>,
    pub values: Map<String, Value>,
    pub items: Option<Vec<ChildInput>>,
    pub services: Option<Vec<ChildInput>>,
}

fn children(list: &Option<Vec<Option<ChildInput>>>) -> Option<Vec<ChildInput>> {
    list.as_ref().map(|l| l.iter().flatten().cloned().collect())
}

impl<'a> Saved<'a> {
    pub fn item(input: &'a ItemInput) -> Result<Self, String> {
        Ok(Saved {
            uuid: input.common.uuid.as_deref(),
            values: item_values(input)?,
            items: None,
            services: None,
        })
    }

    pub fn service(input: &'a ServiceInput) -> Result<Self, String> {
        let creating = input.common.uuid.is_none();
        Ok(Saved {
            uuid: input.common.uuid.as_deref(),
            values: service_values(input, creating)?,
            items: children(&input.items),
            services: children(&input.services),
        })
    }
}

fn message(e: ModuleError) -> String {
    e.message.to_string()
}

/// Whether two stored/sent values are equal as the original's `__eq__` compares them
/// (decimals by value, integers as numbers).
fn same(stored: &Value, new: &Value) -> bool {
    match (stored, new) {
        (Value::String(a), Value::String(b)) if looks_numeric(a) && looks_numeric(b) => {
            Decimal::canonical(a) == Decimal::canonical(b)
        }
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (a, b) => a == b,
    }
}

fn looks_numeric(text: &str) -> bool {
    let t = text.trim().trim_start_matches('-');
    !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// Whether saving `values` over `stored` changes a compared field (`""` and null equal for the
/// optional text).
fn changes(kind: &ItemOrService, stored: &Value, values: &Map<String, Value>) -> bool {
    let null = Value::Null;
    let differs = kind
        .compared
        .iter()
        .any(|f| !same(&stored[*f], values.get(*f).unwrap_or(&null)));
    let blank = |v: &Value| v.as_str().is_none_or(str::is_empty);
    let (old, new) = (
        &stored[kind.compared_optional],
        values.get(kind.compared_optional).unwrap_or(&null),
    );
    let optional_differs = match (blank(old), blank(new)) {
        (true, true) => false,
        (false, false) => old != new,
        _ => true,
    };
    differs || optional_differs
}

/// The row with `uuid`, whatever its validity (the original's `objects.filter(uuid=…)`).
fn by_uuid(
    conn: &mut DbConnection,
    kind: &ItemOrService,
    uuid: &str,
) -> Result<Option<Value>, String> {
    let mut w = Where::new();
    let column = kind.spec.uuid.unwrap_or_default();
    w.and(
        &format!("{} = ?", kind.spec.col(column)),
        [Bind::text(uuid)],
    );
    let rows = entity::find(conn, kind.spec, &w, "").map_err(message)?;
    Ok(rows.into_iter().next())
}

/// Saves one item or service; answers its key. `log` is the mutation log entry to link when
/// the input carries a `clientMutationId`.
pub fn save(
    conn: &mut DbConnection,
    kind: &ItemOrService,
    saved: &Saved,
    audit: i64,
    log: Option<&str>,
) -> Result<i64, String> {
    let code = saved
        .values
        .get("code")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let existing = match saved.uuid {
        Some(uuid) => by_uuid(conn, kind, uuid)?,
        None => None,
    };
    let current = existing.as_ref().and_then(|row| row["code"].as_str());
    if current != Some(code) && !crate::reads::code_free(conn, kind, code).map_err(message)? {
        return Err("Code already exists.".into());
    }
    let values = Value::Object(saved.values.clone());
    let pk = match (saved.uuid, existing) {
        (Some(_), None) => {
            return Err(format!("{} matching query does not exist.", kind.model));
        }
        (Some(_), Some(stored)) => {
            let pk = stored["pk"].as_i64().unwrap_or_default();
            for (list, children) in [
                (&saved.items, &package::ITEMS),
                (&saved.services, &package::SERVICES),
            ] {
                if let Some(list) = list {
                    package::remove_unsent(conn, children, pk, list)?;
                }
            }
            if changes(kind, &stored, &saved.values) {
                entity::copy_to_history(conn, kind.spec, pk).map_err(message)?;
            }
            entity::update_in_place(conn, kind.spec, pk, &values, Some(audit)).map_err(message)?;
            restamp(conn, kind.spec, pk).map_err(message)?;
            pk
        }
        (None, _) => entity::insert(conn, kind.spec, &values, audit).map_err(message)?,
    };
    let lists: [(&Option<Vec<ChildInput>>, &Children); 2] = [
        (&saved.items, &package::ITEMS),
        (&saved.services, &package::SERVICES),
    ];
    for (list, children) in lists {
        if let Some(list) = list {
            package::save(conn, children, pk, list)?;
        }
    }
    if let Some(log) = log {
        link(conn, kind, pk, log).map_err(message)?;
    }
    Ok(pk)
}
