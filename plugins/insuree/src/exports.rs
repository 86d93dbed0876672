//! `insureesExport` (insuree.md §4, core's `ExportableQueryMixin` with
//! `exportable_fields = ['insurees']`): the insurees `insurees` lists, with the same filters
//! and row security, written as CSV or XLSX by the SDK's `exports`; the field answers the file
//! name, which core's `fetch_export` serves.
//!
//! The original's export skips `InsureeGQLType.get_queryset` (it calls the resolver, not the
//! connection field), so its file also holds the excluded CHF ids; here it holds exactly the
//! rows `insurees` lists: the excluded pseudo-insuree is left out of the export too.

use crate::access::Rules;
use crate::queries::with_insuree_list;
use crate::specs::INSUREE;
use openimis_sdk::db::DbConnection;
use openimis_sdk::entity::*;
use openimis_sdk::exports::{self, Destination, Exportable};
use openimis_sdk::{HostHandle, ModuleError, ResolveRequest};
use serde_json::Value;

/// location's locations, as far as an export reads them (`current_village__code`,
/// `family__location__parent__name`).
pub static LOCATION_COLUMNS: EntitySpec = EntitySpec {
    type_name: "LocationGQLType",
    table: "tblLocations",
    alias: "lc",
    key: "LocationId",
    uuid: Some("LocationUUID"),
    history: Some(History {
        legacy_id: "LegacyID",
        audit_user: "AuditUserId",
    }),
    fields: &[
        text("code", "LocationCode"),
        text("name", "LocationName"),
        text("type", "LocationType"),
        one(
            "parent",
            "ParentLocationId",
            Target::Local(&LOCATION_COLUMNS),
        ),
        int("malePopulation", "MalePopulation"),
        int("femalePopulation", "FemalePopulation"),
        int("otherPopulation", "OtherPopulation"),
        int("families", "Families"),
    ],
};

/// location's health facilities, as far as an export reads them (`health_facility__code`).
pub static HEALTH_FACILITY_COLUMNS: EntitySpec = EntitySpec {
    type_name: "HealthFacilityGQLType",
    table: "tblHF",
    alias: "hc",
    key: "HfID",
    uuid: Some("HfUUID"),
    history: Some(HISTORY),
    fields: &[
        text("code", "HFCode"),
        text("name", "HFName"),
        text("level", "HFLevel"),
        text("legalForm", "LegalForm"),
        text("careType", "HFCareType"),
        one("location", "LocationId", Target::Local(&LOCATION_COLUMNS)),
    ],
};

/// The original's `Insuree` model as `values_list` reads it.
pub static INSUREES: Exportable = Exportable {
    model: "Insuree",
    spec: &INSUREE,
    // Foreign keys to the text-keyed lists: their value is the code.
    aliases: &[
        ("gender", "gender__code"),
        ("type_of_id", "type_of_id_code"),
        ("type_of_id__code", "type_of_id_code"),
    ],
    stubs: &[
        ("LocationGQLType", &LOCATION_COLUMNS),
        ("HealthFacilityGQLType", &HEALTH_FACILITY_COLUMNS),
    ],
};

/// `insureesExport(<insurees' arguments>, fileFormat, fields, fieldsColumns)`.
pub fn insurees_export(
    host: &HostHandle,
    conn: &mut DbConnection,
    request: &ResolveRequest,
    rules: &Rules,
) -> Result<Value, ModuleError> {
    let to = Destination::of(host, &request.context)?;
    with_insuree_list(conn, &request.field, rules, |conn, field, w, access| {
        exports::run(conn, &INSUREES, field, w, access, &to)
    })
}
