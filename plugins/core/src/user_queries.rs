//! Core users (`core_User`, UserGQLType; a uuid key, so read here rather than by the entity
//! layer): the `users` connection with every filter of the original's resolver, paged in SQL;
//! `user` (the caller); users by key; the `userSet` connections of interactive users, officers
//! and claim admins; the sub-users `iUser`, `officer`, `claimAdmin` through the entity layer.

use crate::sub_users::SubUserIds;
// `#[diesel(embed)]` names the trait unqualified in the code it derives.
use crate::entities::{CLAIM_ADMIN, CORE_USER, I_USER, OFFICER};
use crate::{location_link, Conn};
use diesel::deserialize::QueryableByName;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::entity::{self, Access, EntitySpec};
use openimis_sdk::project::{fill_answers, project};
use openimis_sdk::relay::global_id;
use openimis_sdk::sql_filter::{ints_of, order_by, As, Where};
use openimis_sdk::windowed::{node_selection, windowed_counted, PageAsk, COUNT_OVER};
use openimis_sdk::{HostHandle, ModuleError, RequestContext, SelectionField};
use serde_json::{json, Map, Value};

/// Right to read users (`gql_query_users_perms`).
pub const QUERY_USERS: u32 = 121_701;

#[derive(diesel::QueryableByName)]
struct CoreUserRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    id: String,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    version: i32,
    #[diesel(sql_type = diesel::sql_types::Text)]
    username: String,
    #[diesel(embed)]
    subs: SubUserIds,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    last_name: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    other_names: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    email: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    phone: Option<String>,
    /// The number of users matching, when the page was asked to carry it.
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    total: Option<i64>,
}

const FROM: &str = r#"FROM "core_User" u LEFT JOIN "tblUsers" i ON i."id" = u."i_user_id"
    LEFT JOIN "tblOfficer" o ON o."OfficerID" = u."officer_id" LEFT JOIN "tblClaimAdmin" c ON c."ClaimAdminId" = u."claim_admin_id""#;

/// A field proxied to the first of i_user, officer, claim_admin (`User.__getattr__`).
fn proxied(i: &str, o: &str, c: &str, alias: &str) -> String {
    format!(
        r#"CASE WHEN i."id" IS NOT NULL THEN i."{i}" WHEN o."OfficerID" IS NOT NULL THEN o."{o}" ELSE c."{c}" END AS {alias}"#
    )
}

/// UserGQLType JSON of the users matching `w`, in `order`, `window` = `(offset, limit)`, and the
/// number matching when `ask` wants it carried (`None` without rows).
fn load(
    conn: &mut Conn,
    w: &Where,
    order: &str,
    window: Option<PageAsk>,
) -> Result<(Vec<Value>, Option<usize>), ModuleError> {
    let columns = [
        proxied("LastName", "LastName", "LastName", "last_name"),
        proxied("OtherNames", "OtherNames", "OtherNames", "other_names"),
        proxied("EmailId", "EmailId", "EmailId", "email"),
        proxied("Phone", "Phone", "Phone", "phone"),
    ]
    .join(", ");
    let limit = window.map_or(String::new(), |a| {
        format!(" LIMIT {} OFFSET {}", a.limit, a.offset)
    });
    let total = match window.is_some_and(|a| a.with_total) {
        true => format!("CAST({COUNT_OVER} AS BIGINT)"),
        false => "CAST(NULL AS BIGINT)".to_owned(),
    };
    let rows: Vec<CoreUserRow> = db::load(
        conn,
        &format!(
            r#"SELECT CAST(u."id" AS TEXT) AS id, u."version" AS version, u."username" AS username,
                      CAST(u."i_user_id" AS BIGINT) AS i_user_id, CAST(u."officer_id" AS BIGINT) AS officer_id,
                      CAST(u."claim_admin_id" AS BIGINT) AS claim_admin_id, {columns}, {total} AS total
               {FROM} WHERE {}{order}{limit}"#,
            w.sql()
        ),
        w.binds(),
    )?;
    let carried = rows.first().and_then(|r| r.total).map(|t| t as usize);
    let rows = rows
        .iter()
        .map(|r| {
            json!({
                "pk": r.id, "id": global_id("UserGQLType", &r.id), "version": r.version, "username": r.username,
                "lastName": r.last_name, "otherNames": r.other_names, "email": r.email, "phone": r.phone,
                "iUserId": r.subs.i_user_id, "officerId": r.subs.officer_id, "claimAdminId": r.subs.claim_admin_id,
            })
        })
        .collect();
    Ok((rows, carried))
}

/// Completes users for `sel`: their sub-users through the entity layer, then the hook.
fn complete(
    conn: &mut Conn,
    rows: &mut [Value],
    sel: &[SelectionField],
    access: &Access,
) -> Result<(), ModuleError> {
    let subs: [(&str, &EntitySpec, &str); 3] = [
        ("iUser", &I_USER, "iUserId"),
        ("officer", &OFFICER, "officerId"),
        ("claimAdmin", &CLAIM_ADMIN, "claimAdminId"),
    ];
    for (name, spec, key) in subs {
        fill_answers(rows, sel, name, |f, rows| {
            let keys: Vec<Value> = rows.iter().map(|r| r[key].clone()).collect();
            entity::by_keys(conn, spec, &keys, &f.selection, access)
        })?;
    }
    (access.extend)(conn, &CORE_USER, rows, sel)
}

/// A UserGQLType connection over the users matching `w`, paged in SQL.
fn connection(
    conn: &mut Conn,
    field: &SelectionField,
    w: &Where,
    order: &str,
    access: &Access,
) -> Result<Value, ModuleError> {
    let count = |conn: &mut Conn| {
        let sql = format!("SELECT COUNT(*) AS n {FROM} WHERE {}", w.sql());
        db::count(conn, &sql, w.binds()).map(|n| n as usize)
    };
    windowed_counted(conn, field, "pk", count, |conn, ask| {
        let (mut rows, total) = load(conn, w, order, Some(ask))?;
        complete(conn, &mut rows, &node_selection(field), access)?;
        Ok((rows, total))
    })
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

/// The computed fields of users: `rights` and `clientMutationId` (the original's pending
/// mutation).
pub fn extend(
    conn: &mut Conn,
    context: &RequestContext,
    rows: &mut [Value],
    selection: &[SelectionField],
) -> Result<(), ModuleError> {
    if rows.is_empty() {
        return Ok(());
    }
    if selection.iter().any(|f| f.name == "rights") {
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
    if selection.iter().any(|f| f.name == "clientMutationId") {
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
    Ok(())
}

/// A case-blind filter on `alias."Column"`: `icontains` (the SDK's, literal: `LIKE ... ESCAPE`)
/// or `iexact` (`LOWER(..) = LOWER(?)`).
macro_rules! lower {
    (icontains $alias:ident $column:literal) => {
        openimis_sdk::icontains!(concat!(stringify!($alias), ".\"", $column, "\""))
    };
    (iexact $alias:ident $column:literal) => {
        lower!(@ $alias $column "= LOWER(?)")
    };
    (@ $alias:ident $column:literal $test:literal) => {
        concat!("LOWER(", stringify!($alias), ".\"", $column, "\") ", $test)
    };
}

/// UserGQLType's own filter set and those of its `i_user`/`officer` prefixes.
#[rustfmt::skip] // one filter a line
const FILTERS: &[(&str, As, &str)] = &[
    ("id", As::Id, r#"LOWER(CAST(u."id" AS TEXT)) = LOWER(?)"#),
    ("username", As::Text, r#"u."username" = ?"#),
    ("username_Icontains", As::Text, lower!(icontains u "username")),
    ("iUser_Id", As::IntId, r#"i."id" = ?"#),
    ("iUser_Uuid", As::Text, r#"LOWER(CAST(i."UUID" AS TEXT)) = LOWER(?)"#),
    ("iUser_LastName_Icontains", As::Text, lower!(icontains i "LastName")),
    ("iUser_OtherNames_Icontains", As::Text, lower!(icontains i "OtherNames")),
    ("iUser_Phone_Iexact", As::Text, lower!(iexact i "Phone")),
    ("iUser_LoginName_Iexact", As::Text, lower!(iexact i "LoginName")),
    ("iUser_Email_Iexact", As::Text, lower!(iexact i "EmailId")),
    ("iUser_IsAssociated", As::Bool, r#"i."IsAssociated" = ?"#),
    ("iUser_LanguageId", As::Text, r#"i."LanguageID" = ?"#),
    ("officer_Id", As::IntId, r#"o."OfficerID" = ?"#),
    ("officer_Uuid", As::Text, r#"o."OfficerUUID" = ?"#),
    ("officer_Code", As::Text, r#"o."Code" = ?"#),
    ("officer_Code_Icontains", As::Text, lower!(icontains o "Code")),
    ("officer_LastName", As::Text, r#"o."LastName" = ?"#),
    ("officer_LastName_Icontains", As::Text, lower!(icontains o "LastName")),
    ("officer_OtherNames", As::Text, r#"o."OtherNames" = ?"#),
    ("officer_OtherNames_Icontains", As::Text, lower!(icontains o "OtherNames")),
    ("officer_Dob", As::Date, r#"CAST(o."DOB" AS TEXT) = ?"#),
];

/// One condition on the interactive user (`i`), officer (`o`) and claim administrator (`c`)
/// rows of a user, any of which may match: `icontains` or `exact` on a column all three have.
macro_rules! on_any_kind {
    (icontains $column:literal) => {
        concat!(
            lower!(icontains i $column), " OR ", lower!(icontains o $column), " OR ",
            lower!(icontains c $column)
        )
    };
    (exact $column:literal) => {
        concat!("i.\"", $column, "\" = ? OR o.\"", $column, "\" = ? OR c.\"", $column, "\" = ?")
    };
}

/// The `users` resolver's own arguments (besides the filter set).
const SEARCHES: &[(&str, As, &str)] = &[
    (
        "str",
        As::Text,
        concat!(
            lower!(icontains u "username"),
            " OR ",
            on_any_kind!(icontains "LastName"),
            " OR ",
            on_any_kind!(icontains "OtherNames"),
            " OR ",
            on_any_kind!(exact "EmailId")
        ),
    ),
    (
        "clientMutationId",
        As::Text,
        r#"EXISTS (SELECT 1 FROM "core_UserMutation" um JOIN "core_Mutation_Log" ml ON ml."id" = um."mutation_id"
        WHERE um."core_user_id" = u."id" AND ml."client_mutation_id" = ?)"#,
    ),
    ("email", As::Text, on_any_kind!(exact "EmailId")),
    ("phone", As::Text, on_any_kind!(exact "Phone")),
    ("lastName", As::Text, on_any_kind!(icontains "LastName")),
    ("otherNames", As::Text, on_any_kind!(icontains "OtherNames")),
    ("language", As::Text, r#"i."LanguageID" = ?"#),
    // As the original: an officer matches on its location id.
    (
        "healthFacilityId",
        As::Int,
        r#"i."HFID" = ? OR o."LocationId" = ? OR c."HFId" = ?"#,
    ),
    (
        "birthDateFrom",
        As::Date,
        r#"CAST(o."DOB" AS TEXT) >= ? OR CAST(o."VEODOB" AS TEXT) >= ? OR CAST(c."DOB" AS TEXT) >= ?"#,
    ),
    (
        "birthDateTo",
        As::Date,
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
    field: &SelectionField,
    access: &Access,
) -> Result<Value, ModuleError> {
    let mut filter = Where::new();
    filter.and(r#"u."t_user_id" IS NULL"#, []);
    if field.arg("showDeleted") != Some(&Value::Bool(true)) && field.arg("id").is_none() {
        filter.and(r#"u."i_user_id" IS NULL OR i."ValidityTo" IS NULL"#, []);
    }
    filter.args(field, FILTERS)?.args(field, SEARCHES)?;
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
    connection(conn, field, &filter, &order, access)
}

/// The users with these ids (any case), projected to `selection`, in key order (null when
/// unknown).
pub fn by_keys(
    conn: &mut Conn,
    ids: &[String],
    selection: &[SelectionField],
    access: &Access,
) -> Result<Vec<Value>, ModuleError> {
    let wanted: Vec<String> = ids.iter().map(|id| id.to_lowercase()).collect();
    let mut found = Vec::new();
    if !wanted.is_empty() {
        let mut filter = Where::new();
        filter.and(
            &format!(
                r#"LOWER(CAST(u."id" AS TEXT)) IN ({})"#,
                placeholders(wanted.len())
            ),
            wanted.iter().map(Bind::text),
        );
        found = load(conn, &filter, "", None)?.0;
        complete(conn, &mut found, selection, access)?;
    }
    Ok(wanted
        .iter()
        .map(|id| {
            found
                .iter()
                .find(|u| u["pk"].as_str().map(str::to_lowercase).as_ref() == Some(id))
                .map_or(Value::Null, |u| project(selection, u, "pk"))
        })
        .collect())
}

/// `user`: the caller as UserGQLType, or null when anonymous.
pub fn current(
    conn: &mut Conn,
    context: &RequestContext,
    field: &SelectionField,
    access: &Access,
) -> Result<Value, ModuleError> {
    let Some(id) = context.user_id() else {
        return Ok(Value::Null);
    };
    let found = by_keys(conn, &[id.to_owned()], &field.selection, access)?;
    Ok(found.into_iter().next().unwrap_or(Value::Null))
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

/// Each `userSet` alias of `selection` (a UserGQLType connection) on each row: the core users
/// whose `fk_column` is the row's `pk`, one connection paged in SQL per row.
pub fn user_sets(
    conn: &mut Conn,
    fk_column: &str,
    rows: &mut [Value],
    selection: &[SelectionField],
    access: &Access,
) -> Result<(), ModuleError> {
    fill_answers(rows, selection, "userSet", |user_set, rows| {
        rows.iter()
            .map(|row| {
                let mut filter = Where::new();
                filter
                    .and(
                        &format!(r#"u."{fk_column}" = ?"#),
                        [Bind::BigInt(row["pk"].as_i64())],
                    )
                    .args(user_set, FILTERS)?;
                connection(
                    conn,
                    user_set,
                    &filter,
                    r#" ORDER BY u."username", u."id""#,
                    access,
                )
            })
            .collect()
    })
}
