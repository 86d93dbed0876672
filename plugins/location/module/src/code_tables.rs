//! Legal forms (`tblLegalForms`) and sub-levels (`tblHFSublevel`): small tables keyed by a
//! text code, answered on a facility as `legalForm` / `subLevel` with their own
//! `healthFacilities` connection.

use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::project::fill_answers;
use openimis_sdk::sql_filter::Where;
use openimis_sdk::windowed::children;
use openimis_sdk::{ModuleError, SelectionField};
use serde_json::{json, Value};
use std::collections::HashMap;

#[derive(diesel::QueryableByName)]
struct CodeRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    code: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    label: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    sort_order: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    alt_language: Option<String>,
}

/// (facility field, its column, table, code column, label column, label field).
#[rustfmt::skip]
const TABLES: [(&str, &str, &str, &str, &str, &str); 2] = [
    ("legalForm", "LegalForm", "tblLegalForms", "LegalFormCode", "LegalForms", "legalForm"),
    ("subLevel", "HFSublevel", "tblHFSublevel", "HFSublevel", "HFSublevelDesc", "healthFacilitySubLevel"),
];

/// Replaces the code of each facility row's selected `legalForm` / `subLevel` by its object;
/// `facilities(conn, field, where)` answers an object's `healthFacilities`.
pub fn attach(
    conn: &mut Conn,
    rows: &mut [Value],
    sel: &[SelectionField],
    mut facilities: impl FnMut(&mut Conn, &SelectionField, Where) -> Result<Value, ModuleError>,
) -> Result<(), ModuleError> {
    for (name, column, table, code, label, label_field) in TABLES {
        if !sel.iter().any(|f| f.name == name) {
            continue;
        }
        let found: Vec<CodeRow> = db::load(
            conn,
            &format!(
                r#"SELECT "{code}" AS code, "{label}" AS label, "SortOrder" AS sort_order, "AltLanguage" AS alt_language FROM "{table}""#
            ),
            &[],
        )?;
        let mut by_code: HashMap<String, Value> = found
            .into_iter()
            .map(|r| {
                let value = json!({"code": r.code, label_field: r.label, "sortOrder": r.sort_order, "altLanguage": r.alt_language});
                (r.code, value)
            })
            .collect();
        let mut values: Vec<&mut Value> = by_code.values_mut().collect();
        fill_answers(
            &mut values,
            &children(sel, name),
            "healthFacilities",
            |nested, values| {
                values
                    .iter()
                    .map(|value| {
                        let mut w = Where::new();
                        let code = value["code"].as_str().unwrap_or_default();
                        w.and(&format!(r#"h."{column}" = ?"#), [Bind::text(code)]);
                        facilities(conn, nested, w)
                    })
                    .collect()
            },
        )?;
        for row in rows.iter_mut() {
            let value = row[name].as_str().and_then(|c| by_code.get(c).cloned());
            row[name] = value.unwrap_or(Value::Null);
        }
    }
    Ok(())
}
