//! Which file answers which root query: `payers`/`payer` (`payers.rs`, guarded by the
//! manifest's field rights) and `fundings`/`funding` (`fundings.rs`, a login only: the
//! original declares no right on them).

use crate::access::with_access;
use crate::{fundings, payers};
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity;
use openimis_sdk::{HostHandle, ModuleError, ResolveRequest};
use serde_json::Value;

pub fn resolve(
    host: &HostHandle,
    conn: &mut DbConnection,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    let (field, context) = (&request.field, &request.context);
    entity::logged_in(context)?;
    with_access(context, |access| match field.name.as_str() {
        "payers" => payers::payers(host, conn, field, context, access),
        "payer" => payers::payer(conn, field, access),
        "fundings" => fundings::connection(conn, field, access),
        "funding" => fundings::funding(field),
        other => Err(entity::no_root_field("payer", other)),
    })
}
