//! The module's items and the `{{camel}}Items` query (a relay connection, as the original's).
//!
//! Rows live in memory so the template runs as it is.
// TODO(sdk::db): read and write the `{{name}}_Item` table through the SDK's database access.

use openimis_plugin_api::sdk::project::project;
use openimis_plugin_api::sdk::relay::{global_id, paginate};
use openimis_plugin_api::{ModuleError, SelectionField};
use serde_json::{json, Value};
use std::sync::Mutex;

/// The GraphQL type of an item.
pub const TYPE_NAME: &str = "{{Pascal}}ItemGQLType";

/// The longest code the `Code` column takes.
pub const CODE_MAX: usize = 8;

/// Every item, in creation order.
#[derive(Default)]
pub struct Items {
    rows: Mutex<Vec<Value>>,
}

impl Items {
    /// The rows whose code contains `filter` (case-insensitive).
    pub fn matching(&self, filter: Option<&str>) -> Vec<Value> {
        let filter = filter.map(str::to_lowercase);
        self.rows
            .lock()
            .expect("items lock")
            .iter()
            .filter(|row| {
                filter.as_ref().is_none_or(|f| {
                    row["code"].as_str().unwrap_or_default().to_lowercase().contains(f)
                })
            })
            .cloned()
            .collect()
    }

    pub fn code_taken(&self, code: &str) -> bool {
        self.rows.lock().expect("items lock").iter().any(|r| r["code"] == code)
    }

    /// Stores a new item and returns it (with its `pk`, relay `id` and `uuid`).
    pub fn insert(&self, code: &str, name: Option<&str>) -> Value {
        let mut rows = self.rows.lock().expect("items lock");
        let pk = rows.len() + 1;
        let row = json!({
            "pk": pk,
            "id": global_id(TYPE_NAME, pk),
            "uuid": format!("00000000-0000-4000-8000-{pk:012}"),
            "code": code,
            "name": name,
        });
        rows.push(row.clone());
        row
    }

    /// Answers `{{camel}}Items(...)`.
    pub fn query(&self, field: &SelectionField) -> Result<Value, ModuleError> {
        let rows = self.matching(field.arg("code_Icontains").and_then(Value::as_str));
        paginate(field, &rows, |selection, row| {
            project(selection, row, "pk")
        })
    }
}

/// Why an item cannot be stored, as a message key of `locale/<lang>.json`.
pub fn invalid(items: &Items, code: &str) -> Option<&'static str> {
    if code.trim().is_empty() {
        Some("{{name}}.item.code_required")
    } else if code.chars().count() > CODE_MAX {
        Some("{{name}}.item.code_too_long")
    } else if items.code_taken(code) {
        Some("{{name}}.item.code_taken")
    } else {
        None
    }
}
