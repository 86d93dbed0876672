//! Row security (`ROW_SECURITY`, the original's `LocationManager`): an interactive user sees the
//! valid locations under their districts (`tblUsersDistricts`), every descendant, and the
//! districts' direct parents (the non-strict rule); facilities follow their location. Holders
//! of 121906 (IMIS administrators hold every right) and users without an interactive user are
//! unrestricted, as in the original.

use crate::manifest::REGIONS_AND_DISTRICTS;
use crate::Conn;
use openimis_plugin_api::sdk::db::{self, Bind};
use openimis_plugin_api::sdk::sql_filter::Where;
use openimis_plugin_api::{ModuleError, RequestContext};
use serde_json::{json, Value};

/// What one user may see.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    /// The `tblUsers` id whose districts bound the view.
    Districts(i64),
}

impl Scope {
    pub fn of(context: &RequestContext, row_security: bool) -> Self {
        match context.interactive_user_id() {
            Some(user) if row_security && !context.holds(REGIONS_AND_DISTRICTS) => {
                Scope::Districts(user)
            }
            _ => Scope::All,
        }
    }

    /// Restricts `column` (a location id) to the allowed locations.
    pub fn restrict(&self, column: &str, w: &mut Where) {
        if let Scope::Districts(user) = self {
            w.and(
                &format!("{column} IN ({ALLOWED})"),
                [Bind::BigInt(Some(*user)), Bind::BigInt(Some(*user))],
            );
        }
    }
}

/// The allowed location ids of user `?` (bound twice): districts, descendants, direct parents.
const ALLOWED: &str = r#"WITH RECURSIVE allowed(id) AS (
        SELECT ud."LocationId" FROM "tblUsersDistricts" ud WHERE ud."UserID" = ? AND ud."ValidityTo" IS NULL
        UNION SELECT c."LocationId" FROM "tblLocations" c JOIN allowed a ON c."ParentLocationId" = a.id WHERE c."ValidityTo" IS NULL)
    SELECT id FROM allowed
    UNION SELECT p."ParentLocationId" FROM "tblLocations" p JOIN "tblUsersDistricts" pd ON pd."LocationId" = p."LocationId"
        WHERE pd."UserID" = ? AND pd."ValidityTo" IS NULL AND p."ParentLocationId" IS NOT NULL"#;

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    id: i32,
}

/// The service `row_security.scope` `{user_id}` (a `tblUsers` id; `rights` optional) →
/// `{"all", "location_ids", "health_facility_ids"}` for other modules' own lists.
pub fn scope_service(
    conn: &mut Conn,
    payload: &Value,
    row_security: bool,
) -> Result<Value, ModuleError> {
    let user = payload["user_id"].as_i64().ok_or_else(|| {
        ModuleError::new("BAD_PAYLOAD", "row_security.scope needs an integer user_id")
    })?;
    let rights: Vec<u32> = payload["rights"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|r| r.as_u64().map(|r| r as u32))
        .collect();
    let context = RequestContext {
        user: json!({"i_user": {"id": user}}),
        rights,
        ..Default::default()
    };
    let scope = Scope::of(&context, row_security);
    if scope == Scope::All {
        return Ok(json!({"all": true, "location_ids": [], "health_facility_ids": []}));
    }
    let mut w = Where::new();
    scope.restrict(r#"l."LocationId""#, &mut w);
    let locations: Vec<Id> = db::load(
        conn,
        &format!(
            r#"SELECT l."LocationId" AS id FROM "tblLocations" l WHERE l."ValidityTo" IS NULL AND {} ORDER BY l."LocationId""#,
            w.sql()
        ),
        w.binds(),
    )?;
    let mut w = Where::new();
    scope.restrict(r#"h."LocationId""#, &mut w);
    let facilities: Vec<Id> = db::load(
        conn,
        &format!(
            r#"SELECT h."HfID" AS id FROM "tblHF" h WHERE h."ValidityTo" IS NULL AND {} ORDER BY h."HfID""#,
            w.sql()
        ),
        w.binds(),
    )?;
    Ok(json!({
        "all": false,
        "location_ids": locations.iter().map(|r| r.id).collect::<Vec<_>>(),
        "health_facility_ids": facilities.iter().map(|r| r.id).collect::<Vec<_>>(),
    }))
}
