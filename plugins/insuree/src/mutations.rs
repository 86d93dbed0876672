//! The nine mutations under core's mutation log (`run_logged`), each in one transaction: any
//! error rolls everything back and the log records the original's messages: the create/update
//! mutations catch everything as `insuree.mutation.failed_to_<verb>_<row>` with the reason as
//! detail; the others check their right outside that (`PermissionDenied`) and report per row.
//! Saved rows are linked to the log (`insuree_InsureeMutation`, `insuree_FamilyMutation`).

use crate::access::Rules;
use crate::config::Config;
use crate::family_save::{self, FamilyInput};
use crate::insuree_save::{self, InsureeInput};
use crate::links::{link, Linked};
use crate::manifest::{
    CREATE_FAMILIES, CREATE_INSUREES, DELETE_FAMILIES, DELETE_INSUREES, UPDATE_FAMILIES,
    UPDATE_INSUREES,
};
use crate::members;
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity;
use openimis_sdk::input::{failure, logged_in_with, validation};
use openimis_sdk::mutation::{run_logged, threw, MutationError, PERMISSION_DENIED};
use openimis_sdk::mutation_link::log_to_link;
use openimis_sdk::row_security::visible_locations;
use openimis_sdk::transaction::in_transaction;
use openimis_sdk::{HostHandle, ModuleError, RequestContext, ResolveRequest};
use serde::Deserialize;
use serde_json::{Map, Value};

type Errors = Vec<MutationError>;

/// `deleteFamilies`, `deleteInsurees`, `removeInsurees`, `setFamilyHead`, `changeInsureeFamily`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RowsInput {
    uuid: Option<String>,
    #[serde(default, deserialize_with = "openimis_sdk::input::strings")]
    uuids: Vec<String>,
    #[serde(default)]
    delete_members: Option<bool>,
    #[serde(default)]
    cancel_policies: Option<bool>,
    insuree_uuid: Option<String>,
    family_uuid: Option<String>,
}

/// A failure under `message` with the reason as detail.
fn text(message: &'static str) -> impl Fn(String) -> Errors {
    move |d| failure(message, d)
}

/// Whether `name` is one of insuree's mutations.
pub fn serves(name: &str) -> bool {
    matches!(
        name,
        "createFamily"
            | "updateFamily"
            | "deleteFamilies"
            | "createInsuree"
            | "updateInsuree"
            | "deleteInsurees"
            | "removeInsurees"
            | "setFamilyHead"
            | "changeInsureeFamily"
    )
}

struct Run<'a> {
    conn: &'a mut DbConnection,
    config: &'a Config,
    rules: &'a Rules<'a>,
    context: &'a RequestContext,
    audit: i64,
}

impl Run<'_> {
    fn save_family(
        &mut self,
        name: &str,
        map: &Map<String, Value>,
        log: &str,
    ) -> Result<(), Errors> {
        let (right, message) = match name {
            "createFamily" => (CREATE_FAMILIES, "insuree.mutation.failed_to_create_family"),
            _ => (UPDATE_FAMILIES, "insuree.mutation.failed_to_update_family"),
        };
        logged_in_with(self.context, right, message)?;
        let input: FamilyInput = entity::input(map).map_err(|e| vec![e])?;
        if let Some(uuid) = input.uuid.as_deref().filter(|_| name == "updateFamily") {
            let found =
                members::family(self.conn, self.rules, uuid).map_err(|d| failure(message, d))?;
            if found.is_none() {
                return Err(failure(message, "Family matching query does not exist."));
            }
        }
        let (config, audit, link_to) = (self.config, self.audit, log_to_link(map, log));
        in_transaction(self.conn, |conn| {
            let (family, _) =
                family_save::save(conn, config, &input, audit).map_err(|d| failure(message, d))?;
            if let Some(log) = link_to {
                link(conn, Linked::Family, family, log)
                    .map_err(|e| failure(message, e.message.to_string()))?;
            }
            Ok(())
        })
    }

    fn save_insuree(
        &mut self,
        name: &str,
        map: &Map<String, Value>,
        log: &str,
    ) -> Result<(), Errors> {
        let message = match name {
            "createInsuree" => "insuree.mutation.failed_to_create_insuree",
            _ => "insuree.mutation.failed_to_update_insuree",
        };
        // updateInsuree checks the create right, as the original.
        logged_in_with(self.context, CREATE_INSUREES, message)?;
        let input: InsureeInput = entity::input(map).map_err(|e| vec![e])?;
        if name == "updateInsuree" {
            let Some(uuid) = input.uuid.as_deref() else {
                return Err(failure(
                    message,
                    validation("There is no uuid in updateMutation input!"),
                ));
            };
            if members::insuree(self.conn, self.rules, uuid)
                .map_err(|d| failure(message, d))?
                .is_none()
            {
                return Err(failure(message, "Insuree matching query does not exist."));
            }
        }
        let (config, audit, link_to) = (self.config, self.audit, log_to_link(map, log));
        in_transaction(self.conn, |conn| {
            let insuree =
                insuree_save::save(conn, config, &input, audit).map_err(|d| failure(message, d))?;
            if let Some(log) = link_to {
                link(conn, Linked::Insuree, insuree, log)
                    .map_err(|e| failure(message, e.message.to_string()))?;
            }
            Ok(())
        })
    }

    fn rows(&mut self, name: &str, map: &Map<String, Value>, log: &str) -> Result<(), Errors> {
        let right_held = match name {
            "deleteFamilies" => self.context.holds(DELETE_FAMILIES),
            "deleteInsurees" | "removeInsurees" => self.context.holds(DELETE_INSUREES),
            "setFamilyHead" => self.context.holds(UPDATE_FAMILIES),
            _ => self.context.holds(UPDATE_FAMILIES) && self.context.holds(UPDATE_INSUREES),
        };
        if !right_held {
            return Err(vec![threw(PERMISSION_DENIED)]);
        }
        let input: RowsInput = entity::input(map).map_err(|e| vec![e])?;
        let (rules, audit, link_to) = (self.rules, self.audit, log_to_link(map, log));
        in_transaction(self.conn, |conn| {
            let (families, insurees) = match name {
                "deleteFamilies" => {
                    let members = input.delete_members.unwrap_or(false);
                    (
                        members::delete_families(conn, rules, &input.uuids, members, audit)?,
                        vec![],
                    )
                }
                "deleteInsurees" => (
                    vec![],
                    members::delete_or_remove(conn, rules, &input.uuids, None, audit)?,
                ),
                "removeInsurees" => {
                    let cancel = Some(input.cancel_policies.unwrap_or(false));
                    (
                        vec![],
                        members::delete_or_remove(conn, rules, &input.uuids, cancel, audit)?,
                    )
                }
                "setFamilyHead" => {
                    let family = input.uuid.as_deref().unwrap_or_default();
                    let insuree = input.insuree_uuid.as_deref().unwrap_or_default();
                    let done = members::set_head(conn, rules, family, insuree, audit)
                        .map_err(text("insuree.mutation.failed_to_set_head_insuree"))?;
                    (vec![done], vec![])
                }
                _ => {
                    let family = input.family_uuid.as_deref().unwrap_or_default();
                    let insuree = input.insuree_uuid.as_deref().unwrap_or_default();
                    let cancel = input.cancel_policies.unwrap_or(false);
                    let (f, i) =
                        members::change_family(conn, rules, family, insuree, cancel, audit)
                            .map_err(text("insuree.mutation.failed_to_change_insuree_family"))?;
                    (vec![f], vec![i])
                }
            };
            if let Some(log) = link_to {
                let failed = |e: ModuleError| vec![MutationError::new(e.message.to_string())];
                for family in families {
                    link(conn, Linked::Family, family, log).map_err(failed)?;
                }
                for insuree in insurees {
                    link(conn, Linked::Insuree, insuree, log).map_err(failed)?;
                }
            }
            Ok(())
        })
    }
}

/// Resolves one of insuree's mutations.
pub fn resolve(
    host: &HostHandle,
    conn: &mut DbConnection,
    config: &Config,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    let context = &request.context;
    let allowed = match context.is_authenticated() {
        true => visible_locations(host, context)?,
        false => None,
    };
    let rules = Rules {
        host: Some(host),
        allowed,
        excluded: &config.excluded_insuree_chfids,
        photo_root: &config.insuree_photos_root_path,
    };
    let name = request.field.name.as_str();
    let mut run = Run {
        conn,
        config,
        rules: &rules,
        context,
        audit: context.interactive_user_id().unwrap_or_default(),
    };
    run_logged(host, request, |map, log| match name {
        "createFamily" | "updateFamily" => run.save_family(name, map, log),
        "createInsuree" | "updateInsuree" => run.save_insuree(name, map, log),
        _ => run.rows(name, map, log),
    })
}
