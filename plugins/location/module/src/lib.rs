//! The openIMIS `location` module: the location tree, health facilities, user districts and
//! officer villages, on the original's tables (`tblLocations`, `tblHF`, ...); row security for
//! every other module (`row_security.scope`). This crate exports no library root: the
//! `location` library (`plugins/location`) does, and `location-dhis2` wraps [`Location`] to
//! replace it under the same logical name.

mod allowed;
mod code_tables;
mod demo;
mod entities;
mod hf_catchments;
mod hf_mutations;
mod hf_queries;
mod location_mutations;
mod location_tree;
pub mod manifest;
mod mutation_checks;
mod mutation_links;
mod queries;
mod rules;
mod scale;
mod security;
mod services;
mod specs;
mod user_districts;

use openimis_sdk::db::DbConnection;
use openimis_sdk::module_pool::ModulePool;
use openimis_sdk::{
    migrations, EntitiesRequest, HostHandle, Migration, ModuleError, OpenImisModule, ResolveRequest,
};
use serde_json::Value;
use specs::Assignment;
use std::sync::OnceLock;

pub(crate) type Conn = DbConnection;

/// location's `config` block (the original's `DEFAULT_CFG` keys that change behaviour).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
struct LocationConfig {
    health_facility_contract_dates_mandatory: bool,
    no_location_check: bool,
}

/// The module: the host handle, its config, and the pool built in `ready`.
pub struct Location {
    host: HostHandle,
    config: LocationConfig,
    pool: ModulePool,
    row_security: OnceLock<bool>,
}

impl Location {
    /// A connection from location's pool (location-dhis2 reaches its tables through it).
    pub fn connection(&self) -> Result<openimis_sdk::db::PooledConnection, ModuleError> {
        self.pool.connection()
    }

    /// What row security depends on: `ROW_SECURITY` (default on) and `no_location_check`.
    fn security(&self) -> security::Settings {
        security::Settings {
            row_security: *self.row_security.get().unwrap_or(&true),
            no_location_check: self.config.no_location_check,
        }
    }
}

impl OpenImisModule for Location {
    fn init(host: HostHandle, config: Value) -> Result<Self, ModuleError> {
        let config = if config.is_null() {
            LocationConfig::default()
        } else {
            serde_json::from_value(config)
                .map_err(|e| ModuleError::new("BAD_CONFIG", format!("location config: {e}")))?
        };
        Ok(Self {
            host,
            config,
            pool: ModulePool::new("location"),
            row_security: OnceLock::new(),
        })
    }

    fn ready(&self) -> Result<(), ModuleError> {
        let settings = self.pool.ready(&self.host, demo::seed)?;
        let _ = self
            .row_security
            .set(settings["row_security"].as_bool().unwrap_or(true));
        Ok(())
    }

    fn schema(&self) -> &str {
        concat!(
            include_str!("../schema/location.graphql"),
            include_str!("../schema/extensions.graphql"),
        )
    }

    fn resolve(&self, request: ResolveRequest) -> Result<Value, ModuleError> {
        let conn = &mut *self.pool.connection()?;
        match request.field.name.as_str() {
            "createLocation" | "updateLocation" | "deleteLocation" | "moveLocation" => {
                location_mutations::resolve(&self.host, conn, &request)
            }
            "createHealthFacility" | "updateHealthFacility" | "deleteHealthFacility" => {
                hf_mutations::resolve(
                    &self.host,
                    conn,
                    &request,
                    self.config.health_facility_contract_dates_mandatory,
                )
            }
            _ => queries::resolve(&self.host, conn, &request, self.security()),
        }
    }

    fn entities(&self, request: EntitiesRequest) -> Result<Vec<Value>, ModuleError> {
        let conn = &mut *self.pool.connection()?;
        let viewer = security::Viewer::load(&self.host, conn, &request.context, self.security())?;
        entities::resolve(&self.host, conn, &request, &rules::Rules::new(&viewer))
    }

    fn service(&self, method: &str, payload: Value) -> Result<Value, ModuleError> {
        // core's user changes (claim admins' facilities, logins, officers) bound the scopes too.
        if method == "row_security.forget" {
            security::forget_scopes(&self.host);
            return Ok(Value::Object(Default::default()));
        }
        let conn = &mut *self.pool.connection()?;
        let forget = |outcome| security::forget_scopes_after(&self.host, outcome);
        match method {
            "users.filter" => services::users_filter(conn, &payload),
            "user_districts.replace" => {
                forget(services::replace(conn, Assignment::UserDistricts, &payload))
            }
            "officer_villages.replace" => forget(services::replace(
                conn,
                Assignment::OfficerVillages,
                &payload,
            )),
            "user_locations.replace" => forget(services::replace_user_locations(conn, &payload)),
            "health_facilities.ids" => services::health_facility_ids(conn, &payload),
            "health_facilities.location_ids" => services::health_facility_locations(conn, &payload),
            "health_facilities.pricelist_ids" => {
                services::health_facility_pricelists(conn, &payload)
            }
            "health_facilities.set_pricelists" => {
                services::set_health_facility_pricelists(conn, &payload)
            }
            "row_security.scope" => {
                security::scope_service(&self.host, conn, &payload, self.security())
            }
            "demo.scale" => scale::scale(conn, &payload),
            other => Err(openimis_sdk::service::unknown("location", other)),
        }
    }

    fn migrations(&self) -> Vec<Migration> {
        migrations![
            "0000" => "a database_postgresql install brought to the original's shape", postgres: "migrations/postgres/0000_original_shape.sql", sqlite: "migrations/sqlite/0000_original_shape.sql";
            "0001" => "location tables", postgres: "migrations/postgres/0001_location.sql", sqlite: "migrations/sqlite/0001_location.sql";
        ]
    }
}

// Its own test checks that no two files of `src/` import each other.
#[cfg(test)]
#[path = "../../../../host/src/import_graph.rs"]
mod import_graph;
