//! The root queries: `servicesPricelists` / `itemsPricelists` (filters, `showHistory`,
//! `locationUuid`, ordered by name, restricted to the user's locations), `pricelists` (the
//! compact prices of one list of each kind) and the two name validations.

use crate::filters::{self, LOCATION_JOINS};
use crate::kind::Kind;
use crate::rows::{self, PricelistRow};
use crate::shape;
use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::sql_filter::{date_param, int_of, Where};
use openimis_sdk::windowed::{node_selection, windowed};
use openimis_sdk::{HostHandle, ModuleError, RequestContext, SelectionField};
use serde_json::{json, Value};

/// The original's answer to a caller without the right.
pub fn unauthorized() -> ModuleError {
    ModuleError::new("UNAUTHORIZED", "unauthorized")
}

/// The locations the user may see (`None`: all), from location's `row_security.scope`.
pub fn visible_locations(
    host: &HostHandle,
    context: &RequestContext,
) -> Result<Option<Vec<i64>>, ModuleError> {
    let Some(user) = context.interactive_user_id() else {
        return Ok(None);
    };
    let scope: Value = host.call(
        "location",
        "row_security.scope",
        &json!({"user_id": user, "rights": context.rights}),
    )?;
    if scope["all"] == true {
        return Ok(None);
    }
    Ok(Some(
        scope["location_ids"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_i64)
            .collect(),
    ))
}

/// A price-list connection over the rows matching `w` plus the field's filters.
pub fn pricelist_list(
    conn: &mut Conn,
    kind: Kind,
    field: &SelectionField,
    mut w: Where,
) -> Result<Value, ModuleError> {
    let date = date_param(conn);
    filters::pricelist(field, kind, date, &mut w);
    let from = format!(
        r#"FROM "{}" pl {LOCATION_JOINS} WHERE {}"#,
        kind.table(),
        w.sql()
    );
    let binds = w.binds().to_vec();
    let node = node_selection(field);
    let order = format!(
        r#" ORDER BY pl."{}", pl."{}""#,
        kind.name_column(),
        kind.pk()
    );
    let columns = rows::pricelist_columns(kind);
    let total = if field.child("totalCount").is_some() || field.arg("last").is_some() {
        Some(db::count(conn, &format!("SELECT COUNT(*) AS n {from}"), &binds)? as usize)
    } else {
        None
    };
    windowed(
        field,
        "pk",
        || Ok(total.unwrap_or(0)),
        |offset, limit| {
            let found: Vec<PricelistRow> = db::load(
                conn,
                &format!("SELECT {columns} {from}{order} LIMIT {limit} OFFSET {offset}"),
                &binds,
            )?;
            let mut out: Vec<Value> = found.iter().map(|r| r.to_json(kind)).collect();
            shape::complete_lists(conn, kind, &mut out, &node)?;
            Ok(out)
        },
    )
}

/// `servicesPricelists` / `itemsPricelists`.
fn root_list(
    host: &HostHandle,
    conn: &mut Conn,
    kind: Kind,
    field: &SelectionField,
    context: &RequestContext,
) -> Result<Value, ModuleError> {
    let mut w = Where::new();
    if field.arg("showHistory").and_then(Value::as_bool) != Some(true) {
        w.and(r#"pl."ValidityTo" IS NULL"#, []);
    }
    if let Some(uuid) = field.arg("locationUuid").and_then(Value::as_str) {
        w.and(
            r#"l0."LocationUUID" = ? OR pl."LocationId" IS NULL OR pl."LocationId" IN
                (SELECT p."ParentLocationId" FROM "tblLocations" p WHERE p."LocationUUID" = ?)"#,
            [Bind::text(uuid), Bind::text(uuid)],
        );
    }
    if let Some(allowed) = visible_locations(host, context)? {
        w.and(
            &format!(
                r#"pl."LocationId" IS NULL OR pl."LocationId" IN ({})"#,
                rows::id_list(&allowed)
            ),
            [],
        );
    }
    pricelist_list(conn, kind, field, w)
}

/// `pricelists(servicesPricelistId, itemsPricelistId)`: `{services, items}` as `[{id, p}]`.
fn pricelists(
    host: &HostHandle,
    conn: &mut Conn,
    field: &SelectionField,
    context: &RequestContext,
) -> Result<Value, ModuleError> {
    if context.user.is_null() {
        return Err(unauthorized());
    }
    let mut answer = serde_json::Map::new();
    for kind in Kind::ALL {
        let wanted = field
            .arg(&format!("{}Id", kind.list_field()))
            .and_then(int_of);
        if let Some(id) = wanted {
            guard_own_facility_list(host, kind, id, context)?;
        }
        let prices: Vec<Value> = match wanted {
            None => Vec::new(),
            Some(id) => rows::details_where(
                conn,
                kind,
                &format!(r#"d."ValidityTo" IS NULL AND d."{}" = {id}"#, kind.pk()),
            )?
            .iter()
            .map(|d| {
                let json = d.to_json(kind);
                json!({"id": d.target_id, "p": json["priceOverrule"]})
            })
            .collect(),
        };
        answer.insert(kind.facility_key().to_owned(), Value::Array(prices));
    }
    Ok(openimis_sdk::project::project(
        &field.selection,
        &Value::Object(answer),
        "pk",
    ))
}

/// Without the kind's query right, a user attached to a facility may only read its own list.
fn guard_own_facility_list(
    host: &HostHandle,
    kind: Kind,
    id: i64,
    context: &RequestContext,
) -> Result<(), ModuleError> {
    if context.holds(crate::manifest::query_right(kind)) {
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
    match int_of(&lists[facility.to_string()][kind.facility_key()]) {
        Some(own) if own == id => Ok(()),
        _ => Err(unauthorized()),
    }
}

/// `validate<Kind>PricelistName`: true when no valid list of that kind has the name.
fn name_is_free(conn: &mut Conn, kind: Kind, name: &str) -> Result<Value, ModuleError> {
    let taken = db::count(
        conn,
        &format!(
            r#"SELECT COUNT(*) AS n FROM "{}" WHERE "{}" = ? AND "ValidityTo" IS NULL"#,
            kind.table(),
            kind.name_column()
        ),
        &[Bind::text(name)],
    )?;
    Ok(json!(taken == 0))
}

/// Answers one of the module's root queries.
pub fn resolve(
    host: &HostHandle,
    conn: &mut Conn,
    field: &SelectionField,
    context: &RequestContext,
) -> Result<Value, ModuleError> {
    let text = |arg: &str| {
        field
            .arg(arg)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    match field.name.as_str() {
        "servicesPricelists" => root_list(host, conn, Kind::Services, field, context),
        "itemsPricelists" => root_list(host, conn, Kind::Items, field, context),
        "pricelists" => pricelists(host, conn, field, context),
        "validateServicesPricelistName" => {
            name_is_free(conn, Kind::Services, &text("servicesPricelistName"))
        }
        "validateItemsPricelistName" => {
            name_is_free(conn, Kind::Items, &text("itemsPricelistName"))
        }
        other => Err(ModuleError::new(
            "NOT_SUPPORTED",
            format!("medical_pricelist has no root field {other}"),
        )),
    }
}
