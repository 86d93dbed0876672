//! Row security (`ROW_SECURITY`, the original's `LocationManager`): an interactive user sees the
//! valid locations under their districts (`tblUsersDistricts`), every descendant, and the
//! districts' direct parents (the non-strict rule); facilities follow their location. Holders
//! of 121906 see every location but, as in the original, only IMIS administrators (superusers)
//! see every facility; users without an interactive user are unrestricted.
//!
//! A user's allowed location ids are computed once and kept in the host's cache under
//! `rowsec_<tblUsers id>` (the original caches `get_allowed_ids` per user); changes to the
//! tree or to user districts forget every `rowsec_*` key ([`forget_scopes`]).

use crate::manifest::REGIONS_AND_DISTRICTS;
use crate::rows::id_list;
use crate::Conn;
use openimis_plugin_api::sdk::cache::{self, USER_CONTEXT_PREFIX};
use openimis_plugin_api::sdk::db::{self, Bind};
use openimis_plugin_api::sdk::sql_filter::Where;
use openimis_plugin_api::{HostHandle, ModuleError, RequestContext};
use serde_json::{json, Value};

/// Prefix of the cached allowed location ids, one key per `tblUsers` id.
pub const SCOPE_PREFIX: &str = "rowsec_";
/// How long a cached scope lives at most (changes forget it at once).
pub const SCOPE_TTL: u64 = 300;

/// What one user may see, borrowed from a [`Viewer`] for one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope<'a> {
    All,
    Districts {
        /// The `tblUsers` id whose districts bound the view.
        user: i64,
        /// Holders of 121906: every location, only the facilities of their districts.
        every_location: bool,
        /// The allowed location ids; `None` when the cache is unavailable (inline CTE then).
        allowed: Option<&'a [i32]>,
    },
}

impl Scope<'_> {
    /// Restricts `column` (a location id) to the allowed locations.
    pub fn restrict(&self, column: &str, w: &mut Where) {
        if let Scope::Districts {
            every_location: false,
            ..
        } = self
        {
            self.restrict_to_districts(column, w);
        }
    }

    /// Restricts `column` (a facility's location id): only superusers see every facility.
    pub fn restrict_facilities(&self, column: &str, w: &mut Where) {
        self.restrict_to_districts(column, w);
    }

    /// The user whose locations are restricted (`None`: every location).
    pub fn location_user(&self) -> Option<i64> {
        match self {
            Scope::Districts {
                user,
                every_location: false,
                ..
            } => Some(*user),
            _ => None,
        }
    }

    fn restrict_to_districts(&self, column: &str, w: &mut Where) {
        match self {
            Scope::All => {}
            Scope::Districts {
                allowed: Some(ids), ..
            } => {
                w.and(&format!("{column} IN ({})", id_list(ids)), []);
            }
            Scope::Districts { user, .. } => {
                w.and(
                    &format!("{column} IN ({ALLOWED})"),
                    [Bind::BigInt(Some(*user)), Bind::BigInt(Some(*user))],
                );
            }
        }
    }
}

/// The caller's restriction, resolved once per request; owns the allowed ids [`Scope`] borrows.
#[derive(Debug, Clone, Default)]
pub struct Viewer {
    user: Option<i64>,
    every_location: bool,
    allowed: Option<Vec<i32>>,
}

impl Viewer {
    /// The viewer behind `context`: superusers, users without an interactive user and every
    /// user when row security is off are unrestricted.
    pub fn load(
        host: &HostHandle,
        conn: &mut Conn,
        context: &RequestContext,
        row_security: bool,
    ) -> Result<Self, ModuleError> {
        let Some(user) = context.interactive_user_id().filter(|_| row_security) else {
            return Ok(Self::default());
        };
        let every_location = context.holds(REGIONS_AND_DISTRICTS);
        // IMIS administrators hold every right: only holders of 121906 may be one.
        if every_location && is_superuser(host, context)? {
            return Ok(Self::default());
        }
        Ok(Self {
            user: Some(user),
            every_location,
            allowed: allowed_ids(host, conn, user)?,
        })
    }

    pub fn scope(&self) -> Scope<'_> {
        match self.user {
            None => Scope::All,
            Some(user) => Scope::Districts {
                user,
                every_location: self.every_location,
                allowed: self.allowed.as_deref(),
            },
        }
    }
}

/// Whether the user is an IMIS administrator: the host's cached user context (core's
/// `auth.context` answer under `rights_<username>`), else core's answer itself.
fn is_superuser(host: &HostHandle, context: &RequestContext) -> Result<bool, ModuleError> {
    let username = context.user["username"].as_str().unwrap_or_default();
    let key = format!("{USER_CONTEXT_PREFIX}{username}");
    let answer = match cache::get(host, &key).ok().flatten() {
        Some(cached) => cached,
        None => host.call("core", "auth.context", &json!({ "username": username }))?,
    };
    Ok(answer["is_imis_admin"] == true)
}

/// The allowed location ids of `user`, from the cache or computed and cached; `None` when the
/// host has no cache service (the queries then inline the recursive CTE).
fn allowed_ids(
    host: &HostHandle,
    conn: &mut Conn,
    user: i64,
) -> Result<Option<Vec<i32>>, ModuleError> {
    let key = format!("{SCOPE_PREFIX}{user}");
    let cached = match cache::get(host, &key) {
        Ok(cached) => cached,
        Err(e) => {
            log::warn!("row security without the cache: {e}");
            return Ok(None);
        }
    };
    if let Some(ids) = cached.and_then(|v| serde_json::from_value::<Vec<i32>>(v).ok()) {
        return Ok(Some(ids));
    }
    let rows: Vec<Id> = db::load(
        conn,
        &format!("SELECT id FROM ({ALLOWED}) a ORDER BY id"),
        &[Bind::BigInt(Some(user)), Bind::BigInt(Some(user))],
    )?;
    let ids: Vec<i32> = rows.into_iter().map(|r| r.id).collect();
    if let Err(e) = cache::set(host, &key, &json!(ids), Some(SCOPE_TTL)) {
        log::warn!("could not cache the row security of user {user}: {e}");
    }
    Ok(Some(ids))
}

/// Forgets every cached scope: call it once a change to the tree or to user districts has
/// committed. A failure is only logged (the TTL bounds the staleness).
pub fn forget_scopes(host: &HostHandle) {
    if let Err(e) = cache::delete_prefix(host, SCOPE_PREFIX) {
        log::warn!("could not clear the cached row security scopes: {e}");
    }
}

/// Passes `outcome` through, forgetting the cached scopes when it is a success.
pub fn forget_scopes_after<T, E>(host: &HostHandle, outcome: Result<T, E>) -> Result<T, E> {
    if outcome.is_ok() {
        forget_scopes(host);
    }
    outcome
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
/// `{"all", "location_ids", "health_facility_ids"}` for other modules' own lists. `all` is
/// the locations' rule (121906 holders see every location).
pub fn scope_service(
    host: &HostHandle,
    conn: &mut Conn,
    payload: &Value,
    row_security: bool,
) -> Result<Value, ModuleError> {
    let user = payload["user_id"].as_i64().ok_or_else(|| {
        ModuleError::new("BAD_PAYLOAD", "row_security.scope needs an integer user_id")
    })?;
    let holds_regions = payload["rights"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|r| r.as_u64() == Some(u64::from(REGIONS_AND_DISTRICTS)));
    if !row_security || holds_regions {
        return Ok(json!({"all": true, "location_ids": [], "health_facility_ids": []}));
    }
    let viewer = Viewer {
        user: Some(user),
        every_location: false,
        allowed: allowed_ids(host, conn, user)?,
    };
    let scope = viewer.scope();
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
    scope.restrict_facilities(r#"h."LocationId""#, &mut w);
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
