//! Claim administrators (`tblClaimAdmin`, ClaimAdminGQLType, declared in `entities.rs`): the
//! `claimAdmins` connection (valid rows; `search` on code or names; facilities by district,
//! region or their own filters, matched by location).

use crate::entities::CLAIM_ADMIN;
use crate::{location_link, Conn};
use openimis_sdk::entity::{self, Access};
use openimis_sdk::sql_filter::{As, Where};
use openimis_sdk::{HostHandle, ModuleError, SelectionField};
use serde_json::{Map, Value};

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
    access: &Access,
) -> Result<Value, ModuleError> {
    let mut w = Where::new();
    w.args(
        field,
        &[
            (
                "search",
                As::Text,
                openimis_sdk::icontains_any!(
                    r#"c."ClaimAdminCode""#,
                    r#"c."LastName""#,
                    r#"c."OtherNames""#
                ),
            ),
            ("healthFacility_Id", As::IntId, r#"c."HFId" = ?"#),
        ],
    )?;
    for facilities in facility_lists(host, field)? {
        w.ids(r#"c."HFId""#, &facilities);
    }
    entity::connection(conn, &CLAIM_ADMIN, field, w, access)
}
