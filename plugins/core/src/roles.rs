//! Roles and rights: the `role` and `roleRight` connections with the original's filters, the
//! nested fields of roles (`rights`, `userRoles`) and rights (`role`) wherever core answers them,
//! `validateRoleName` and `modulesPermissions` (every running module's declared rights).

use crate::user_graph::{self, children, field, grouped};
use crate::{interactive_users, Conn};
// `#[diesel(embed)]` names the trait unqualified in the code it derives.
use diesel::deserialize::QueryableByName;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::project::{fill_answers, project};
use openimis_sdk::relay::global_id;
use openimis_sdk::sql_filter::Where;
use openimis_sdk::versioned::HistoryColumnsNullableAudit;
use openimis_sdk::{HostHandle, ModuleError, ResolveRequest, SelectionField};
use serde_json::{json, Value};
use std::collections::HashMap;

#[derive(diesel::QueryableByName)]
struct RoleRow {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    id: i32,
    #[diesel(sql_type = diesel::sql_types::Text)]
    uuid: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    alt_language: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    is_system: i32,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    is_blocked: bool,
    #[diesel(embed)]
    history: HistoryColumnsNullableAudit,
}

#[derive(diesel::QueryableByName)]
struct RightRow {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    id: i32,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    role_id: i32,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    right_id: i32,
    #[diesel(embed)]
    history: HistoryColumnsNullableAudit,
}

const ROLE_COLUMNS: &str = r#"r."RoleID" AS id, r."RoleUUID" AS uuid, r."RoleName" AS name, r."AltLanguage" AS alt_language,
    r."IsSystem" AS is_system, r."IsBlocked" AS is_blocked, CAST(r."ValidityFrom" AS TEXT) AS validity_from,
    CAST(r."ValidityTo" AS TEXT) AS validity_to, r."LegacyID" AS legacy_id, r."AuditUserID" AS audit_user_id"#;

const RIGHT_COLUMNS: &str = r#"rr."RoleRightID" AS id, rr."RoleID" AS role_id, rr."RightID" AS right_id,
    CAST(rr."ValidityFrom" AS TEXT) AS validity_from, CAST(rr."ValidityTo" AS TEXT) AS validity_to,
    rr."LegacyID" AS legacy_id, rr."AuditUserId" AS audit_user_id"#;

fn role_json(r: &RoleRow) -> Value {
    r.history.add_to(json!({
        "pk": r.id, "id": global_id("RoleGQLType", r.id), "uuid": r.uuid, "name": r.name, "altLanguage": r.alt_language,
        "isSystem": r.is_system, "isBlocked": r.is_blocked,
        "systemRoleId": (r.is_system > 0).then_some(r.is_system),
    }))
}

fn right_json(r: &RightRow) -> Value {
    r.history.add_to(json!({
        "pk": r.id, "id": global_id("RoleRightGQLType", r.id), "rightId": r.right_id, "roleId": r.role_id,
    }))
}

/// Appends `AND <column> <op> ?` for each argument present.
fn filters(
    field: &SelectionField,
    rules: &[(&str, &str)],
    sql: &mut String,
    binds: &mut Vec<Bind>,
) {
    for (arg, clause) in rules {
        let Some(value) = field.arg(arg) else {
            continue;
        };
        sql.push_str(" AND ");
        sql.push_str(clause);
        binds.push(match value {
            Value::Bool(b) => Bind::Bool(Some(*b)),
            Value::Number(n) => Bind::Int(n.as_i64().map(|n| n as i32)),
            other => Bind::Text(Some(
                other
                    .as_str()
                    .map_or_else(|| other.to_string(), str::to_owned),
            )),
        });
    }
}

fn rights_of(
    conn: &mut Conn,
    role_ids: &[i64],
    field: &SelectionField,
) -> Result<Vec<RightRow>, ModuleError> {
    if role_ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = role_ids.iter().map(i64::to_string).collect();
    let mut sql = format!(
        r#"SELECT {RIGHT_COLUMNS} FROM "tblRoleRight" rr WHERE rr."ValidityTo" IS NULL AND rr."RoleID" IN ({})"#,
        ids.join(",")
    );
    let mut binds = Vec::new();
    filters(
        field,
        &[("rightId", r#"rr."RightID" = ?"#)],
        &mut sql,
        &mut binds,
    );
    sql.push_str(r#" ORDER BY rr."RoleRightID""#);
    db::load(conn, &sql, &binds)
}

/// RoleGQLType JSON of the roles with these ids (any validity), by id.
pub fn by_ids(conn: &mut Conn, ids: &[i64]) -> Result<HashMap<i64, Value>, ModuleError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut filter = Where::new();
    filter.ids(r#"r."RoleID""#, ids);
    let rows: Vec<RoleRow> = db::load(
        conn,
        &format!(
            r#"SELECT {ROLE_COLUMNS} FROM "tblRole" r WHERE {}"#,
            filter.sql()
        ),
        filter.binds(),
    )?;
    Ok(rows
        .iter()
        .map(|r| (i64::from(r.id), role_json(r)))
        .collect())
}

fn pks(objects: &[&mut Value]) -> Vec<i64> {
    objects.iter().filter_map(|o| o["pk"].as_i64()).collect()
}

/// Adds what `selection` asks of the roles `objects` beyond their row: the `rights` connection
/// (valid rights, each alias with its own arguments) and `userRoles` (every user-role row of
/// the role, as the original's reverse relation), one query each for all the objects.
pub fn enrich(
    conn: &mut Conn,
    mut objects: Vec<&mut Value>,
    selection: &[SelectionField],
) -> Result<(), ModuleError> {
    let ids = pks(&objects);
    if ids.is_empty() {
        return Ok(());
    }
    fill_answers(&mut objects, selection, "rights", |rights_field, _| {
        let rows: Vec<Value> = rights_of(conn, &ids, rights_field)?
            .iter()
            .map(right_json)
            .collect();
        let groups = grouped(&ids, rows, |r| r["roleId"].as_i64());
        user_graph::pages(rights_field, groups, |window, sel| {
            enrich_rights(conn, window.iter_mut().collect(), sel)
        })
    })?;
    if field(selection, "userRoles").is_some() {
        let mut filter = Where::new();
        filter.ids(r#"ur."RoleID""#, &ids);
        let rows = interactive_users::user_roles(conn, &filter)?;
        let all =
            interactive_users::user_role_objects(conn, &rows, &children(selection, "userRoles"))?;
        for object in objects.iter_mut() {
            object["userRoles"] = all
                .iter()
                .filter(|ur| ur["roleId"] == object["pk"])
                .cloned()
                .collect();
        }
    }
    Ok(())
}

/// Adds what `selection` asks of the role rights `objects`: their `role`.
pub fn enrich_rights(
    conn: &mut Conn,
    mut objects: Vec<&mut Value>,
    selection: &[SelectionField],
) -> Result<(), ModuleError> {
    if field(selection, "role").is_none() {
        return Ok(());
    }
    let ids: Vec<i64> = objects
        .iter()
        .filter_map(|o| o["roleId"].as_i64())
        .collect();
    let mut roles = by_ids(conn, &ids)?;
    enrich(
        conn,
        roles.values_mut().collect(),
        &children(selection, "role"),
    )?;
    for object in objects.iter_mut() {
        let role = object["roleId"]
            .as_i64()
            .and_then(|id| roles.get(&id).cloned());
        object["role"] = role.unwrap_or(Value::Null);
    }
    Ok(())
}

pub fn resolve(
    host: &HostHandle,
    conn: &mut Conn,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    let field = &request.field;
    match field.name.as_str() {
        "role" => {
            let mut sql = format!(r#"SELECT {ROLE_COLUMNS} FROM "tblRole" r WHERE 1 = 1"#);
            let mut binds = Vec::new();
            if field.arg("showHistory") != Some(&Value::Bool(true)) && field.arg("uuid").is_none() {
                sql.push_str(r#" AND r."ValidityTo" IS NULL"#);
            }
            match field.arg("isSystem").and_then(Value::as_bool) {
                Some(true) => sql.push_str(r#" AND r."IsSystem" >= 1"#),
                Some(false) => sql.push_str(r#" AND r."IsSystem" = 0"#),
                None => {}
            }
            filters(
                field,
                &[
                    ("systemRoleId", r#"r."IsSystem" = ?"#),
                    ("uuid", r#"r."RoleUUID" = ?"#),
                    ("name", r#"r."RoleName" = ?"#),
                    ("name_Iexact", r#"LOWER(r."RoleName") = LOWER(?)"#),
                    (
                        "name_Istartswith",
                        r#"LOWER(r."RoleName") LIKE LOWER(?) || '%'"#,
                    ),
                    (
                        "name_Icontains",
                        r#"LOWER(r."RoleName") LIKE '%' || LOWER(?) || '%'"#,
                    ),
                    ("str", r#"LOWER(r."RoleName") LIKE '%' || LOWER(?) || '%'"#),
                    ("isBlocked", r#"r."IsBlocked" = ?"#),
                    (
                        "roleRight",
                        r#"EXISTS (SELECT 1 FROM "tblRoleRight" x WHERE x."RoleID" = r."RoleID" AND x."ValidityTo" IS NULL AND x."RightID" = ?)"#,
                    ),
                ],
                &mut sql,
                &mut binds,
            );
            sql.push_str(r#" ORDER BY r."RoleID""#);
            let roles: Vec<RoleRow> = db::load(conn, &sql, &binds)?;
            let rows: Vec<Value> = roles.iter().map(role_json).collect();
            user_graph::page(field, rows, |window, selection| {
                enrich(conn, window.iter_mut().collect(), selection)
            })
        }
        "roleRight" => {
            let mut sql = format!(
                r#"SELECT {RIGHT_COLUMNS} FROM "tblRoleRight" rr JOIN "tblRole" r ON r."RoleID" = rr."RoleID" WHERE rr."ValidityTo" IS NULL"#
            );
            let mut binds = Vec::new();
            filters(
                field,
                &[
                    ("rightId", r#"rr."RightID" = ?"#),
                    ("role_Uuid", r#"r."RoleUUID" = ?"#),
                    ("role_Name", r#"r."RoleName" = ?"#),
                    (
                        "role_Name_Icontains",
                        r#"LOWER(r."RoleName") LIKE '%' || LOWER(?) || '%'"#,
                    ),
                    ("role_IsBlocked", r#"r."IsBlocked" = ?"#),
                ],
                &mut sql,
                &mut binds,
            );
            sql.push_str(r#" ORDER BY rr."RoleRightID""#);
            let rows: Vec<RightRow> = db::load(conn, &sql, &binds)?;
            let rows: Vec<Value> = rows.iter().map(right_json).collect();
            user_graph::page(field, rows, |window, selection| {
                enrich_rights(conn, window.iter_mut().collect(), selection)
            })
        }
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
    use openimis_sdk::abi::DatabaseInfo;

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
        let roles: Vec<RoleRow> = db::load(
            &mut conn,
            &format!(r#"SELECT {ROLE_COLUMNS} FROM "tblRole" r ORDER BY r."RoleID""#),
            &[],
        )
        .unwrap();
        let current = role_json(&roles[0]);
        assert_eq!(
            (
                &current["validityFrom"],
                &current["validityTo"],
                &current["legacyId"],
                &current["auditUserId"],
                &current["systemRoleId"]
            ),
            (
                &json!("2020-01-02T03:04:05"),
                &Value::Null,
                &Value::Null,
                &json!(7),
                &json!(1)
            )
        );
        let history = role_json(&roles[1]);
        assert_eq!(
            (
                &history["validityFrom"],
                &history["validityTo"],
                &history["legacyId"],
                &history["auditUserId"]
            ),
            (
                &json!("2019-05-06T07:08:09.250000"),
                &json!("2020-01-02T03:04:05"),
                &json!(1),
                &Value::Null
            )
        );
        let rights: Vec<RightRow> = db::load(
            &mut conn,
            &format!(r#"SELECT {RIGHT_COLUMNS} FROM "tblRoleRight" rr"#),
            &[],
        )
        .unwrap();
        assert_eq!(
            right_json(&rights[0]),
            json!({"pk": 1, "id": global_id("RoleRightGQLType", 1), "rightId": 101001, "roleId": 1,
                   "validityFrom": "2021-03-04T05:06:07", "validityTo": null, "legacyId": 3,
                   "auditUserId": null})
        );
    }
}
