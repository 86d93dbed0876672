//! `parentLocation` + `parentLocationLevel` (the original's `parent__…__uuid` path): the
//! location with that uuid and every location below it, as a subquery.

use openimis_sdk::db::Bind;
use openimis_sdk::sql_filter::{text_arg, Where};
use openimis_sdk::{ModuleError, SelectionField};

/// The subtree below (and with) the location of uuid `?`.
const SUBTREE: &str = r#"WITH RECURSIVE down(id) AS (
    SELECT l."LocationId" FROM "tblLocations" l WHERE LOWER(CAST(l."LocationUUID" AS TEXT)) = LOWER(?)
    UNION SELECT l."LocationId" FROM "tblLocations" l JOIN down ON l."ParentLocationId" = down.id)
  SELECT id FROM down"#;

/// The parent location's uuid, when the field asks for one (its level is required with it).
pub fn parent(field: &SelectionField) -> Result<Option<String>, ModuleError> {
    let Some(uuid) = text_arg(field, "parentLocation")? else {
        return Ok(None);
    };
    if field.arg("parentLocationLevel").is_none_or(|v| v.is_null()) {
        return Err(ModuleError::new(
            "BAD_ARGUMENT",
            "Missing parentLocationLevel argument when filtering on parentLocation",
        ));
    }
    Ok(Some(uuid))
}

/// `village` under the parent or, without a village, `family` placed under it.
pub fn insuree_under(w: &mut Where, uuid: &str, (village, family): (&str, &str)) {
    w.and(
        &format!(
            r#"({village} IS NOT NULL AND {village} IN ({SUBTREE})) OR ({village} IS NULL AND {family} IN (SELECT pf."FamilyID" FROM "tblFamilies" pf WHERE pf."LocationId" IN ({SUBTREE})))"#
        ),
        [Bind::text(uuid), Bind::text(uuid)],
    );
}

/// `column` under the parent.
pub fn under(w: &mut Where, uuid: &str, column: &str) {
    w.and(&format!("{column} IN ({SUBTREE})"), [Bind::text(uuid)]);
}
