//! Roles and rights: the `role` and `roleRight` connections with the original's filters,
//! `validateRoleName` and `modulesPermissions` (every running module's declared rights).

use crate::Conn;
use openimis_plugin_api::sdk::db::{self, Bind};
use openimis_plugin_api::sdk::project::project;
use openimis_plugin_api::sdk::relay::{connection, global_id, paginate, Page};
use openimis_plugin_api::sdk::time;
use openimis_plugin_api::{HostHandle, ModuleError, ResolveRequest, SelectionField};
use serde_json::{json, Value};

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
    #[diesel(sql_type = diesel::sql_types::Text)]
    validity_from: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    validity_to: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    legacy_id: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    audit_user_id: Option<i32>,
}

#[derive(diesel::QueryableByName)]
struct RightRow {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    id: i32,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    role_id: i32,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    right_id: i32,
    #[diesel(sql_type = diesel::sql_types::Text)]
    validity_from: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    validity_to: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    legacy_id: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    audit_user_id: Option<i32>,
}

const ROLE_COLUMNS: &str = r#"r."RoleID" AS id, r."RoleUUID" AS uuid, r."RoleName" AS name, r."AltLanguage" AS alt_language,
    r."IsSystem" AS is_system, r."IsBlocked" AS is_blocked, CAST(r."ValidityFrom" AS TEXT) AS validity_from,
    CAST(r."ValidityTo" AS TEXT) AS validity_to, r."LegacyID" AS legacy_id, r."AuditUserID" AS audit_user_id"#;

const RIGHT_COLUMNS: &str = r#"rr."RoleRightID" AS id, rr."RoleID" AS role_id, rr."RightID" AS right_id,
    CAST(rr."ValidityFrom" AS TEXT) AS validity_from, CAST(rr."ValidityTo" AS TEXT) AS validity_to,
    rr."LegacyID" AS legacy_id, rr."AuditUserId" AS audit_user_id"#;

fn role_json(r: &RoleRow) -> Value {
    json!({
        "pk": r.id, "id": global_id("RoleGQLType", r.id), "uuid": r.uuid, "name": r.name, "altLanguage": r.alt_language,
        "isSystem": r.is_system, "isBlocked": r.is_blocked, "validityFrom": time::iso(&r.validity_from),
        "validityTo": r.validity_to.as_deref().map(time::iso), "legacyId": r.legacy_id, "auditUserId": r.audit_user_id,
        "systemRoleId": (r.is_system > 0).then_some(r.is_system),
    })
}

fn right_json(r: &RightRow) -> Value {
    json!({
        "pk": r.id, "id": global_id("RoleRightGQLType", r.id), "rightId": r.right_id, "roleId": r.role_id,
        "validityFrom": time::iso(&r.validity_from), "validityTo": r.validity_to.as_deref().map(time::iso),
        "legacyId": r.legacy_id, "auditUserId": r.audit_user_id,
    })
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
    role_ids: &[i32],
    field: Option<&SelectionField>,
) -> Result<Vec<RightRow>, ModuleError> {
    if role_ids.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<String> = role_ids.iter().map(i32::to_string).collect();
    let mut sql = format!(
        r#"SELECT {RIGHT_COLUMNS} FROM "tblRoleRight" rr WHERE rr."ValidityTo" IS NULL AND rr."RoleID" IN ({})"#,
        ids.join(",")
    );
    let mut binds = Vec::new();
    if let Some(field) = field {
        filters(
            field,
            &[("rightId", r#"rr."RightID" = ?"#)],
            &mut sql,
            &mut binds,
        );
    }
    sql.push_str(r#" ORDER BY rr."RoleRightID""#);
    db::load(conn, &sql, &binds)
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
            let rights_field = field
                .child("edges")
                .and_then(|e| e.child("node"))
                .and_then(|n| n.child("rights"));
            let rights = match rights_field {
                Some(rf) => rights_of(
                    conn,
                    &roles.iter().map(|r| r.id).collect::<Vec<_>>(),
                    Some(rf),
                )?,
                None => Vec::new(),
            };
            let rows: Vec<Value> = roles.iter().map(role_json).collect();
            paginate(field, &rows, |sel, row| {
                let mut out = project(sel, row, "pk");
                if let (Some(rf), Some(obj)) =
                    (sel.iter().find(|f| f.name == "rights"), out.as_object_mut())
                {
                    let own: Vec<Value> = rights
                        .iter()
                        .filter(|r| Some(r.role_id as i64) == row["pk"].as_i64())
                        .map(right_json)
                        .collect();
                    let page = Page::from_field(rf, || own.len()).unwrap_or_else(|_| {
                        Page::from_field(&SelectionField::new("rights"), || 0)
                            .expect("default page")
                    });
                    let window: Vec<&Value> =
                        own.iter().skip(page.offset).take(page.limit + 1).collect();
                    obj.insert(
                        rf.alias.clone(),
                        connection(rf, page, &window, Some(own.len()), |s, r| {
                            project(s, r, "pk")
                        }),
                    );
                }
                out
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
            paginate(field, &rows, |sel, row| project(sel, row, "pk"))
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
