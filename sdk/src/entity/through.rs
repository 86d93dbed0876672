//! A list narrowed by another entity's filters, read as a subquery: `column IN (SELECT
//! <selected> FROM <spec's table> WHERE <spec's filters>)`, for the filter sets a module reads
//! through a filter-only view (policy's `product_*`, contribution's `policy_InsureePolicies_*`).

use super::access::Access;
use super::load::filtered;
use super::spec::EntitySpec;
use crate::abi::ModuleError;
use crate::db::DbConnection;
use crate::payload::SelectionField;
use crate::sql_filter::Where;
use serde_json::{Map, Value};

/// Ands `column IN (SELECT <spec's alias>."<selected>" FROM <spec's table> WHERE …)` into `w`,
/// the rows of `spec` matching the filters `args` (any validity); nothing without `args`.
pub fn narrowed_through(
    conn: &DbConnection,
    w: &mut Where,
    column: &str,
    (spec, selected): (&EntitySpec, &str),
    args: Map<String, Value>,
) -> Result<(), ModuleError> {
    if args.is_empty() {
        return Ok(());
    }
    let mut sub = SelectionField::new("filter");
    sub.args = args;
    let found = filtered(conn, spec, &sub, Where::new(), &Access::open())?;
    let sql = format!(
        r#"{column} IN (SELECT {alias}."{selected}" FROM "{table}" {alias} WHERE {})"#,
        found.sql(),
        alias = spec.alias,
        table = spec.table,
    );
    w.and(&sql, found.binds().to_vec());
    Ok(())
}
