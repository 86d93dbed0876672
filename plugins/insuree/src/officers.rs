//! `insureeOfficers`, the enrolment officers the photo's officer picker lists. The original's
//! resolver returns nothing unless contextual selection is on, and graphene-django's connection
//! field then answers its default queryset: every valid officer (core's `tblOfficer`), through
//! the field's own filters (`code`, `lastName`, `otherNames` and their `_Icontains`, `dob`,
//! `uuid`; `locationId` only steers the contextual selection). The nodes are core's
//! `OfficerGQLType`: core answers the page (service `officers.connection`) and the nodes.
//!
//! With `use_contextual_enrolment_officer_selection` on, the original narrows the list (the
//! caller itself if an officer, else the officers of the village `locationId`); that selection
//! is not implemented, and the field stays null.

use openimis_sdk::{HostHandle, ModuleError, SelectionField};
use serde_json::{json, Value};

/// The valid officers matching the field's filters (core's service `officers.connection`
/// answers the page of keys, core completes the nodes); null with contextual selection on.
pub fn insuree_officers(
    host: &HostHandle,
    field: &SelectionField,
    contextual: bool,
) -> Result<Value, ModuleError> {
    if contextual {
        return Ok(Value::Null);
    }
    host.call("core", "officers.connection", &json!({ "field": field }))
}
