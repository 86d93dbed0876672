//! The openIMIS `product` module: insurance products (`tblProduct`) with their covered items and
//! services (`tblProductItems`, `tblProductServices`) and relative distributions
//! (`tblRelDistr`), their root queries and mutations (product.md), and the services policy and
//! claim call (`services.rs`, documented in docs/MODULES.md, "## product").

mod amount;
mod checks;
mod computed;
mod config;
mod delete;
mod demo;
mod details;
mod entities;
mod enums;
mod inputs;
pub mod manifest;
mod mutations;
mod queries;
mod reads;
mod save;
mod services;
mod specs;

use openimis_sdk::module_shell::{Entities, Pooled, PooledModule, Seed, Shell};
use openimis_sdk::{migrations, Migration, ModuleError, ResolveRequest};
use serde_json::Value;

/// The module: its configuration (the SDK's shell holds the host and the pool).
pub struct Product {
    config: config::Config,
}

impl PooledModule for Product {
    const NAME: &'static str = "product";
    const SCHEMA: &'static str = include_str!("../schema/product.graphql");
    const SEED: Seed = demo::seed;
    const ENTITIES: Option<Entities> = Some(entities::resolve);

    fn init(config: Value) -> Result<Self, ModuleError> {
        Ok(Self {
            config: config::Config::from(&config),
        })
    }

    fn resolve(&self, shell: &Shell, request: ResolveRequest) -> Result<Value, ModuleError> {
        let conn = &mut *shell.connection()?;
        match mutations::serves(&request.field.name) {
            true => mutations::resolve(&shell.host, conn, &request),
            false => queries::resolve(&shell.host, conn, &self.config, &request),
        }
    }

    fn service(&self, shell: &Shell, method: &str, payload: Value) -> Result<Value, ModuleError> {
        services::call(&mut *shell.connection()?, method, payload)
    }

    fn migrations(&self) -> Vec<Migration> {
        migrations![
            "0000" => "a database_postgresql install brought to the original's shape", postgres: "migrations/postgres/0000_original_shape.sql", sqlite: "migrations/sqlite/0000_original_shape.sql";
            "0001" => "product tables", postgres: "migrations/postgres/0001_product.sql", sqlite: "migrations/sqlite/0001_product.sql";
        ]
    }
}

openimis_sdk::export_module!(Pooled<Product>, manifest::manifest());

// Its own test checks that no two files of `src/` import each other.
#[cfg(test)]
#[path = "../../../host/src/import_graph.rs"]
mod import_graph;
