//! Claim administrators (`tblClaimAdmin`, ClaimAdminGQLType): rows as JSON, nested `userSet`,
//! and the `claimAdmins` connection (valid rows; `search` on code or names).

use crate::user_graph::{self, field};
use crate::{user_queries, Conn};
use openimis_plugin_api::sdk::db;
use openimis_plugin_api::sdk::relay::global_id;
use openimis_plugin_api::sdk::sql_filter::{order_by, As, Where};
use openimis_plugin_api::sdk::time;
use openimis_plugin_api::{ModuleError, SelectionField};
use serde_json::{json, Value};
use std::collections::HashMap;

#[derive(diesel::QueryableByName)]
pub struct ClaimAdminRow {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    pub id: i32,
    #[diesel(sql_type = diesel::sql_types::Text)]
    uuid: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    code: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    last_name: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    other_names: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    dob: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    email_id: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    phone: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    pub health_facility_id: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Bool>)]
    has_login: Option<bool>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    audit_user_id: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    validity_from: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    validity_to: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    legacy_id: Option<i32>,
}

const COLUMNS: &str = r#"c."ClaimAdminId" AS id, c."ClaimAdminUUID" AS uuid, c."ClaimAdminCode" AS code,
    c."LastName" AS last_name, c."OtherNames" AS other_names, CAST(c."DOB" AS TEXT) AS dob, c."EmailId" AS email_id,
    c."Phone" AS phone, c."HFId" AS health_facility_id, c."HasLogin" AS has_login, c."AuditUserId" AS audit_user_id,
    CAST(c."ValidityFrom" AS TEXT) AS validity_from, CAST(c."ValidityTo" AS TEXT) AS validity_to, c."LegacyID" AS legacy_id"#;

/// The row as ClaimAdminGQLType (`pk` = `ClaimAdminId`, the federation key).
pub fn to_json(r: &ClaimAdminRow) -> Value {
    json!({
        "pk": r.id, "id": global_id("ClaimAdminGQLType", r.id), "uuid": r.uuid, "code": r.code,
        "lastName": r.last_name, "otherNames": r.other_names,
        "dob": r.dob.as_deref().map(|d| d.get(..10).unwrap_or(d)), "emailId": r.email_id, "phone": r.phone,
        "healthFacilityId": r.health_facility_id, "hasLogin": r.has_login, "auditUserId": r.audit_user_id,
        "validityFrom": time::iso(&r.validity_from), "validityTo": r.validity_to.as_deref().map(time::iso),
        "legacyId": r.legacy_id,
    })
}

pub fn load(
    conn: &mut Conn,
    filter: &Where,
    order: &str,
) -> Result<Vec<ClaimAdminRow>, ModuleError> {
    db::load(
        conn,
        &format!(
            r#"SELECT {COLUMNS} FROM "tblClaimAdmin" c WHERE {}{order}"#,
            filter.sql()
        ),
        filter.binds(),
    )
}

/// JSON of the given ids (any validity), by id.
pub fn by_ids(conn: &mut Conn, ids: &[i64]) -> Result<HashMap<i64, Value>, ModuleError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let mut filter = Where::new();
    filter.ids(r#"c."ClaimAdminId""#, ids);
    Ok(load(conn, &filter, "")?
        .iter()
        .map(|r| (i64::from(r.id), to_json(r)))
        .collect())
}

/// Adds what `selection` asks of the claim admins `objects` beyond their row (`userSet`).
pub fn enrich(
    conn: &mut Conn,
    objects: Vec<&mut Value>,
    selection: &[SelectionField],
) -> Result<(), ModuleError> {
    match field(selection, "userSet") {
        Some(user_set) if !objects.is_empty() => {
            user_queries::attach_user_sets(conn, objects, "claim_admin_id", user_set)
        }
        _ => Ok(()),
    }
}

const ORDERING: &[(&str, &str)] = &[
    ("id", r#"c."ClaimAdminId""#),
    ("uuid", r#"c."ClaimAdminUUID""#),
    ("code", r#"c."ClaimAdminCode""#),
    ("last_name", r#"c."LastName""#),
    ("other_names", r#"c."OtherNames""#),
];

/// `claimAdmins(search, ...)`: valid claim administrators with ClaimAdminGQLType's filters.
/// Of the `healthFacility_*` filters only `healthFacility_Id` applies: the others (among them
/// `healthFacility_Status`) are accepted, but the facility is location's and location offers no
/// service to match facilities by them yet.
pub fn query(conn: &mut Conn, field: &SelectionField) -> Result<Value, ModuleError> {
    let mut filter = Where::new();
    filter.and(r#"c."ValidityTo" IS NULL"#, []).args(
        field,
        &[
            ("search", As::Text, r#"LOWER(c."ClaimAdminCode") LIKE '%' || LOWER(?) || '%' OR LOWER(c."LastName") LIKE '%' || LOWER(?) || '%'
                OR LOWER(c."OtherNames") LIKE '%' || LOWER(?) || '%'"#),
            ("uuid", As::Text, r#"c."ClaimAdminUUID" = ?"#),
            ("code", As::Text, r#"c."ClaimAdminCode" = ?"#),
            ("code_Icontains", As::Text, r#"LOWER(c."ClaimAdminCode") LIKE '%' || LOWER(?) || '%'"#),
            ("lastName", As::Text, r#"c."LastName" = ?"#),
            ("lastName_Icontains", As::Text, r#"LOWER(c."LastName") LIKE '%' || LOWER(?) || '%'"#),
            ("otherNames", As::Text, r#"c."OtherNames" = ?"#),
            ("otherNames_Icontains", As::Text, r#"LOWER(c."OtherNames") LIKE '%' || LOWER(?) || '%'"#),
            ("healthFacility_Id", As::Id, r#"CAST(c."HFId" AS TEXT) = ?"#),
        ],
    );
    let order = order_by(field, ORDERING, r#"c."ClaimAdminId""#)?;
    let rows: Vec<Value> = load(conn, &filter, &order)?.iter().map(to_json).collect();
    user_graph::page(field, rows, |window, selection| {
        enrich(conn, window.iter_mut().collect(), selection)
    })
}
