//! A module's rules on the loads of its entities written as methods: [`Hooks::rows`] and
//! [`Hooks::extend`] (each defaulting to the open [`Access`]'s), and [`Hooks::apply`], which
//! hands them to the layer as an [`Access`] for one call.

use super::access::{Access, Reach};
use super::spec::EntitySpec;
use crate::abi::ModuleError;
use crate::db::DbConnection;
use crate::payload::SelectionField;
use crate::sql_filter::Where;
use serde_json::Value;

/// A request's rules (its user's rights, row security, the fields computed per batch).
pub trait Hooks {
    /// Restricts the rows of `spec` reached by `reach` (by default: every row).
    fn rows(&self, _spec: &EntitySpec, _reach: Reach, _w: &mut Where) -> Result<(), ModuleError> {
        Ok(())
    }

    /// Completes a batch of rows of `spec` for `sel` (by default: nothing computed).
    fn extend(
        &self,
        _conn: &mut DbConnection,
        _spec: &EntitySpec,
        _rows: &mut [Value],
        _sel: &[SelectionField],
    ) -> Result<(), ModuleError> {
        Ok(())
    }

    /// Runs `f` with these rules as the loads' access.
    fn apply<R>(&self, f: impl FnOnce(&Access) -> R) -> R
    where
        Self: Sized,
    {
        let rows = |spec: &EntitySpec, reach: Reach, w: &mut Where| self.rows(spec, reach, w);
        let extend =
            |conn: &mut DbConnection,
             spec: &EntitySpec,
             rows: &mut [Value],
             sel: &[SelectionField]| { self.extend(conn, spec, rows, sel) };
        f(&Access::rows(&rows).extend(&extend))
    }
}
