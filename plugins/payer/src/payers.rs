//! The root queries over payers (payer.md §4; the right, 121801, is the manifest's field
//! right): `payers` (valid rows unless `showHistory`; `search` in name, phone or email;
//! `location` the location itself or one of its direct children; the `PayerFilter` arguments;
//! the user's locations or none, as the original's
//! `LocationManager().build_user_location_filter_query`) and `payer(uuid)`, a plain get by
//! uuid, any validity and no location rule, as the original's `Payer.objects.get`.

use crate::reads::payer_by_uuid;
use crate::specs::PAYER;
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity::{self, Access};
use openimis_sdk::row_security::visible_locations;
use openimis_sdk::scalars;
use openimis_sdk::sql_filter::{id_list, take_arg, As, Where};
use openimis_sdk::{HostHandle, ModuleError, RequestContext, SelectionField};
use serde_json::{json, Value};

/// `search`: `Q(name__icontains) | Q(phone__icontains) | Q(email__icontains)`.
const SEARCH: &str =
    openimis_sdk::icontains_any!(r#"py."PayerName""#, r#"py."Phone""#, r#"py."eMail""#);

/// `filter_location`: `Q(location__id=value) | Q(location__parent__id=value)`.
const AT_OR_UNDER: &str = r#"py."LocationId" = ? OR py."LocationId" IN (SELECT l."LocationId" FROM "tblLocations" l WHERE l."ParentLocationId" = ?)"#;

pub fn payers(
    host: &HostHandle,
    conn: &mut DbConnection,
    field: &SelectionField,
    context: &RequestContext,
    access: &Access,
) -> Result<Value, ModuleError> {
    let mut w = Where::new();
    w.args(field, &[("search", As::Text, SEARCH)])?;
    // `location` is the filter set's own method, not the `location` relation's exact filter.
    let mut field = field.clone();
    if let Some(location) = take_arg(&mut field, "location", As::Int)? {
        w.and(AT_OR_UNDER, [location.clone(), location]);
    }
    if let Some(allowed) = visible_locations(host, context)? {
        let column = PAYER.col("LocationId");
        w.and(
            &format!("{column} IS NULL OR {column} IN ({})", id_list(&allowed)),
            [],
        );
    }
    entity::connection(conn, &PAYER, &field, w, access)
}

fn not_found() -> ModuleError {
    ModuleError::new("NOT_FOUND", "Payer matching query does not exist.")
}

/// `payer(uuid:)`; without the argument the original's resolver fails as Python does.
pub fn payer(
    conn: &mut DbConnection,
    field: &SelectionField,
    access: &Access,
) -> Result<Value, ModuleError> {
    let uuid = match field.args.get("uuid") {
        None => {
            let text = "resolve_payer() missing 1 required positional argument: 'uuid'";
            return Err(ModuleError::new("BAD_ARGUMENT", text));
        }
        Some(Value::Null) => return Err(not_found()),
        Some(value) => scalars::uuid("uuid", value)?,
    };
    let pk = payer_by_uuid(conn, &uuid)?.ok_or_else(not_found)?;
    let found = entity::by_keys(conn, &PAYER, &[json!(pk)], &field.selection, access)?;
    Ok(found.into_iter().next().unwrap_or(Value::Null))
}
