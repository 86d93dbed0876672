//! `createRole`, `updateRole`, `deleteRole`, `duplicateRole` through the mutation log, with the
//! original's semantics: an update first copies the role to history (`LegacyID`, `ValidityTo`)
//! and end-dates every right before reviving or adding the chosen ones; a delete end-dates the
//! role; a duplicate copies it (and its rights) under a new uuid; creations link the role to
//! the mutation (`core_RoleMutation`). Each mutation writes in one transaction (deleteRole's
//! per-role updates are single statements, and the original keeps the roles it could delete).

use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::input::{self, authenticated, failure, permitted, validation};
use openimis_sdk::mutation::{run_logged, MutationError};
use openimis_sdk::time;
use openimis_sdk::transaction::in_transaction;
use openimis_sdk::{HostHandle, ModuleError, ResolveRequest};
use serde::Deserialize;
use serde_json::{Map, Value};

/// The input of `createRole`, `updateRole`, `duplicateRole` and `deleteRole`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RoleInput {
    uuid: Option<String>,
    name: Option<String>,
    alt_language: Option<String>,
    is_system: Option<bool>,
    is_blocked: Option<bool>,
    #[serde(default, deserialize_with = "input::ints")]
    rights_id: Option<Vec<i64>>,
    #[serde(default, deserialize_with = "input::strings")]
    uuids: Vec<String>,
}

impl RoleInput {
    fn rights(&self) -> Option<Vec<i32>> {
        self.rights_id
            .as_ref()
            .map(|rights| rights.iter().map(|&r| r as i32).collect())
    }

    /// Name, alternative language, system flag (the original stores `isSystem: true` as 1)
    /// and blocked flag, in the column order both the insert and the update use.
    fn binds(&self) -> [Bind; 4] {
        [
            Bind::Text(self.name.clone()),
            Bind::Text(self.alt_language.clone()),
            Bind::Int(Some(i32::from(self.is_system == Some(true)))),
            Bind::Bool(Some(self.is_blocked == Some(true))),
        ]
    }
}

#[derive(diesel::QueryableByName)]
struct RoleKey {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    id: i32,
    #[diesel(sql_type = diesel::sql_types::Text)]
    uuid: String,
}

#[derive(diesel::QueryableByName)]
struct RightKey {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    right_id: i32,
}

fn role_by_uuid(conn: &mut Conn, uuid: &str) -> Result<Option<RoleKey>, ModuleError> {
    let rows: Vec<RoleKey> = db::load(
        conn,
        r#"SELECT "RoleID" AS id, "RoleUUID" AS uuid FROM "tblRole" WHERE "RoleUUID" = ? AND "ValidityTo" IS NULL"#,
        &[Bind::text(uuid)],
    )?;
    Ok(rows.into_iter().next())
}

/// `Role code X already exists` unless the name is free (or held by `uuid` itself).
fn name_taken(conn: &mut Conn, name: &str, uuid: Option<&str>) -> Result<bool, ModuleError> {
    let rows: Vec<RoleKey> = db::load(
        conn,
        r#"SELECT "RoleID" AS id, "RoleUUID" AS uuid FROM "tblRole" WHERE "RoleName" = ? AND "ValidityTo" IS NULL"#,
        &[Bind::text(name)],
    )?;
    Ok(rows.iter().any(|r| Some(r.uuid.as_str()) != uuid))
}

fn insert_role(
    conn: &mut Conn,
    input: &RoleInput,
    audit: Option<i32>,
) -> Result<RoleKey, ModuleError> {
    let uuid = uuid::Uuid::new_v4().to_string();
    let stamp = db::timestamp_param(conn);
    db::execute(
        conn,
        &format!(
            r#"INSERT INTO "tblRole" ("RoleUUID", "RoleName", "AltLanguage", "IsSystem", "IsBlocked", "ValidityFrom", "AuditUserID")
               VALUES (?, ?, ?, ?, ?, {stamp}, ?)"#
        ),
        &[
            &[Bind::text(&uuid)][..],
            &input.binds(),
            &[Bind::text(time::now()), Bind::Int(audit)],
        ]
        .concat(),
    )?;
    Ok(role_by_uuid(conn, &uuid)?.expect("just inserted"))
}

fn add_right(
    conn: &mut Conn,
    role: i32,
    right: i32,
    audit: Option<i32>,
) -> Result<(), ModuleError> {
    let stamp = db::timestamp_param(conn);
    db::execute(
        conn,
        &format!(r#"INSERT INTO "tblRoleRight" ("RoleID", "RightID", "ValidityFrom", "AuditUserId") VALUES (?, ?, {stamp}, ?)"#),
        &[Bind::Int(Some(role)), Bind::Int(Some(right)), Bind::text(time::now()), Bind::Int(audit)],
    )
    .map(drop)
}

fn link(conn: &mut Conn, role: i32, log: &str) -> Result<(), ModuleError> {
    let uuid = db::uuid_param(conn);
    db::execute(
        conn,
        &format!(r#"INSERT INTO "core_RoleMutation" ("id", "role_id", "mutation_id") VALUES ({uuid}, ?, {uuid})"#),
        &[Bind::text(uuid::Uuid::new_v4().to_string()), Bind::Int(Some(role)), Bind::text(log)],
    )
    .map(drop)
}

fn update(
    conn: &mut Conn,
    role: &RoleKey,
    input: &RoleInput,
    audit: Option<i32>,
) -> Result<(), ModuleError> {
    let now = time::now();
    let stamp = db::timestamp_param(conn);
    // History copy of the current row (new id and uuid, LegacyID → the role, ValidityTo = now).
    db::execute(
        conn,
        &format!(
            r#"INSERT INTO "tblRole" ("RoleUUID", "RoleName", "AltLanguage", "IsSystem", "IsBlocked", "ValidityFrom", "ValidityTo", "LegacyID", "AuditUserID")
               SELECT ?, "RoleName", "AltLanguage", "IsSystem", "IsBlocked", "ValidityFrom", {stamp}, "RoleID", "AuditUserID" FROM "tblRole" WHERE "RoleID" = ?"#
        ),
        &[
            Bind::text(uuid::Uuid::new_v4().to_string()),
            Bind::text(&now),
            Bind::Int(Some(role.id)),
        ],
    )?;
    db::execute(
        conn,
        r#"UPDATE "tblRole" SET "RoleName" = ?, "AltLanguage" = ?, "IsSystem" = ?, "IsBlocked" = ?, "AuditUserID" = ? WHERE "RoleID" = ?"#,
        &[
            &input.binds()[..],
            &[Bind::Int(audit), Bind::Int(Some(role.id))],
        ]
        .concat(),
    )?;
    if let Some(rights) = input.rights() {
        let assigned: Vec<RightKey> = db::load(
            conn,
            r#"SELECT DISTINCT "RightID" AS right_id FROM "tblRoleRight" WHERE "RoleID" = ?"#,
            &[Bind::Int(Some(role.id))],
        )?;
        db::execute(
            conn,
            &format!(r#"UPDATE "tblRoleRight" SET "ValidityTo" = {stamp} WHERE "RoleID" = ?"#),
            &[Bind::text(&now), Bind::Int(Some(role.id))],
        )?;
        for right in rights {
            if assigned.iter().any(|a| a.right_id == right) {
                db::execute(
                    conn,
                    r#"UPDATE "tblRoleRight" SET "ValidityTo" = NULL WHERE "RoleID" = ? AND "RightID" = ?"#,
                    &[Bind::Int(Some(role.id)), Bind::Int(Some(right))],
                )?;
            } else {
                add_right(conn, role.id, right, audit)?;
            }
        }
    }
    Ok(())
}

/// A new role's rights, then its link to the mutation.
fn grant_and_link(
    conn: &mut Conn,
    role: i32,
    rights: Vec<i32>,
    audit: Option<i32>,
    log: &str,
) -> Result<(), ModuleError> {
    for right in rights {
        add_right(conn, role, right, audit)?;
    }
    link(conn, role, log)
}

/// `createRole`, `updateRole`, `deleteRole` and `duplicateRole`, each through the mutation log.
pub fn resolve(
    host: &HostHandle,
    conn: &mut Conn,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    let audit = request.context.interactive_user_id().map(|id| id as i32);
    // The original's checks, in its order: a login, then the right; both recorded as the
    // mutation's failure, not raised. Then the input, read.
    let allowed = |code: u32,
                   fail: &dyn Fn(String) -> Vec<MutationError>,
                   input: &Map<String, Value>|
     -> Result<RoleInput, Vec<MutationError>> {
        authenticated(&request.context, fail)?;
        permitted(&request.context, code, fail)?;
        input::parse(input).map_err(fail)
    };
    match request.field.name.as_str() {
        "createRole" => run_logged(host, request, |input, log| {
            in_transaction(conn, |conn| {
                let fail = |detail: String| failure("core.mutation.failed_to_create_role", detail);
                let input = &allowed(122002, &fail, input)?;
                let name = input.name.as_deref().unwrap_or_default();
                if name_taken(conn, name, None).map_err(|e| fail(e.message.to_string()))? {
                    return Err(fail(validation("mutation.duplicate_of_role_name")));
                }
                let role =
                    insert_role(conn, input, audit).map_err(|e| fail(e.message.to_string()))?;
                let rights = input.rights().unwrap_or_default();
                grant_and_link(conn, role.id, rights, audit, log)
                    .map_err(|e| fail(e.message.to_string()))
            })
        }),
        "updateRole" => run_logged(host, request, |input, _log| {
            in_transaction(conn, |conn| {
                let fail = |detail: String| failure("core.mutation.failed_to_update_role", detail);
                let input = &allowed(122003, &fail, input)?;
                let Some(uuid) = input.uuid.as_deref() else {
                    return Err(fail(validation(
                        "There is no uuid in updateMutation input!",
                    )));
                };
                let name = input.name.as_deref().unwrap_or_default();
                if name_taken(conn, name, Some(uuid)).map_err(|e| fail(e.message.to_string()))? {
                    return Err(fail(validation("mutation.duplicate_of_role_name")));
                }
                let role = role_by_uuid(conn, uuid)
                    .map_err(|e| fail(e.message.to_string()))?
                    .ok_or_else(|| fail("Role matching query does not exist.".into()))?;
                update(conn, &role, input, audit).map_err(|e| fail(e.message.to_string()))
            })
        }),
        "deleteRole" => run_logged(host, request, |input, _log| {
            let refused = |message: String| vec![MutationError::new(message)];
            permitted(&request.context, 122004, refused)?;
            let input: RoleInput = input::parse(input).map_err(refused)?;
            let mut errors = Vec::new();
            for uuid in &input.uuids {
                let stamp = db::timestamp_param(conn);
                let changed = db::execute(
                    conn,
                    &format!(
                        r#"UPDATE "tblRole" SET "ValidityTo" = {stamp} WHERE "RoleUUID" = ? AND "ValidityTo" IS NULL"#
                    ),
                    &[Bind::text(time::now()), Bind::text(uuid)],
                );
                if !matches!(changed, Ok(1)) {
                    errors.push(MutationError::new(format!(
                        "role.validation.id_does_not_exist: {uuid}"
                    )));
                }
            }
            if errors.is_empty() {
                Ok(())
            } else {
                Err(errors)
            }
        }),
        "duplicateRole" => run_logged(host, request, |input, log| {
            in_transaction(conn, |conn| {
                let fail =
                    |detail: String| failure("core.mutation.failed_to_duplicate_role", detail);
                let input = &allowed(122005, &fail, input)?;
                let uuid = input.uuid.as_deref().unwrap_or_default();
                let source = role_by_uuid(conn, uuid)
                    .map_err(|e| fail(e.message.to_string()))?
                    .ok_or_else(|| fail("Role matching query does not exist.".into()))?;
                let copy =
                    insert_role(conn, input, audit).map_err(|e| fail(e.message.to_string()))?;
                let rights = match input.rights() {
                    Some(rights) => rights,
                    None => {
                        let current: Vec<RightKey> = db::load(conn, r#"SELECT "RightID" AS right_id FROM "tblRoleRight" WHERE "RoleID" = ? AND "ValidityTo" IS NULL"#, &[Bind::Int(Some(source.id))])
                        .map_err(|e| fail(e.message.to_string()))?;
                        current.into_iter().map(|r| r.right_id).collect()
                    }
                };
                grant_and_link(conn, copy.id, rights, audit, log)
                    .map_err(|e| fail(e.message.to_string()))
            })
        }),
        other => Err(ModuleError::new(
            "NOT_SUPPORTED",
            format!("no role mutation {other}"),
        )),
    }
}
