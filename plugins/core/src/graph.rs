//! The one completer of core's read side: every root query of users, officers, claim
//! administrators, roles and the mutation log runs with an [`Access`] whose extend hook is
//! [`Graph::extend`], so a relation between two files is a dispatch here, never a call from one
//! file into the other (and core's read files import no sibling but `entities`).

use crate::entities::{CLAIM_ADMIN, I_USER, OFFICER};
use crate::{claim_admins, interactive_users, mutation_log, officers, roles, settings_queries};
use crate::{user_entities, user_queries, users, Conn};
use openimis_sdk::entity::{self, Access, EntitySpec, Reach};
use openimis_sdk::sql_filter::Where;
use openimis_sdk::{EntitiesRequest, HostHandle, ModuleError, RequestContext};
use openimis_sdk::{ResolveRequest, SelectionField};
use serde_json::Value;
use std::cell::OnceCell;

/// The caller's view of core's graph for one request.
pub struct Graph<'a> {
    pub host: &'a HostHandle,
    pub context: &'a RequestContext,
    admin: OnceCell<bool>,
}

fn every_row(_: &EntitySpec, _: Reach, _: &mut Where) -> Result<(), ModuleError> {
    Ok(())
}

impl<'a> Graph<'a> {
    pub fn new(host: &'a HostHandle, context: &'a RequestContext) -> Self {
        Self {
            host,
            context,
            admin: OnceCell::new(),
        }
    }

    /// Whether the caller is an IMIS administrator (who reads every mutation log), asked once.
    pub fn is_admin(&self, conn: &mut Conn) -> Result<bool, ModuleError> {
        if let Some(known) = self.admin.get() {
            return Ok(*known);
        }
        let username = self.context.user.get("username").and_then(Value::as_str);
        let admin = match username {
            Some(name) if !name.is_empty() => users::is_imis_admin(conn, name)?,
            _ => false,
        };
        Ok(*self.admin.get_or_init(|| admin))
    }

    /// Runs `body` with the access every load of core's entities goes through.
    pub fn with<T>(&self, body: impl FnOnce(&Access) -> T) -> T {
        let extend =
            |conn: &mut Conn, spec: &EntitySpec, rows: &mut [Value], sel: &[SelectionField]| {
                self.extend(spec, rows, sel, conn)
            };
        body(&Access {
            rows: &every_row,
            extend: &extend,
        })
    }

    /// The computed fields and cross-file relations of a batch of `spec` rows.
    fn extend(
        &self,
        spec: &EntitySpec,
        rows: &mut [Value],
        sel: &[SelectionField],
        conn: &mut Conn,
    ) -> Result<(), ModuleError> {
        self.with(|access| match spec.type_name {
            "InteractiveUserGQLType" => {
                interactive_users::extend(conn, rows, sel, access)?;
                user_queries::user_sets(conn, "i_user_id", rows, sel, access)
            }
            "OfficerGQLType" => user_queries::user_sets(conn, "officer_id", rows, sel, access),
            "ClaimAdminGQLType" => {
                user_queries::user_sets(conn, "claim_admin_id", rows, sel, access)
            }
            "RoleGQLType" => roles::extend(conn, rows, sel, access),
            "UserRoleGQLType" => {
                // The original's `UserRoleGQLType.id` is the plain key.
                for row in rows.iter_mut() {
                    row["id"] = row["pk"].clone();
                }
                Ok(())
            }
            "UserGQLType" => {
                user_queries::extend(conn, self.context, rows, sel)?;
                // Only `mutationlogSet` reads it: two statements a page need not pay otherwise.
                let asks_logs = sel.iter().any(|f| f.name == "mutationlogSet");
                let admin = asks_logs && self.context.is_authenticated() && self.is_admin(conn)?;
                mutation_log::attach_to_users(conn, self.context, admin, rows, sel, access)
            }
            "LanguageGQLType" => interactive_users::language_sets(conn, rows, sel, access),
            _ => Ok(()),
        })
    }

    /// core's read root fields.
    pub fn resolve(&self, conn: &mut Conn, request: &ResolveRequest) -> Result<Value, ModuleError> {
        let (host, context, field) = (self.host, self.context, &request.field);
        self.with(|access| match field.name.as_str() {
            "users" => user_queries::users(host, conn, field, access),
            "user" => user_queries::current(conn, context, field, access),
            "interactiveUsers" => interactive_users::query(conn, field, access),
            "enrolmentOfficers" => officers::enrolment_officers(conn, field, access),
            "substitutionEnrolmentOfficers" => {
                officers::substitution_officers(host, conn, field, access)
            }
            "claimAdmins" => claim_admins::query(host, conn, field, access),
            "role" | "roleRight" => roles::query(conn, field, access),
            "languages" => settings_queries::languages(conn, request, access),
            "userObligatoryFields" | "eoObligatoryFields" => {
                Ok(user_queries::obligatory_fields(context))
            }
            "mutationLogs" => {
                let admin = self.is_admin(conn)?;
                mutation_log::query(conn, request, admin, access)
            }
            other => Err(ModuleError::new(
                "NOT_SUPPORTED",
                format!("core has no read field {other}"),
            )),
        })
    }

    /// Federation's entities of core's types, in key order.
    pub fn entities(
        &self,
        conn: &mut Conn,
        request: &EntitiesRequest,
    ) -> Result<Vec<Value>, ModuleError> {
        // As core's user lists: no user, officer or claim administrator without a login.
        entity::logged_in(self.context)?;
        let spec = match request.type_name.as_str() {
            "InteractiveUserGQLType" => &I_USER,
            "OfficerGQLType" => &OFFICER,
            "ClaimAdminGQLType" => &CLAIM_ADMIN,
            _ => return self.with(|access| user_entities::entities(conn, request, access)),
        };
        let (keys, sel) = (&request.keys, &request.selection);
        self.with(|access| openimis_sdk::entity::by_keys(conn, spec, keys, sel, access))
    }
}
