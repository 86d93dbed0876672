//! Who a user is: the context the host attaches to every authenticated request (`auth.context`:
//! user JSON, role rights, language, IMIS-admin flag) and the frontend's `current_user` call.

use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::{HttpRequest, HttpResponse, ModuleError, RequestContext};
use serde_json::{json, Value};

/// `IsSystem` of the IMIS Administrator role: it holds every right.
pub const IMIS_ADMINISTRATOR: i32 = 64;

#[derive(diesel::QueryableByName)]
struct UserRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    username: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    i_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    language: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    last_name: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    other_names: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    health_facility_id: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    stored_password: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    private_key: Option<String>,
}

#[derive(diesel::QueryableByName)]
struct RightRow {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    right_id: i32,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    is_system: i32,
}

/// `{user, rights, language, is_imis_admin, token_key}` for `username`; 401 when no such user.
/// `token_key` is the fingerprint of the user's current key (`token_keys`), which the host
/// compares with a token's `keyFingerprint`.
pub fn auth_context(conn: &mut Conn, username: &str) -> Result<Value, ModuleError> {
    let users: Vec<UserRow> = db::load(
        conn,
        r#"SELECT CAST(u."id" AS TEXT) AS id, u."username" AS username, i."id" AS i_id, i."LanguageID" AS language,
                  i."LastName" AS last_name, i."OtherNames" AS other_names, i."HFID" AS health_facility_id,
                  i."StoredPassword" AS stored_password, i."PrivateKey" AS private_key
           FROM "core_User" u LEFT JOIN "tblUsers" i ON i."id" = u."i_user_id" AND i."ValidityTo" IS NULL
           WHERE u."username" = ?"#,
        &[Bind::text(username)],
    )?;
    let user = users
        .into_iter()
        .next()
        .ok_or_else(|| ModuleError::new("JWT_INVALID", "Invalid payload").with_status(401))?;
    let rights: Vec<RightRow> = match user.i_id {
        None => Vec::new(),
        Some(i_id) => db::load(
            conn,
            r#"SELECT COALESCE(rr."RightID", 0) AS right_id, r."IsSystem" AS is_system
               FROM "tblUserRole" ur JOIN "tblRole" r ON r."RoleID" = ur."RoleID"
               LEFT JOIN "tblRoleRight" rr ON rr."RoleID" = r."RoleID" AND rr."ValidityTo" IS NULL
               WHERE ur."UserID" = ? AND ur."ValidityTo" IS NULL AND r."ValidityTo" IS NULL
               UNION SELECT 0 AS right_id, r."IsSystem" AS is_system
               FROM "tblUserRole" ur JOIN "tblRole" r ON r."RoleID" = ur."RoleID"
               WHERE ur."UserID" = ? AND ur."ValidityTo" IS NULL AND r."ValidityTo" IS NULL"#,
            &[Bind::BigInt(Some(i_id)), Bind::BigInt(Some(i_id))],
        )?,
    };
    let is_imis_admin = rights.iter().any(|r| r.is_system == IMIS_ADMINISTRATOR);
    let mut codes: Vec<i32> = rights
        .iter()
        .map(|r| r.right_id)
        .filter(|&r| r > 0)
        .collect();
    codes.sort_unstable();
    codes.dedup();
    let language = user.language.clone().unwrap_or_else(|| "en".to_owned());
    let i_user = user.i_id.map(|id| {
        json!({
            "id": id,
            "language": language,
            "last_name": user.last_name,
            "other_names": user.other_names,
            "health_facility_id": user.health_facility_id,
            "rights": codes,
            "has_password": user.stored_password.as_deref().is_some_and(|p| !p.is_empty() && p != "locked"),
        })
    });
    Ok(json!({
        "user": {"id": user.id, "username": user.username, "t_user": null, "i_user": i_user},
        "rights": codes,
        "language": language,
        "is_imis_admin": is_imis_admin,
        "token_key": crate::token_keys::fingerprint(user.private_key.as_deref()),
    }))
}

/// Whether `username` holds a valid IMIS Administrator role.
pub fn is_imis_admin(conn: &mut Conn, username: &str) -> Result<bool, ModuleError> {
    Ok(auth_context(conn, username)?["is_imis_admin"] == true)
}

/// Whether the request's user (if any) is an IMIS Administrator.
pub fn requester_is_imis_admin(
    conn: &mut Conn,
    context: &RequestContext,
) -> Result<bool, ModuleError> {
    match context.user["username"].as_str() {
        Some(username) if !username.is_empty() => is_imis_admin(conn, username),
        _ => Ok(false),
    }
}

pub(crate) fn json_response(status: u16, body: &Value) -> HttpResponse {
    HttpResponse {
        status,
        headers: vec![("content-type".into(), "application/json".into()).into()].into(),
        body: body.to_string().into_bytes().into(),
    }
}

/// `GET /api/core/users/current_user/`: the user with the rights the host settled on (an
/// admin's are every module's), or 401 as the original.
pub fn current_user_http(request: &HttpRequest) -> Result<HttpResponse, ModuleError> {
    let context: RequestContext =
        serde_json::from_str(request.context.as_str()).unwrap_or_default();
    if context.user.get("id").is_none() {
        return Ok(json_response(
            401,
            &json!({"detail": "Authentication credentials were not provided."}),
        ));
    }
    let mut user = context.user;
    if let Some(i_user) = user.get_mut("i_user").and_then(Value::as_object_mut) {
        i_user.insert("rights".into(), json!(context.rights));
    }
    Ok(json_response(200, &user))
}
