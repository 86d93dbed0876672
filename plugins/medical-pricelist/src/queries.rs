//! The root queries: the two price-list connections (filters, the `locationUuid` scope and the
//! user's row security), `pricelists` (the compact prices of one list of each kind) and the two
//! name validations.

use crate::references::name_taken;
use crate::specs::{Pricelist, ALL, BY_LOCATION, ITEMS, SERVICES};
use openimis_sdk::db::{Bind, DbConnection};
use openimis_sdk::entity::{self, Access};
use openimis_sdk::project::project;
use openimis_sdk::row_security::visible_locations;
use openimis_sdk::sql_filter::{id_list, int_of, Where};
use openimis_sdk::{HostHandle, ModuleError, RequestContext, ResolveRequest, SelectionField};
use serde_json::{json, Value};

/// The original's answer to a caller without the right.
pub fn unauthorized() -> ModuleError {
    ModuleError::new("UNAUTHORIZED", "unauthorized")
}

/// A connection of the kind's lists matching `base` and the field's filters (the `location_`
/// ones through [`BY_LOCATION`]), ordered by name as the original.
pub fn lists(
    conn: &mut DbConnection,
    kind: &Pricelist,
    field: &SelectionField,
    base: Where,
) -> Result<Value, ModuleError> {
    let field = entity::with_args(field, &[("orderBy", json!(["name"]))]);
    let mut by_location = field.clone();
    by_location
        .args
        .retain(|name, _| name.starts_with("location_"));
    let w = entity::filtered(conn, &BY_LOCATION, &by_location, base, &Access::open())?;
    entity::connection(conn, kind.list, &field, w, &Access::open())
}

/// `servicesPricelists` / `itemsPricelists`.
fn root_list(
    host: &HostHandle,
    conn: &mut DbConnection,
    kind: &Pricelist,
    field: &SelectionField,
    context: &RequestContext,
) -> Result<Value, ModuleError> {
    let mut w = Where::new();
    if let Some(uuid) = field.arg("locationUuid").and_then(Value::as_str) {
        w.and(
            r#"pl."LocationId" IS NULL OR pl."LocationId" IN (SELECT l."LocationId" FROM "tblLocations" l
                WHERE l."LocationUUID" = ?) OR pl."LocationId" IN
                (SELECT p."ParentLocationId" FROM "tblLocations" p WHERE p."LocationUUID" = ?)"#,
            [Bind::text(uuid), Bind::text(uuid)],
        );
    }
    if let Some(allowed) = visible_locations(host, context)? {
        let ids = id_list(&allowed);
        w.and(
            &format!(r#"pl."LocationId" IS NULL OR pl."LocationId" IN ({ids})"#),
            [],
        );
    }
    lists(conn, kind, field, w)
}

/// `pricelists(servicesPricelistId, itemsPricelistId)`: `{services, items}` as `[{id, p}]`.
fn pricelists(
    host: &HostHandle,
    conn: &mut DbConnection,
    field: &SelectionField,
    context: &RequestContext,
) -> Result<Value, ModuleError> {
    if context.user.is_null() {
        return Err(unauthorized());
    }
    let mut answer = serde_json::Map::new();
    for kind in ALL {
        let wanted = field.arg(&format!("{}Id", kind.field)).and_then(int_of);
        let prices = match wanted {
            None => json!([]),
            Some(id) => {
                guard_own_facility_list(host, kind, id, context)?;
                let pk = format!("{}Pk", kind.target);
                let selection = [(pk.as_str(), "id"), ("priceOverrule", "p")];
                let details = entity::args_only("", json!({ kind.field: id }), &selection);
                entity::list(conn, kind.detail, &details, Where::new(), &Access::open())?
            }
        };
        answer.insert(kind.key.to_owned(), prices);
    }
    Ok(project(&field.selection, &Value::Object(answer), "pk"))
}

/// Without the kind's query right, a user attached to a facility may only read its own list.
fn guard_own_facility_list(
    host: &HostHandle,
    kind: &Pricelist,
    id: i64,
    context: &RequestContext,
) -> Result<(), ModuleError> {
    if context.holds(kind.right) {
        return Ok(());
    }
    let Some(facility) = int_of(&context.user["i_user"]["health_facility_id"]) else {
        return Ok(());
    };
    let lists: Value = host.call(
        "location",
        "health_facilities.pricelist_ids",
        &json!({"ids": [facility]}),
    )?;
    match int_of(&lists[facility.to_string()][kind.key]) {
        Some(own) if own == id => Ok(()),
        _ => Err(unauthorized()),
    }
}

/// `validate<Kind>PricelistName`: true when no valid list of that kind has the name.
fn name_is_free(
    conn: &mut DbConnection,
    kind: &Pricelist,
    field: &SelectionField,
) -> Result<Value, ModuleError> {
    let name = field.arg(&format!("{}Name", kind.field));
    let name = name.and_then(Value::as_str).unwrap_or_default();
    Ok(json!(!name_taken(conn, kind, name)?))
}

/// Answers one of the module's root queries.
pub fn resolve(
    host: &HostHandle,
    conn: &mut DbConnection,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    let (field, context) = (&request.field, &request.context);
    match field.name.as_str() {
        "servicesPricelists" => root_list(host, conn, &SERVICES, field, context),
        "itemsPricelists" => root_list(host, conn, &ITEMS, field, context),
        "pricelists" => pricelists(host, conn, field, context),
        "validateServicesPricelistName" => name_is_free(conn, &SERVICES, field),
        "validateItemsPricelistName" => name_is_free(conn, &ITEMS, field),
        other => Err(entity::no_root_field("medical_pricelist", other)),
    }
}
