//! `insureeOfficers`, the enrolment officers the photo's officer picker lists. The original's
//! resolver returns nothing unless contextual selection is on, and graphene-django's connection
//! field then answers its default queryset: every valid officer (core's `tblOfficer`), through
//! the field's own filters (`code`, `lastName`, `otherNames` and their `_Icontains`, `dob`,
//! `uuid`; `locationId` only steers the contextual selection). The nodes are core's
//! `OfficerGQLType`: this module answers their keys, core the rest.
//!
//! With `use_contextual_enrolment_officer_selection` on, the original narrows the list (the
//! caller itself if an officer, else the officers of the village `locationId`); that selection
//! is not implemented, and the field stays null.

use openimis_sdk::db::DbConnection;
use openimis_sdk::entity::{self, Access, EntitySpec, HISTORY};
use openimis_sdk::entity::{date, text, EXACT, ICONTAINS};
use openimis_sdk::sql_filter::Where;
use openimis_sdk::{ModuleError, SelectionField};
use serde_json::Value;

/// `tblOfficer` as the connection's filters see it (core declares the type's fields).
static OFFICER: EntitySpec = EntitySpec {
    type_name: "OfficerGQLType",
    table: "tblOfficer",
    alias: "o",
    key: "OfficerID",
    uuid: Some("OfficerUUID"),
    history: Some(HISTORY),
    fields: &[
        text("code", "Code").filters(EXACT | ICONTAINS),
        text("lastName", "LastName").filters(EXACT | ICONTAINS),
        text("otherNames", "OtherNames").filters(EXACT | ICONTAINS),
        date("dob", "DOB").filters(EXACT),
    ],
};

/// The valid officers matching the field's filters, a page of keys core completes; null with
/// contextual selection on.
pub fn insuree_officers(
    conn: &mut DbConnection,
    field: &SelectionField,
    contextual: bool,
) -> Result<Value, ModuleError> {
    if contextual {
        return Ok(Value::Null);
    }
    entity::connection(conn, &OFFICER, field, Where::new(), &Access::open())
}
