//! Roles and rights (`tblRole`, `tblRoleRight`, `tblUserRole`, declared in `entities.rs`): the
//! `role` and `roleRight` connections with the original's filters, the computed fields of roles
//! (`systemRoleId`, `userRoles`), `validateRoleName` and `modulesPermissions` (every running
//! module's declared rights).

use crate::entities::{ROLE, ROLE_RIGHT, USER_ROLE};
use crate::interactive_users::user_roles;
use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::entity::{self, Access};
use openimis_sdk::project::project;
use openimis_sdk::sql_filter::{As, Where};
use openimis_sdk::{HostHandle, ModuleError, SelectionField};
use serde_json::{json, Value};

/// `role(...)` and `roleRight(...)`.
pub fn query(
    conn: &mut Conn,
    field: &SelectionField,
    access: &Access,
) -> Result<Value, ModuleError> {
    if field.name == "roleRight" {
        return entity::connection(conn, &ROLE_RIGHT, field, Where::new(), access);
    }
    let mut w = Where::new();
    match field.arg("isSystem").and_then(Value::as_bool) {
        Some(true) => w.and(r#"r."IsSystem" >= 1"#, []),
        Some(false) => w.and(r#"r."IsSystem" = 0"#, []),
        None => &mut w,
    };
    w.args(
        field,
        &[
            ("str", As::Text, openimis_sdk::icontains!(r#"r."RoleName""#)),
            (
                "roleRight",
                As::Int,
                r#"EXISTS (SELECT 1 FROM "tblRoleRight" x WHERE x."RoleID" = r."RoleID" AND x."ValidityTo" IS NULL AND x."RightID" = ?)"#,
            ),
        ],
    )?;
    // A role asked by uuid is answered whatever its validity.
    let mut field = field.clone();
    if field.arg("uuid").is_some() {
        field.args.insert("showHistory".into(), Value::Bool(true));
    }
    entity::connection(conn, &ROLE, &field, w, access)
}

/// The computed fields of roles: `systemRoleId` (null for a role that is not a system one) and
/// `userRoles` (every user-role row of the role, as the original's reverse relation).
pub fn extend(
    conn: &mut Conn,
    rows: &mut [Value],
    sel: &[SelectionField],
    access: &Access,
) -> Result<(), ModuleError> {
    for row in rows.iter_mut() {
        if row["systemRoleId"].as_i64().unwrap_or(0) <= 0 {
            row["systemRoleId"] = Value::Null;
        }
    }
    if sel.iter().any(|f| f.name == "userRoles") {
        let links = user_roles(conn, rows, ("RoleID", "UserRoleID"), "")?;
        entity::fill_linked(conn, rows, sel, "userRoles", &USER_ROLE, &links, access)?;
    }
    Ok(())
}

/// `validateRoleName` and `modulesPermissions`.
pub fn resolve(
    host: &HostHandle,
    conn: &mut Conn,
    field: &SelectionField,
) -> Result<Value, ModuleError> {
    match field.name.as_str() {
        "validateRoleName" => {
            let name = field
                .arg("roleName")
                .and_then(Value::as_str)
                .unwrap_or_default();
            Ok(json!(
                db::count(
                    conn,
                    r#"SELECT COUNT(*) AS n FROM "tblRole" WHERE "ValidityTo" IS NULL AND "RoleName" = ?"#,
                    &[Bind::text(name)]
                )? == 0
            ))
        }
        "modulesPermissions" => {
            let modules: Vec<Value> = host.call("host", "modules.rights", &Value::Null)?;
            let list: Vec<Value> = modules
                .iter()
                .map(|m| {
                    let permissions: Vec<Value> = m["rights"]
                        .as_object()
                        .into_iter()
                        .flatten()
                        .flat_map(|(name, codes)| {
                            codes
                                .as_array()
                                .into_iter()
                                .flatten()
                                .map(move |c| json!({"permsName": name, "permsValue": c}))
                        })
                        .collect();
                    json!({"moduleName": m["name"], "permissions": permissions})
                })
                .collect();
            Ok(project(
                &field.selection,
                &json!({"modulePermsList": list}),
                "moduleName",
            ))
        }
        other => Err(ModuleError::new(
            "NOT_SUPPORTED",
            format!("no roles field {other}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::entities::ROLE_RIGHT;
    use openimis_sdk::abi::DatabaseInfo;
    use openimis_sdk::relay::global_id;

    /// An in-memory database with core's own `tblRole` and `tblRoleRight` (from its migration).
    fn role_tables() -> db::DbPool {
        let pool = db::pool(&DatabaseInfo {
            url: ":memory:".into(),
            backend: "sqlite".into(),
            pool_size: 1,
        })
        .unwrap();
        let mut conn = db::connection(&pool).unwrap();
        let migration = include_str!("../migrations/sqlite/0001_core.sql");
        for statement in migration.split(';').filter(|s| {
            s.contains(r#"TABLE IF NOT EXISTS "tblRole" ("#)
                || s.contains(r#"TABLE IF NOT EXISTS "tblRoleRight" ("#)
        }) {
            db::execute(&mut conn, statement, &[]).unwrap();
        }
        pool
    }

    fn selection(names: &[&str]) -> Vec<SelectionField> {
        names.iter().map(|n| SelectionField::new(n)).collect()
    }

    #[test]
    fn roles_and_rights_answer_their_history_columns_as_the_original() {
        let pool = role_tables();
        let mut conn = db::connection(&pool).unwrap();
        db::execute(
            &mut conn,
            r#"INSERT INTO "tblRole" ("RoleUUID", "RoleName", "IsSystem", "IsBlocked", "ValidityFrom",
                   "ValidityTo", "LegacyID", "AuditUserID")
               VALUES ('u1', 'Clerk', 1, false, '2020-01-02 03:04:05', NULL, NULL, 7),
                      ('u2', 'Clerk', 0, false, '2019-05-06 07:08:09.25', '2020-01-02 03:04:05', 1, NULL)"#,
            &[],
        )
        .unwrap();
        db::execute(
            &mut conn,
            r#"INSERT INTO "tblRoleRight" ("RoleID", "RightID", "ValidityFrom", "LegacyID", "AuditUserId")
               VALUES (1, 101001, '2021-03-04 05:06:07', 3, NULL)"#,
            &[],
        )
        .unwrap();
        let hook = |c: &mut Conn, _: &entity::EntitySpec, r: &mut [Value], s: &[SelectionField]| {
            extend(c, r, s, &Access::open())
        };
        let access = Access::open().extend(&hook);
        let sel = selection(&[
            "validityFrom",
            "validityTo",
            "legacyId",
            "auditUserId",
            "systemRoleId",
        ]);
        let roles = entity::by_keys(&mut conn, &ROLE, &[json!(1), json!(2)], &sel, &access);
        assert_eq!(
            roles.unwrap(),
            vec![
                json!({"validityFrom": "2020-01-02T03:04:05", "validityTo": null, "legacyId": null,
                       "auditUserId": 7, "systemRoleId": 1}),
                json!({"validityFrom": "2019-05-06T07:08:09.250000", "validityTo": "2020-01-02T03:04:05",
                       "legacyId": 1, "auditUserId": null, "systemRoleId": null}),
            ]
        );
        let sel = selection(&[
            "pk",
            "id",
            "rightId",
            "roleId",
            "validityFrom",
            "validityTo",
            "legacyId",
            "auditUserId",
        ]);
        let rights = entity::by_keys(&mut conn, &ROLE_RIGHT, &[json!(1)], &sel, &access);
        assert_eq!(
            rights.unwrap()[0],
            json!({"pk": 1, "id": global_id("RoleRightGQLType", 1), "rightId": 101001, "roleId": 1,
                   "validityFrom": "2021-03-04T05:06:07", "validityTo": null, "legacyId": 3,
                   "auditUserId": null})
        );
    }
}
