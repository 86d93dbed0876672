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

use openimis_sdk::module_pool::ModulePool;
use openimis_sdk::{
    migrations, EntitiesRequest, HostHandle, Migration, ModuleError, OpenImisModule, ResolveRequest,
};
use serde_json::Value;

/// The module: the host handle and the pool built in `ready`.
pub struct Payer {
    host: HostHandle,
    pool: ModulePool,
}

impl OpenImisModule for Payer {
    fn init(host: HostHandle, _config: Value) -> Result<Self, ModuleError> {
        Ok(Self {
            host,
            pool: ModulePool::new("payer"),
        })
    }

    fn schema(&self) -> &str {
        include_str!("../schema/payer.graphql")
    }

    fn ready(&self) -> Result<(), ModuleError> {
        self.pool.ready(&self.host, demo::seed)?;
        Ok(())
    }

    fn resolve(&self, request: ResolveRequest) -> Result<Value, ModuleError> {
        let conn = &mut *self.pool.connection()?;
        match mutations::serves(&request.field.name) {
            true => mutations::resolve(&self.host, conn, &request),
            false => queries::resolve(&self.host, conn, &request),
        }
    }

    fn entities(&self, request: EntitiesRequest) -> Result<Vec<Value>, ModuleError> {
        entities::resolve(&mut *self.pool.connection()?, &request)
    }

    fn migrations(&self) -> Vec<Migration> {
        migrations![
            "0001" => "payer tables and payer types", postgres: "migrations/postgres/0001_payer.sql", sqlite: "migrations/sqlite/0001_payer.sql";
        ]
    }
}

openimis_sdk::export_module!(Payer, manifest::manifest());

// Its own test checks that no two files of `src/` import each other.
#[cfg(test)]
#[path = "../../../host/src/import_graph.rs"]
mod import_graph;
