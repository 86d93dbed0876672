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

/// Whether the user is an IMIS administrator, from core's `auth.context`.
fn is_imis_admin(host: &HostHandle, context: &RequestContext) -> Result<bool, ModuleError> {
    let username = context.user["username"].as_str().unwrap_or_default();
    let answer: Value = host.call("core", "auth.context", &json!({"username": username}))?;
    Ok(answer["is_imis_admin"] == true)
}

pub fn policy_renewals(
    host: &HostHandle,
    conn: &mut DbConnection,
    field: &SelectionField,
    context: &RequestContext,
) -> Result<Value, ModuleError> {
    let mut w = Where::new();
    if !is_imis_admin(host, context)? {
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

/// `policyOfficers`: core's `OfficerGQLTypeConnection`, which only core can answer (a module
/// cannot yet answer another module's connection type): null, as insuree's `insureeOfficers`.
pub fn policy_officers() -> Result<Value, ModuleError> {
    Ok(Value::Null)
}
