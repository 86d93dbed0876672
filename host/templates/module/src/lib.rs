//! openIMIS module `{{name}}`, created with `openimis create-module` ({{template}} template).
//!
//! - `schema.graphql`: the GraphQL part the host composes (`{{camel}}Items`, and
//!   `create`/`update`/`delete{{Pascal}}Item`).
//! - `migrations/`: SQL for PostgreSQL and SQLite (the versioned `{{name}}_Item` table), applied
//!   by `openimis migrate`.
//! - `items.rs`: the table declared once as an `EntitySpec` (`openimis_sdk::entity`): the
//!   connection with its filters, `orderBy` and paging, the items by key, the writes.
//! - `mutation.rs`: the typed input and the mutations under core's mutation log (so the module
//!   requires `core`), each in one transaction.
//! - `translations/<lang>.json`: the message catalogues, declared in the manifest.
//! - `tests.rs`: unit tests against the SDK's fake host.

mod items;
mod mutation;
mod translations;
{{#business}}
pub mod services;
{{/business}}
{{#calculation}}
pub mod calculation;
{{/calculation}}
#[cfg(test)]
mod tests;

use openimis_sdk::db::{self, DbPool, PooledConnection};
use openimis_sdk::{
    migrations, EntitiesRequest, HostHandle, Manifest, Migration, ModuleError, OpenImisModule,
    ResolveRequest,
};
use serde_json::Value;
use std::sync::OnceLock;

/// The logical name this module implements: the `name` of its entry in `openimis.json`.
pub const NAME: &str = "{{name}}";

/// The module: what the host initialises once and calls for every request.
pub struct {{Pascal}}Module {
    host: HostHandle,
    /// The database pool, built in `ready` (`init` must not do I/O).
    pool: OnceLock<DbPool>,
{{#calculation}}
    rule: calculation::{{Pascal}}Rule,
{{/calculation}}
}

impl {{Pascal}}Module {
    /// A connection from the module's pool.
    pub(crate) fn connection(&self) -> Result<PooledConnection, ModuleError> {
        let pool = self.pool.get().ok_or_else(|| {
            ModuleError::new("NO_DATABASE", format!("{NAME} is not ready: no database pool"))
        })?;
        db::connection(pool)
    }
}

impl OpenImisModule for {{Pascal}}Module {
    fn init(host: HostHandle, _config: Value) -> Result<Self, ModuleError> {
        Ok(Self {
            host,
            pool: OnceLock::new(),
{{#calculation}}
            rule: calculation::{{Pascal}}Rule,
{{/calculation}}
        })
    }

    fn ready(&self) -> Result<(), ModuleError> {
        let _ = self.pool.set(db::pool(&self.host.database())?);
        Ok(())
    }

    fn schema(&self) -> &str {
        include_str!("../schema.graphql")
    }

    fn resolve(&self, request: ResolveRequest) -> Result<Value, ModuleError> {
        let conn = &mut *self.connection()?;
        match request.field.name.as_str() {
            "{{camel}}Items" => items::list(conn, &request.field),
            mutation::CREATE | mutation::UPDATE | mutation::DELETE => {
                mutation::mutate(&self.host, conn, &request)
            }
            other => Err(ModuleError::new(
                "NOT_SUPPORTED",
                format!("{NAME} has no root field {other}"),
            )),
        }
    }

    /// Items by key: relay `node(id: ...)` and other modules' references to an item.
    fn entities(&self, request: EntitiesRequest) -> Result<Vec<Value>, ModuleError> {
        match request.type_name.as_str() {
            items::TYPE_NAME => {
                let conn = &mut *self.connection()?;
                items::by_keys(conn, &request.keys, &request.selection)
            }
            other => Err(ModuleError::new(
                "NOT_SUPPORTED",
                format!("{NAME} has no type {other}"),
            )),
        }
    }

    fn migrations(&self) -> Vec<Migration> {
        migrations![
            "0001" => "initial", postgres: "migrations/postgres/0001_initial.sql", sqlite: "migrations/sqlite/0001_initial.sql";
        ]
    }

{{#calculation}}
    /// Other modules reach the calculation rule through `Host::call("{{name}}", method, ...)`.
    fn service(&self, method: &str, payload: Value) -> Result<Value, ModuleError> {
        if calculation::METHODS.contains(&method) {
            calculation::serve(&self.rule, method, &payload)
        } else {
            Err(openimis_sdk::service::unknown(NAME, method))
        }
    }
{{/calculation}}
}

openimis_sdk::export_module!(
    {{Pascal}}Module,
    Manifest::new(NAME, env!("CARGO_PKG_VERSION"))
        .description("{{description}}")
        // The mutation log lives in core (`sdk::mutation::run_logged`).
        .requires("core", "^1")
        .translations(translations::CATALOGUES)
);
