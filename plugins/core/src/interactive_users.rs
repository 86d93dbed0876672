//! Interactive users (`tblUsers`, InteractiveUserGQLType): rows as JSON, the nested fields a
//! selection may ask for (`language`, `roles`, `userRoles`, `userSet`), user-role rows, a
//! language's `interactiveuserSet`, and the `interactiveUsers` connection with the original's
//! filters (valid rows unless `showHistory` or `uuid`).

use crate::user_graph::{self, children, field, grouped};
use crate::{roles, settings_queries, user_queries, Conn};
// `#[diesel(embed)]` names the trait unqualified in the code it derives.
use diesel::deserialize::QueryableByName;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::project::fill_answers;
use openimis_sdk::relay::global_id;
use openimis_sdk::sql_filter::{order_by, As, Where};
use openimis_sdk::time;
use openimis_sdk::versioned::HistoryColumnsNullableAudit;
use openimis_sdk::{ModuleError, SelectionField};
use serde_json::{json, Value};
use std::collections::HashMap;

#[derive(diesel::QueryableByName)]
pub struct InteractiveRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    pub id: i64,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    version: i32,
    #[diesel(sql_type = diesel::sql_types::Text)]
    uuid: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    active: bool,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    json_ext: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    date_deactivated: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    validity_from: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    validity_to: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    language: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    language_name: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    language_sort: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    last_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    other_names: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    phone: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    login_name: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    last_login: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    pub health_facility_id: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    email: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    password_validity: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Bool>)]
    is_associated: Option<bool>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    role_id: Option<i32>,
}

const COLUMNS: &str = r#"CAST(i."id" AS BIGINT) AS id, i."version" AS version, CAST(i."UUID" AS TEXT) AS uuid, i."active" AS active,
    CAST(i."Json_ext" AS TEXT) AS json_ext, CAST(i."date_deactivated" AS TEXT) AS date_deactivated,
    CAST(i."ValidityFrom" AS TEXT) AS validity_from, CAST(i."ValidityTo" AS TEXT) AS validity_to,
    i."LanguageID" AS language, l."LanguageName" AS language_name, l."SortOrder" AS language_sort,
    i."LastName" AS last_name, i."OtherNames" AS other_names, i."Phone" AS phone, i."LoginName" AS login_name,
    CAST(i."LastLogin" AS TEXT) AS last_login, i."HFID" AS health_facility_id, i."EmailId" AS email,
    CAST(i."PasswordValidity" AS TEXT) AS password_validity, i."IsAssociated" AS is_associated, i."RoleID" AS role_id"#;

const FROM: &str =
    r#"FROM "tblUsers" i LEFT JOIN "tblLanguages" l ON l."LanguageCode" = i."LanguageID""#;

fn iso(stamp: &Option<String>) -> Value {
    json!(stamp.as_deref().map(time::iso))
}

/// The row as InteractiveUserGQLType (`pk` = `tblUsers.id`, the federation key).
pub fn to_json(r: &InteractiveRow) -> Value {
    json!({
        "pk": r.id, "id": global_id("InteractiveUserGQLType", r.id), "version": r.version, "uuid": r.uuid,
        "active": r.active, "jsonExt": r.json_ext, "dateDeactivated": iso(&r.date_deactivated),
        "validityFrom": iso(&r.validity_from), "validityTo": iso(&r.validity_to),
        "language": {"code": r.language, "name": r.language_name, "sortOrder": r.language_sort},
        "languageId": r.language, "lastName": r.last_name, "otherNames": r.other_names, "phone": r.phone,
        "loginName": r.login_name, "lastLogin": iso(&r.last_login), "healthFacilityId": r.health_facility_id,
        "email": r.email, "passwordValidity": iso(&r.password_validity), "isAssociated": r.is_associated,
        "roleId": r.role_id,
    })
}

/// The rows matching `filter`, in `order`.
pub fn load(
    conn: &mut Conn,
    filter: &Where,
    order: &str,
) -> Result<Vec<InteractiveRow>, ModuleError> {
    db::load(
        conn,
        &format!("SELECT {COLUMNS} {FROM} WHERE {}{order}", filter.sql()),
        filter.binds(),
    )
}

/// JSON of the given ids (any validity), by id.
pub fn by_ids(conn: &mut Conn, ids: &[i64]) -> Result<HashMap<i64, Value>, ModuleError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut filter = Where::new();
    filter.ids(r#"i."id""#, ids);
    Ok(load(conn, &filter, "")?
        .iter()
        .map(|r| (r.id, to_json(r)))
        .collect())
}

#[derive(diesel::QueryableByName)]
pub struct UserRoleRow {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    id: i32,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    user_id: i64,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    role_id: i32,
    #[diesel(embed)]
    history: HistoryColumnsNullableAudit,
}

/// The `tblUserRole` rows matching `filter` (which may name the role as `r`), by id.
pub fn user_roles(conn: &mut Conn, filter: &Where) -> Result<Vec<UserRoleRow>, ModuleError> {
    db::load(
        conn,
        &format!(
            r#"SELECT ur."UserRoleID" AS id, CAST(ur."UserID" AS BIGINT) AS user_id, ur."RoleID" AS role_id,
                  CAST(ur."ValidityFrom" AS TEXT) AS validity_from, CAST(ur."ValidityTo" AS TEXT) AS validity_to,
                  ur."LegacyID" AS legacy_id, ur."AudituserID" AS audit_user_id
               FROM "tblUserRole" ur JOIN "tblRole" r ON r."RoleID" = ur."RoleID" WHERE {} ORDER BY ur."UserRoleID""#,
            filter.sql()
        ),
        filter.binds(),
    )
}

/// UserRoleGQLType JSON of `rows`, with the `role` and `user` the selection asks for (each
/// loaded once for all rows and enriched for its own sub-selection).
pub fn user_role_objects(
    conn: &mut Conn,
    rows: &[UserRoleRow],
    selection: &[SelectionField],
) -> Result<Vec<Value>, ModuleError> {
    let mut roles = HashMap::new();
    if field(selection, "role").is_some() {
        let ids: Vec<i64> = rows.iter().map(|r| i64::from(r.role_id)).collect();
        roles = roles::by_ids(conn, &ids)?;
        roles::enrich(
            conn,
            roles.values_mut().collect(),
            &children(selection, "role"),
        )?;
    }
    let mut users = HashMap::new();
    if field(selection, "user").is_some() {
        users = by_ids(conn, &rows.iter().map(|r| r.user_id).collect::<Vec<_>>())?;
        enrich(
            conn,
            users.values_mut().collect(),
            &children(selection, "user"),
        )?;
    }
    Ok(rows
        .iter()
        .map(|r| {
            r.history.add_to(json!({
                "id": r.id, "roleId": r.role_id, "userId": r.user_id,
                "role": roles.get(&i64::from(r.role_id)), "user": users.get(&r.user_id),
            }))
        })
        .collect())
}

/// Adds what `selection` asks of the interactive users `objects` beyond their row: `language`'s
/// users, `roles`, `userRoles` (valid rows of valid roles) and `userSet`.
pub fn enrich(
    conn: &mut Conn,
    mut objects: Vec<&mut Value>,
    selection: &[SelectionField],
) -> Result<(), ModuleError> {
    let ids: Vec<i64> = objects.iter().filter_map(|o| o["pk"].as_i64()).collect();
    if ids.is_empty() {
        return Ok(());
    }
    if field(selection, "language").is_some() {
        let mut languages: Vec<&mut Value> = Vec::new();
        for object in objects.iter_mut() {
            if let Some(l) = object.get_mut("language") {
                languages.push(l);
            }
        }
        settings_queries::enrich_languages(conn, languages, &children(selection, "language"))?;
    }
    let roles_field = field(selection, "roles");
    let user_roles_field = field(selection, "userRoles");
    if roles_field.is_some() || user_roles_field.is_some() {
        let mut filter = Where::new();
        filter
            .ids(r#"ur."UserID""#, &ids)
            .and(r#"ur."ValidityTo" IS NULL AND r."ValidityTo" IS NULL"#, []);
        let rows = user_roles(conn, &filter)?;
        if roles_field.is_some() {
            let role_ids: Vec<i64> = rows.iter().map(|r| i64::from(r.role_id)).collect();
            let mut by_id = roles::by_ids(conn, &role_ids)?;
            roles::enrich(
                conn,
                by_id.values_mut().collect(),
                &children(selection, "roles"),
            )?;
            for object in objects.iter_mut() {
                object["roles"] = rows
                    .iter()
                    .filter(|r| Some(r.user_id) == object["pk"].as_i64())
                    .filter_map(|r| by_id.get(&i64::from(r.role_id)).cloned())
                    .collect();
            }
        }
        if user_roles_field.is_some() {
            let all = user_role_objects(conn, &rows, &children(selection, "userRoles"))?;
            for object in objects.iter_mut() {
                object["userRoles"] = all
                    .iter()
                    .filter(|ur| ur["userId"] == object["pk"])
                    .cloned()
                    .collect();
            }
        }
    }
    user_queries::attach_user_sets(conn, objects, "i_user_id", selection)
}

/// InteractiveUserGQLType's filter set (the `interactiveUsers` arguments, and those of every
/// `interactiveuserSet`).
pub fn apply_filters(conn: &Conn, field: &SelectionField, filter: &mut Where) {
    let uuid = db::uuid_param(conn);
    filter.args(
        field,
        &[
            ("id", As::Id, r#"CAST(i."id" AS TEXT) = ?"#),
            ("uuid", As::Text, &format!(r#"i."UUID" = {uuid}"#)),
            (
                "lastName_Icontains",
                As::Text,
                r#"LOWER(i."LastName") LIKE '%' || LOWER(?) || '%'"#,
            ),
            (
                "otherNames_Icontains",
                As::Text,
                r#"LOWER(i."OtherNames") LIKE '%' || LOWER(?) || '%'"#,
            ),
            ("phone_Iexact", As::Text, r#"LOWER(i."Phone") = LOWER(?)"#),
            (
                "loginName_Iexact",
                As::Text,
                r#"LOWER(i."LoginName") = LOWER(?)"#,
            ),
            ("email_Iexact", As::Text, r#"LOWER(i."EmailId") = LOWER(?)"#),
            ("isAssociated", As::Bool, r#"i."IsAssociated" = ?"#),
            ("languageId", As::Text, r#"i."LanguageID" = ?"#),
        ],
    );
}

/// Sets each `interactiveuserSet` alias of `selection` (an InteractiveUserGQLType connection,
/// every row as the original's reverse relation) on each language object (`code` is its key),
/// in one query per alias for all of them.
pub fn attach_language_sets(
    conn: &mut Conn,
    mut languages: Vec<&mut Value>,
    selection: &[SelectionField],
) -> Result<(), ModuleError> {
    fill_answers(
        &mut languages,
        selection,
        "interactiveuserSet",
        |set, languages| language_sets(conn, languages, set),
    )
}

/// The `interactiveuserSet` connection `set` of each language (in order).
fn language_sets(
    conn: &mut Conn,
    languages: &[&mut Value],
    set: &SelectionField,
) -> Result<Vec<Value>, ModuleError> {
    let codes: Vec<String> = languages
        .iter()
        .filter_map(|l| l["code"].as_str().map(str::to_owned))
        .collect();
    if codes.is_empty() {
        return Ok(Vec::new());
    }
    let mut filter = Where::new();
    filter.and(
        &format!(
            r#"i."LanguageID" IN ({})"#,
            vec!["?"; codes.len()].join(", ")
        ),
        codes.iter().map(Bind::text),
    );
    apply_filters(conn, set, &mut filter);
    let rows: Vec<Value> = load(conn, &filter, r#" ORDER BY i."id""#)?
        .iter()
        .map(to_json)
        .collect();
    let groups = grouped(&codes, rows, |r| {
        r["languageId"].as_str().map(str::to_owned)
    });
    user_graph::pages(set, groups, |window, selection| {
        enrich(conn, window.iter_mut().collect(), selection)
    })
}

/// `interactiveUsers(...)`.
pub fn query(conn: &mut Conn, field: &SelectionField) -> Result<Value, ModuleError> {
    let mut filter = Where::new();
    if field.arg("showHistory") != Some(&Value::Bool(true)) && field.arg("uuid").is_none() {
        match field.arg("validity").and_then(Value::as_str) {
            Some(date) => {
                let stamp = db::timestamp_param(conn);
                let end_of_day = Bind::text(format!("{date} 23:59:59"));
                filter.and(
                    &format!(r#"i."ValidityFrom" <= {stamp} AND (i."ValidityTo" IS NULL OR i."ValidityTo" >= {stamp})"#),
                    [end_of_day.clone(), end_of_day],
                );
            }
            None => {
                filter.and(r#"i."ValidityTo" IS NULL"#, []);
            }
        }
    }
    apply_filters(conn, field, &mut filter);
    filter.args(
        field,
        &[(
            "clientMutationId",
            As::Text,
            r#"EXISTS (SELECT 1 FROM "core_User" cu JOIN "core_UserMutation" um ON um."core_user_id" = cu."id"
                JOIN "core_Mutation_Log" ml ON ml."id" = um."mutation_id" WHERE cu."i_user_id" = i."id" AND ml."client_mutation_id" = ?)"#,
        )],
    );
    let order = order_by(field, ORDERING, r#"i."id""#)?;
    let rows: Vec<Value> = load(conn, &filter, &order)?.iter().map(to_json).collect();
    user_graph::page(field, rows, |window, selection| {
        enrich(conn, window.iter_mut().collect(), selection)
    })
}

/// `orderBy` names of InteractiveUserGQLType.
pub const ORDERING: &[(&str, &str)] = &[
    ("id", r#"i."id""#),
    ("uuid", r#"i."UUID""#),
    ("last_name", r#"i."LastName""#),
    ("other_names", r#"i."OtherNames""#),
    ("login_name", r#"i."LoginName""#),
    ("email", r#"i."EmailId""#),
    ("phone", r#"i."Phone""#),
    ("language", r#"i."LanguageID""#),
    ("validity_from", r#"i."ValidityFrom""#),
];
