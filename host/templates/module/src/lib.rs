//! openIMIS module `{{name}}`, created with `openimis create-module` ({{template}} template).
//!
//! - `schema.graphql`: the GraphQL part the host composes (`{{camel}}Items`, `create{{Pascal}}Item`).
//! - `migrations/`: SQL for PostgreSQL and SQLite, applied by `openimis migrate`.
//! - `locale/<lang>.json`: the message catalogues, embedded and served by the `translations` service.
//! - `tests.rs`: unit tests against the SDK's fake host.

mod items;
mod locale;
mod mutation;
{{#business}}
pub mod services;
{{/business}}
{{#calculation}}
pub mod calculation;
{{/calculation}}
#[cfg(test)]
mod tests;

use openimis_plugin_api::{
    migrations, HostHandle, Manifest, Migration, ModuleError, OpenImisModule, ResolveRequest,
};
use serde_json::Value;

/// The logical name this module implements: the `name` of its entry in `openimis.json`.
pub const NAME: &str = "{{name}}";

/// The module: what the host initialises once and calls for every request.
pub struct {{Pascal}}Module {
    items: items::Items,
{{#calculation}}
    rule: calculation::{{Pascal}}Rule,
{{/calculation}}
}

impl OpenImisModule for {{Pascal}}Module {
    fn init(_host: HostHandle, _config: Value) -> Result<Self, ModuleError> {
        Ok(Self {
            items: items::Items::default(),
{{#calculation}}
            rule: calculation::{{Pascal}}Rule,
{{/calculation}}
        })
    }

    fn schema(&self) -> &str {
        include_str!("../schema.graphql")
    }

    fn resolve(&self, request: ResolveRequest) -> Result<Value, ModuleError> {
        let field = &request.field;
        match field.name.as_str() {
            "{{camel}}Items" => self.items.query(field),
            "create{{Pascal}}Item" => {
                mutation::create_item(&self.items, field, &request.context.language)
            }
            other => Err(ModuleError::new(
                "NOT_SUPPORTED",
                format!("{NAME} has no root field {other}"),
            )),
        }
    }

    fn migrations(&self) -> Vec<Migration> {
        migrations![
            "0001" => "initial", postgres: "migrations/postgres/0001_initial.sql", sqlite: "migrations/sqlite/0001_initial.sql";
        ]
    }

    fn service(&self, method: &str, payload: Value) -> Result<Value, ModuleError> {
        match method {
            // Another module (or the host) asks for this module's messages in one language.
            "translations" => Ok(locale::catalogue(
                payload.get("language").and_then(Value::as_str).unwrap_or("en"),
            )),
{{#calculation}}
            method if calculation::METHODS.contains(&method) => {
                calculation::serve(&self.rule, method, &payload)
            }
{{/calculation}}
            other => Err(ModuleError::new(
                "NOT_SUPPORTED",
                format!("{NAME} has no service {other}"),
            )),
        }
    }
}

openimis_plugin_api::export_module!(
    {{Pascal}}Module,
    Manifest::new(NAME, env!("CARGO_PKG_VERSION"))
        .description("{{description}}")
);
