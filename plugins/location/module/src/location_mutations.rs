//! `createLocation`, `updateLocation`, `deleteLocation` and `moveLocation` through the mutation
//! log, each in one transaction, with the original's rules (location.md §5): R/D need 121906,
//! updates change the row in place, a delete ends the subtree (or re-parents the children), a
//! move saves history and re-types the subtree when the new parent is not one level up.

use crate::manifest::{
    CREATE_LOCATIONS, DELETE_LOCATIONS, EDIT_LOCATIONS, MOVE_LOCATION, REGIONS_AND_DISTRICTS,
};
use crate::mutation_links::{link, link_named_row, Linked};
use crate::rows::{location_by_uuid, LocationRow};
use crate::security::forget_scopes_after;
use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::mutation::{run_logged, run_logged_linked, MutationError};
use openimis_sdk::time;
use openimis_sdk::transaction::in_transaction;
use openimis_sdk::versioned::{save_history, VersionedTable};
use openimis_sdk::{HostHandle, ModuleError, RequestContext, ResolveRequest};
use serde_json::{Map, Value};

/// `tblLocations` as a versioned table.
pub const LOCATIONS: VersionedTable = VersionedTable {
    table: "tblLocations",
    id: "LocationId",
    uuid: Some("LocationUUID"),
    legacy_id: "LegacyID",
    columns: &[
        "LocationCode",
        "LocationName",
        "ParentLocationId",
        "LocationType",
        "MalePopulation",
        "FemalePopulation",
        "OtherPopulation",
        "Families",
        "ValidityFrom",
        "AuditUserId",
        "JsonExt",
    ],
};

type Errors = Vec<MutationError>;

fn failed(message: &str, detail: impl ToString) -> Errors {
    vec![MutationError {
        message: message.to_owned(),
        detail: Some(detail.to_string()),
    }]
}

fn db_err(message: &'static str) -> impl Fn(ModuleError) -> Errors {
    move |e| failed(message, e.message)
}

fn text<'i>(input: &'i Map<String, Value>, key: &str) -> Option<&'i str> {
    input
        .get(key)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
}

fn int(input: &Map<String, Value>, key: &str) -> Bind {
    Bind::Int(input.get(key).and_then(Value::as_i64).map(|n| n as i32))
}

/// The level codes, top-down (`location_types`).
pub const LOCATION_TYPES: [&str; 4] = ["R", "D", "W", "V"];

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

/// The original's validation signal: the location an input's `uuid` names is linked when
/// the mutation is logged, so it answers the mutation's `clientMutationId` while it waits.
fn link_named(conn: &mut Conn, input: &Map<String, Value>, log: &str) -> Result<(), ModuleError> {
    link_named_row(conn, Linked::Location, input, log)
}

/// A district gets a `tblUsersDistricts` row for the acting interactive user (get_or_create).
fn ensure_user_district(
    conn: &mut Conn,
    location: i32,
    user: Option<i64>,
) -> Result<(), ModuleError> {
    let Some(user) = user else { return Ok(()) };
    let exists = db::count(
        conn,
        r#"SELECT COUNT(*) AS n FROM "tblUsersDistricts" WHERE "UserID" = ? AND "LocationId" = ? AND "ValidityTo" IS NULL"#,
        &[Bind::BigInt(Some(user)), Bind::Int(Some(location))],
    )?;
    if exists == 0 {
        let stamp = db::timestamp_param(conn);
        db::execute(
            conn,
            &format!(
                r#"INSERT INTO "tblUsersDistricts" ("UserID", "LocationId", "ValidityFrom", "AuditUserID") VALUES (?, ?, {stamp}, ?)"#
            ),
            &[
                Bind::BigInt(Some(user)),
                Bind::Int(Some(location)),
                Bind::text(time::now()),
                Bind::Int(Some(user as i32)),
            ],
        )?;
    }
    Ok(())
}

/// `LocationService.update_or_create`: answers the location's id.
fn update_or_create(
    conn: &mut Conn,
    input: &Map<String, Value>,
    context: &RequestContext,
    creating: bool,
) -> Result<i32, String> {
    let code = text(input, "code").unwrap_or_default();
    let type_code = text(input, "type").unwrap_or_default();
    may_write(context, type_code)?;
    let audit = context.interactive_user_id();
    let existing = match (creating, text(input, "uuid")) {
        (false, Some(uuid)) => Some(
            location_by_uuid(conn, uuid)
                .map_err(|e| e.message.to_string())?
                .ok_or("Location matching query does not exist.")?,
        ),
        (false, None) => return Err("There is no uuid in updateMutation input!".into()),
        (true, _) => None,
    };
    if existing.as_ref().and_then(|l| l.code.as_deref()) != Some(code) {
        let taken = db::count(conn, r#"SELECT COUNT(*) AS n FROM "tblLocations" WHERE "ValidityTo" IS NULL AND "LocationCode" = ?"#, &[Bind::text(code)])
            .map_err(|e| e.message.to_string())?;
        if taken > 0 {
            return Err("['mutation.location_code_duplicated']".into());
        }
    }
    let parent = match text(input, "parentUuid") {
        Some(uuid) => Some(
            location_by_uuid(conn, uuid)
                .map_err(|e| e.message.to_string())?
                .ok_or("Location matching query does not exist.")?
                .id,
        ),
        None => None,
    };
    let values = [
        Bind::text(code),
        Bind::Text(text(input, "name").map(str::to_owned)),
        Bind::text(type_code),
        Bind::Int(parent),
        int(input, "malePopulation"),
        int(input, "femalePopulation"),
        int(input, "otherPopulation"),
        int(input, "families"),
        Bind::Int(audit.map(|a| a as i32)),
    ];
    let id = match existing {
        Some(location) => {
            db::execute(
                conn,
                r#"UPDATE "tblLocations" SET "LocationCode" = ?, "LocationName" = ?, "LocationType" = ?, "ParentLocationId" = ?,
                   "MalePopulation" = ?, "FemalePopulation" = ?, "OtherPopulation" = ?, "Families" = ?, "AuditUserId" = ? WHERE "LocationId" = ?"#,
                &[&values[..], &[Bind::Int(Some(location.id))]].concat(),
            )
            .map_err(|e| e.message.to_string())?;
            location.id
        }
        None => insert(conn, &values).map_err(|e| e.message.to_string())?,
    };
    if type_code == "D" {
        ensure_user_district(conn, id, audit).map_err(|e| e.message.to_string())?;
    }
    Ok(id)
}

/// Inserts a location from `[code, name, type, parent, male, female, other, families, audit]`.
pub fn insert(conn: &mut Conn, values: &[Bind; 9]) -> Result<i32, ModuleError> {
    let uuid = uuid::Uuid::new_v4().to_string();
    let stamp = db::timestamp_param(conn);
    db::execute(
        conn,
        &format!(
            r#"INSERT INTO "tblLocations" ("LocationUUID", "LocationCode", "LocationName", "LocationType", "ParentLocationId",
               "MalePopulation", "FemalePopulation", "OtherPopulation", "Families", "AuditUserId", "ValidityFrom")
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {stamp})"#
        ),
        &[&[Bind::text(&uuid)][..], values, &[Bind::text(time::now())]].concat(),
    )?;
    Ok(location_by_uuid(conn, &uuid)?
        .map(|l| l.id)
        .unwrap_or_default())
}

/// Ends `ids` and, recursively, all their children (valid or not), at `now`.
fn end_tree(conn: &mut Conn, ids: Vec<i32>, now: &str) -> Result<(), ModuleError> {
    let mut level = ids;
    while !level.is_empty() {
        let list = crate::rows::id_list(&level);
        let children: Vec<LocationRow> = db::load(
            conn,
            &format!(
                r#"SELECT {} FROM "tblLocations" l WHERE l."ParentLocationId" IN ({list}) AND l."LocationId" NOT IN ({list})"#,
                crate::rows::LOCATION_COLUMNS
            ),
            &[],
        )?;
        let child_ids: Vec<i32> = children.iter().map(|c| c.id).collect();
        if !child_ids.is_empty() {
            let stamp = db::timestamp_param(conn);
            db::execute(
                conn,
                &format!(
                    r#"UPDATE "tblLocations" SET "ValidityTo" = {stamp} WHERE "LocationId" IN ({})"#,
                    crate::rows::id_list(&child_ids)
                ),
                &[Bind::text(now)],
            )?;
        }
        level = child_ids;
    }
    Ok(())
}

fn delete(conn: &mut Conn, input: &Map<String, Value>) -> Result<(), ModuleError> {
    let uuid = text(input, "uuid").unwrap_or_default();
    let location = location_by_uuid(conn, uuid)?
        .ok_or_else(|| ModuleError::new("NOT_FOUND", "Location matching query does not exist."))?;
    let now = time::now();
    let stamp = db::timestamp_param(conn);
    match text(input, "newParentUuid") {
        Some(np) => {
            let parent = location_by_uuid(conn, np)?.ok_or_else(|| {
                ModuleError::new("NOT_FOUND", "Location matching query does not exist.")
            })?;
            db::execute(
                conn,
                r#"UPDATE "tblLocations" SET "ParentLocationId" = ? WHERE "ParentLocationId" = ? AND "ValidityTo" IS NULL"#,
                &[Bind::Int(Some(parent.id)), Bind::Int(Some(location.id))],
            )?;
        }
        None => end_tree(conn, vec![location.id], &now)?,
    }
    db::execute(
        conn,
        &format!(r#"UPDATE "tblLocations" SET "ValidityTo" = {stamp} WHERE "LocationId" = ?"#),
        &[Bind::text(&now), Bind::Int(Some(location.id))],
    )?;
    if location.type_code == "D" {
        db::execute(
            conn,
            &format!(
                r#"UPDATE "tblUsersDistricts" SET "ValidityTo" = {stamp} WHERE "LocationId" = ? AND "ValidityTo" IS NULL"#
            ),
            &[Bind::text(&now), Bind::Int(Some(location.id))],
        )?;
    }
    Ok(())
}

fn set_type_and_parent(
    conn: &mut Conn,
    id: i32,
    type_code: &str,
    parent: Option<i32>,
) -> Result<(), ModuleError> {
    db::execute(
        conn,
        r#"UPDATE "tblLocations" SET "LocationType" = ?, "ParentLocationId" = ? WHERE "LocationId" = ?"#,
        &[Bind::text(type_code), Bind::Int(parent), Bind::Int(Some(id))],
    )
    .map(drop)
}

/// `tree_reset_types`: `location` (under `parent`) takes level `level`; below the last level
/// it is attached to its grandparent. Each child is saved to history first.
fn reset_types(
    conn: &mut Conn,
    parent: Option<&LocationRow>,
    location: &LocationRow,
    level: usize,
    now: &str,
) -> Result<(), ModuleError> {
    if level >= LOCATION_TYPES.len() {
        return set_type_and_parent(
            conn,
            location.id,
            LOCATION_TYPES[LOCATION_TYPES.len() - 1],
            parent.and_then(|p| p.parent_id),
        );
    }
    set_type_and_parent(
        conn,
        location.id,
        LOCATION_TYPES[level],
        parent.map(|p| p.id),
    )?;
    let mut moved = location.clone();
    moved.parent_id = parent.map(|p| p.id);
    let children: Vec<LocationRow> = db::load(
        conn,
        &format!(
            r#"SELECT {} FROM "tblLocations" l WHERE l."ParentLocationId" = ? AND l."ValidityTo" IS NULL ORDER BY l."LocationId""#,
            crate::rows::LOCATION_COLUMNS
        ),
        &[Bind::Int(Some(location.id))],
    )?;
    for child in children {
        save_history(
            conn,
            &LOCATIONS,
            child.id,
            now,
            &uuid::Uuid::new_v4().to_string(),
        )?;
        reset_types(conn, Some(&moved), &child, level + 1, now)?;
    }
    Ok(())
}

fn relocate(conn: &mut Conn, input: &Map<String, Value>) -> Result<(), ModuleError> {
    let not_found = || ModuleError::new("NOT_FOUND", "Location matching query does not exist.");
    let location =
        location_by_uuid(conn, text(input, "uuid").unwrap_or_default())?.ok_or_else(not_found)?;
    let now = time::now();
    save_history(
        conn,
        &LOCATIONS,
        location.id,
        &now,
        &uuid::Uuid::new_v4().to_string(),
    )?;
    let level = LOCATION_TYPES
        .iter()
        .position(|t| *t == location.type_code)
        .unwrap_or(0) as i64;
    let parent = match text(input, "newParentUuid") {
        Some(np) => Some(location_by_uuid(conn, np)?.ok_or_else(not_found)?),
        None => None,
    };
    let parent_level = parent.as_ref().map_or(-1, |p| {
        LOCATION_TYPES
            .iter()
            .position(|t| *t == p.type_code)
            .unwrap_or(0) as i64
    });
    if parent_level < level - 1 || parent_level >= level {
        reset_types(
            conn,
            parent.as_ref(),
            &location,
            (parent_level + 1) as usize,
            &now,
        )
    } else {
        set_type_and_parent(conn, location.id, &location.type_code, parent.map(|p| p.id))
    }
}

/// Resolves one of the location mutations.
pub fn resolve(
    host: &HostHandle,
    conn: &mut Conn,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    let context = &request.context;
    let login = |context: &RequestContext, code: u32| -> Result<(), String> {
        if !context.is_authenticated() {
            return Err("['mutation.authentication_required']".into());
        }
        if !context.holds(code) {
            return Err("unauthorized".into());
        }
        Ok(())
    };
    match request.field.name.as_str() {
        "createLocation" => run_logged(host, request, |input, log| {
            let code = text(input, "code").unwrap_or_default();
            let type_code = text(input, "type").unwrap_or_default();
            let duplicate = db::count(
                conn,
                r#"SELECT COUNT(*) AS n FROM "tblLocations" WHERE "ValidityTo" IS NULL AND "LocationCode" = ? AND "LocationType" = ?"#,
                &[Bind::text(code), Bind::text(type_code)],
            )
            .map_err(db_err("location.mutation.failed_to_create_location"))?;
            if duplicate > 0 {
                // Raised outside the original's own error handling: the generic text.
                return Err(vec![MutationError::new(
                    "The mutation threw a <class 'django.core.exceptions.ValidationError'>, check logs for details",
                )]);
            }
            let outcome = in_transaction(conn, |conn| {
                let fail = |d: String| failed("location.mutation.failed_to_create_location", d);
                login(context, CREATE_LOCATIONS).map_err(fail)?;
                let id = update_or_create(conn, input, context, true).map_err(fail)?;
                link(conn, Linked::Location, id, log)
                    .map_err(db_err("location.mutation.failed_to_create_location"))
            });
            forget_scopes_after(host, outcome)
        }),
        "updateLocation" => run_logged_linked(host, request, conn, link_named, |conn, input, _| {
            let outcome = in_transaction(conn, |conn| {
                let fail = |d: String| failed("location.mutation.failed_to_update_location", d);
                login(context, EDIT_LOCATIONS).map_err(fail)?;
                update_or_create(conn, input, context, false).map_err(fail)?;
                Ok(())
            });
            forget_scopes_after(host, outcome)
        }),
        "deleteLocation" => run_logged_linked(host, request, conn, link_named, |conn, input, _| {
            let outcome = in_transaction(conn, |conn| {
                let message = "location.mutation.failed_to_delete_location";
                if !context.holds(DELETE_LOCATIONS) {
                    return Err(failed(message, "unauthorized"));
                }
                delete(conn, input).map_err(db_err(message))
            });
            forget_scopes_after(host, outcome)
        }),
        "moveLocation" => run_logged_linked(host, request, conn, link_named, |conn, input, _| {
            let outcome = in_transaction(conn, |conn| {
                let message = "location.mutation.failed_to_move_location";
                if !context.holds(MOVE_LOCATION) {
                    return Err(failed(message, "unauthorized"));
                }
                relocate(conn, input).map_err(db_err(message))
            });
            forget_scopes_after(host, outcome)
        }),
        other => Err(ModuleError::new(
            "NOT_SUPPORTED",
            format!("location has no mutation {other}"),
        )),
    }
}
