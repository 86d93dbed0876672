//! `createRole`, `updateRole`, `deleteRole`, `duplicateRole` through the mutation log, with the
//! original's semantics: an update first copies the role to history (`LegacyID`, `ValidityTo`)
//! and end-dates every right before reviving or adding the chosen ones; a delete end-dates the
//! role; a duplicate copies it (and its rights) under a new uuid; creations link the role to
//! the mutation (`core_RoleMutation`). Each mutation writes in one transaction (deleteRole's
//! per-role updates are single statements, and the original keeps the roles it could delete).

use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::mutation::{run_logged, MutationError};
use openimis_sdk::time;
use openimis_sdk::transaction::in_transaction;
use openimis_sdk::{HostHandle, ModuleError, ResolveRequest};
use serde_json::{Map, Value};

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

fn failure(message: &str, detail: impl Into<String>) -> Vec<MutationError> {
    vec![MutationError {
        message: message.to_owned(),
        detail: Some(detail.into()),
    }]
}

/// The original's `str(ValidationError("x"))`: `['x']`.
fn validation(text: &str) -> String {
    format!("['{text}']")
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

fn rights_input(input: &Map<String, Value>) -> Option<Vec<i32>> {
    input.get("rightsId").and_then(Value::as_array).map(|a| {
        a.iter()
            .filter_map(Value::as_i64)
            .map(|r| r as i32)
            .collect()
    })
}

/// Name, alternative language, system flag (the original stores `isSystem: true` as 1) and
/// blocked flag, in the column order both the insert and the update use.
fn role_binds(input: &Map<String, Value>) -> [Bind; 4] {
    let text = |key: &str| Bind::Text(input.get(key).and_then(Value::as_str).map(str::to_owned));
    let flag = |key: &str| input.get(key) == Some(&Value::Bool(true));
    [
        text("name"),
        text("altLanguage"),
        Bind::Int(Some(i32::from(flag("isSystem")))),
        Bind::Bool(Some(flag("isBlocked"))),
    ]
}

fn insert_role(
    conn: &mut Conn,
    input: &Map<String, Value>,
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
            &role_binds(input),
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
    input: &Map<String, Value>,
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
            &role_binds(input)[..],
            &[Bind::Int(audit), Bind::Int(Some(role.id))],
        ]
        .concat(),
    )?;
    if let Some(rights) = rights_input(input) {
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

pub fn resolve(
    host: &HostHandle,
    conn: &mut Conn,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    let audit = request.context.interactive_user_id().map(|id| id as i32);
    // The original's checks, in its order: a login, then the right; both recorded as the
    // mutation's failure, not raised.
    let allowed = |code: u32,
                   fail: &dyn Fn(String) -> Vec<MutationError>|
     -> Result<(), Vec<MutationError>> {
        if !request.context.is_authenticated() {
            return Err(fail("mutation.authentication_required".into()));
        }
        if !request.context.holds(code) {
            return Err(fail("unauthorized".into()));
        }
        Ok(())
    };
    match request.field.name.as_str() {
        "createRole" => run_logged(host, request, |input, log| {
            in_transaction(conn, |conn| {
                let fail = |detail: String| failure("core.mutation.failed_to_create_role", detail);
                allowed(122002, &fail)?;
                let name = input
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                if name_taken(conn, name, None).map_err(|e| fail(e.message.to_string()))? {
                    return Err(fail(validation("mutation.duplicate_of_role_name")));
                }
                let role =
                    insert_role(conn, input, audit).map_err(|e| fail(e.message.to_string()))?;
                for right in rights_input(input).unwrap_or_default() {
                    add_right(conn, role.id, right, audit)
                        .map_err(|e| fail(e.message.to_string()))?;
                }
                link(conn, role.id, log).map_err(|e| fail(e.message.to_string()))
            })
        }),
        "updateRole" => run_logged(host, request, |input, _log| {
            in_transaction(conn, |conn| {
                let fail = |detail: String| failure("core.mutation.failed_to_update_role", detail);
                allowed(122003, &fail)?;
                let Some(uuid) = input.get("uuid").and_then(Value::as_str) else {
                    return Err(fail(validation(
                        "There is no uuid in updateMutation input!",
                    )));
                };
                let name = input
                    .get("name")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
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
            if !request.context.holds(122004) {
                return Err(vec![MutationError::new("unauthorized")]);
            }
            let mut errors = Vec::new();
            for uuid in input
                .get("uuids")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
            {
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
                allowed(122005, &fail)?;
                let uuid = input
                    .get("uuid")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let source = role_by_uuid(conn, uuid)
                    .map_err(|e| fail(e.message.to_string()))?
                    .ok_or_else(|| fail("Role matching query does not exist.".into()))?;
                let copy =
                    insert_role(conn, input, audit).map_err(|e| fail(e.message.to_string()))?;
                let rights = match rights_input(input) {
                    Some(rights) => rights,
                    None => {
                        let current: Vec<RightKey> = db::load(conn, r#"SELECT "RightID" AS right_id FROM "tblRoleRight" WHERE "RoleID" = ? AND "ValidityTo" IS NULL"#, &[Bind::Int(Some(source.id))])
                        .map_err(|e| fail(e.message.to_string()))?;
                        current.into_iter().map(|r| r.right_id).collect()
                    }
                };
                for right in rights {
                    add_right(conn, copy.id, right, audit)
                        .map_err(|e| fail(e.message.to_string()))?;
                }
                link(conn, copy.id, log).map_err(|e| fail(e.message.to_string()))
            })
        }),
        other => Err(ModuleError::new(
            "NOT_SUPPORTED",
            format!("no role mutation {other}"),
        )),
    }
}
