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
use openimis_sdk::module_pool::ModulePool;
use openimis_sdk::row_security::visible_locations;
use openimis_sdk::{
    migrations, EntitiesRequest, HostHandle, Migration, ModuleError, OpenImisModule,
    RequestContext, ResolveRequest,
};
use serde_json::Value;

/// The module: the host handle, its configuration and the pool built in `ready`.
pub struct Insuree {
    host: HostHandle,
    config: config::Config,
    pool: ModulePool,
}

impl Insuree {
    /// The request's rules: the caller's visible locations, the excluded CHF ids.
    fn rules(&self, context: &RequestContext) -> Result<Rules<'_>, ModuleError> {
        Ok(Rules {
            host: Some(&self.host),
            allowed: visible_locations(&self.host, context)?,
            excluded: &self.config.excluded_insuree_chfids,
            photo_root: &self.config.insuree_photos_root_path,
        })
    }
}

impl OpenImisModule for Insuree {
    fn init(host: HostHandle, config: Value) -> Result<Self, ModuleError> {
        Ok(Self {
            host,
            config: config::Config::from(&config),
            pool: ModulePool::new("insuree"),
        })
    }

    fn schema(&self) -> &str {
        include_str!("../schema/insuree.graphql")
    }

    fn ready(&self) -> Result<(), ModuleError> {
        self.pool.ready(&self.host, demo::seed)?;
        Ok(())
    }

    fn resolve(&self, request: ResolveRequest) -> Result<Value, ModuleError> {
        let conn = &mut *self.pool.connection()?;
        let field = &request.field;
        if mutations::serves(&field.name) {
            return mutations::resolve(&self.host, conn, &self.config, &request);
        }
        let rules = self.rules(&request.context)?;
        match field.name.as_str() {
            "insurees" => queries::insurees(conn, field, &rules),
            "insureesExport" => exports::insurees_export(&self.host, conn, &request, &rules),
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
                &self.host,
                field,
                self.config.use_contextual_enrolment_officer_selection,
            ),
            other => Err(ModuleError::new(
                "NOT_SUPPORTED",
                format!("insuree has no root field {other}"),
            )),
        }
    }

    fn entities(&self, request: EntitiesRequest) -> Result<Vec<Value>, ModuleError> {
        let rules = self.rules(&request.context)?;
        entities::resolve(&mut *self.pool.connection()?, &request, &rules)
    }

    fn service(&self, method: &str, payload: Value) -> Result<Value, ModuleError> {
        services::call(&mut *self.pool.connection()?, &self.config, method, payload)
    }

    fn migrations(&self) -> Vec<Migration> {
        migrations![
            "0000" => "a database_postgresql install brought to the original's shape", postgres: "migrations/postgres/0000_original_shape.sql", sqlite: "migrations/sqlite/0000_original_shape.sql";
            "0001" => "insuree tables", postgres: "migrations/postgres/0001_insuree.sql", sqlite: "migrations/sqlite/0001_insuree.sql";
            "0002" => "insuree reference lists", postgres: "migrations/postgres/0002_reference_lists.sql", sqlite: "migrations/sqlite/0002_reference_lists.sql";
        ]
    }
}

openimis_sdk::export_module!(Insuree, manifest::manifest());

// Its own test checks that no two files of `src/` import each other.
#[cfg(test)]
#[path = "../../../host/src/import_graph.rs"]
mod import_graph;
