//! What every load of insuree's entities applies (`Insuree.get_queryset`, `Family.get_queryset`):
//! the excluded CHF ids (the funding pseudo-insuree) and, for a user restricted to districts, the
//! rows placed in them (an insuree by its village or its family's location, a family by its
//! location); and the fields that are not columns: the text-keyed lookups, `age`,
//! `clientMutationId`, `mutations` and a photo's content read back from its file.

use crate::links::Linked;
use crate::lookups::{self, CONFIRMATION_TYPES, FAMILY_TYPES, GENDERS, IDENTIFICATION_TYPES};
use crate::photo;
use crate::specs::{FAMILY, INSUREE, PHOTO};
use openimis_sdk::db::{Bind, DbConnection};
use openimis_sdk::entity::{EntitySpec, Hooks, Reach};
use openimis_sdk::mutation_link;
use openimis_sdk::sql_filter::{id_list, Where};
use openimis_sdk::{HostHandle, ModuleError, SelectionField};
use serde_json::{json, Value};
use std::ptr;

/// One request's rules.
pub struct Rules<'a> {
    pub host: Option<&'a HostHandle>,
    /// The locations the caller may see; `None` when nothing restricts it.
    pub allowed: Option<Vec<i64>>,
    pub excluded: &'a [String],
    /// Where photos are kept (`insuree_photos_root_path`).
    pub photo_root: &'a str,
}

impl Rules<'_> {
    /// `column NOT IN excluded` (a null CHF id kept, as Django's `exclude`).
    fn not_excluded(&self, column: &str) -> (String, Vec<Bind>) {
        let marks = vec!["?"; self.excluded.len()].join(", ");
        let binds = self.excluded.iter().map(Bind::text).collect();
        (
            format!("{column} IS NULL OR {column} NOT IN ({marks})"),
            binds,
        )
    }
}

impl Hooks for Rules<'_> {
    fn rows(&self, spec: &EntitySpec, reach: Reach, w: &mut Where) -> Result<(), ModuleError> {
        // A relation hop goes through the original's data loaders, which skip `get_queryset`.
        if matches!(reach, Reach::Hop) {
            return Ok(());
        }
        if ptr::eq(spec, &INSUREE) {
            if !self.excluded.is_empty() {
                let (sql, binds) = self.not_excluded(&INSUREE.col("CHFID"));
                w.and(&sql, binds);
            }
            if let Some(ids) = &self.allowed {
                let ids = id_list(ids);
                w.and(
                    &format!(
                        r#"{} IN ({ids}) OR {} IN (SELECT fl."FamilyID" FROM "tblFamilies" fl WHERE fl."LocationId" IN ({ids}))"#,
                        INSUREE.col("CurrentVillage"),
                        INSUREE.col("FamilyID")
                    ),
                    [],
                );
            }
        } else if ptr::eq(spec, &FAMILY) {
            if !self.excluded.is_empty() {
                let (sql, binds) = self.not_excluded(r#"ex."CHFID""#);
                let sql = format!(
                    r#"NOT EXISTS (SELECT 1 FROM "tblInsuree" ex WHERE ex."FamilyID" = {} AND NOT ({sql}))"#,
                    FAMILY.col("FamilyID")
                );
                w.and(&sql, binds);
            }
            if let Some(ids) = &self.allowed {
                w.and(
                    &format!("{} IN ({})", FAMILY.col("LocationId"), id_list(ids)),
                    [],
                );
            }
        }
        Ok(())
    }

    fn extend(
        &self,
        conn: &mut DbConnection,
        spec: &EntitySpec,
        rows: &mut [Value],
        sel: &[SelectionField],
    ) -> Result<(), ModuleError> {
        let wants = |name: &str| sel.iter().any(|f| f.name == name);
        if ptr::eq(spec, &INSUREE) {
            self.apply(|access| {
                lookups::attach(conn, &GENDERS, rows, ("gender", "gender_Code"), sel, access)?;
                lookups::attach(
                    conn,
                    &IDENTIFICATION_TYPES,
                    rows,
                    ("typeOfId", "typeOfIdCode"),
                    sel,
                    access,
                )
            })?;
            if wants("age") {
                let today = openimis_sdk::time::now();
                for row in rows.iter_mut() {
                    row["age"] = json!(row["dob"].as_str().and_then(|dob| age(dob, &today)));
                }
            }
            self.mutation_fields(conn, Linked::Insuree, rows, sel)?;
        } else if ptr::eq(spec, &FAMILY) {
            self.apply(|access| {
                lookups::attach(
                    conn,
                    &FAMILY_TYPES,
                    rows,
                    ("familyType", "familyTypeCode"),
                    sel,
                    access,
                )?;
                lookups::attach(
                    conn,
                    &CONFIRMATION_TYPES,
                    rows,
                    ("confirmationType", "confirmationTypeCode"),
                    sel,
                    access,
                )
            })?;
            self.mutation_fields(conn, Linked::Family, rows, sel)?;
        } else if ptr::eq(spec, &PHOTO) && wants("photo") {
            for row in rows.iter_mut() {
                if row["photo"].is_null() {
                    let (folder, file) = (row["folder"].as_str(), row["filename"].as_str());
                    if let (Some(folder), Some(file)) = (folder, file) {
                        row["photo"] = json!(photo::load(self.photo_root, folder, file));
                    }
                }
            }
        }
        Ok(())
    }
}

impl Rules<'_> {
    /// `clientMutationId` (the pending linked mutation's) and `mutations` (the link rows).
    fn mutation_fields(
        &self,
        conn: &mut DbConnection,
        kind: Linked,
        rows: &mut [Value],
        sel: &[SelectionField],
    ) -> Result<(), ModuleError> {
        let (table, name) = (kind.names(), kind.row_name());
        mutation_link::client_mutation_fields(self.host, conn, table, name, rows, sel)
    }
}

/// Whole years from `dob` (`YYYY-MM-DD`) to `today` (`YYYY-MM-DD ...`), as the original's
/// `age()`.
pub fn age(dob: &str, today: &str) -> Option<i64> {
    let part = |s: &str, a: usize, b: usize| s.get(a..b)?.parse::<i64>().ok();
    let (y, m, d) = (part(dob, 0, 4)?, part(dob, 5, 7)?, part(dob, 8, 10)?);
    let (ty, tm, td) = (part(today, 0, 4)?, part(today, 5, 7)?, part(today, 8, 10)?);
    Some(ty - y - i64::from((tm, td) < (m, d)))
}

impl Rules<'_> {
    /// Whether row `pk` of `spec` is one the caller may reach (a mutation's target).
    pub fn sees(
        &self,
        conn: &mut DbConnection,
        spec: &EntitySpec,
        pk: i64,
    ) -> Result<bool, ModuleError> {
        let found = self
            .apply(|access| openimis_sdk::entity::by_keys(conn, spec, &[json!(pk)], &[], access))?;
        Ok(found.first().is_some_and(|v| !v.is_null()))
    }
}
