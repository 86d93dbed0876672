//! Entities by key for a type keyed by a uuid rather than an integer, whose rows a module
//! reads with its own SQL (payer's fundings, claim's attachments): the keys `entities` and
//! `node` send (uuids, or relay ids around them), one read, the rows back in key order.

use crate::abi::ModuleError;
use crate::db::Bind;
use crate::payload::SelectionField;
use crate::project::project;
use crate::scalars;
use crate::sql_filter::{pk_of, Where};
use serde_json::{json, Value};
use std::collections::HashMap;

/// The rows named by `keys`, in key order, `null` for a missing or malformed key, each
/// projected onto `sel`. A key is read as `text` gives it (relay id decoded, then checked as a
/// uuid); `load` reads, once, the rows whose `column` is one of the uuids (the `WHERE` it is
/// given), their relations completed, each carrying its uuid as `pk`.
pub fn by_uuid_keys(
    keys: &[Value],
    text: impl Fn(&Value) -> String,
    column: &str,
    sel: &[SelectionField],
    load: impl FnOnce(&Where) -> Result<Vec<Value>, ModuleError>,
) -> Result<Vec<Value>, ModuleError> {
    let uuids: Vec<Option<String>> = keys
        .iter()
        .map(|k| scalars::uuid("id", &json!(pk_of(&text(k)))).ok())
        .collect();
    let wanted: Vec<Bind> = uuids.iter().flatten().map(Bind::text).collect();
    if wanted.is_empty() {
        return Ok(keys.iter().map(|_| Value::Null).collect());
    }
    let mut w = Where::new();
    let marks = vec!["?"; wanted.len()].join(", ");
    w.and(&format!("{column} IN ({marks})"), wanted);
    let by_key: HashMap<String, Value> = load(&w)?
        .into_iter()
        .map(|r| (r["pk"].as_str().unwrap_or_default().to_owned(), r))
        .collect();
    Ok(uuids
        .iter()
        .map(|u| {
            u.as_ref()
                .and_then(|u| by_key.get(u))
                .map_or(Value::Null, |row| project(sel, row, "pk"))
        })
        .collect())
}
