//! Row security (`ROW_SECURITY`, the original's `Location.get_queryset` and
//! `HealthFacility.get_queryset`): an interactive user who is not an IMIS administrator sees the
//! locations and facilities [`crate::allowed`] gives it (holders of 121906 every location, still
//! only their facilities); others are unrestricted. The root `healthFacilities` restricts such
//! users even with row security off ([`Viewer::restrict_facility_list`]). Allowed ids are kept
//! in the host's cache per user (`rowsec_<id>`, `rowsec_hf_<id>`, `rowsec_hft_<id>`); changes to
//! the tree, user districts or officer villages forget every `rowsec_*` key ([`forget_scopes`]).

use crate::allowed::{self, Roles};
use crate::manifest::{QUERY_HEALTH_FACILITIES, REGIONS_AND_DISTRICTS};
use crate::specs::{HEALTH_FACILITY, LOCATION};
use crate::Conn;
use openimis_sdk::cache;
use openimis_sdk::entity::{self, EntitySpec};
use openimis_sdk::sql_filter::id_list;
use openimis_sdk::sql_filter::Where;
use openimis_sdk::{HostHandle, ModuleError, RequestContext};
use serde_json::{json, Value};

/// Prefix of every cached scope.
pub const SCOPE_PREFIX: &str = "rowsec_";
/// Prefix of the cached facility scopes (under [`SCOPE_PREFIX`], forgotten with it).
const FACILITY_SCOPE_PREFIX: &str = "rowsec_hf_";
/// Prefix of the cached every-level facility rules of `healthFacilities` (under [`SCOPE_PREFIX`]).
const FACILITY_TREE_PREFIX: &str = "rowsec_hft_";
/// How long a cached scope lives at most (changes forget it at once).
pub const SCOPE_TTL: u64 = 300;

/// The settings row security depends on.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// The host's `ROW_SECURITY`.
    pub row_security: bool,
    /// location's `no_location_check`: row security off, every district for everyone.
    pub no_location_check: bool,
}

impl Settings {
    fn restricts(&self) -> bool {
        self.row_security && !self.no_location_check
    }
}

/// What one viewer may see in one request: the allowed location ids of each rule (`None`:
/// all), whether it is logged in, whether it may read facility details (121101), and the
/// host that answers the rows' pending mutations (`None` outside a request).
#[derive(Clone, Default)]
pub struct Viewer {
    locations: Option<Vec<i64>>,
    facilities: Option<Vec<i64>>,
    pub facility_details: bool,
    pub authenticated: bool,
    pub host: Option<HostHandle>,
    /// The user whose every-level rule restricts the root `healthFacilities` (row security
    /// off; with it on, the districts-only rule is narrower and already applies).
    facility_list_user: Option<i64>,
}

impl Viewer {
    /// The viewer behind `context`: IMIS administrators, users without an interactive user
    /// and, with row security off, every user are unrestricted (but for the root
    /// `healthFacilities`, see [`Self::restrict_facility_list`]).
    pub fn load(
        host: &HostHandle,
        conn: &mut Conn,
        context: &RequestContext,
        settings: Settings,
    ) -> Result<Self, ModuleError> {
        let unrestricted = Self {
            facility_details: context.holds(QUERY_HEALTH_FACILITIES),
            authenticated: context.is_authenticated(),
            host: Some(host.clone()),
            ..Self::default()
        };
        let Some(user) = context
            .interactive_user_id()
            .filter(|_| !settings.no_location_check)
        else {
            return Ok(unrestricted);
        };
        let every_location = context.holds(REGIONS_AND_DISTRICTS);
        if every_location && context.is_imis_admin {
            return Ok(unrestricted);
        }
        if !settings.restricts() {
            return Ok(Self {
                facility_list_user: Some(user),
                ..unrestricted
            });
        }
        let restricted = Self::of_user(host, conn, user, every_location)?;
        Ok(Self {
            locations: restricted.locations,
            facilities: restricted.facilities,
            ..unrestricted
        })
    }

    /// Restricts `column` (a facility's location id) for the root `healthFacilities`, as the
    /// original's `resolve_health_facilities`, which applies `build_user_location_filter_query`
    /// (levels R, D, W, V: the allowed locations and everything below, or no location) to every
    /// non-superuser interactive user even when `ROW_SECURITY` is off. With it on, the
    /// districts-only rule of `get_queryset` ([`Self::restrict_facilities`]) is the narrower
    /// one and nothing is added here.
    pub fn restrict_facility_list(
        &self,
        conn: &mut Conn,
        column: &str,
        w: &mut Where,
    ) -> Result<(), ModuleError> {
        let (Some(user), Some(host)) = (self.facility_list_user, &self.host) else {
            return Ok(());
        };
        let key = format!("{FACILITY_TREE_PREFIX}{user}");
        let ids = remembered(host, &key, |host| {
            allowed::extended_allowed_ids(
                conn,
                &Roles::of(host, user)?,
                user,
                allowed::FACILITY_TREE_LEVELS,
            )
        })?;
        facilities_in(column, &ids, w);
        Ok(())
    }

    /// The restriction of `user` (a `tblUsers` id), from the cache or computed and cached.
    fn of_user(
        host: &HostHandle,
        conn: &mut Conn,
        user: i64,
        every_location: bool,
    ) -> Result<Self, ModuleError> {
        let mut roles = LazyRoles { user, known: None };
        let locations = if every_location {
            None
        } else {
            let key = format!("{SCOPE_PREFIX}{user}");
            Some(remembered(host, &key, |host| {
                allowed::location_ids(conn, roles.get(host)?, user)
            })?)
        };
        let key = format!("{FACILITY_SCOPE_PREFIX}{user}");
        let facilities = remembered(host, &key, |host| {
            allowed::extended_allowed_ids(conn, roles.get(host)?, user, allowed::FACILITY_LEVELS)
        })?;
        Ok(Self {
            locations,
            facilities: Some(facilities),
            ..Self::default()
        })
    }

    /// Restricts `column` (a location id) to the allowed locations.
    pub fn restrict(&self, column: &str, w: &mut Where) {
        if let Some(ids) = &self.locations {
            w.and(&format!("{column} IN ({})", id_list(ids)), []);
        }
    }

    /// Restricts `column` (a facility's location id) as the original: an allowed location, or
    /// none at all.
    pub fn restrict_facilities(&self, column: &str, w: &mut Where) {
        if let Some(ids) = &self.facilities {
            facilities_in(column, ids, w);
        }
    }
}

/// `column` (a facility's location id) one of `ids`, or none.
fn facilities_in(column: &str, ids: &[i64], w: &mut Where) {
    w.and(
        &format!("{column} IN ({}) OR {column} IS NULL", id_list(ids)),
        [],
    );
}

/// core's [`Roles`] of one user, asked at most once (and only when a scope is not cached).
struct LazyRoles {
    user: i64,
    known: Option<Roles>,
}

impl LazyRoles {
    fn get(&mut self, host: &HostHandle) -> Result<&Roles, ModuleError> {
        let roles = match self.known.take() {
            Some(known) => known,
            None => Roles::of(host, self.user)?,
        };
        Ok(self.known.insert(roles))
    }
}

/// The ids cached under `key`, else `compute`d and cached. Without a cache service they are
/// computed for each request.
fn remembered(
    host: &HostHandle,
    key: &str,
    compute: impl FnOnce(&HostHandle) -> Result<Vec<i64>, ModuleError>,
) -> Result<Vec<i64>, ModuleError> {
    match cache::get(host, key) {
        Ok(cached) => {
            if let Some(ids) = cached.and_then(|v| serde_json::from_value::<Vec<i64>>(v).ok()) {
                return Ok(ids);
            }
        }
        Err(e) => {
            log::warn!("row security without the cache: {e}");
            return compute(host);
        }
    }
    let ids = compute(host)?;
    if let Err(e) = cache::set(host, key, &json!(ids), Some(SCOPE_TTL)) {
        log::warn!("could not cache the row security scope {key}: {e}");
    }
    Ok(ids)
}

/// Forgets every cached scope: call it once a change to the tree, to user districts or to
/// officer villages has committed. A failure is only logged (the TTL bounds the staleness).
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

/// The service `row_security.scope` `{user_id}` (a `tblUsers` id; `rights` optional) →
/// `{"all", "location_ids", "health_facility_ids"}` for other modules' own lists. `all` is
/// the locations' rule (121906 holders see every location).
pub fn scope_service(
    host: &HostHandle,
    conn: &mut Conn,
    payload: &Value,
    settings: Settings,
) -> Result<Value, ModuleError> {
    let user = payload["user_id"].as_i64().ok_or_else(|| {
        ModuleError::new("BAD_PAYLOAD", "row_security.scope needs an integer user_id")
    })?;
    let holds_regions = payload["rights"]
        .as_array()
        .into_iter()
        .flatten()
        .any(|r| r.as_u64() == Some(u64::from(REGIONS_AND_DISTRICTS)));
    if !settings.restricts() || holds_regions {
        return Ok(json!({"all": true, "location_ids": [], "health_facility_ids": []}));
    }
    let viewer = Viewer::of_user(host, conn, user, false)?;
    let scope = &viewer;
    let mut valid = |spec: &EntitySpec, mut w: Where| -> Result<Vec<Value>, ModuleError> {
        w.and(&format!("{} IS NULL", spec.col("ValidityTo")), []);
        let found = entity::find(conn, spec, &w, "")?;
        Ok(found.into_iter().map(|r| r["pk"].clone()).collect())
    };
    let (mut at, mut hf) = (Where::new(), Where::new());
    scope.restrict(&LOCATION.col("LocationId"), &mut at);
    scope.restrict_facilities(&HEALTH_FACILITY.col("LocationId"), &mut hf);
    let (locations, facilities) = (valid(&LOCATION, at)?, valid(&HEALTH_FACILITY, hf)?);
    Ok(json!({
        "all": false,
        "location_ids": locations,
        "health_facility_ids": facilities,
    }))
}
