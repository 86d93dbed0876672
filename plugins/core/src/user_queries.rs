//! Core users (`core_User`, UserGQLType): the `users` connection with every filter of the
//! original's resolver, `user` (the caller), the obligatory-field settings, and the `userSet`
//! reverse connections of interactive users, officers and claim admins.

use crate::user_graph::{self, children, field, objects_at};
use crate::{claim_admins, interactive_users, location_link, mutation_log, officers, Conn};
use openimis_sdk::db::{self, Bind};
use openimis_sdk::project::{fill_answers, project};
use openimis_sdk::relay::global_id;
use openimis_sdk::sql_filter::{ints_of, order_by, As, Where};
use openimis_sdk::{HostHandle, ModuleError, RequestContext, SelectionField};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

/// Right to read users (`gql_query_users_perms`).
pub const QUERY_USERS: u32 = 121_701;

#[derive(diesel::QueryableByName, Clone)]
struct CoreUserRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    id: String,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    version: i32,
    #[diesel(sql_type = diesel::sql_types::Text)]
    username: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    i_user_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    officer_id: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    claim_admin_id: Option<i32>,
}

const FROM: &str = r#"FROM "core_User" u LEFT JOIN "tblUsers" i ON i."id" = u."i_user_id"
    LEFT JOIN "tblOfficer" o ON o."OfficerID" = u."officer_id" LEFT JOIN "tblClaimAdmin" c ON c."ClaimAdminId" = u."claim_admin_id""#;

fn load(conn: &mut Conn, filter: &Where, order: &str) -> Result<Vec<CoreUserRow>, ModuleError> {
    db::load(
        conn,
        &format!(
            r#"SELECT CAST(u."id" AS TEXT) AS id, u."version" AS version, u."username" AS username,
                      CAST(u."i_user_id" AS BIGINT) AS i_user_id, u."officer_id" AS officer_id, u."claim_admin_id" AS claim_admin_id
               {FROM} WHERE {}{order}"#,
            filter.sql()
        ),
        filter.binds(),
    )
}

/// Which sub-users a selection needs loaded (`None`: all of them).
struct Needs {
    i_user: bool,
    officer: bool,
    claim_admin: bool,
}

impl Needs {
    /// A sub-user is loaded when the selection names it, or names a proxied field that some
    /// row can only answer from it (the first of i_user, officer, claim_admin).
    fn of(selection: Option<&[SelectionField]>, rows: &[CoreUserRow]) -> Self {
        let Some(selection) = selection else {
            return Self {
                i_user: true,
                officer: true,
                claim_admin: true,
            };
        };
        let named = |name: &str| selection.iter().any(|f| f.name == name);
        let proxied = ["lastName", "otherNames", "email", "phone"]
            .iter()
            .any(|f| named(f));
        Self {
            i_user: named("iUser") || proxied,
            officer: named("officer")
                || (proxied
                    && rows
                        .iter()
                        .any(|r| r.i_user_id.is_none() && r.officer_id.is_some())),
            claim_admin: named("claimAdmin")
                || (proxied
                    && rows.iter().any(|r| {
                        r.i_user_id.is_none()
                            && r.officer_id.is_none()
                            && r.claim_admin_id.is_some()
                    })),
        }
    }
}

/// UserGQLType JSON of `rows`, with their sub-users and the fields proxied to the first of
/// `i_user`, `officer`, `claim_admin` (as the original's `User.__getattr__`); only the
/// sub-users `selection` needs are loaded (all of them without a selection).
fn to_json(
    conn: &mut Conn,
    rows: &[CoreUserRow],
    selection: Option<&[SelectionField]>,
) -> Result<Vec<Value>, ModuleError> {
    let needs = Needs::of(selection, rows);
    let ids = |wanted: bool, id: &dyn Fn(&CoreUserRow) -> Option<i64>| -> Vec<i64> {
        if wanted {
            rows.iter().filter_map(id).collect()
        } else {
            Vec::new()
        }
    };
    let i_users = interactive_users::by_ids(conn, &ids(needs.i_user, &|r| r.i_user_id))?;
    let officers = officers::by_ids(conn, &ids(needs.officer, &|r| r.officer_id.map(i64::from)))?;
    let admins = claim_admins::by_ids(
        conn,
        &ids(needs.claim_admin, &|r| r.claim_admin_id.map(i64::from)),
    )?;
    Ok(rows
        .iter()
        .map(|r| {
            let i_user = r.i_user_id.and_then(|id| i_users.get(&id).cloned());
            let officer = r.officer_id.and_then(|id| officers.get(&i64::from(id)).cloned());
            let admin = r.claim_admin_id.and_then(|id| admins.get(&i64::from(id)).cloned());
            let proxy = i_user.as_ref().or(officer.as_ref()).or(admin.as_ref());
            let proxied = |name: &str| proxy.map_or(Value::Null, |u| u[name].clone());
            json!({
                "pk": r.id, "id": global_id("UserGQLType", &r.id), "version": r.version, "username": r.username,
                "lastName": proxied("lastName"), "otherNames": proxied("otherNames"), "email": proxied("email"),
                "phone": proxied("phone"), "iUserId": r.i_user_id, "iUser": i_user, "officer": officer, "claimAdmin": admin,
            })
        })
        .collect())
}

#[derive(diesel::QueryableByName)]
struct UserText {
    #[diesel(sql_type = diesel::sql_types::Text)]
    key: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    value: Option<String>,
}

fn placeholders(n: usize) -> String {
    vec!["?"; n].join(", ")
}

/// Adds what `selection` asks of the users `rows` beyond their rows: `rights`,
/// `clientMutationId` (the original's pending mutation), `mutationlogSet`, `mutations`, and
/// the sub-users' own extras.
fn enrich(
    conn: &mut Conn,
    context: &RequestContext,
    rows: &mut [Value],
    selection: &[SelectionField],
) -> Result<(), ModuleError> {
    if rows.is_empty() {
        return Ok(());
    }
    if field(selection, "rights").is_some() {
        let ids: Vec<i64> = rows.iter().filter_map(|r| r["iUserId"].as_i64()).collect();
        let mut filter = Where::new();
        filter
            .ids(r#"ur."UserID""#, &ids)
            .and(r#"ur."ValidityTo" IS NULL AND rr."ValidityTo" IS NULL"#, []);
        let rights: Vec<UserText> = db::load(
            conn,
            &format!(
                r#"SELECT DISTINCT CAST(ur."UserID" AS TEXT) AS key, CAST(rr."RightID" AS TEXT) AS value
                   FROM "tblUserRole" ur JOIN "tblRoleRight" rr ON rr."RoleID" = ur."RoleID" WHERE {} ORDER BY value"#,
                filter.sql()
            ),
            filter.binds(),
        )?;
        for row in rows.iter_mut() {
            let own = row["iUserId"].as_i64().map(|id| id.to_string());
            row["rights"] = rights
                .iter()
                .filter(|r| Some(&r.key) == own.as_ref())
                .map(|r| json!(r.value))
                .collect();
        }
    }
    if field(selection, "clientMutationId").is_some() {
        if !context.holds(QUERY_USERS) {
            return Err(crate::unauthorized());
        }
        let ids: Vec<Bind> = rows
            .iter()
            .map(|r| Bind::Text(r["pk"].as_str().map(str::to_owned)))
            .collect();
        let pending: Vec<UserText> = db::load(
            conn,
            &format!(
                r#"SELECT CAST(um."core_user_id" AS TEXT) AS key, ml."client_mutation_id" AS value
                   FROM "core_UserMutation" um JOIN "core_Mutation_Log" ml ON ml."id" = um."mutation_id"
                   WHERE ml."status" = 0 AND CAST(um."core_user_id" AS TEXT) IN ({})"#,
                placeholders(ids.len())
            ),
            &ids,
        )?;
        for row in rows.iter_mut() {
            row["clientMutationId"] = json!(pending
                .iter()
                .find(|p| Some(p.key.as_str()) == row["pk"].as_str())
                .and_then(|p| p.value.clone()));
        }
    }
    mutation_log::attach_to_users(conn, context, rows.iter_mut().collect(), selection)?;
    interactive_users::enrich(
        conn,
        objects_at(rows, "iUser"),
        &children(selection, "iUser"),
    )?;
    officers::enrich(
        conn,
        objects_at(rows, "officer"),
        &children(selection, "officer"),
    )?;
    claim_admins::enrich(
        conn,
        objects_at(rows, "claimAdmin"),
        &children(selection, "claimAdmin"),
    )
}

/// UserGQLType's own filter set and those of its `i_user`/`officer` prefixes.
const FILTERS: &[(&str, As, &str)] = &[
    ("id", As::Id, r#"LOWER(CAST(u."id" AS TEXT)) = LOWER(?)"#),
    ("username", As::Text, r#"u."username" = ?"#),
    (
        "username_Icontains",
        As::Text,
        r#"LOWER(u."username") LIKE '%' || LOWER(?) || '%'"#,
    ),
    ("iUser_Id", As::Id, r#"CAST(i."id" AS TEXT) = ?"#),
    (
        "iUser_Uuid",
        As::Text,
        r#"LOWER(CAST(i."UUID" AS TEXT)) = LOWER(?)"#,
    ),
    (
        "iUser_LastName_Icontains",
        As::Text,
        r#"LOWER(i."LastName") LIKE '%' || LOWER(?) || '%'"#,
    ),
    (
        "iUser_OtherNames_Icontains",
        As::Text,
        r#"LOWER(i."OtherNames") LIKE '%' || LOWER(?) || '%'"#,
    ),
    (
        "iUser_Phone_Iexact",
        As::Text,
        r#"LOWER(i."Phone") = LOWER(?)"#,
    ),
    (
        "iUser_LoginName_Iexact",
        As::Text,
        r#"LOWER(i."LoginName") = LOWER(?)"#,
    ),
    (
        "iUser_Email_Iexact",
        As::Text,
        r#"LOWER(i."EmailId") = LOWER(?)"#,
    ),
    ("iUser_IsAssociated", As::Bool, r#"i."IsAssociated" = ?"#),
    ("iUser_LanguageId", As::Text, r#"i."LanguageID" = ?"#),
    ("officer_Id", As::Id, r#"CAST(o."OfficerID" AS TEXT) = ?"#),
    ("officer_Uuid", As::Text, r#"o."OfficerUUID" = ?"#),
    ("officer_Code", As::Text, r#"o."Code" = ?"#),
    (
        "officer_Code_Icontains",
        As::Text,
        r#"LOWER(o."Code") LIKE '%' || LOWER(?) || '%'"#,
    ),
    ("officer_LastName", As::Text, r#"o."LastName" = ?"#),
    (
        "officer_LastName_Icontains",
        As::Text,
        r#"LOWER(o."LastName") LIKE '%' || LOWER(?) || '%'"#,
    ),
    ("officer_OtherNames", As::Text, r#"o."OtherNames" = ?"#),
    (
        "officer_OtherNames_Icontains",
        As::Text,
        r#"LOWER(o."OtherNames") LIKE '%' || LOWER(?) || '%'"#,
    ),
    ("officer_Dob", As::Text, r#"CAST(o."DOB" AS TEXT) = ?"#),
];

/// The `users` resolver's own arguments (besides the filter set).
const SEARCHES: &[(&str, As, &str)] = &[
    (
        "str",
        As::Text,
        r#"LOWER(u."username") LIKE '%' || LOWER(?) || '%'
        OR LOWER(i."LastName") LIKE '%' || LOWER(?) || '%' OR LOWER(o."LastName") LIKE '%' || LOWER(?) || '%'
        OR LOWER(c."LastName") LIKE '%' || LOWER(?) || '%' OR LOWER(i."OtherNames") LIKE '%' || LOWER(?) || '%'
        OR LOWER(o."OtherNames") LIKE '%' || LOWER(?) || '%' OR LOWER(c."OtherNames") LIKE '%' || LOWER(?) || '%'
        OR i."EmailId" = ? OR o."EmailId" = ? OR c."EmailId" = ?"#,
    ),
    (
        "clientMutationId",
        As::Text,
        r#"EXISTS (SELECT 1 FROM "core_UserMutation" um JOIN "core_Mutation_Log" ml ON ml."id" = um."mutation_id"
        WHERE um."core_user_id" = u."id" AND ml."client_mutation_id" = ?)"#,
    ),
    (
        "email",
        As::Text,
        r#"i."EmailId" = ? OR o."EmailId" = ? OR c."EmailId" = ?"#,
    ),
    (
        "phone",
        As::Text,
        r#"i."Phone" = ? OR o."Phone" = ? OR c."Phone" = ?"#,
    ),
    (
        "lastName",
        As::Text,
        r#"LOWER(i."LastName") LIKE '%' || LOWER(?) || '%' OR LOWER(o."LastName") LIKE '%' || LOWER(?) || '%'
        OR LOWER(c."LastName") LIKE '%' || LOWER(?) || '%'"#,
    ),
    (
        "otherNames",
        As::Text,
        r#"LOWER(i."OtherNames") LIKE '%' || LOWER(?) || '%' OR LOWER(o."OtherNames") LIKE '%' || LOWER(?) || '%'
        OR LOWER(c."OtherNames") LIKE '%' || LOWER(?) || '%'"#,
    ),
    ("language", As::Text, r#"i."LanguageID" = ?"#),
    // As the original: an officer matches on its location id.
    (
        "healthFacilityId",
        As::Int,
        r#"i."HFID" = ? OR o."LocationId" = ? OR c."HFId" = ?"#,
    ),
    (
        "birthDateFrom",
        As::Text,
        r#"CAST(o."DOB" AS TEXT) >= ? OR CAST(o."VEODOB" AS TEXT) >= ? OR CAST(c."DOB" AS TEXT) >= ?"#,
    ),
    (
        "birthDateTo",
        As::Text,
        r#"CAST(o."DOB" AS TEXT) <= ? OR CAST(o."VEODOB" AS TEXT) <= ? OR CAST(c."DOB" AS TEXT) <= ?"#,
    ),
    (
        "roleId",
        As::Int,
        r#"EXISTS (SELECT 1 FROM "tblUserRole" ur WHERE ur."UserID" = u."i_user_id" AND ur."ValidityTo" IS NULL AND ur."RoleID" = ?)"#,
    ),
];

const ORDERING: &[(&str, &str)] = &[
    ("id", r#"u."id""#),
    ("username", r#"u."username""#),
    ("i_user__last_name", r#"i."LastName""#),
    ("i_user__other_names", r#"i."OtherNames""#),
    ("i_user__email", r#"i."EmailId""#),
    ("i_user__phone", r#"i."Phone""#),
    ("i_user__login_name", r#"i."LoginName""#),
    ("officer__code", r#"o."Code""#),
    ("officer__last_name", r#"o."LastName""#),
    ("officer__other_names", r#"o."OtherNames""#),
    ("officer__dob", r#"o."DOB""#),
    ("claim_admin__code", r#"c."ClaimAdminCode""#),
    ("claim_admin__last_name", r#"c."LastName""#),
    ("claim_admin__other_names", r#"c."OtherNames""#),
];

/// The location filters, through location's `users.filter`: interactive users by their
/// districts (regions), officers by their villages (municipalities).
fn location_filters(
    host: &HostHandle,
    field: &SelectionField,
    filter: &mut Where,
) -> Result<(), ModuleError> {
    let mut ask = Map::new();
    let (mut on_interactive, mut on_officers) = (false, false);
    match (
        field.arg("parentLocation"),
        field.arg("parentLocationLevel").and_then(Value::as_i64),
    ) {
        (Some(parent), Some(level)) => {
            ask.insert("parent_location".into(), parent.clone());
            ask.insert("parent_location_level".into(), json!(level));
            on_interactive = level <= 1;
            on_officers = level >= 2;
        }
        _ => {
            for (arg, key, officer) in [
                ("regionId", "region_id", false),
                ("regionIds", "region_ids", false),
                ("districtId", "district_id", false),
                ("municipalityId", "municipality_id", true),
                ("villageId", "village_id", true),
            ] {
                if let Some(value) = field.arg(arg) {
                    let value = match value {
                        Value::Array(_) => json!(ints_of(Some(value)).unwrap_or_default()),
                        other => json!(openimis_sdk::sql_filter::int_of(other)),
                    };
                    ask.insert(key.into(), value);
                    on_officers |= officer;
                    on_interactive |= !officer;
                }
            }
        }
    }
    if !(on_interactive || on_officers) {
        return Ok(());
    }
    let matching = location_link::users_filter(host, &Value::Object(ask))?;
    if on_interactive {
        filter.ids(r#"u."i_user_id""#, &matching.interactive_user_ids);
    }
    if on_officers {
        filter.ids(r#"u."officer_id""#, &matching.officer_ids);
    }
    Ok(())
}

/// `users(...)`: never technical users; interactive users only while valid unless
/// `showDeleted` or `id`; every filter of the original's resolver; distinct rows.
pub fn users(
    host: &HostHandle,
    conn: &mut Conn,
    context: &RequestContext,
    field: &SelectionField,
) -> Result<Value, ModuleError> {
    let mut filter = Where::new();
    filter.and(r#"u."t_user_id" IS NULL"#, []);
    if field.arg("showDeleted") != Some(&Value::Bool(true)) && field.arg("id").is_none() {
        filter.and(r#"u."i_user_id" IS NULL OR i."ValidityTo" IS NULL"#, []);
    }
    filter.args(field, FILTERS).args(field, SEARCHES);
    if let Some(roles) = ints_of(field.arg("roles")).filter(|r| !r.is_empty()) {
        let list: Vec<String> = roles.iter().map(i64::to_string).collect();
        filter.and(
            &format!(r#"EXISTS (SELECT 1 FROM "tblUserRole" ur WHERE ur."UserID" = u."i_user_id" AND ur."ValidityTo" IS NULL AND ur."RoleID" IN ({}))"#, list.join(", ")),
            [],
        );
    }
    location_filters(host, field, &mut filter)?;
    let types: Vec<&str> = field
        .arg("userTypes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|t| match t.as_str()? {
            "INTERACTIVE" => Some(r#"u."i_user_id" IS NOT NULL"#),
            "OFFICER" => Some(r#"u."officer_id" IS NOT NULL"#),
            "TECHNICAL" => Some(r#"u."t_user_id" IS NOT NULL"#),
            "CLAIM_ADMIN" => Some(r#"u."claim_admin_id" IS NOT NULL"#),
            _ => None,
        })
        .collect();
    if !types.is_empty() {
        filter.and(&types.join(" OR "), []);
    }
    let order = order_by(field, ORDERING, r#"u."username", u."id""#)?;
    let rows = load(conn, &filter, &order)?;
    // Only the page's users are expanded (their sub-users), not every match.
    let keys: Vec<Value> = rows.iter().map(|r| json!({"pk": r.id})).collect();
    user_graph::page(field, keys, |window, selection| {
        let owned: Vec<CoreUserRow> = window
            .iter()
            .filter_map(|k| {
                rows.iter()
                    .find(|r| Some(r.id.as_str()) == k["pk"].as_str())
            })
            .cloned()
            .collect();
        let mut full = to_json(conn, &owned, Some(selection))?;
        enrich(conn, context, &mut full, selection)?;
        window.clone_from_slice(&full);
        Ok(())
    })
}

/// UserGQLType JSON (enriched for `selection`) of the users with these ids, by id.
pub fn by_ids(
    conn: &mut Conn,
    context: &RequestContext,
    ids: &[String],
    selection: &[SelectionField],
) -> Result<HashMap<String, Value>, ModuleError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut filter = Where::new();
    filter.and(
        &format!(
            r#"LOWER(CAST(u."id" AS TEXT)) IN ({})"#,
            placeholders(ids.len())
        ),
        ids.iter().map(|id| Bind::text(id.to_lowercase())),
    );
    let rows = load(conn, &filter, "")?;
    let mut full = to_json(conn, &rows, Some(selection))?;
    enrich(conn, context, &mut full, selection)?;
    Ok(full
        .into_iter()
        .map(|u| (u["pk"].as_str().unwrap_or_default().to_owned(), u))
        .collect())
}

/// `user`: the caller as UserGQLType, or null when anonymous.
pub fn current(
    conn: &mut Conn,
    context: &RequestContext,
    field: &SelectionField,
) -> Result<Value, ModuleError> {
    let Some(id) = context.user_id() else {
        return Ok(Value::Null);
    };
    let found = by_ids(conn, context, &[id.to_owned()], &field.selection)?;
    Ok(found
        .values()
        .next()
        .map_or(Value::Null, |u| project(&field.selection, u, "pk")))
}

/// `userObligatoryFields` / `eoObligatoryFields`: core's `fields_controls_user` /
/// `fields_controls_eo` (`{}` by default), null when anonymous.
pub fn obligatory_fields(context: &RequestContext) -> Value {
    if context.is_authenticated() {
        json!({})
    } else {
        Value::Null
    }
}

/// Sets each `userSet` alias of `selection` (a UserGQLType connection) on each object: the core
/// users whose `fk_column` is the object's `pk`, in one query per alias for all the objects.
pub fn attach_user_sets(
    conn: &mut Conn,
    mut objects: Vec<&mut Value>,
    fk_column: &str,
    selection: &[SelectionField],
) -> Result<(), ModuleError> {
    fill_answers(&mut objects, selection, "userSet", |user_set, objects| {
        user_sets(conn, objects, fk_column, user_set)
    })
}

/// The `userSet` connection `user_set` of each object (in order).
fn user_sets(
    conn: &mut Conn,
    objects: &[&mut Value],
    fk_column: &str,
    user_set: &SelectionField,
) -> Result<Vec<Value>, ModuleError> {
    let ids: Vec<i64> = objects.iter().filter_map(|o| o["pk"].as_i64()).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut filter = Where::new();
    filter
        .ids(&format!(r#"u."{fk_column}""#), &ids)
        .args(user_set, FILTERS);
    let rows = load(conn, &filter, r#" ORDER BY u."username""#)?;
    let parent_of: Vec<Option<i64>> = rows
        .iter()
        .map(|r| match fk_column {
            "i_user_id" => r.i_user_id,
            "officer_id" => r.officer_id.map(i64::from),
            _ => r.claim_admin_id.map(i64::from),
        })
        .collect();
    let mut users = to_json(conn, &rows, None)?;
    for (user, parent) in users.iter_mut().zip(parent_of) {
        user["parentPk"] = json!(parent);
    }
    let groups = user_graph::grouped(&ids, users, |u| u["parentPk"].as_i64());
    user_graph::pages(user_set, groups, |_, _| Ok(()))
}

/// Dispatches core's user, officer and claim-admin root queries.
pub fn resolve(
    host: &HostHandle,
    conn: &mut Conn,
    request: &openimis_sdk::ResolveRequest,
) -> Result<Value, ModuleError> {
    let (context, field) = (&request.context, &request.field);
    match field.name.as_str() {
        "users" => users(host, conn, context, field),
        "interactiveUsers" => crate::interactive_users::query(conn, field),
        "user" => current(conn, context, field),
        "enrolmentOfficers" => officers::enrolment_officers(conn, field),
        "substitutionEnrolmentOfficers" => officers::substitution_officers(host, conn, field),
        "claimAdmins" => claim_admins::query(host, conn, field),
        "userObligatoryFields" | "eoObligatoryFields" => Ok(obligatory_fields(context)),
        "customFilters" => crate::custom_filters::resolve(context, field),
        other => Err(ModuleError::new(
            "NOT_SUPPORTED",
            format!("no user field {other}"),
        )),
    }
}
