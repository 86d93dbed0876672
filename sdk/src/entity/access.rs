//! The caller's hooks on every load of an entity (root list, relation hop, entities by key):
//! `rows` adds the module's rights and row security to the statement's `WHERE`, `extend` adds
//! computed fields to each batch of rows (one call per page or hop, never per row).

use super::spec::EntitySpec;
use crate::abi::ModuleError;
use crate::db::DbConnection;
use crate::payload::SelectionField;
use crate::sql_filter::Where;
use serde_json::Value;

/// How a load reaches an entity. Rules may differ by path, as the original's do: a relation hop
/// through a data loader skips the target type's `get_queryset`, a root list or `node` does not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// A root list or connection (every load built by `filtered` or `connection`).
    List,
    /// The children of a `many` relation.
    Children,
    /// The target of a `one` relation, from rows already loaded.
    Hop,
    /// Entities by key: federation from another module, `node`, a module's own `loaded`.
    Keys,
}

/// Restricts the rows of an entity (its columns on `spec.alias`) reached by `Reach`.
pub type RowsHook<'a> = &'a dyn Fn(&EntitySpec, Reach, &mut Where) -> Result<(), ModuleError>;
/// Completes a batch of rows of an entity for a selection with fields that are not columns.
pub type ExtendHook<'a> = &'a dyn Fn(
    &mut DbConnection,
    &EntitySpec,
    &mut [Value],
    &[SelectionField],
) -> Result<(), ModuleError>;

/// What a module applies on every path to its entities.
#[derive(Clone, Copy)]
pub struct Access<'a> {
    pub rows: RowsHook<'a>,
    pub extend: ExtendHook<'a>,
}

fn every_row(_: &EntitySpec, _: Reach, _: &mut Where) -> Result<(), ModuleError> {
    Ok(())
}

fn nothing_computed(
    _: &mut DbConnection,
    _: &EntitySpec,
    _: &mut [Value],
    _: &[SelectionField],
) -> Result<(), ModuleError> {
    Ok(())
}

impl Access<'static> {
    /// Every row, no computed field.
    pub fn open() -> Self {
        Access {
            rows: &every_row,
            extend: &nothing_computed,
        }
    }
}

impl<'a> Access<'a> {
    /// Rows restricted by `rows`, no computed field.
    pub fn rows(rows: RowsHook<'a>) -> Self {
        Access {
            rows,
            extend: &nothing_computed,
        }
    }

    /// The same, with computed fields from `extend`.
    pub fn extend(self, extend: ExtendHook<'a>) -> Self {
        Access { extend, ..self }
    }
}
