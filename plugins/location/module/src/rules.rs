//! What location applies on every path to its entities (root lists, relation hops, entities by
//! key), as the entity layer's hooks (`entity::Hooks`): row security restricts locations and facilities
//! (not a location reached by a `one` hop: the original loads a facility's `location` and a
//! location's `parent` through its `LocationLoader`, which skips `get_queryset`),
//! and the computed fields (`clientMutationId`, a facility's `legalForm` / `subLevel`, its
//! `catchments` refused without 121101) complete each batch of rows.

use crate::code_tables;
use crate::mutation_links::{attach_client_mutation_ids, Linked};
use crate::security::Viewer;
use crate::specs::{Assignment, HEALTH_FACILITY, LOCATION};
use crate::Conn;
use openimis_sdk::entity::{self, EntitySpec, Hooks, Reach};
use openimis_sdk::payload::field_error;
use openimis_sdk::sql_filter::Where;
use openimis_sdk::{time, ModuleError, SelectionField};
use serde_json::{json, Value};
use std::ptr;

/// One viewer's rules for one request.
pub struct Rules<'a> {
    viewer: &'a Viewer,
    /// `healthFacilitiesStr(ignoreLocation)`: every facility is visible.
    pub every_facility: bool,
    /// `locationsAll`: its root list is not restricted, the locations it nests are.
    pub open_root: bool,
}

impl<'a> Rules<'a> {
    pub fn new(viewer: &'a Viewer) -> Self {
        Self {
            viewer,
            every_facility: false,
            open_root: false,
        }
    }
}

impl Hooks for Rules<'_> {
    fn rows(&self, spec: &EntitySpec, reach: Reach, w: &mut Where) -> Result<(), ModuleError> {
        if ptr::eq(spec, &LOCATION) {
            let open = reach == Reach::Hop || (reach == Reach::List && self.open_root);
            if !open {
                self.viewer.restrict(&spec.col("LocationId"), w);
            }
        } else if ptr::eq(spec, &HEALTH_FACILITY) && !self.every_facility {
            self.viewer.restrict_facilities(&spec.col("LocationId"), w);
        } else if let Some(kind) = assignment(spec) {
            let (holder, location) = (spec.col(kind.holder()), spec.col("LocationId"));
            w.and(
                &format!("{holder} IS NOT NULL AND {location} IS NOT NULL"),
                [],
            );
        }
        Ok(())
    }

    fn extend(
        &self,
        conn: &mut Conn,
        spec: &EntitySpec,
        rows: &mut [Value],
        sel: &[SelectionField],
    ) -> Result<(), ModuleError> {
        let wants = |name: &str| sel.iter().any(|f| f.name == name);
        let host = self.viewer.host.as_ref();
        if ptr::eq(spec, &LOCATION) && wants("clientMutationId") {
            let allowed = self.viewer.authenticated;
            attach_client_mutation_ids(host, conn, Linked::Location, rows, allowed)?;
        } else if ptr::eq(spec, &HEALTH_FACILITY) {
            code_tables::attach(conn, rows, sel, |conn, field, w| {
                self.apply(|a| entity::connection(conn, &HEALTH_FACILITY, field, w, a))
            })?;
            let allowed = self.viewer.facility_details;
            if wants("clientMutationId") {
                attach_client_mutation_ids(host, conn, Linked::HealthFacility, rows, allowed)?;
            }
            if !allowed && wants("catchments") {
                // As the original's resolver: without 121101 the field fails, row by row.
                let denied = field_error("UNAUTHORIZED", "unauthorized");
                rows.iter_mut()
                    .for_each(|r| r["catchments"] = denied.clone());
            }
        } else if assignment(spec).is_some() {
            for row in rows.iter_mut() {
                if row["auditUserId"].is_null() {
                    row["auditUserId"] = json!(0);
                }
                if row["validityFrom"].is_null() {
                    row["validityFrom"] = json!(time::iso(&time::now()));
                }
            }
        }
        Ok(())
    }
}

fn assignment(spec: &EntitySpec) -> Option<Assignment> {
    [Assignment::UserDistricts, Assignment::OfficerVillages]
        .into_iter()
        .find(|kind| ptr::eq(kind.spec(), spec))
}
