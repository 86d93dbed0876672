//! What every read of payer's types applies. No row rule: the original restricts payers by
//! location in the `payers` list alone (`payers.rs`), never where a payer is reached by key or
//! through a relation (its `Payer.get_queryset` is not called there). Computed per batch of
//! payers: `PayerGQLType.fundings`, which the original's resolver refuses without 121801
//! (`PermissionDenied`, the field alone failing).

use crate::fundings::{self, OF_PAYER};
use crate::manifest::QUERY;
use crate::specs::PAYER;
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity::{Access, EntitySpec, Hooks};
use openimis_sdk::payload::field_error;
use openimis_sdk::project::fill_answers;
use openimis_sdk::{ModuleError, RequestContext, SelectionField};
use serde_json::Value;

/// The reads of one request: whether its user holds payer's query right.
struct Reads {
    allowed: bool,
}

/// Runs `f` with the access of `context`'s reads.
pub fn with_access<T>(context: &RequestContext, f: impl FnOnce(&Access) -> T) -> T {
    Reads {
        allowed: context.holds(QUERY),
    }
    .apply(f)
}

impl Hooks for Reads {
    fn extend(
        &self,
        conn: &mut DbConnection,
        spec: &EntitySpec,
        rows: &mut [Value],
        sel: &[SelectionField],
    ) -> Result<(), ModuleError> {
        if !std::ptr::eq(spec, &PAYER) {
            return Ok(());
        }
        if !self.allowed {
            return fill_answers(rows, sel, OF_PAYER.name, |_, rows| {
                Ok(rows
                    .iter()
                    .map(|_| field_error("UNAUTHORIZED", "unauthorized"))
                    .collect())
            });
        }
        // The payers of these fundings (`payer { fundings { ... } }`) are read with this access too.
        self.apply(|access| fundings::fill(conn, &OF_PAYER, rows, sel, access))
    }
}
