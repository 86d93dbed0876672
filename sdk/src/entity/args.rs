//! Fields a module shapes before the layer reads them: the original's defaults where the
//! caller gave none ([`with_args`]: `Meta.ordering`, a reverse relation's history), a field of
//! arguments alone for a module's own reads ([`args_only`]), and how many rows match
//! ([`count`]: the `validate*` queries).

use super::access::Access;
use super::fetch::from;
use super::load::filtered;
use super::spec::EntitySpec;
use crate::abi::ModuleError;
use crate::db::{self, DbConnection};
use crate::payload::SelectionField;
use crate::sql_filter::Where;
use serde_json::Value;

/// `field` with each of `defaults` it does not carry (`("orderBy", json!(["name"]))`).
pub fn with_args(field: &SelectionField, defaults: &[(&str, Value)]) -> SelectionField {
    let mut field = field.clone();
    for (name, value) in defaults {
        field.args.entry(*name).or_insert_with(|| value.clone());
    }
    field
}

/// A field named `name` carrying `args` (a JSON object; anything else: none) and `selection`
/// as `(name, alias)` pairs.
pub fn args_only(name: &str, args: Value, selection: &[(&str, &str)]) -> SelectionField {
    let mut field = SelectionField::new(name).with_selection(
        selection
            .iter()
            .map(|(name, alias)| {
                let mut f = SelectionField::new(name);
                f.alias = (*alias).to_owned();
                f
            })
            .collect(),
    );
    if let Value::Object(args) = args {
        field.args = args;
    }
    field
}

/// How many rows of `spec` match `base` and `field`'s arguments (valid rows unless
/// `showHistory: true`; the access hook applied).
pub fn count(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    field: &SelectionField,
    base: Where,
    access: &Access,
) -> Result<i64, ModuleError> {
    let w = filtered(conn, spec, field, base, access)?;
    db::count(
        conn,
        &format!("SELECT COUNT(*) AS n {}", from(spec, &w)),
        w.binds(),
    )
}
