//! The root queries: `locations`, `locationsAll`, `locationsStr`, `officerLocations`,
//! `validateLocationCode` and `validateHealthFacilityCode` here; the facility lists in
//! [`crate::hf_queries`], `userDistricts` in [`crate::user_districts`].

use crate::mutation_checks::code_free;
use crate::rules::Rules;
use crate::security::{Settings, Viewer};
use crate::specs::LOCATION;
use crate::{hf_queries, user_districts, Conn};
use openimis_sdk::db::Bind;
use openimis_sdk::entity::{self, Hooks};
use openimis_sdk::project::project;
use openimis_sdk::sql_filter::{text_arg, As, Where};
use openimis_sdk::{HostHandle, ModuleError, ResolveRequest, SelectionField};
use serde_json::{json, Value};

/// `locationsStr(str:)`: the code or the name contains the text, literally.
const LOCATION_SEARCH: &str =
    openimis_sdk::icontains_any!(r#"l."LocationCode""#, r#"l."LocationName""#);

/// Resolves one of location's root query fields.
pub fn resolve(
    host: &HostHandle,
    conn: &mut Conn,
    request: &ResolveRequest,
    settings: Settings,
) -> Result<Value, ModuleError> {
    let (field, context) = (&request.field, &request.context);
    let viewer = Viewer::load(host, conn, context, settings)?;
    let mut rules = Rules::new(&viewer);
    let needs_login = !matches!(
        field.name.as_str(),
        "validateLocationCode" | "validateHealthFacilityCode" | "officerLocations"
    );
    if needs_login && !context.is_authenticated() {
        // The original's answer to an anonymous list query.
        return Err(ModuleError::new("UNAUTHORIZED", "unauthorized"));
    }
    let locations = |conn: &mut Conn, rules: Rules, w: Where| {
        rules.apply(|a| entity::connection(conn, &LOCATION, field, w, a))
    };
    match field.name.as_str() {
        "locations" => locations(conn, rules, Where::new()),
        "locationsAll" => {
            rules.open_root = true;
            locations(conn, rules, Where::new())
        }
        "locationsStr" => {
            let mut w = Where::new();
            w.args(field, &[("str", As::Text, LOCATION_SEARCH)])?;
            locations(conn, rules, w)
        }
        "healthFacilities" | "healthFacilitiesStr" => hf_queries::resolve(conn, request, &viewer),
        "userDistricts" => user_districts::resolve(conn, request, settings),
        "officerLocations" => officer_locations(conn, field, &rules),
        "validateLocationCode" | "validateHealthFacilityCode" => {
            let (table, column, arg) = match field.name.as_str() {
                "validateLocationCode" => ("tblLocations", "LocationCode", "locationCode"),
                _ => ("tblHF", "HFCode", "healthFacilityCode"),
            };
            let code = text_arg(field, arg)?.unwrap_or_default();
            Ok(json!(code_free(conn, table, column, &code)?))
        }
        other => Err(ModuleError::new(
            "NOT_SUPPORTED",
            format!("location has no query {other}"),
        )),
    }
}

/// `officerLocations`: the villages of the valid officer with that code and all their ancestors.
fn officer_locations(
    conn: &mut Conn,
    field: &SelectionField,
    rules: &Rules,
) -> Result<Value, ModuleError> {
    let mut w = Where::new();
    w.and(
        r#"l."LocationId" IN (
            WITH RECURSIVE up(id) AS (
                SELECT ov."LocationId" FROM "tblOfficerVillages" ov JOIN "tblOfficer" o ON o."OfficerID" = ov."OfficerId"
                WHERE o."Code" = ? AND o."ValidityTo" IS NULL AND ov."ValidityTo" IS NULL
                UNION SELECT p."ParentLocationId" FROM "tblLocations" p JOIN up ON p."LocationId" = up.id WHERE p."ParentLocationId" IS NOT NULL)
            SELECT id FROM up)"#,
        [Bind::text(text_arg(field, "officerCode")?.unwrap_or_default())],
    );
    if let Some(t) = text_arg(field, "locationType")? {
        w.and(r#"l."LocationType" = ?"#, [Bind::text(t)]);
    }
    let mut rows = entity::find(conn, &LOCATION, &w, "")?;
    rules.apply(|a| entity::complete(conn, &LOCATION, &mut rows, &field.selection, a))?;
    Ok(project(&field.selection, &Value::Array(rows), "pk"))
}
