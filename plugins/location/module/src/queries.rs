//! The root queries: `locations`, `locationsAll`, `locationsStr`, `healthFacilities`,
//! `healthFacilitiesStr`, `userDistricts`, `officerLocations`, `validateLocationCode` and
//! `validateHealthFacilityCode`, with the original's filters, paging and row security.

use crate::filters;
use crate::manifest::QUERY_HEALTH_FACILITIES;
use crate::rows::{self, HfRow, LocationRow, HF_COLUMNS, LOCATION_COLUMNS};
use crate::security::{self, Scope, Settings, Viewer};
use crate::shape;
use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::project::project;
use openimis_sdk::relay::global_id;
use openimis_sdk::sql_filter::{order_by, Where};
use openimis_sdk::windowed::{node_selection, windowed};
use openimis_sdk::{HostHandle, ModuleError, ResolveRequest, SelectionField};
use serde_json::{json, Value};

const LOCATION_ORDER: &[(&str, &str)] = &[
    ("id", r#"l."LocationId""#),
    ("uuid", r#"l."LocationUUID""#),
    ("code", r#"l."LocationCode""#),
    ("name", r#"l."LocationName""#),
    ("type", r#"l."LocationType""#),
    ("parent", r#"l."ParentLocationId""#),
    ("male_population", r#"l."MalePopulation""#),
    ("female_population", r#"l."FemalePopulation""#),
    ("other_population", r#"l."OtherPopulation""#),
    ("families", r#"l."Families""#),
    ("validity_from", r#"l."ValidityFrom""#),
    ("validity_to", r#"l."ValidityTo""#),
];

const HF_ORDER: &[(&str, &str)] = &[
    ("id", r#"h."HfID""#),
    ("uuid", r#"h."HfUUID""#),
    ("code", r#"h."HFCode""#),
    ("name", r#"h."HFName""#),
    ("acc_code", r#"h."AccCode""#),
    ("level", r#"h."HFLevel""#),
    ("care_type", r#"h."HFCareType""#),
    ("legal_form", r#"h."LegalForm""#),
    ("phone", r#"h."Phone""#),
    ("fax", r#"h."Fax""#),
    ("email", r#"h."eMail""#),
    ("status", r#"h."status""#),
    ("validity_from", r#"h."ValidityFrom""#),
    ("validity_to", r#"h."ValidityTo""#),
    ("location__code", r#"hl."LocationCode""#),
    ("location__name", r#"hl."LocationName""#),
];

/// The original's answer to an anonymous list query.
pub fn unauthorized() -> ModuleError {
    ModuleError::new("UNAUTHORIZED", "unauthorized")
}

/// A `LocationGQLTypeConnection` over valid locations matching `w` plus the field's filters.
pub fn location_list(
    conn: &mut Conn,
    field: &SelectionField,
    mut w: Where,
    scope: Scope,
    restrict: bool,
) -> Result<Value, ModuleError> {
    w.and(r#"l."ValidityTo" IS NULL"#, []);
    filters::location(field, "", "l", &mut w);
    if restrict {
        scope.restrict(r#"l."LocationId""#, &mut w);
    }
    let order = order_by(field, LOCATION_ORDER, r#"l."LocationId""#)?;
    let from = format!(r#"FROM "tblLocations" l WHERE {}"#, w.sql());
    connection(
        conn,
        field,
        &format!("SELECT {LOCATION_COLUMNS} {from}{order}"),
        &from,
        w.binds(),
        LocationRow::to_json,
        |conn, page, node| shape::locations_complete(conn, page, node, scope),
    )
}

/// A `HealthFacilityGQLTypeConnection` over facilities matching `w` plus the field's filters
/// (valid ones unless `w` says otherwise through `valid_only`).
pub fn health_facility_list(
    conn: &mut Conn,
    field: &SelectionField,
    mut w: Where,
    scope: Scope,
    valid_only: bool,
) -> Result<Value, ModuleError> {
    if valid_only {
        w.and(r#"h."ValidityTo" IS NULL"#, []);
    }
    filters::health_facility(field, "", &mut w);
    scope.restrict_facilities(r#"h."LocationId""#, &mut w);
    let order = order_by(field, HF_ORDER, r#"h."HfID""#)?;
    let from = format!(
        r#"FROM "tblHF" h JOIN "tblLocations" hl ON hl."LocationId" = h."LocationId" WHERE {}"#,
        w.sql()
    );
    connection(
        conn,
        field,
        &format!("SELECT {HF_COLUMNS} {from}{order}"),
        &from,
        w.binds(),
        HfRow::to_json,
        |conn, page, node| shape::health_facilities_complete(conn, page, node, scope),
    )
}

/// A connection over the rows `select` (ordered, without its window) reads: windows of rows
/// made JSON by `to_json`, each page completed for the node selection by `complete`, and the
/// count over `from` when `totalCount` or `last` needs it.
fn connection<R>(
    conn: &mut Conn,
    field: &SelectionField,
    select: &str,
    from: &str,
    binds: &[Bind],
    to_json: fn(&R) -> Value,
    complete: impl Fn(&mut Conn, &mut [Value], &[SelectionField]) -> Result<(), ModuleError>,
) -> Result<Value, ModuleError>
where
    R: diesel::QueryableByName<diesel::pg::Pg>
        + diesel::QueryableByName<diesel::sqlite::Sqlite>
        + 'static,
{
    let node = node_selection(field);
    let total = total_of(conn, field, from, binds)?;
    windowed(
        field,
        "pk",
        || Ok(total.unwrap_or(0)),
        |offset, limit| {
            let found: Vec<R> = db::load(
                conn,
                &format!("{select} LIMIT {limit} OFFSET {offset}"),
                binds,
            )?;
            let mut out: Vec<Value> = found.iter().map(to_json).collect();
            complete(conn, &mut out, &node)?;
            Ok(out)
        },
    )
}

/// The row count behind a connection, when `totalCount` or `last` needs it.
fn total_of(
    conn: &mut Conn,
    field: &SelectionField,
    from: &str,
    binds: &[Bind],
) -> Result<Option<usize>, ModuleError> {
    if field.child("totalCount").is_some() || field.arg("last").is_some() {
        Ok(Some(
            db::count(conn, &format!("SELECT COUNT(*) AS n {from}"), binds)? as usize,
        ))
    } else {
        Ok(None)
    }
}

fn str_arg<'f>(field: &'f SelectionField, name: &str) -> Option<&'f str> {
    field.arg(name).and_then(Value::as_str)
}

/// Resolves one of location's root query fields.
pub fn resolve(
    host: &HostHandle,
    conn: &mut Conn,
    request: &ResolveRequest,
    settings: Settings,
) -> Result<Value, ModuleError> {
    let field = &request.field;
    let context = &request.context;
    let viewer = Viewer::load(host, conn, context, settings)?;
    let scope = viewer.scope();
    let needs_login = !matches!(
        field.name.as_str(),
        "validateLocationCode" | "validateHealthFacilityCode" | "officerLocations"
    );
    if needs_login && !context.is_authenticated() {
        return Err(unauthorized());
    }
    match field.name.as_str() {
        "locations" => location_list(conn, field, Where::new(), scope, true),
        "locationsAll" => location_list(conn, field, Where::new(), scope, false),
        "locationsStr" => {
            let mut w = Where::new();
            if let Some(s) = str_arg(field, "str") {
                w.and(
                    r#"LOWER(l."LocationCode") LIKE '%' || LOWER(?) || '%' OR LOWER(l."LocationName") LIKE '%' || LOWER(?) || '%'"#,
                    [Bind::text(s), Bind::text(s)],
                );
            }
            location_list(conn, field, w, scope, true)
        }
        "healthFacilities" => {
            let history = field.arg("showHistory") == Some(&Value::Bool(true))
                && context.holds(QUERY_HEALTH_FACILITIES);
            let mut w = Where::new();
            viewer.restrict_facility_list(conn, r#"h."LocationId""#, &mut w)?;
            health_facility_list(conn, field, w, scope, !history)
        }
        "healthFacilitiesStr" => {
            let mut w = Where::new();
            if let Some(s) = str_arg(field, "str") {
                w.and(
                    r#"LOWER(h."HFCode") LIKE '%' || LOWER(?) || '%' OR LOWER(h."HFName") LIKE '%' || LOWER(?) || '%'"#,
                    [Bind::text(s), Bind::text(s)],
                );
            }
            if let Some(d) = str_arg(field, "districtUuid") {
                w.and(r#"hl."LocationUUID" = ?"#, [Bind::text(d)]);
            }
            if let Some(list) = field.arg("districtsUuids").and_then(Value::as_array) {
                let uuids: Vec<Bind> = list
                    .iter()
                    .filter_map(Value::as_str)
                    .map(Bind::text)
                    .collect();
                if !uuids.is_empty() {
                    let marks = vec!["?"; uuids.len()].join(", ");
                    w.and(&format!(r#"hl."LocationUUID" IN ({marks})"#), uuids);
                }
            }
            if let Some(r) = str_arg(field, "regionUuid") {
                w.and(r#"hl."ParentLocationId" IN (SELECT "LocationId" FROM "tblLocations" WHERE "LocationUUID" = ?)"#, [Bind::text(r)]);
            }
            let scope = if field.arg("ignoreLocation") == Some(&Value::Bool(true)) {
                scope.every_facility()
            } else {
                scope
            };
            health_facility_list(conn, field, w, scope, true)
        }
        "userDistricts" => user_districts(host, conn, request, settings),
        "officerLocations" => officer_locations(conn, field, scope),
        "validateLocationCode" => {
            let code = str_arg(field, "locationCode").unwrap_or_default();
            let n = db::count(
                conn,
                r#"SELECT COUNT(*) AS n FROM "tblLocations" WHERE "ValidityTo" IS NULL AND "LocationCode" = ?"#,
                &[Bind::text(code)],
            )?;
            Ok(json!(n == 0))
        }
        "validateHealthFacilityCode" => {
            let code = str_arg(field, "healthFacilityCode").unwrap_or_default();
            let n = db::count(
                conn,
                r#"SELECT COUNT(*) AS n FROM "tblHF" WHERE "ValidityTo" IS NULL AND "HFCode" = ?"#,
                &[Bind::text(code)],
            )?;
            Ok(json!(n == 0))
        }
        other => Err(ModuleError::new(
            "NOT_SUPPORTED",
            format!("location has no query {other}"),
        )),
    }
}

/// `userDistricts` as the original's `get_user_districts`: every valid district for IMIS
/// administrators (and for everyone under `no_location_check`), else the user's own valid
/// districts by code; only interactive users have districts. `ROW_SECURITY` plays no part.
fn user_districts(
    host: &HostHandle,
    conn: &mut Conn,
    request: &ResolveRequest,
    settings: Settings,
) -> Result<Value, ModuleError> {
    let context = &request.context;
    let Some(user) = context.interactive_user_id() else {
        return Err(ModuleError::new(
            "NOT_INTERACTIVE",
            "Only Interactive Users are registered for districts",
        ));
    };
    // IMIS administrators hold every right: only holders of 121906 may be one.
    let every_district = settings.no_location_check
        || (context.holds(crate::manifest::REGIONS_AND_DISTRICTS)
            && security::is_superuser(host, context)?);
    let mut sql = format!(
        r#"SELECT {LOCATION_COLUMNS} FROM "tblLocations" l WHERE l."ValidityTo" IS NULL AND l."LocationType" = 'D'"#
    );
    let mut binds = Vec::new();
    if every_district {
        sql.push_str(r#" ORDER BY l."LocationId""#);
    } else {
        sql.push_str(r#" AND l."LocationId" IN (SELECT "LocationId" FROM "tblUsersDistricts" WHERE "UserID" = ? AND "ValidityTo" IS NULL)
            ORDER BY l."LocationCode", l."LocationId""#);
        binds.push(Bind::BigInt(Some(user)));
    }
    let districts: Vec<LocationRow> = db::load(conn, &sql, &binds)?;
    let parent_ids: Vec<i32> = districts.iter().filter_map(|d| d.parent_id).collect();
    let regions = rows::locations_by_id(conn, &parent_ids)?;
    let brief = |l: &LocationRow| json!({"id": global_id("LocationGQLType", l.id), "uuid": l.uuid, "code": l.code, "name": l.name});
    let list: Vec<Value> = districts
        .iter()
        .map(|d| {
            let mut value = brief(d);
            value["parent"] = d
                .parent_id
                .and_then(|p| regions.iter().find(|r| r.id == p))
                .map_or(Value::Null, brief);
            project(&request.field.selection, &value, "id")
        })
        .collect();
    Ok(Value::Array(list))
}

/// `officerLocations`: the villages of the valid officer with that code and all their ancestors.
fn officer_locations(
    conn: &mut Conn,
    field: &SelectionField,
    scope: Scope,
) -> Result<Value, ModuleError> {
    let code = str_arg(field, "officerCode").unwrap_or_default();
    let mut sql = format!(
        r#"SELECT {LOCATION_COLUMNS} FROM "tblLocations" l WHERE l."LocationId" IN (
            WITH RECURSIVE up(id) AS (
                SELECT ov."LocationId" FROM "tblOfficerVillages" ov JOIN "tblOfficer" o ON o."OfficerID" = ov."OfficerId"
                WHERE o."Code" = ? AND o."ValidityTo" IS NULL AND ov."ValidityTo" IS NULL
                UNION SELECT p."ParentLocationId" FROM "tblLocations" p JOIN up ON p."LocationId" = up.id WHERE p."ParentLocationId" IS NOT NULL)
            SELECT id FROM up)"#
    );
    let mut binds = vec![Bind::text(code)];
    if let Some(t) = str_arg(field, "locationType") {
        sql.push_str(r#" AND l."LocationType" = ?"#);
        binds.push(Bind::text(t));
    }
    sql.push_str(r#" ORDER BY l."LocationId""#);
    let found: Vec<LocationRow> = db::load(conn, &sql, &binds)?;
    let mut out: Vec<Value> = found.iter().map(LocationRow::to_json).collect();
    shape::locations_complete(conn, &mut out, &field.selection, scope)?;
    Ok(Value::Array(
        out.iter()
            .map(|row| project(&field.selection, row, "pk"))
            .collect(),
    ))
}
