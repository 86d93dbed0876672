//! The root queries served from policy's tables (policy.md §4): `policies` (validity, the
//! original's own arguments in `filters.rs`, the declared filters), `policyRenewals` (valid
//! renewals; a user who is not an IMIS administrator sees those whose new officer is the
//! user's officer) and `policyOfficers`. The rights are the manifest's field rights.

use crate::computed::access;
use crate::config::Config;
use crate::filters;
use crate::specs::{POLICY, RENEWAL};
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity;
use openimis_sdk::sql_filter::Where;
use openimis_sdk::{HostHandle, ModuleError, RequestContext, SelectionField};
use serde_json::{json, Value};

pub fn policies(
    conn: &mut DbConnection,
    config: &Config,
    field: &SelectionField,
) -> Result<Value, ModuleError> {
    let mut field = field.clone();
    let w = filters::base(conn, config, &mut field)?;
    entity::connection(conn, &POLICY, &field, w, &access())
}

#[derive(diesel::QueryableByName)]
struct Officer {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    id: Option<i64>,
}

/// The user's officer (`core_User.officer_id`; core offers no service for it).
fn officer_of(
    conn: &mut DbConnection,
    context: &RequestContext,
) -> Result<Option<i64>, ModuleError> {
    let Some(user) = context.user_id() else {
        return Ok(None);
    };
    let sql = r#"SELECT CAST("officer_id" AS BIGINT) AS id FROM "core_User" WHERE CAST("id" AS TEXT) = ?"#;
    let found: Vec<Officer> = db::load(conn, sql, &[Bind::text(user)])?;
    Ok(found.into_iter().next().and_then(|o| o.id))
}

pub fn policy_renewals(
    conn: &mut DbConnection,
    field: &SelectionField,
    context: &RequestContext,
) -> Result<Value, ModuleError> {
    let mut w = Where::new();
    if !context.is_imis_admin {
        let column = RENEWAL.col("NewOfficerID");
        match officer_of(conn, context)? {
            Some(officer) => w.and(&format!("{column} = ?"), [Bind::BigInt(Some(officer))]),
            // `Q(new_officer=None)`: the renewals without a new officer.
            None => w.and(&format!("{column} IS NULL"), []),
        };
    }
    // The original lists valid renewals, whatever `showHistory` (it declares no filter).
    let mut field = field.clone();
    field.args.remove("showHistory");
    entity::connection(conn, &RENEWAL, &field, w, &access())
}

/// `policyOfficers(search, district, region, …)`: the officers serving a village under the
/// district (else the region), whose code or names contain `search`, through core's service
/// `officers.connection` (the original's `resolve_policy_officers`; core completes the nodes).
/// As the original, the location id is matched at each of the four levels (the village, its
/// municipality, district or region), whichever level it really is.
pub fn policy_officers(host: &HostHandle, field: &SelectionField) -> Result<Value, ModuleError> {
    let id = |name: &str| -> Result<Option<i64>, ModuleError> {
        match field.arg(name).filter(|v| !v.is_null()) {
            None => Ok(None),
            Some(v) => v
                .as_i64()
                .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
                .map(Some)
                .ok_or_else(|| {
                    ModuleError::new("BAD_ARGUMENT", format!("`{name}` must be a location id"))
                }),
        }
    };
    let serving = match id("district")?.or(id("region")?) {
        Some(at) => json!(
            ["village_id", "municipality_id", "district_id", "region_id"]
                .map(|level| json!({ level: at }))
        ),
        None => Value::Null,
    };
    let mut inner = field.clone();
    for name in ["search", "district", "region"] {
        inner.args.remove(name);
    }
    host.call(
        "core",
        "officers.connection",
        &json!({ "field": inner, "serving": serving, "search": field.arg("search") }),
    )
}
