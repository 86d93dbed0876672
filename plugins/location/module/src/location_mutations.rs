//! `createLocation`, `updateLocation`, `deleteLocation` and `moveLocation` through the mutation
//! log, each in one transaction, with the original's rules (location.md §5): R/D need 121906,
//! updates change the row in place, deletes and moves are [`crate::location_tree`]'s.

use crate::location_tree::{self, by_uuid};
use crate::manifest::{
    CREATE_LOCATIONS, DELETE_LOCATIONS, EDIT_LOCATIONS, MOVE_LOCATION, REGIONS_AND_DISTRICTS,
};
use crate::mutation_checks::{allowed, code_free};
use crate::mutation_links::{link, link_named, Linked};
use crate::security::forget_scopes_after;
use crate::specs::LOCATION;
use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::mutation::{run_logged, run_logged_linked, threw, unknown, MutationError};
use openimis_sdk::transaction::in_transaction;
use openimis_sdk::{entity, time, HostHandle, ModuleError, RequestContext, ResolveRequest};
use serde::Deserialize;
use serde_json::{json, Map, Value};

/// The location mutations' input (`clientMutation*` are the log's).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct LocationInput {
    uuid: Option<String>,
    code: Option<String>,
    name: Option<String>,
    #[serde(rename = "type")]
    type_code: Option<String>,
    male_population: Option<i64>,
    female_population: Option<i64>,
    other_population: Option<i64>,
    families: Option<i64>,
    parent_uuid: Option<String>,
    new_parent_uuid: Option<String>,
}

type Errors = Vec<MutationError>;

fn failed(message: &str, detail: impl ToString) -> Errors {
    vec![MutationError {
        message: message.to_owned(),
        detail: Some(detail.to_string()),
    }]
}

/// A text the original reads as given only when not empty.
fn given(text: &Option<String>) -> Option<&str> {
    text.as_deref().filter(|s| !s.is_empty())
}

/// The rights rule of `LocationService`: R and D need 121906, the others 121902.
fn may_write(context: &RequestContext, type_code: &str) -> Result<(), String> {
    if matches!(type_code, "R" | "D") {
        if !context.holds(REGIONS_AND_DISTRICTS) {
            return Err("unauthorized_to_create_update_region_district".into());
        }
    } else if !context.holds(CREATE_LOCATIONS) {
        return Err("unauthorized_to_create_or_update_municipalities_and_villages".into());
    }
    Ok(())
}

/// A district gets a `tblUsersDistricts` row for the acting interactive user (get_or_create).
fn ensure_user_district(conn: &mut Conn, at: i64, user: Option<i64>) -> Result<(), ModuleError> {
    let Some(user) = user else { return Ok(()) };
    let stamp = db::timestamp_param(conn);
    let sql = format!(
        r#"INSERT INTO "tblUsersDistricts" ("UserID", "LocationId", "ValidityFrom", "AuditUserID") SELECT ?, ?, {stamp}, ?
           WHERE NOT EXISTS (SELECT 1 FROM "tblUsersDistricts" WHERE "UserID" = ? AND "LocationId" = ? AND "ValidityTo" IS NULL)"#
    );
    let (who, at) = (Bind::BigInt(Some(user)), Bind::BigInt(Some(at)));
    let binds = [
        who.clone(),
        at.clone(),
        Bind::text(time::now()),
        who.clone(),
        who,
        at,
    ];
    db::execute(conn, &sql, &binds).map(drop)
}

/// Inserts a location from `values` (keyed as [`LOCATION`] declares them), audited by
/// `audit` (null without one): answers its id.
pub fn insert(conn: &mut Conn, values: &Value, audit: Option<i64>) -> Result<i64, ModuleError> {
    let id = entity::insert(conn, &LOCATION, values, audit.unwrap_or_default())?;
    if audit.is_none() {
        entity::update_in_place(conn, &LOCATION, id, &json!({}), None)?;
    }
    Ok(id)
}

/// `LocationService.update_or_create`: answers the location's id.
fn update_or_create(
    conn: &mut Conn,
    input: &LocationInput,
    context: &RequestContext,
    creating: bool,
) -> Result<i64, String> {
    let message = |e: ModuleError| e.message.to_string();
    let code = given(&input.code).unwrap_or_default();
    let type_code = given(&input.type_code).unwrap_or_default();
    may_write(context, type_code)?;
    let audit = context.interactive_user_id();
    let existing = match (creating, given(&input.uuid)) {
        (false, Some(uuid)) => Some(by_uuid(conn, uuid).map_err(message)?),
        (false, None) => return Err("There is no uuid in updateMutation input!".into()),
        (true, _) => None,
    };
    let same_code = existing.as_ref().and_then(|l| l.code.as_deref()) == Some(code);
    if !same_code && !code_free(conn, "tblLocations", "LocationCode", code).map_err(message)? {
        return Err("['mutation.location_code_duplicated']".into());
    }
    let parent = match given(&input.parent_uuid) {
        Some(uuid) => Some(by_uuid(conn, uuid).map_err(message)?.id),
        None => None,
    };
    let values = json!({
        "code": code, "name": given(&input.name), "type": type_code, "parent": parent,
        "malePopulation": input.male_population, "femalePopulation": input.female_population,
        "otherPopulation": input.other_population, "families": input.families,
    });
    let id = match existing {
        Some(l) => entity::update_in_place(conn, &LOCATION, l.id, &values, audit).map(|_| l.id),
        None => insert(conn, &values, audit),
    }
    .map_err(message)?;
    if type_code == "D" {
        ensure_user_district(conn, id, audit).map_err(message)?;
    }
    Ok(id)
}

/// Resolves one of the location mutations.
pub fn resolve(
    host: &HostHandle,
    conn: &mut Conn,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    let (context, name) = (&request.context, request.field.name.as_str());
    let (right, message) = match name {
        "createLocation" => (
            CREATE_LOCATIONS,
            "location.mutation.failed_to_create_location",
        ),
        "updateLocation" => (
            EDIT_LOCATIONS,
            "location.mutation.failed_to_update_location",
        ),
        "deleteLocation" => (
            DELETE_LOCATIONS,
            "location.mutation.failed_to_delete_location",
        ),
        "moveLocation" => (MOVE_LOCATION, "location.mutation.failed_to_move_location"),
        other => return Err(unknown("location", other)),
    };
    let creating = name == "createLocation";
    let mutate = |conn: &mut Conn, map: &Map<String, Value>, log: &str| -> Result<(), Errors> {
        let input: LocationInput = entity::input(map).map_err(|e| vec![e])?;
        let fail = |d: String| failed(message, d);
        let db_fail = |e: ModuleError| failed(message, e.message);
        let (code, type_code) = (given(&input.code), given(&input.type_code));
        let sql = r#"SELECT COUNT(*) AS n FROM "tblLocations" WHERE "ValidityTo" IS NULL AND "LocationCode" = ? AND "LocationType" = ?"#;
        let binds = [
            Bind::text(code.unwrap_or_default()),
            Bind::text(type_code.unwrap_or_default()),
        ];
        if creating && db::count(conn, sql, &binds).map_err(db_fail)? > 0 {
            // Raised outside the original's own error handling: the generic text.
            return Err(vec![threw("django.core.exceptions.ValidationError")]);
        }
        let (uuid, new_parent) = (
            given(&input.uuid).unwrap_or_default(),
            given(&input.new_parent_uuid),
        );
        let outcome = in_transaction(conn, |conn| match name {
            "createLocation" | "updateLocation" => {
                allowed(context, right).map_err(db_fail)?;
                let id = update_or_create(conn, &input, context, creating).map_err(fail)?;
                match creating {
                    true => link(conn, Linked::Location, id as i32, log).map_err(db_fail),
                    false => Ok(()),
                }
            }
            _ if !context.holds(right) => Err(fail("unauthorized".into())),
            "deleteLocation" => location_tree::delete(conn, uuid, new_parent).map_err(db_fail),
            _ => location_tree::relocate(conn, uuid, new_parent).map_err(db_fail),
        });
        forget_scopes_after(host, outcome)
    };
    match creating {
        true => run_logged(host, request, |map, log| mutate(conn, map, log)),
        false => run_logged_linked(host, request, conn, link_named(Linked::Location), mutate),
    }
}
