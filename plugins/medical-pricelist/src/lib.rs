//! The openIMIS `medical_pricelist` module: the services and items price lists of health
//! facilities (`tblPLServices`, `tblPLItems` and their details), their root queries, the six
//! mutations (`create`/`update`/`delete` of both kinds, with their details) under core's
//! mutation log, the `servicesPricelist` / `itemsPricelist` fields of location's
//! `HealthFacilityGQLType`, and `pricelistDetails` on medical's `ServiceGQLType` /
//! `ItemGQLType` (whose rows the details' `service` / `item` are).

mod demo;
mod detail_changes;
mod entities;
mod links;
mod list_save;
pub mod manifest;
mod mutations;
mod pricelist_input;
mod queries;
mod references;
mod refusal;
mod specs;
mod versions;

use openimis_sdk::db::DbConnection;
use openimis_sdk::module_shell::{Pooled, PooledModule, Shell};
use openimis_sdk::{
    migrations, EntitiesRequest, HostHandle, Migration, ModuleError, ResolveRequest,
};
use serde_json::Value;
use std::sync::OnceLock;

/// How the items kind's SDL is the services kind's (`schema/pricelist.graphql`).
const ITEMS_FROM_SERVICES: [(&str, &str); 4] = [
    ("Services", "Items"),
    ("servicesPricelist", "itemsPricelist"),
    ("ServiceGQLType", "ItemGQLType"),
    ("  service: ", "  item: "),
];

/// The module: no state of its own beside the SDK's shell (host and pool).
pub struct MedicalPricelist;

impl PooledModule for MedicalPricelist {
    const NAME: &'static str = "medical_pricelist";

    fn init(_config: Value) -> Result<Self, ModuleError> {
        Ok(MedicalPricelist)
    }

    fn schema(&self) -> &str {
        static SDL: OnceLock<String> = OnceLock::new();
        SDL.get_or_init(|| {
            let services = include_str!("../schema/pricelist.graphql");
            let items = ITEMS_FROM_SERVICES
                .iter()
                .fold(services.to_owned(), |sdl, (from, to)| sdl.replace(from, to));
            let root = include_str!("../schema/medical_pricelist.graphql");
            format!("{root}\n{services}\n{items}")
        })
    }

    fn seed(&self, host: &HostHandle, conn: &mut DbConnection) -> Result<(), ModuleError> {
        demo::seed(host, conn)
    }

    fn resolve(&self, shell: &Shell, request: ResolveRequest) -> Result<Value, ModuleError> {
        let conn = &mut *shell.connection()?;
        match mutations::serves(&request.field.name) {
            true => mutations::resolve(&shell.host, conn, &request),
            false => queries::resolve(&shell.host, conn, &request),
        }
    }

    fn entities(&self, shell: &Shell, request: EntitiesRequest) -> Result<Vec<Value>, ModuleError> {
        entities::resolve(&shell.host, &mut *shell.connection()?, &request)
    }

    fn service(&self, _shell: &Shell, method: &str, _payload: Value) -> Result<Value, ModuleError> {
        Err(openimis_sdk::service::unknown("medical_pricelist", method))
    }

    fn migrations(&self) -> Vec<Migration> {
        migrations![
            "0001" => "price-list tables", postgres: "migrations/postgres/0001_medical_pricelist.sql", sqlite: "migrations/sqlite/0001_medical_pricelist.sql";
            "0002" => "price-list mutation links", postgres: "migrations/postgres/0002_pricelist_mutations.sql", sqlite: "migrations/sqlite/0002_pricelist_mutations.sql";
        ]
    }
}

openimis_sdk::export_module!(Pooled<MedicalPricelist>, manifest::manifest());
