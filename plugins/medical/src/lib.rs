//! The openIMIS `medical` module: diagnoses (`tblICDCodes`), medical items (`tblItems`) and
//! services (`tblServices`) with their packages (`tblProductContainedPackage`,
//! `tblServiceContainedPackage`), their root queries and mutations (medical.md), and the
//! services other modules call.
//!
//! # Services
//!
//! Other modules (product, claim, policy) call these through the host
//! (`host.call("medical", method, payload)`); rows answer their GraphQL field names
//! (`code`, `name`, `careType`, `patientCategory`, `price` as text with 2 decimals,
//! `validityFrom`, `validityTo`, `legacyId`, ...) with `id` the integer key.
//!
//! | method | payload | answer |
//! |---|---|---|
//! | `items.get`, `services.get`, `diagnoses.get` | exactly one of `{"ids": [int]}`, `{"uuids": [str]}` (not diagnoses), `{"codes": [str]}`; optional `"valid_at": "YYYY-MM-DD[ HH:MM:SS]"` | the matching rows, in key order |
//! | `items.prices`, `services.prices` | `{"ids": [int], "pricelist_id": int?}` | `{"<id>": {"price": "12.50", "pricelist_price": "10.00" or null}}` |
//!
//! - `ids` and `uuids` name rows whatever their validity (a claim keeps the id of the version
//!   it used); `codes` names the currently valid rows.
//! - `valid_at` keeps the rows valid at that moment (`ValidityFrom <= t` and `ValidityTo` null
//!   or `>= t`, the original's `filter_validity(validity=t)`).
//! - `pricelist_price` is the `PriceOverule` of the valid detail of the valid price list
//!   `pricelist_id` (`tblPLItems`/`tblPLServices`) naming the row, null without one (or
//!   without medical_pricelist); the caller picks by its product's price origin.
//! - A malformed payload is `BAD_PAYLOAD`; an unknown method `NOT_SUPPORTED`.

mod delete;
mod demo;
mod entities;
mod inputs;
mod item_or_service;
pub mod manifest;
mod mutation_links;
mod mutations;
mod package;
mod pricelist_details;
mod queries;
mod reads;
mod save;
mod services;
mod specs;

use openimis_sdk::module_shell::{Entities, Pooled, PooledModule, Seed, Shell};
use openimis_sdk::{migrations, Migration, ModuleError, ResolveRequest};
use serde_json::Value;

/// The module: no state of its own beside the SDK's shell (host and pool).
pub struct Medical;

impl PooledModule for Medical {
    const NAME: &'static str = "medical";
    const SCHEMA: &'static str = include_str!("../schema/medical.graphql");
    const SEED: Seed = demo::seed;
    const ENTITIES: Option<Entities> = Some(entities::resolve);

    fn init(_config: Value) -> Result<Self, ModuleError> {
        Ok(Medical)
    }

    fn resolve(&self, shell: &Shell, request: ResolveRequest) -> Result<Value, ModuleError> {
        let conn = &mut *shell.connection()?;
        match request.operation.as_str() {
            "mutation" => mutations::resolve(&shell.host, conn, &request),
            _ => queries::resolve(&shell.host, conn, &request),
        }
    }

    fn service(&self, shell: &Shell, method: &str, payload: Value) -> Result<Value, ModuleError> {
        services::call(&shell.host, &mut *shell.connection()?, method, payload)
    }

    fn migrations(&self) -> Vec<Migration> {
        migrations![
            "0000" => "a database_postgresql install brought to the original's shape", postgres: "migrations/postgres/0000_original_shape.sql", sqlite: "migrations/sqlite/0000_original_shape.sql";
            "0001" => "medical tables", postgres: "migrations/postgres/0001_medical.sql", sqlite: "migrations/sqlite/0001_medical.sql";
        ]
    }
}

openimis_sdk::export_module!(Pooled<Medical>, manifest::manifest());

#[cfg(test)]
mod tests;

// Its own test checks that no two files of `src/` import each other.
#[cfg(test)]
#[path = "../../../host/src/import_graph.rs"]
mod import_graph;
