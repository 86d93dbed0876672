//! The original's `insuree_InsureeMutation` / `insuree_FamilyMutation` link rows: written for
//! each saved row of a mutation carrying a `clientMutationId`, read back (the SDK's
//! `mutation_link`) as the rows' `mutations` and pending `clientMutationId` (one
//! `mutation_log.pending` call per batch).

use openimis_sdk::db::DbConnection;
use openimis_sdk::mutation_link::{self, LinkTable};
use openimis_sdk::ModuleError;

/// Which link table.
#[derive(Clone, Copy)]
pub enum Linked {
    Insuree,
    Family,
}

impl Linked {
    pub fn names(self) -> LinkTable {
        match self {
            Linked::Insuree => ("insuree_InsureeMutation", "insuree_id"),
            Linked::Family => ("insuree_FamilyMutation", "family_id"),
        }
    }

    /// The name a link row answers its row under (`InsureeMutationGQLType.insuree`).
    pub fn row_name(self) -> &'static str {
        match self {
            Linked::Insuree => "insuree",
            Linked::Family => "family",
        }
    }
}

/// Links row `row` to mutation log `log`.
pub fn link(conn: &mut DbConnection, kind: Linked, row: i64, log: &str) -> Result<(), ModuleError> {
    mutation_link::link(conn, kind.names(), row, log)
}
