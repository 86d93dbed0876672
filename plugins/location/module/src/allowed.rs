//! The location ids one interactive user may see, under the original's two rules:
//! - locations (`Location.get_queryset`): an officer sees its villages and all their
//!   ancestors; a claim administrator its facility's district, that district's parent and
//!   every descendant; anyone else its districts, their descendants and their direct parents
//!   (`LocationManager.allowed(strict=False)`);
//! - facilities (`get_allowed_ids` extended by `extend_allowed_locations(.., ["D"])`): the
//!   districts at or below a claim administrator's facility location, an officer's villages,
//!   or the user's districts; `healthFacilities` also keeps every level (R, D, W, V) below
//!   them, even with row security off.
//!
//! Whether a user is an officer or a claim administrator is core's to say (service
//! `location_roles`): as the original, a valid officer / claim administrator with a login
//! whose code is the user's login name.

use crate::Conn;
use openimis_sdk::db::Bind;
use openimis_sdk::entity::ids;
use openimis_sdk::sql_filter::id_list;
use openimis_sdk::{HostHandle, ModuleError};
use serde::Deserialize;
use serde_json::json;

/// What core says of one `tblUsers` id (`location_roles`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Roles {
    /// Valid officers with a login whose code is the user's login name.
    pub officer_ids: Vec<i64>,
    /// The valid claim administrator with a login of that code, if any.
    pub claim_admin: Option<ClaimAdmin>,
    /// The user's own facility (`tblUsers.HFID`), which `get_allowed_ids` reads.
    pub health_facility_id: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ClaimAdmin {
    /// `tblClaimAdmin.HFId`, which `ClaimAdmin.officer_allowed_locations` reads.
    pub health_facility_id: Option<i64>,
}

impl Roles {
    /// Asks core about `user` (a `tblUsers` id).
    pub fn of(host: &HostHandle, user: i64) -> Result<Self, ModuleError> {
        let answer = host.call("core", "location_roles", &json!({ "user_id": user }))?;
        serde_json::from_value(answer).map_err(|e| {
            ModuleError::new("BAD_ANSWER", format!("core's location_roles answer: {e}"))
        })
    }
}

/// The villages of `officers` (valid assignments).
fn villages(officers: &[i64]) -> String {
    format!(
        r#"SELECT ov."LocationId" FROM "tblOfficerVillages" ov
           WHERE ov."OfficerId" IN ({}) AND ov."ValidityTo" IS NULL AND ov."LocationId" IS NOT NULL"#,
        id_list(officers)
    )
}

/// The location ids `user` may see in location lists.
pub fn location_ids(conn: &mut Conn, roles: &Roles, user: i64) -> Result<Vec<i64>, ModuleError> {
    if !roles.officer_ids.is_empty() {
        return ids(
            conn,
            &format!(
                r#"WITH RECURSIVE up(id) AS ({}
                   UNION SELECT p."ParentLocationId" FROM "tblLocations" p JOIN up ON p."LocationId" = up.id
                   WHERE p."ParentLocationId" IS NOT NULL)
                   SELECT id FROM up"#,
                villages(&roles.officer_ids)
            ),
            &[],
        );
    }
    if let Some(claim_admin) = &roles.claim_admin {
        // The original fails on a claim administrator without a facility: nothing is visible.
        let Some(facility) = claim_admin.health_facility_id else {
            return Ok(Vec::new());
        };
        return ids(conn, CLAIM_ADMIN_LOCATIONS, &[Bind::BigInt(Some(facility))]);
    }
    ids(
        conn,
        DISTRICT_USER_LOCATIONS,
        &[Bind::BigInt(Some(user)), Bind::BigInt(Some(user))],
    )
}

/// The levels whose facilities a user may see under row security: districts only.
pub const FACILITY_LEVELS: &str = "'D'";

/// The levels of `healthFacilities`' own rule, which the original applies even with row
/// security off (`build_user_location_filter_query`'s default `loc_types`): every level.
pub const FACILITY_TREE_LEVELS: &str = "'R', 'D', 'W', 'V'";

/// `extend_allowed_locations(get_allowed_ids(user), strict=True, loc_types)`: the user's
/// allowed ids and every valid location below them, kept when their type is one of `types`
/// (an SQL list of literals).
pub fn extended_allowed_ids(
    conn: &mut Conn,
    roles: &Roles,
    user: i64,
    types: &str,
) -> Result<Vec<i64>, ModuleError> {
    let (start, binds) = match (&roles.claim_admin, roles.health_facility_id) {
        (Some(_), Some(facility)) => (
            r#"SELECT h."LocationId" FROM "tblHF" h WHERE h."HfID" = ?"#.to_owned(),
            vec![Bind::BigInt(Some(facility))],
        ),
        _ if !roles.officer_ids.is_empty() => (villages(&roles.officer_ids), Vec::new()),
        _ => (
            r#"SELECT ud."LocationId" FROM "tblUsersDistricts" ud JOIN "tblLocations" d ON d."LocationId" = ud."LocationId"
               WHERE ud."UserID" = ? AND ud."ValidityTo" IS NULL AND d."LocationType" = 'D' AND d."ValidityTo" IS NULL"#
                .to_owned(),
            vec![Bind::BigInt(Some(user))],
        ),
    };
    ids(
        conn,
        &format!(
            r#"WITH RECURSIVE down(id) AS ({start}
               UNION SELECT c."LocationId" FROM "tblLocations" c JOIN down ON c."ParentLocationId" = down.id
               WHERE c."ValidityTo" IS NULL)
               SELECT l."LocationId" AS id FROM "tblLocations" l
               WHERE l."LocationId" IN (SELECT id FROM down) AND l."LocationType" IN ({types}) AND l."ValidityTo" IS NULL"#
        ),
        &binds,
    )
}

/// A claim administrator's facility (`?`): its location, that location's parent, and every
/// location below it (`ClaimAdmin.officer_allowed_locations`).
const CLAIM_ADMIN_LOCATIONS: &str = r#"WITH RECURSIVE district(id, parent) AS (
        SELECT l."LocationId", l."ParentLocationId" FROM "tblHF" h JOIN "tblLocations" l ON l."LocationId" = h."LocationId"
        WHERE h."HfID" = ?),
    down(id) AS (SELECT id FROM district
        UNION SELECT c."LocationId" FROM "tblLocations" c JOIN down ON c."ParentLocationId" = down.id)
    SELECT id FROM down UNION SELECT parent FROM district WHERE parent IS NOT NULL"#;

/// A user's (`?`, bound twice) districts, their valid descendants and their direct parents.
const DISTRICT_USER_LOCATIONS: &str = r#"WITH RECURSIVE allowed(id) AS (
        SELECT ud."LocationId" FROM "tblUsersDistricts" ud WHERE ud."UserID" = ? AND ud."ValidityTo" IS NULL
        UNION SELECT c."LocationId" FROM "tblLocations" c JOIN allowed a ON c."ParentLocationId" = a.id WHERE c."ValidityTo" IS NULL)
    SELECT id FROM allowed
    UNION SELECT p."ParentLocationId" FROM "tblLocations" p JOIN "tblUsersDistricts" pd ON pd."LocationId" = p."LocationId"
        WHERE pd."UserID" = ? AND pd."ValidityTo" IS NULL AND p."ParentLocationId" IS NOT NULL"#;
