//! `moduleConfigurations` (anonymous: the frontend's first request) and `languages` (with each
//! language's `interactiveuserSet`, completed through the access hook).

use crate::entities::LANGUAGE;
use crate::{interactive_users, unauthorized, Conn};
use openimis_sdk::cache;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::entity::Access;
use openimis_sdk::project::project;
use openimis_sdk::{HostHandle, ModuleError, ResolveRequest};
use serde_json::{json, Value};

#[derive(diesel::QueryableByName)]
struct ConfigRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    module: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    layer: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    version: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    config: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    is_disabled_until: Option<String>,
}

#[derive(diesel::QueryableByName)]
struct ControlRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    module_id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    field: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    usage: Option<i32>,
}

/// How long the exposed module configurations stay cached.
const CONFIGURATIONS_TTL: u64 = 300;

/// The exposed module configurations of `layer` (all when `None`) as
/// `ModuleConfigurationGQLType` rows, from the cache under
/// `module_configurations_<layer>_<validity>` when it holds them.
fn module_configurations(
    host: &HostHandle,
    conn: &mut Conn,
    layer: Option<String>,
    validity: Option<&str>,
) -> Result<Vec<Value>, ModuleError> {
    let key = format!(
        "module_configurations_{}_{}",
        layer.as_deref().unwrap_or("all"),
        validity.unwrap_or("now")
    );
    if let Some(Value::Array(rows)) = cache::get(host, &key).ok().flatten() {
        return Ok(rows);
    }
    let configs: Vec<ConfigRow> = db::load(
        conn,
        r#"SELECT CAST("id" AS TEXT) AS id, "module" AS module, "layer" AS layer, "version" AS version, "config" AS config,
                          CAST("is_disabled_until" AS TEXT) AS is_disabled_until
                   FROM "core_ModuleConfiguration"
                   WHERE "is_exposed" = ? AND ("is_disabled_until" IS NULL OR "is_disabled_until" < CURRENT_TIMESTAMP)
                     AND (? IS NULL OR "layer" = ?)"#,
        &[
            Bind::Bool(Some(true)),
            Bind::Text(layer.clone()),
            Bind::Text(layer),
        ],
    )?;
    let controls: Vec<ControlRow> = db::load(
        conn,
        r#"SELECT CAST("id" AS TEXT) AS id, CAST("module_id" AS TEXT) AS module_id, "field" AS field, "usage" AS usage FROM "core_FieldControl""#,
        &[],
    )?;
    let rows: Vec<Value> = configs
                .iter()
                .map(|c| {
                    let own: Vec<Value> = controls
                        .iter()
                        .filter(|f| f.module_id == c.id)
                        .map(|f| json!({"id": f.id, "field": f.field, "usage": f.usage, "module": {"id": c.id, "module": c.module}}))
                        .collect();
                    json!({
                        "id": c.id, "module": c.module, "layer": c.layer.to_uppercase(), "version": c.version,
                        "config": c.config, "isExposed": true, "isDisabledUntil": c.is_disabled_until, "controls": own,
                    })
                })
                .collect();
    // Not cached is only slower: the host logs a failing cache server itself.
    let _ = cache::set(host, &key, &json!(rows), Some(CONFIGURATIONS_TTL));
    Ok(rows)
}

pub fn resolve(
    host: &HostHandle,
    conn: &mut Conn,
    request: &ResolveRequest,
) -> Result<Value, ModuleError> {
    let field = &request.field;
    match field.name.as_str() {
        "moduleConfigurations" => {
            let layer = field
                .arg("layer")
                .and_then(Value::as_str)
                .map(str::to_lowercase);
            let validity = field.arg("validity").and_then(Value::as_str);
            let rows = module_configurations(host, conn, layer, validity)?;
            Ok(project(&field.selection, &Value::Array(rows), "id"))
        }
        other => Err(ModuleError::new(
            "NOT_SUPPORTED",
            format!("no field {other}"),
        )),
    }
}

/// `languages`: every language by sort order, with what the selection asks of each.
pub fn languages(
    conn: &mut Conn,
    request: &ResolveRequest,
    access: &Access,
) -> Result<Value, ModuleError> {
    if request.context.user.is_null() {
        return Err(unauthorized());
    }
    let field = &request.field;
    let mut rows = interactive_users::languages(conn, None)?;
    (access.extend)(conn, &LANGUAGE, &mut rows, &field.selection)?;
    Ok(project(&field.selection, &Value::Array(rows), "code"))
}
