//! The openIMIS `insuree` module: families (`tblFamilies`), insurees (`tblInsuree`), their photos
//! (`tblPhotos`), coverage rows (`tblInsureePolicy`) and reference lists, their root queries
//! and mutations (insuree.md), and the services policy and claim call (`services.rs`,
//! documented in docs/MODULES.md, "## insuree").

mod access;
mod config;
mod demo;
mod entities;
mod exports;
mod family_save;
mod insuree_save;
mod links;
mod lookups;
pub mod manifest;
mod members;
mod mutations;
mod number;
mod officers;
mod photo;
mod places;
mod queries;
mod reads;
mod services;
mod specs;

use access::Rules;
use openimis_sdk::module_shell::{Pooled, PooledModule, Seed, Shell};
use openimis_sdk::row_security::visible_locations;
use openimis_sdk::{
    migrations, EntitiesRequest, HostHandle, Migration, ModuleError, RequestContext, ResolveRequest,
};
use serde_json::Value;

/// The module: its configuration (the SDK's shell holds the host and the pool).
pub struct Insuree {
    config: config::Config,
}

impl Insuree {
    /// The request's rules: the caller's visible locations, the excluded CHF ids.
    fn rules<'a>(
        &'a self,
        host: &'a HostHandle,
        context: &RequestContext,
    ) -> Result<Rules<'a>, ModuleError> {
        Ok(Rules {
            host: Some(host),
            allowed: visible_locations(host, context)?,
            excluded: &self.config.excluded_insuree_chfids,
            photo_root: &self.config.insuree_photos_root_path,
        })
    }
}

impl PooledModule for Insuree {
    const NAME: &'static str = "insuree";
    const SCHEMA: &'static str = include_str!("../schema/insuree.graphql");
    const SEED: Seed = demo::seed;

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
        let rules = self.rules(host, &request.context)?;
        match field.name.as_str() {
            "insurees" => queries::insurees(conn, field, &rules),
            "insureesExport" => exports::insurees_export(host, conn, &request, &rules),
            "families" => queries::families(conn, field, &rules),
            "familyMembers" => queries::family_members(conn, field, &rules),
            "insureePolicy" => queries::insuree_policy(conn, field, &rules),
            "insureeStatusReasons" => queries::status_reasons(conn, field, &rules),
            "insureeGenders"
            | "familyTypes"
            | "confirmationTypes"
            | "identificationTypes"
            | "educations"
            | "professions"
            | "relations" => queries::reference_list(conn, field, &rules),
            "insureeNumberValidity" => queries::number_validity(conn, &self.config, field),
            "canAddInsuree" => services::can_add_insuree(conn, field),
            "insureeOfficers" => officers::insuree_officers(
                host,
                field,
                self.config.use_contextual_enrolment_officer_selection,
            ),
            other => Err(shell.no_root_field(other)),
        }
    }

    fn entities(&self, shell: &Shell, request: EntitiesRequest) -> Result<Vec<Value>, ModuleError> {
        let rules = self.rules(&shell.host, &request.context)?;
        entities::resolve(&mut *shell.connection()?, &request, &rules)
    }

    fn service(&self, shell: &Shell, method: &str, payload: Value) -> Result<Value, ModuleError> {
        services::call(&mut *shell.connection()?, &self.config, method, payload)
    }

    fn migrations(&self) -> Vec<Migration> {
        migrations![
            "0000" => "a database_postgresql install brought to the original's shape", postgres: "migrations/postgres/0000_original_shape.sql", sqlite: "migrations/sqlite/0000_original_shape.sql";
            "0001" => "insuree tables", postgres: "migrations/postgres/0001_insuree.sql", sqlite: "migrations/sqlite/0001_insuree.sql";
            "0002" => "insuree reference lists", postgres: "migrations/postgres/0002_reference_lists.sql", sqlite: "migrations/sqlite/0002_reference_lists.sql";
        ]
    }
}

openimis_sdk::export_module!(Pooled<Insuree>, manifest::manifest());

// Its own test checks that no two files of `src/` import each other.
#[cfg(test)]
#[path = "../../../host/src/import_graph.rs"]
mod import_graph;
