//! The root queries (product.md §4): `products` (validity, `search`, `location` with its
//! ancestors or none, the user's row security on the location), `product` by relay id or
//! uuid, the two configuration answers and `validateProductCode`. The right (121001) is the
//! manifest's field right on each.

use crate::computed::access;
use crate::config::Config;
use crate::reads::{code_free, pk_by_uuid_any};
use crate::specs::PRODUCT;
use openimis_sdk::db::{Bind, DbConnection};
use openimis_sdk::entity;
use openimis_sdk::input::str_arg;
use openimis_sdk::project::project;
use openimis_sdk::row_security::visible_locations;
use openimis_sdk::sql_filter::{bind, id_list, take_arg, text_arg, As, Where};
use openimis_sdk::{HostHandle, ModuleError, RequestContext, ResolveRequest, SelectionField};
use serde_json::{json, Value};

/// `search`: django's `Q(name__icontains) | Q(code__icontains)`.
const SEARCH: &str = openimis_sdk::icontains_any!(r#"p."ProductName""#, r#"p."ProductCode""#);

/// The ancestors of a location and itself (`Location.objects.parents`), as a subquery.
const SELF_AND_PARENTS: &str = r#"WITH RECURSIVE up(id) AS (
    SELECT l."LocationId" FROM "tblLocations" l WHERE l."LocationId" = ?
    UNION SELECT l."ParentLocationId" FROM "tblLocations" l JOIN up ON l."LocationId" = up.id
      WHERE l."ParentLocationId" IS NOT NULL)
  SELECT id FROM up"#;

fn products(
    host: &HostHandle,
    conn: &mut DbConnection,
    field: &SelectionField,
    context: &RequestContext,
) -> Result<Value, ModuleError> {
    let mut w = Where::new();
    w.args(field, &[("search", As::Text, SEARCH)])?;
    // `location` is the root field's own argument (not the `location` relation's filter).
    let mut field = field.clone();
    if let Some(location) = take_arg(&mut field, "location", As::Int)? {
        let column = PRODUCT.col("LocationId");
        w.and(
            &format!("{column} IN ({SELF_AND_PARENTS}) OR {column} IS NULL"),
            [location],
        );
    }
    if let Some(allowed) = visible_locations(host, context)? {
        let column = PRODUCT.col("LocationId");
        w.and(
            &format!("{column} IS NULL OR {column} IN ({})", id_list(&allowed)),
            [],
        );
    }
    entity::connection(conn, &PRODUCT, &field, w, &access())
}

/// `product(id:)` (a relay id, any validity, `null` when absent) or `product(uuid:)` (any
/// validity; an unknown uuid is the original's `DoesNotExist`).
fn product(conn: &mut DbConnection, field: &SelectionField) -> Result<Value, ModuleError> {
    let pk = if let Some(id) = field.arg("id").filter(|v| !v.is_null()) {
        match bind("id", id, As::IntId)? {
            Bind::BigInt(pk) => pk,
            _ => None,
        }
    } else if let Some(uuid) = text_arg(field, "uuid")? {
        let pk = pk_by_uuid_any(conn, &uuid)?;
        Some(pk.ok_or_else(|| {
            ModuleError::new("NOT_FOUND", "Product matching query does not exist.")
        })?)
    } else {
        None
    };
    let Some(pk) = pk else {
        return Ok(Value::Null);
    };
    let found = entity::by_keys(conn, &PRODUCT, &[json!(pk)], &field.selection, &access())?;
    Ok(found.into_iter().next().unwrap_or(Value::Null))
}

/// Resolves one of product's root queries.
pub fn resolve(
    host: &HostHandle,
    conn: &mut DbConnection,
    config: &Config,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    let (field, context) = (&request.field, &request.context);
    match field.name.as_str() {
        "products" => products(host, conn, field, context),
        "product" => product(conn, field),
        "pageDisplayRules" => Ok(project(
            &field.selection,
            &config.page_display_rules(),
            "pk",
        )),
        "limitDefaults" => Ok(project(&field.selection, &config.limit_defaults(), "pk")),
        "validateProductCode" => Ok(json!(code_free(conn, str_arg(field, "productCode"))?)),
        other => Err(entity::no_root_field("product", other)),
    }
}
