//! Lists of an entity reached through a link table (many-to-many, such as a user's roles
//! through `tblUserRole`): the module reads the `(parent, key)` pairs with its own statement
//! ([`pairs`]), then [`fill_linked`] loads the targets by key (one statement per alias, access
//! applied, completed) and answers each parent row its list, per alias.

use super::access::Access;
use super::load::by_keys;
use super::row::{load_cells, Cells};
use super::spec::EntitySpec;
use crate::abi::ModuleError;
use crate::db::{Bind, DbConnection};
use crate::payload::SelectionField;
use crate::project::fill_answers;
use serde_json::{json, Value};

/// The `(parent, key)` pairs `sql` reads: its first two columns, integers aliased `l0` and `l1`
/// (`SELECT CAST(x."UserID" AS BIGINT) AS l0, CAST(x."RoleID" AS BIGINT) AS l1 ...`).
pub fn pairs(
    conn: &mut DbConnection,
    sql: &str,
    binds: &[Bind],
) -> Result<Vec<(i64, i64)>, ModuleError> {
    let found: Vec<Cells> = load_cells(conn, sql, binds)?;
    Ok(found
        .iter()
        .filter_map(|c| Some((c.0.first()?.int()?, c.0.get(1)?.int()?)))
        .collect())
}

/// Sets each alias of field `name` on each of `rows`: the `target` rows whose keys `pairs`
/// link to the row's `pk`, in pair order, projected for the alias's sub-selection.
pub fn fill_linked(
    conn: &mut DbConnection,
    rows: &mut [Value],
    sel: &[SelectionField],
    name: &str,
    target: &EntitySpec,
    pairs: &[(i64, i64)],
    access: &Access,
) -> Result<(), ModuleError> {
    fill_answers(rows, sel, name, |field, rows| {
        let keys: Vec<Value> = pairs.iter().map(|(_, key)| json!(key)).collect();
        let found = by_keys(conn, target, &keys, &field.selection, access)?;
        Ok(rows
            .iter()
            .map(|row| {
                let pk = row["pk"].as_i64();
                let own = pairs
                    .iter()
                    .zip(&found)
                    .filter(|((p, _), _)| Some(*p) == pk);
                Value::Array(own.map(|(_, v)| v.clone()).collect())
            })
            .collect())
    })
}
