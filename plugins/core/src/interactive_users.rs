//! Interactive users (`tblUsers`, InteractiveUserGQLType, declared in `entities.rs`): the
//! `interactiveUsers` connection (valid rows unless `showHistory` or `uuid`, or valid on the
//! `validity` day), the computed `language`, `roles` and `userRoles` (valid rows of valid
//! roles), and a language's `interactiveuserSet`.

use crate::entities::{I_USER, LANGUAGE, ROLE, USER_ROLE};
use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::entity::{self, Access};
use openimis_sdk::project::fill_answers;
use openimis_sdk::sql_filter::{id_list, As, Where};
use openimis_sdk::windowed::children;
use openimis_sdk::{ModuleError, SelectionField};
use serde_json::{json, Value};
use std::collections::HashMap;

/// `uuid` (a `uuid` column on PostgreSQL, so not the layer's text lookup).
fn uuid_filter(conn: &Conn, field: &SelectionField, w: &mut Where) {
    if let Some(uuid) = field.arg("uuid").and_then(Value::as_str) {
        let mark = db::uuid_param(conn);
        w.and(&format!(r#"i."UUID" = {mark}"#), [Bind::text(uuid)]);
    }
}

/// `interactiveUsers(...)`.
pub fn query(
    conn: &mut Conn,
    field: &SelectionField,
    access: &Access,
) -> Result<Value, ModuleError> {
    let mut w = Where::new();
    if field.arg("showHistory") != Some(&Value::Bool(true)) && field.arg("uuid").is_none() {
        match field.arg("validity").and_then(Value::as_str) {
            Some(date) => {
                let stamp = db::timestamp_param(conn);
                let end_of_day = Bind::text(format!("{date} 23:59:59"));
                w.and(
                    &format!(r#"i."ValidityFrom" <= {stamp} AND (i."ValidityTo" IS NULL OR i."ValidityTo" >= {stamp})"#),
                    [end_of_day.clone(), end_of_day],
                );
            }
            None => {
                w.and(r#"i."ValidityTo" IS NULL"#, []);
            }
        }
    }
    uuid_filter(conn, field, &mut w);
    w.args(
        field,
        &[(
            "clientMutationId",
            As::Text,
            r#"EXISTS (SELECT 1 FROM "core_User" cu JOIN "core_UserMutation" um ON um."core_user_id" = cu."id"
                JOIN "core_Mutation_Log" ml ON ml."id" = um."mutation_id" WHERE cu."i_user_id" = i."id" AND ml."client_mutation_id" = ?)"#,
        )],
    )?;
    entity::connection(conn, &I_USER, field, w, access)
}

/// `(parent, target)` of the user roles whose `parent` column (`UserID`, `RoleID`) is one of
/// `rows`' keys and that meet `only` (on `ur` and its role `r`), by key; `target` is the
/// column linked to (`UserRoleID`, `RoleID`).
pub fn user_roles(
    conn: &mut Conn,
    rows: &[Value],
    (parent, target): (&str, &str),
    only: &str,
) -> Result<Vec<(i64, i64)>, ModuleError> {
    let ids: Vec<i64> = rows.iter().filter_map(|r| r["pk"].as_i64()).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        r#"SELECT CAST(ur."{parent}" AS BIGINT) AS l0, CAST(ur."{target}" AS BIGINT) AS l1
           FROM "tblUserRole" ur JOIN "tblRole" r ON r."RoleID" = ur."RoleID"
           WHERE ur."{parent}" IN ({}){only} ORDER BY ur."UserRoleID""#,
        id_list(&ids)
    );
    entity::pairs(conn, &sql, &[])
}

/// The computed fields of interactive users: `language` (with its own `interactiveuserSet`),
/// `roles` and `userRoles` (valid rows of valid roles).
pub fn extend(
    conn: &mut Conn,
    rows: &mut [Value],
    sel: &[SelectionField],
    access: &Access,
) -> Result<(), ModuleError> {
    if sel.iter().any(|f| f.name == "language") {
        let codes: Vec<String> = rows
            .iter()
            .filter_map(|r| r["languageId"].as_str().map(str::to_owned))
            .collect();
        let mut found = languages(conn, Some(&codes))?;
        (access.extend)(conn, &LANGUAGE, &mut found, &children(sel, "language"))?;
        let by_code: HashMap<String, Value> = found
            .into_iter()
            .map(|l| (l["code"].as_str().unwrap_or_default().to_owned(), l))
            .collect();
        for row in rows.iter_mut() {
            let code = row["languageId"].as_str().unwrap_or_default().to_owned();
            row["language"] = by_code.get(&code).cloned().unwrap_or(Value::Null);
        }
    }
    let valid = r#" AND ur."ValidityTo" IS NULL AND r."ValidityTo" IS NULL"#;
    let lists = [
        ("roles", &ROLE, "RoleID"),
        ("userRoles", &USER_ROLE, "UserRoleID"),
    ];
    for (name, spec, target) in lists {
        if sel.iter().any(|f| f.name == name) {
            let links = user_roles(conn, rows, ("UserID", target), valid)?;
            entity::fill_linked(conn, rows, sel, name, spec, &links, access)?;
        }
    }
    Ok(())
}

#[derive(diesel::QueryableByName)]
struct LanguageRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    code: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    sort_order: Option<i32>,
}

/// LanguageGQLType rows (`codes`, or all), by sort order.
pub fn languages(conn: &mut Conn, codes: Option<&[String]>) -> Result<Vec<Value>, ModuleError> {
    let mut w = Where::new();
    if let Some(codes) = codes {
        let marks = vec!["?"; codes.len().max(1)].join(", ");
        let mut binds: Vec<Bind> = codes.iter().map(Bind::text).collect();
        if binds.is_empty() {
            binds.push(Bind::Text(None));
        }
        w.and(&format!(r#""LanguageCode" IN ({marks})"#), binds);
    }
    let rows: Vec<LanguageRow> = db::load(
        conn,
        &format!(
            r#"SELECT "LanguageCode" AS code, "LanguageName" AS name, "SortOrder" AS sort_order
               FROM "tblLanguages" WHERE {} ORDER BY "SortOrder""#,
            w.sql()
        ),
        w.binds(),
    )?;
    Ok(rows
        .iter()
        .map(|l| json!({"code": l.code, "name": l.name, "sortOrder": l.sort_order}))
        .collect())
}

/// Each language's `interactiveuserSet` (every row, as the original's reverse relation): one
/// connection per language, paged in SQL.
pub fn language_sets(
    conn: &mut Conn,
    languages: &mut [Value],
    sel: &[SelectionField],
    access: &Access,
) -> Result<(), ModuleError> {
    fill_answers(languages, sel, "interactiveuserSet", |set, languages| {
        languages
            .iter()
            .map(|language| {
                let mut w = Where::new();
                let code = language["code"].as_str().unwrap_or_default();
                w.and(r#"i."LanguageID" = ?"#, [Bind::text(code)]);
                uuid_filter(conn, set, &mut w);
                entity::connection(conn, &I_USER, set, w, access)
            })
            .collect()
    })
}
