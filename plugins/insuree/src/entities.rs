//! Entities by key: insuree's types for relay `node(id:)` and other modules' stubs, and the
//! reverse relations insuree adds to location's `LocationGQLType` (`familySet`, `insureeSet`),
//! `HealthFacilityGQLType.insurees` and core's `MutationLogGQLType` (`insurees`, `families`).

use crate::access::Rules;
use crate::links::Linked;
use crate::specs::{self, FAMILY, HEALTH_FACILITY, INSUREE, LOCATION};
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity::{self, Access, EntitySpec, Hooks};
use openimis_sdk::mutation_link::{self, LogField};
use openimis_sdk::{EntitiesRequest, ModuleError};
use serde_json::Value;

/// Resolves `request.selection` on the objects of `request.type_name` named by `request.keys`.
pub fn resolve(
    conn: &mut DbConnection,
    request: &EntitiesRequest,
    rules: &Rules,
) -> Result<Vec<Value>, ModuleError> {
    entity::logged_in(&request.context)?;
    let (sel, keys) = (&request.selection, &request.keys);
    if let Some(spec) = specs::of_type(&request.type_name) {
        return rules.apply(|access| entity::by_keys(conn, spec, keys, sel, access));
    }
    let parent = match request.type_name.as_str() {
        "LocationGQLType" => &LOCATION,
        "HealthFacilityGQLType" => &HEALTH_FACILITY,
        "MutationLogGQLType" => {
            let fields = [
                log_field("insurees", Linked::Insuree, &INSUREE),
                log_field("families", Linked::Family, &FAMILY),
            ];
            let logs =
                |access: &Access| mutation_link::mutation_logs(conn, keys, sel, access, &fields);
            return rules.apply(logs);
        }
        other => return Err(entity::no_entities("insuree", other)),
    };
    rules.apply(|access| entity::extended_by_keys(conn, parent, keys, sel, access))
}

/// `MutationLogGQLType.<field>`: the link rows of `kind` of each log.
fn log_field(field: &'static str, kind: Linked, spec: &'static EntitySpec) -> LogField<'static> {
    let (table, inner) = (kind.names(), kind.row_name());
    LogField {
        field,
        inner,
        table,
        spec,
    }
}
