//! The four mutations under core's mutation log (`run_logged`: answered at once, queued in
//! MODE=PROD), each in one transaction: any error rolls everything back, and the log records
//! the original's messages (a `ValueError`'s text alone for create and duplicate,
//! `product.mutation.failed_to_<verb>_product` with the reason as detail otherwise).

use crate::checks::{validation_error, Failure};
use crate::delete::delete;
use crate::details::{copy_details, ITEMS, SERVICES};
use crate::inputs::{DeleteInput, ProductInput};
use crate::manifest::{ADD, DELETE, EDIT};
use crate::reads::pk_by_uuid_any;
use crate::save::save;
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity;
use openimis_sdk::input::{failure, permitted_or_denied};
use openimis_sdk::mutation::{run_logged, unknown, MutationError};
use openimis_sdk::mutation_link::log_to_link;
use openimis_sdk::transaction::in_transaction;
use openimis_sdk::{HostHandle, ModuleError, RequestContext, ResolveRequest};
use serde_json::{Map, Value};

type Errors = Vec<MutationError>;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Action {
    Create,
    Update,
    Duplicate,
}

impl Action {
    fn right(self) -> u32 {
        match self {
            Action::Update => EDIT,
            _ => ADD,
        }
    }

    /// The log's errors for a failure of this mutation.
    fn logged(self, failure_: Failure) -> Errors {
        let verb = match self {
            Action::Create => "create",
            Action::Update => "update",
            Action::Duplicate => "duplicate",
        };
        let message = format!("product.mutation.failed_to_{verb}_product");
        match failure_ {
            Failure::Value(text) if self != Action::Update => vec![MutationError::new(text)],
            Failure::Value(text) | Failure::Other(text) => failure(&message, text),
        }
    }
}

/// `CreateOrUpdateProductMutation.do_mutate` (and `DuplicateProductMutation`'s): login, right,
/// then the save, and for a duplicate the copies of the source's items and services.
fn create_or_update(
    conn: &mut DbConnection,
    action: Action,
    map: &Map<String, Value>,
    context: &RequestContext,
    log: &str,
) -> Result<(), Errors> {
    if !context.is_authenticated() {
        let error = validation_error("mutation.authentication_required");
        return Err(action.logged(error));
    }
    if !context.holds(action.right()) {
        return Err(action.logged(Failure::Other("unauthorized".into())));
    }
    let audit = context.interactive_user_id().unwrap_or_default();
    let mut input: ProductInput = entity::input(map).map_err(|e| vec![e])?;
    let source = match action {
        Action::Duplicate => Some(input.uuid.take()),
        _ => None,
    };
    let linked = log_to_link(map, log);
    in_transaction(conn, |conn| {
        let pk = save(conn, &input, map, audit, linked).map_err(|f| action.logged(f))?;
        if let Some(source) = source {
            duplicate(conn, source.as_deref(), pk).map_err(|f| action.logged(f))?;
        }
        Ok(())
    })
}

/// Copies the valid source product's details onto the new product `pk`.
fn duplicate(conn: &mut DbConnection, source: Option<&str>, pk: i64) -> Result<(), Failure> {
    let from = match source {
        Some(uuid) => pk_by_uuid_any(conn, uuid)?,
        None => None,
    };
    let valid = match from {
        Some(from) => crate::reads::is_valid(conn, from)?,
        None => false,
    };
    let (Some(from), true) = (from, valid) else {
        return Err(Failure::Other(
            "Product matching query does not exist.".into(),
        ));
    };
    copy_details(conn, &ITEMS, from, pk)?;
    copy_details(conn, &SERVICES, from, pk)
}

fn delete_all(
    conn: &mut DbConnection,
    map: &Map<String, Value>,
    context: &RequestContext,
) -> Result<(), Errors> {
    permitted_or_denied(context, DELETE)?;
    let input: DeleteInput = entity::input(map).map_err(|e| vec![e])?;
    in_transaction(conn, |conn| match delete(conn, &input.uuids) {
        errors if errors.is_empty() => Ok(()),
        errors => Err(errors),
    })
}

/// Whether `name` is one of product's mutations.
pub fn serves(name: &str) -> bool {
    matches!(
        name,
        "createProduct" | "updateProduct" | "duplicateProduct" | "deleteProduct"
    )
}

/// Resolves one of product's mutations.
pub fn resolve(
    host: &HostHandle,
    conn: &mut DbConnection,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    let context = &request.context;
    let action = match request.field.name.as_str() {
        "createProduct" => Action::Create,
        "updateProduct" => Action::Update,
        "duplicateProduct" => Action::Duplicate,
        "deleteProduct" => {
            return run_logged(host, request, |map, _| delete_all(conn, map, context))
        }
        other => return Err(unknown("product", other)),
    };
    run_logged(host, request, |map, log| {
        create_or_update(conn, action, map, context, log)
    })
}
