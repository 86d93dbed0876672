//! The openIMIS `contribution` module: premiums (`tblPremium`) paid against a policy, their root
//! queries (`queries.rs`, filters in `filters.rs` and `views.rs`) and mutations
//! (`mutations.rs`, under core's mutation log, one transaction each), the activation of the
//! policy a premium pays (`activation.rs`, with policy's `policy_status.premium_paid`), the
//! reverse relations contribution adds to policy's and core's types (`entities.rs`), and the
//! service policy calls for a policy created paid (`services.rs`, documented in
//! docs/MODULES.md, "## contribution").

mod activation;
mod computed;
mod demo;
mod entities;
mod filters;
mod inputs;
mod links;
pub mod manifest;
mod mutations;
mod payers;
mod policy_rows;
mod premium_save;
mod queries;
mod receipts;
mod services;
mod specs;
mod views;

use openimis_sdk::module_shell::{Pooled, PooledModule, Seed, Shell};
use openimis_sdk::{migrations, EntitiesRequest, Migration, ModuleError, ResolveRequest};
use serde_json::Value;

/// The module: no state of its own beside the SDK's shell (host and pool).
pub struct Contribution;

impl PooledModule for Contribution {
    const NAME: &'static str = "contribution";
    const SCHEMA: &'static str = include_str!("../schema/contribution.graphql");
    const SEED: Seed = demo::seed;

    fn init(_config: Value) -> Result<Self, ModuleError> {
        Ok(Contribution)
    }

    fn resolve(&self, shell: &Shell, request: ResolveRequest) -> Result<Value, ModuleError> {
        let conn = &mut *shell.connection()?;
        let (host, field) = (&shell.host, &request.field);
        if mutations::serves(&field.name) {
            return mutations::resolve(host, conn, &request);
        }
        match field.name.as_str() {
            "premiums" => queries::premiums(host, conn, field),
            "premiumsByPolicies" => queries::premiums_by_policies(host, conn, field),
            "validatePremiumCode" => queries::validate_premium_code(conn, field),
            other => Err(shell.no_root_field(other)),
        }
    }

    fn entities(&self, shell: &Shell, request: EntitiesRequest) -> Result<Vec<Value>, ModuleError> {
        entities::resolve(&shell.host, &mut *shell.connection()?, &request)
    }

    fn service(&self, shell: &Shell, method: &str, payload: Value) -> Result<Value, ModuleError> {
        services::call(&shell.host, &mut *shell.connection()?, method, payload)
    }

    fn migrations(&self) -> Vec<Migration> {
        migrations![
            "0000" => "a database_postgresql install brought to the original's shape", postgres: "migrations/postgres/0000_original_shape.sql", sqlite: "migrations/sqlite/0000_original_shape.sql";
            "0001" => "contribution tables", postgres: "migrations/postgres/0001_contribution.sql", sqlite: "migrations/sqlite/0001_contribution.sql";
        ]
    }
}

openimis_sdk::export_module!(Pooled<Contribution>, manifest::manifest());

// Its own test checks that no two files of `src/` import each other.
#[cfg(test)]
#[path = "../../../host/src/import_graph.rs"]
mod import_graph;
