//! The root queries (medical.md §4): the diagnosis lists, the item and service lists with
//! their `showHistory` right, `pricelistUuid` and `clientMutationId`, the `*Str` pickers, and
//! the code validations.

use crate::item_or_service::{ItemOrService, ITEMS, SERVICES};
use crate::reads::{access, and, code_free, code_or_name_contains, in_pricelist, mutated_by};
use crate::specs::DIAGNOSIS;
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity::{self, EntitySpec};
use openimis_sdk::input::str_arg;
use openimis_sdk::payload::field_error;
use openimis_sdk::scalars::uuid_arg;
use openimis_sdk::sql_filter::{text_arg, Where};
use openimis_sdk::{HostHandle, ModuleError, RequestContext, ResolveRequest, SelectionField};
use serde_json::{json, Value};

/// The original's answer to an anonymous caller.
fn unauthorized() -> ModuleError {
    ModuleError::new("UNAUTHORIZED", "unauthorized")
}

fn authenticated(context: &RequestContext) -> Result<(), ModuleError> {
    match context.is_authenticated() {
        true => Ok(()),
        false => Err(unauthorized()),
    }
}

/// `field` with each `_In` argument given as a single value made a list of it: GraphQL's input
/// coercion (the frontend sends `packagetype_In: S`), which the host leaves to the resolver.
fn listed(field: &SelectionField) -> SelectionField {
    let mut field = field.clone();
    for (name, value) in field.args.iter_mut() {
        if name.ends_with("_In") && !value.is_array() && !value.is_null() {
            *value = Value::Array(vec![value.take()]);
        }
    }
    field
}

/// `str` over the code and the name columns of `spec`, when given.
fn search(spec: &EntitySpec, field: &SelectionField, code: &str) -> Result<Where, ModuleError> {
    let name = spec.field("name").map_or("", |f| f.column);
    Ok(match text_arg(field, "str")? {
        Some(text) => code_or_name_contains(spec, code, name, &text),
        None => Where::new(),
    })
}

/// `medicalItems` / `medicalServices`: valid rows, or every row for `showHistory` when the
/// user holds the kind's query right (OMT-281); `pricelistUuid` over any detail of the list
/// (the original filters these details without validity, unlike the `*Str` pickers).
fn list(
    host: &HostHandle,
    conn: &mut DbConnection,
    kind: &ItemOrService,
    field: &SelectionField,
    context: &RequestContext,
) -> Result<Value, ModuleError> {
    authenticated(context)?;
    let history = field.arg("showHistory") == Some(&json!(true));
    let mut field = listed(field);
    if history && !context.holds(kind.query_right) {
        field.args.insert("showHistory".into(), json!(false));
    }
    let mut w = Where::new();
    if let Some(uuid) = uuid_arg(&field, "pricelistUuid")? {
        w = and(w, &in_pricelist(host, kind, &uuid, false));
    }
    if let Some(id) = field.arg("clientMutationId").and_then(Value::as_str) {
        if !id.is_empty() {
            w = and(w, &mutated_by(kind, id));
        }
    }
    entity::connection(conn, kind.spec, &field, w, &access())
}

/// `medicalItemsStr` / `medicalServicesStr`: currently valid rows, `str` over code or name,
/// `pricelistUuid` over the list's valid details.
///
/// The spec reads `date` as "rows valid at that date"; the original's code passes it
/// positionally to `filter_validity(arg=...)`, which then sees no date and keeps the currently
/// valid rows. The code wins: `date` is checked as a date and otherwise has no effect.
fn picker(
    host: &HostHandle,
    conn: &mut DbConnection,
    kind: &ItemOrService,
    field: &SelectionField,
    context: &RequestContext,
) -> Result<Value, ModuleError> {
    authenticated(context)?;
    let field = &listed(field);
    if let Some(date) = field.arg("date").filter(|d| !d.is_null()) {
        entity::bind("date", entity::Kind::Date, date)?;
    }
    let mut w = search(kind.spec, field, kind.code_column)?;
    if let Some(uuid) = uuid_arg(field, "pricelistUuid")? {
        w = and(w, &in_pricelist(host, kind, &uuid, true));
    }
    entity::connection(conn, kind.spec, field, w, &access())
}

/// `diagnoses` answers every row, history included (the original's plain connection has no
/// validity filter); `diagnosesStr` the valid ones matching `str`. Both are open to anonymous
/// callers, whose `totalCount`/`edgeCount` are the `ExtendedConnection`'s "unauthorized".
fn diagnoses(
    conn: &mut DbConnection,
    field: &SelectionField,
    context: &RequestContext,
    searching: bool,
) -> Result<Value, ModuleError> {
    let mut answer = if searching {
        let w = search(&DIAGNOSIS, field, "ICDCode")?;
        entity::connection(conn, &DIAGNOSIS, field, w, &access())?
    } else {
        let field = entity::with_args(field, &[("showHistory", json!(true))]);
        entity::connection(conn, &DIAGNOSIS, &field, Where::new(), &access())?
    };
    if !context.is_authenticated() {
        for counted in field.selection.iter() {
            if matches!(counted.name.as_str(), "totalCount" | "edgeCount") {
                answer[&counted.alias] = field_error("UNAUTHORIZED", "unauthorized");
            }
        }
    }
    Ok(answer)
}

/// `validateItemCode` / `validateServiceCode` (the right is the manifest's field right).
fn code_is_free(
    conn: &mut DbConnection,
    kind: &ItemOrService,
    field: &SelectionField,
    argument: &str,
) -> Result<Value, ModuleError> {
    Ok(json!(code_free(conn, kind, str_arg(field, argument))?))
}

/// Resolves one of medical's root queries.
pub fn resolve(
    host: &HostHandle,
    conn: &mut DbConnection,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    let (field, context) = (&request.field, &request.context);
    match field.name.as_str() {
        "diagnoses" => diagnoses(conn, field, context, false),
        "diagnosesStr" => diagnoses(conn, field, context, true),
        "medicalItems" => list(host, conn, &ITEMS, field, context),
        "medicalServices" => list(host, conn, &SERVICES, field, context),
        "medicalItemsStr" => picker(host, conn, &ITEMS, field, context),
        "medicalServicesStr" => picker(host, conn, &SERVICES, field, context),
        "validateItemCode" => code_is_free(conn, &ITEMS, field, "itemCode"),
        "validateServiceCode" => code_is_free(conn, &SERVICES, field, "serviceCode"),
        other => Err(entity::no_root_field("medical", other)),
    }
}
