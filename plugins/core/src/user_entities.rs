//! What other modules ask of core's users: `graphql_entities` for UserGQLType (the other user
//! types are the entity layer's, `graph.rs`), and the services `location_refs` (the health
//! facility, or an officer's location, of each key) and `location_roles` (whether a user is an
//! officer or a claim administrator, for row security).

use crate::{user_queries, Conn};
use openimis_sdk::db;
use openimis_sdk::entity::Access;
use openimis_sdk::sql_filter::{id_list, int_of};
use openimis_sdk::{EntitiesRequest, ModuleError};
use serde_json::{json, Map, Value};

fn int_keys(keys: &[Value]) -> Vec<i64> {
    keys.iter().filter_map(int_of).collect()
}

fn key_text(key: &Value) -> String {
    key.as_str().map_or_else(|| key.to_string(), str::to_owned)
}

#[derive(diesel::QueryableByName)]
struct UserLink {
    #[diesel(sql_type = diesel::sql_types::Text)]
    id: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    i_user_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    claim_admin_id: Option<i32>,
}

fn user_links(conn: &mut Conn, keys: &[Value]) -> Result<Vec<UserLink>, ModuleError> {
    let binds: Vec<db::Bind> = keys.iter().map(|k| db::Bind::text(key_text(k))).collect();
    if binds.is_empty() {
        return Ok(Vec::new());
    }
    db::load(
        conn,
        &format!(
            r#"SELECT CAST("id" AS TEXT) AS id, CAST("i_user_id" AS BIGINT) AS i_user_id, "claim_admin_id" AS claim_admin_id
               FROM "core_User" WHERE CAST("id" AS TEXT) IN ({})"#,
            vec!["?"; binds.len()].join(", ")
        ),
        &binds,
    )
}

/// One UserGQLType object per key, in key order (null when unknown).
pub fn entities(
    conn: &mut Conn,
    request: &EntitiesRequest,
    access: &Access,
) -> Result<Vec<Value>, ModuleError> {
    if request.type_name != "UserGQLType" {
        return Err(ModuleError::new(
            "NOT_SUPPORTED",
            format!("core has no entities of type {}", request.type_name),
        ));
    }
    let ids: Vec<String> = request.keys.iter().map(key_text).collect();
    user_queries::by_keys(conn, &ids, &request.selection, access)
}

#[derive(diesel::QueryableByName)]
struct Ref {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    place: Option<i64>,
}

/// `{"<key>": column}` of the `table` rows whose `key` is one of `keys`.
fn refs(
    conn: &mut Conn,
    (table, key, column): (&str, &str, &str),
    keys: &[Value],
    out: &mut Map<String, Value>,
) -> Result<(), ModuleError> {
    let ids = int_keys(keys);
    if ids.is_empty() {
        return Ok(());
    }
    let rows: Vec<Ref> = db::load(
        conn,
        &format!(
            r#"SELECT CAST("{key}" AS BIGINT) AS id, CAST("{column}" AS BIGINT) AS place
               FROM "{table}" WHERE "{key}" IN ({})"#,
            id_list(&ids)
        ),
        &[],
    )?;
    for row in rows {
        out.insert(row.id.to_string(), json!(row.place));
    }
    Ok(())
}

/// `location_refs {type, keys}` → `{"<key>": HFID | LocationId | null}`.
pub fn location_refs(conn: &mut Conn, payload: &Value) -> Result<Value, ModuleError> {
    let keys: Vec<Value> = payload["keys"].as_array().cloned().unwrap_or_default();
    let mut out = Map::new();
    match payload["type"].as_str().unwrap_or_default() {
        "InteractiveUserGQLType" => refs(conn, ("tblUsers", "id", "HFID"), &keys, &mut out)?,
        "OfficerGQLType" => refs(
            conn,
            ("tblOfficer", "OfficerID", "LocationId"),
            &keys,
            &mut out,
        )?,
        "ClaimAdminGQLType" => refs(
            conn,
            ("tblClaimAdmin", "ClaimAdminId", "HFId"),
            &keys,
            &mut out,
        )?,
        "UserGQLType" => {
            let links = user_links(conn, &keys)?;
            let i_ids: Vec<Value> = links
                .iter()
                .filter_map(|l| l.i_user_id)
                .map(|id| json!(id))
                .collect();
            let c_ids: Vec<Value> = links
                .iter()
                .filter_map(|l| l.claim_admin_id)
                .map(|id| json!(id))
                .collect();
            let i_hf = location_refs(
                conn,
                &json!({"type": "InteractiveUserGQLType", "keys": i_ids}),
            )?;
            let c_hf = location_refs(conn, &json!({"type": "ClaimAdminGQLType", "keys": c_ids}))?;
            for link in links {
                // As the original's `User.get_health_facility`: the claim admin's first.
                let hf = link
                    .claim_admin_id
                    .map(|id| c_hf[id.to_string()].clone())
                    .filter(|v| !v.is_null())
                    .or_else(|| link.i_user_id.map(|id| i_hf[id.to_string()].clone()))
                    .unwrap_or(Value::Null);
                out.insert(link.id, hf);
            }
        }
        other => {
            return Err(ModuleError::new(
                "BAD_ARGUMENT",
                format!("location_refs knows no type {other:?}"),
            ))
        }
    }
    for key in &keys {
        out.entry(key_text(key)).or_insert(Value::Null);
    }
    Ok(Value::Object(out))
}

#[derive(diesel::QueryableByName)]
struct RoleRow {
    /// `O` for an officer, `C` for a claim administrator, `U` for the user itself.
    #[diesel(sql_type = diesel::sql_types::Text)]
    kind: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    health_facility_id: Option<i64>,
}

/// `location_roles {user_id}` (a `tblUsers` id) → what location's row security asks, as the
/// original's `InteractiveUser.is_officer` / `is_claim_admin` read it: `officer_ids`, the
/// valid officers with a login whose code is the user's login name; `claim_admin`
/// (`{health_facility_id}` or null), the first valid claim administrator with a login of that
/// code; `health_facility_id`, the user's own `HFID`.
pub fn location_roles(conn: &mut Conn, payload: &Value) -> Result<Value, ModuleError> {
    let user = int_of(&payload["user_id"]).ok_or_else(|| {
        ModuleError::new("BAD_PAYLOAD", "location_roles needs an integer user_id")
    })?;
    let user_bind = || db::Bind::BigInt(Some(user));
    let rows: Vec<RoleRow> = db::load(
        conn,
        r#"SELECT 'O' AS kind, CAST(o."OfficerID" AS BIGINT) AS id, CAST(NULL AS BIGINT) AS health_facility_id
               FROM "tblOfficer" o JOIN "tblUsers" u ON o."Code" = u."LoginName"
               WHERE u."id" = ? AND o."HasLogin" = ? AND o."ValidityTo" IS NULL
           UNION ALL SELECT 'C' AS kind, CAST(c."ClaimAdminId" AS BIGINT) AS id, CAST(c."HFId" AS BIGINT) AS health_facility_id
               FROM "tblClaimAdmin" c JOIN "tblUsers" u ON c."ClaimAdminCode" = u."LoginName"
               WHERE u."id" = ? AND c."HasLogin" = ? AND c."ValidityTo" IS NULL
           UNION ALL SELECT 'U' AS kind, CAST(u."id" AS BIGINT) AS id, CAST(u."HFID" AS BIGINT) AS health_facility_id
               FROM "tblUsers" u WHERE u."id" = ?
           ORDER BY kind, id"#,
        &[
            user_bind(),
            db::Bind::Bool(Some(true)),
            user_bind(),
            db::Bind::Bool(Some(true)),
            user_bind(),
        ],
    )?;
    let of_kind = |kind: &'static str| rows.iter().filter(move |r| r.kind == kind);
    Ok(json!({
        "officer_ids": of_kind("O").filter_map(|r| r.id).collect::<Vec<_>>(),
        "claim_admin": of_kind("C").next().map(|c| json!({"health_facility_id": c.health_facility_id})),
        "health_facility_id": of_kind("U").next().and_then(|u| u.health_facility_id),
    }))
}
