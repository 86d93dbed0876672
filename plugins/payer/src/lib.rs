//! The openIMIS `payer` module: payers (`tblPayer`), their types (`tblPayerType`) and the
//! fundings they give to products (`tblFunding`, with its simple_history table), their root
//! queries and mutations (payer.md), and the reverse relations payer adds to product's
//! `ProductGQLType` and core's `UserGQLType`. Payers are the SDK's entities (`specs.rs`);
//! fundings, keyed by a uuid, are read by `funding_rows.rs`.

mod access;
mod choices;
mod demo;
mod entities;
mod funding_add;
mod funding_rows;
mod fundings;
mod inputs;
pub mod manifest;
mod messages;
mod mutations;
mod payer_delete;
mod payer_save;
mod payers;
mod queries;
mod reads;
mod specs;

use openimis_sdk::module_shell::{Entities, Pooled, PooledModule, Seed, Shell};
use openimis_sdk::{migrations, Migration, ModuleError, ResolveRequest};
use serde_json::Value;

/// The module: no state of its own beside the SDK's shell (host and pool).
pub struct Payer;

impl PooledModule for Payer {
    const NAME: &'static str = "payer";
    const SCHEMA: &'static str = include_str!("../schema/payer.graphql");
    const SEED: Seed = demo::seed;
    const ENTITIES: Option<Entities> = Some(entities::resolve);

    fn init(_config: Value) -> Result<Self, ModuleError> {
        Ok(Payer)
    }

    fn resolve(&self, shell: &Shell, request: ResolveRequest) -> Result<Value, ModuleError> {
        let conn = &mut *shell.connection()?;
        match mutations::serves(&request.field.name) {
            true => mutations::resolve(&shell.host, conn, &request),
            false => queries::resolve(&shell.host, conn, &request),
        }
    }

    fn migrations(&self) -> Vec<Migration> {
        migrations![
            "0001" => "payer tables and payer types", postgres: "migrations/postgres/0001_payer.sql", sqlite: "migrations/sqlite/0001_payer.sql";
        ]
    }
}

openimis_sdk::export_module!(Pooled<Payer>, manifest::manifest());

// Its own test checks that no two files of `src/` import each other.
#[cfg(test)]
#[path = "../../../host/src/import_graph.rs"]
mod import_graph;
