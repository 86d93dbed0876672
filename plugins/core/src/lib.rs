//! The openIMIS `core` module: users, roles and rights, login and tokens, languages and module
//! configuration, on the original's tables (`tblUsers`, `core_User`, `tblRole`, ...).

mod account;
mod auth;
mod claim_admins;
mod custom_filters;
mod demo;
mod demo_users;
mod entities;
mod fetch_export;
mod graph;
mod interactive_users;
mod location_link;
mod lockout;
mod manifest;
mod mutation_log;
mod officers;
mod password_mutations;
pub mod passwords;
mod role_mutations;
mod roles;
mod scheduled_jobs;
mod settings_queries;
mod sub_users;
mod token_keys;
mod user_entities;
mod user_history;
mod user_mutations;
mod user_queries;
mod user_writes;
mod users;
mod verified_memo;

use openimis_sdk::db::DbConnection;
use openimis_sdk::module_pool::ModulePool;
use openimis_sdk::{
    migrations, EntitiesRequest, HostHandle, HttpRequest, HttpResponse, Migration, ModuleError,
    OpenImisModule, ResolveRequest,
};
use serde_json::Value;

/// The module: the host handle and the pool it builds in `ready`.
pub struct Core {
    host: HostHandle,
    pool: ModulePool,
}

/// The error every rights check answers with, as the original (`PermissionDenied`).
pub fn unauthorized() -> ModuleError {
    ModuleError::new("UNAUTHORIZED", "unauthorized")
}

impl OpenImisModule for Core {
    fn init(host: HostHandle, _config: Value) -> Result<Self, ModuleError> {
        Ok(Self {
            host,
            pool: ModulePool::new("core"),
        })
    }

    fn ready(&self) -> Result<(), ModuleError> {
        self.pool.ready(&self.host, demo::seed)?;
        Ok(())
    }

    fn schema(&self) -> &str {
        // One file per area, so each area's SDL sits beside its code.
        concat!(
            include_str!("../schema/core.graphql"),
            include_str!("../schema/users.graphql"),
            include_str!("../schema/passwords.graphql"),
        )
    }

    fn resolve(&self, request: ResolveRequest) -> Result<Value, ModuleError> {
        let conn = &mut *self.pool.connection()?;
        match request.field.name.as_str() {
            "tokenAuth"
            | "verifyToken"
            | "refreshToken"
            | "revokeToken"
            | "deleteTokenCookie"
            | "deleteRefreshTokenCookie"
            | "getCsrfToken" => auth::resolve(&self.host, conn, &request),
            "moduleConfigurations" => settings_queries::resolve(&self.host, conn, &request),
            "passwordPolicy" | "usernameLength" | "validateUsername" | "validateUserEmail"
            | "changeUserLanguage" => account::resolve(&self.host, conn, &request),
            "createRole" | "updateRole" | "deleteRole" | "duplicateRole" => {
                let answer = role_mutations::resolve(&self.host, conn, &request);
                // Rights changed: the host's cached user contexts (`rights_*`) are stale.
                openimis_sdk::cache::forget_user_contexts(&self.host);
                answer
            }
            "changePassword" | "resetPassword" | "setPassword" => {
                let answer = password_mutations::resolve(&self.host, conn, &request);
                // `i_user.has_password` is part of the cached user context.
                openimis_sdk::cache::forget_user_contexts(&self.host);
                answer
            }
            "validateRoleName" | "modulesPermissions" => {
                roles::resolve(&self.host, conn, &request.field)
            }
            "userObligatoryFields" | "eoObligatoryFields" => {
                Ok(user_queries::obligatory_fields(&request.context))
            }
            "customFilters" => custom_filters::resolve(&request.context, &request.field),
            "createUser" | "updateUser" | "deleteUser" => {
                let answer = user_mutations::resolve(&self.host, conn, &request);
                // Roles, language, password or the user itself changed: cached contexts are
                // stale, and so are location's row-security scopes.
                openimis_sdk::cache::forget_user_contexts(&self.host);
                location_link::forget_row_security(&self.host);
                answer
            }
            // The read side: users, officers, claim admins, roles, languages, the log.
            _ => graph::Graph::new(&self.host, &request.context).resolve(conn, &request),
        }
    }

    fn entities(&self, request: EntitiesRequest) -> Result<Vec<Value>, ModuleError> {
        let graph = graph::Graph::new(&self.host, &request.context);
        graph.entities(&mut *self.pool.connection()?, &request)
    }

    fn http(&self, request: HttpRequest) -> Result<HttpResponse, ModuleError> {
        match request.path.as_str() {
            "users/current_user/" | "users/current_user" => users::current_user_http(&request),
            "scheduled_jobs" | "scheduled_jobs/" => scheduled_jobs::http(&self.host),
            "fetch_export" | "fetch_export/" => {
                fetch_export::http(&self.host, &mut *self.pool.connection()?, &request)
            }
            other => {
                Err(ModuleError::new("NOT_FOUND", format!("Not found: {other}")).with_status(404))
            }
        }
    }

    fn service(&self, method: &str, payload: Value) -> Result<Value, ModuleError> {
        match method {
            "mutation_log.create" => mutation_log::create(&mut *self.pool.connection()?, &payload),
            "mutation_log.finish" => mutation_log::finish(&mut *self.pool.connection()?, &payload),
            "mutation_log.pending" => {
                mutation_log::pending(&mut *self.pool.connection()?, &payload)
            }
            "mutation_log.fail_received" => {
                mutation_log::fail_received(&mut *self.pool.connection()?, &payload)
            }
            "location_refs" => {
                user_entities::location_refs(&mut *self.pool.connection()?, &payload)
            }
            "location_roles" => {
                user_entities::location_roles(&mut *self.pool.connection()?, &payload)
            }
            "officers.connection" => {
                officers::connection_service(&self.host, &mut *self.pool.connection()?, &payload)
            }
            "auth.context" => {
                let username = payload["username"].as_str().unwrap_or_default();
                users::auth_context(&mut *self.pool.connection()?, username)
            }
            other => Err(openimis_sdk::service::unknown("core", other)),
        }
    }

    fn migrations(&self) -> Vec<Migration> {
        migrations![
            "0000" => "a database_postgresql install brought to the original's shape", postgres: "migrations/postgres/0000_original_shape.sql", sqlite: "migrations/sqlite/0000_original_shape.sql";
            "0001" => "core tables", postgres: "migrations/postgres/0001_core.sql", sqlite: "migrations/sqlite/0001_core.sql";
            "0002" => "user history tables", postgres: "migrations/postgres/0002_user_history.sql", sqlite: "migrations/sqlite/0002_user_history.sql";
            "0003" => "login failures and password reset tokens", postgres: "migrations/postgres/0003_passwords.sql", sqlite: "migrations/sqlite/0003_passwords.sql";
        ]
    }
}

openimis_sdk::export_module!(
    Core,
    manifest::manifest().translations(openimis_sdk::translations!["en", "fr"])
);

/// Re-exported for the submodules' signatures.
pub(crate) type Conn = DbConnection;

// The host's checker of import cycles between files (its own tests run on core's `src/`).
#[cfg(test)]
#[allow(dead_code)]
#[path = "../../../host/src/import_graph.rs"]
mod import_graph;

#[cfg(test)]
mod tests {
    #[test]
    fn no_import_cycles_between_core_files() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        crate::import_graph::assert_no_cycles(&src);
        let graph = crate::import_graph::Graph::read(&src).unwrap();
        assert!(graph.cycles().is_empty());
    }
}
