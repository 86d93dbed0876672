//! The facility lists: `healthFacilities` (history for holders of 121101, every-level rule for
//! non-administrators), `healthFacilitiesStr` (a text, districts, a region, `ignoreLocation`).

use crate::manifest::QUERY_HEALTH_FACILITIES;
use crate::rules::Rules;
use crate::security::Viewer;
use crate::specs::HEALTH_FACILITY;
use crate::Conn;
use openimis_sdk::entity::{self, Hooks};
use openimis_sdk::sql_filter::{As, Where};
use openimis_sdk::{ModuleError, ResolveRequest};
use serde_json::Value;

const SEARCH: &str = openimis_sdk::icontains_any!(r#"h."HFCode""#, r#"h."HFName""#);

pub fn resolve(
    conn: &mut Conn,
    request: &ResolveRequest,
    viewer: &Viewer,
) -> Result<Value, ModuleError> {
    let mut field = request.field.clone();
    let mut rules = Rules::new(viewer);
    let mut w = Where::new();
    if field.name == "healthFacilities" {
        if !request.context.holds(QUERY_HEALTH_FACILITIES) {
            field.args.remove("showHistory");
        }
        viewer.restrict_facility_list(conn, r#"h."LocationId""#, &mut w)?;
    } else {
        w.args(&field, &[("str", As::Text, SEARCH)])?;
        // A district, districts or a region are the facilities' location filters.
        for (arg, filter) in [
            ("districtUuid", "location_Uuid"),
            ("districtsUuids", "location_Uuid_In"),
            ("regionUuid", "location_Parent_Uuid"),
        ] {
            match field.args.remove(arg) {
                Some(Value::Null) | None => {}
                Some(Value::Array(list)) if list.is_empty() => {}
                Some(value) => drop(field.args.entry(filter).or_insert(value)),
            }
        }
        if field.arg("ignoreLocation") == Some(&Value::Bool(true)) {
            rules.every_facility = true;
        }
    }
    rules.apply(|a| entity::connection(conn, &HEALTH_FACILITY, &field, w, a))
}
