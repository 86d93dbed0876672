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

use openimis_sdk::module_pool::ModulePool;
use openimis_sdk::{
    migrations, EntitiesRequest, HostHandle, Migration, ModuleError, OpenImisModule, ResolveRequest,
};
use serde_json::Value;

/// The module: the host handle, its configuration and the pool built in `ready`.
pub struct Product {
    host: HostHandle,
    config: config::Config,
    pool: ModulePool,
}

impl OpenImisModule for Product {
    fn init(host: HostHandle, config: Value) -> Result<Self, ModuleError> {
        Ok(Self {
            host,
            config: config::Config::from(&config),
            pool: ModulePool::new("product"),
        })
    }

    fn schema(&self) -> &str {
        include_str!("../schema/product.graphql")
    }

    fn ready(&self) -> Result<(), ModuleError> {
        self.pool.ready(&self.host, demo::seed)?;
        Ok(())
    }

    fn resolve(&self, request: ResolveRequest) -> Result<Value, ModuleError> {
        let conn = &mut *self.pool.connection()?;
        match mutations::serves(&request.field.name) {
            true => mutations::resolve(&self.host, conn, &request),
            false => queries::resolve(&self.host, conn, &self.config, &request),
        }
    }

    fn entities(&self, request: EntitiesRequest) -> Result<Vec<Value>, ModuleError> {
        entities::resolve(&mut *self.pool.connection()?, &request)
    }

    fn service(&self, method: &str, payload: Value) -> Result<Value, ModuleError> {
        services::call(&mut *self.pool.connection()?, method, payload)
    }

    fn migrations(&self) -> Vec<Migration> {
        migrations![
            "0000" => "a database_postgresql install brought to the original's shape", postgres: "migrations/postgres/0000_original_shape.sql", sqlite: "migrations/sqlite/0000_original_shape.sql";
            "0001" => "product tables", postgres: "migrations/postgres/0001_product.sql", sqlite: "migrations/sqlite/0001_product.sql";
        ]
    }
}

openimis_sdk::export_module!(Product, manifest::manifest());

// Its own test checks that no two files of `src/` import each other.
#[cfg(test)]
#[path = "../../../host/src/import_graph.rs"]
mod import_graph;
