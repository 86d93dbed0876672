//! The openIMIS `policy` module: policies (`tblPolicy`) and renewals (`tblPolicyRenewals`),
//! their root queries (policy.md §4), the start/expiry dates and value of a policy computed as
//! the original's `values.py` (`dates.rs`, `counts.rs`, `value.rs`), and the reverse relations
//! policy adds to insuree's, product's and core's types. Products come from product's
//! `products.get`, members from insuree's `family.members`. The eligibility queries
//! (`eligibility.rs`) compute what an insuree may still consume, from claim's tables when
//! they exist. The mutations `createPolicy`,
//! `updatePolicy`, `renewPolicy`, `suspendPolicies` and `deletePolicies` (`mutations.rs`) run
//! under core's mutation log, one transaction each.

mod claims;
mod computed;
mod config;
mod counts;
mod coverage;
mod dates;
mod demo;
mod eligibility;
mod eligibility_rules;
mod entities;
mod filters;
mod inputs;
mod links;
pub mod manifest;
mod mutations;
mod paid;
mod policy_save;
mod policy_values;
mod products;
mod queries;
mod reads;
mod receipts;
mod renewals;
mod services;
mod specs;
mod status;
mod summaries;
mod value;

use openimis_sdk::module_shell::{Entities, Pooled, PooledModule, Seed, Shell};
use openimis_sdk::{migrations, Migration, ModuleError, ResolveRequest};
use serde_json::Value;

/// The module: its configuration (the SDK's shell holds the host and the pool).
pub struct Policy {
    config: config::Config,
}

impl PooledModule for Policy {
    const NAME: &'static str = "policy";
    const SCHEMA: &'static str = include_str!("../schema/policy.graphql");
    const SEED: Seed = demo::seed;
    const ENTITIES: Option<Entities> = Some(entities::resolve);

    fn init(config: Value) -> Result<Self, ModuleError> {
        Ok(Self {
            config: config::Config::from(&config),
        })
    }

    fn resolve(&self, shell: &Shell, request: ResolveRequest) -> Result<Value, ModuleError> {
        let conn = &mut *shell.connection()?;
        let (host, field) = (&shell.host, &request.field);
        if mutations::serves(&field.name) {
            return mutations::resolve(host, conn, &self.config, &request);
        }
        if eligibility::serves(&field.name) {
            return eligibility::resolve(host, conn, &self.config, field, &request.context);
        }
        match field.name.as_str() {
            "policies" => queries::policies(conn, &self.config, field),
            "policyValues" => policy_values::resolve(host, conn, &self.config, field),
            "policiesByInsuree" => summaries::resolve(host, conn, summaries::Of::Insuree, field),
            "policiesByFamily" => summaries::resolve(host, conn, summaries::Of::Family, field),
            "policyRenewals" => queries::policy_renewals(conn, field, &request.context),
            "policyOfficers" => queries::policy_officers(host, field),
            other => Err(shell.no_root_field(other)),
        }
    }

    fn service(&self, _shell: &Shell, method: &str, payload: Value) -> Result<Value, ModuleError> {
        services::call(&self.config, method, payload)
    }

    fn migrations(&self) -> Vec<Migration> {
        migrations![
            "0000" => "a database_postgresql install brought to the original's shape", postgres: "migrations/postgres/0000_original_shape.sql", sqlite: "migrations/sqlite/0000_original_shape.sql";
            "0001" => "policy tables", postgres: "migrations/postgres/0001_policy.sql", sqlite: "migrations/sqlite/0001_policy.sql";
        ]
    }
}

openimis_sdk::export_module!(Pooled<Policy>, manifest::manifest());

// Its own test checks that no two files of `src/` import each other.
#[cfg(test)]
#[path = "../../../host/src/import_graph.rs"]
mod import_graph;
