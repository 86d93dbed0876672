//! Claim administrators (`tblClaimAdmin`, ClaimAdminGQLType): rows as JSON, nested `userSet`,
//! and the `claimAdmins` connection (valid rows; `search` on code or names; facilities by
//! district, region or their own filters, matched by location).

use crate::user_graph;
use crate::{location_link, user_queries, Conn};
// `#[diesel(embed)]` names the trait unqualified in the code it derives.
use diesel::deserialize::QueryableByName;
use openimis_sdk::db;
use openimis_sdk::relay::global_id;
use openimis_sdk::sql_filter::{order_by, As, Where};
use openimis_sdk::versioned::HistoryColumnsNullableAudit;
use openimis_sdk::{HostHandle, ModuleError, SelectionField};
use serde_json::{json, Map, Value};
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
    #[diesel(embed)]
    history: HistoryColumnsNullableAudit,
}

const COLUMNS: &str = r#"c."ClaimAdminId" AS id, c."ClaimAdminUUID" AS uuid, c."ClaimAdminCode" AS code,
    c."LastName" AS last_name, c."OtherNames" AS other_names, CAST(c."DOB" AS TEXT) AS dob, c."EmailId" AS email_id,
    c."Phone" AS phone, c."HFId" AS health_facility_id, c."HasLogin" AS has_login, c."AuditUserId" AS audit_user_id,
    CAST(c."ValidityFrom" AS TEXT) AS validity_from, CAST(c."ValidityTo" AS TEXT) AS validity_to, c."LegacyID" AS legacy_id"#;

/// The row as ClaimAdminGQLType (`pk` = `ClaimAdminId`, the federation key).
pub fn to_json(r: &ClaimAdminRow) -> Value {
    r.history.add_to(json!({
        "pk": r.id, "id": global_id("ClaimAdminGQLType", r.id), "uuid": r.uuid, "code": r.code,
        "lastName": r.last_name, "otherNames": r.other_names,
        "dob": r.dob.as_deref().map(|d| d.get(..10).unwrap_or(d)), "emailId": r.email_id, "phone": r.phone,
        "healthFacilityId": r.health_facility_id, "hasLogin": r.has_login,
    }))
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
    user_queries::attach_user_sets(conn, objects, "claim_admin_id", selection)
}

const ORDERING: &[(&str, &str)] = &[
    ("id", r#"c."ClaimAdminId""#),
    ("uuid", r#"c."ClaimAdminUUID""#),
    ("code", r#"c."ClaimAdminCode""#),
    ("last_name", r#"c."LastName""#),
    ("other_names", r#"c."OtherNames""#),
];

/// The `healthFacility_*` arguments other than `_Id` as HealthFacilityGQLType's own filter
/// names (`healthFacility_Location_Parent_Uuid` → `location_Parent_Uuid`).
fn facility_filters(field: &SelectionField) -> Map<String, Value> {
    field
        .args
        .iter()
        .filter(|(_, value)| !value.is_null())
        .filter_map(|(name, value)| {
            let own = name.strip_prefix("healthFacility_")?;
            let mut chars = own.chars();
            let first = chars.next()?.to_lowercase();
            let own = first.chain(chars).collect::<String>();
            (own != "id").then(|| (own, value.clone()))
        })
        .collect()
}

/// The facility lists a claim admin's `HFId` must fall in, each asked of location: the
/// resolver's own `districtUuid` (valid facilities of that district), else `regionUuid`
/// (valid facilities whose district lies in that region), and the `healthFacility_*` filters.
///
/// The original skips the restriction when no facility matches (`if user_health_facility:`),
/// answering every claim admin for a district without facilities; here no facility means no
/// claim admin. Its ROW_SECURITY branch never runs (the import fails and is swallowed), so
/// the user's districts do not restrict the list.
fn facility_lists(host: &HostHandle, field: &SelectionField) -> Result<Vec<Vec<i64>>, ModuleError> {
    let mut lists = Vec::new();
    let text = |name: &str| field.arg(name).and_then(Value::as_str).map(str::to_owned);
    let place = match (text("districtUuid"), text("regionUuid")) {
        (Some(district), _) => Some(("location_Uuid", district)),
        (None, Some(region)) => Some(("location_Parent_Uuid", region)),
        (None, None) => None,
    };
    if let Some((filter, uuid)) = place {
        let args = Map::from_iter([(filter.to_owned(), Value::String(uuid))]);
        lists.push(location_link::health_facility_ids(host, &args, true)?);
    }
    let filters = facility_filters(field);
    if !filters.is_empty() {
        lists.push(location_link::health_facility_ids(host, &filters, false)?);
    }
    Ok(lists)
}

/// `claimAdmins(search, regionUuid, districtUuid, ...)`: valid claim administrators with
/// ClaimAdminGQLType's filters; `healthFacility_Id` is core's own column, the location
/// arguments and the other `healthFacility_*` filters are matched by location.
pub fn query(
    host: &HostHandle,
    conn: &mut Conn,
    field: &SelectionField,
) -> Result<Value, ModuleError> {
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
    for facilities in facility_lists(host, field)? {
        filter.ids(r#"c."HFId""#, &facilities);
    }
    let order = order_by(field, ORDERING, r#"c."ClaimAdminId""#)?;
    let rows: Vec<Value> = load(conn, &filter, &order)?.iter().map(to_json).collect();
    user_graph::page(field, rows, |window, selection| {
        enrich(conn, window.iter_mut().collect(), selection)
    })
}
