//! The openIMIS `claim` module: health-facility claims (`tblClaim`) with their items and services,
//! feedback, attachments and the ded/rem ledger, their root queries and mutations, and the
//! adjudication (`validate_claim`, ded/rem) of claim.md. The reads are the SDK's entities
//! (`specs.rs`, `entities.rs`, `filters.rs`, `queries.rs`); the mutations (`mutations.rs`) and
//! the adjudication (`adjudication.rs`) are their own files.

mod access;
pub mod adjudication;
mod attachment_rows;
mod attachment_save;
mod attachments;
mod claim_copy;
mod claim_delete;
mod claim_lines;
mod claim_save;
mod claim_status;
mod code_generation;
mod demo;
mod entities;
mod extensions;
mod feedback;
mod filters;
mod inputs;
pub mod manifest;
mod mutation_checks;
mod mutation_messages;
pub mod mutations;
mod process;
mod queries;
mod review;
mod specs;
mod submit;
mod submit_stats;
mod views;

use openimis_sdk::module_shell::{Pooled, PooledModule, Seed, Shell};
use openimis_sdk::{migrations, EntitiesRequest, Migration, ModuleError, ResolveRequest};
use serde_json::Value;

/// The module: no state of its own beside the SDK's shell (host and pool).
pub struct Claim;

impl PooledModule for Claim {
    const NAME: &'static str = "claim";
    const SCHEMA: &'static str = include_str!("../schema/claim.graphql");
    const SEED: Seed = demo::seed;

    fn init(_config: Value) -> Result<Self, ModuleError> {
        Ok(Claim)
    }

    fn resolve(&self, shell: &Shell, request: ResolveRequest) -> Result<Value, ModuleError> {
        let conn = &mut *shell.connection()?;
        match mutations::serves(&request.field.name) {
            true => mutations::resolve(&shell.host, conn, &request),
            false => queries::resolve(&shell.host, conn, &request),
        }
    }

    fn entities(&self, shell: &Shell, request: EntitiesRequest) -> Result<Vec<Value>, ModuleError> {
        entities::resolve(&shell.host, &mut *shell.connection()?, &request)
    }

    fn migrations(&self) -> Vec<Migration> {
        migrations![
            "0000" => "claim tables brought into the original's shape", postgres: "migrations/postgres/0000_original_shape.sql", sqlite: "migrations/sqlite/0000_original_shape.sql";
            "0001" => "claim tables, attachment types and the attachments count view", postgres: "migrations/postgres/0001_claim.sql", sqlite: "migrations/sqlite/0001_claim.sql";
        ]
    }
}

openimis_sdk::export_module!(Pooled<Claim>, manifest::manifest());

// Its own test checks that no two files of `src/` import each other.
#[cfg(test)]
#[path = "../../../host/src/import_graph.rs"]
mod import_graph;
