//! `/ht/`: the database, the cache and every module's status; 200 when all is well, 500
//! otherwise.

use crate::runtime::Runtime;
use actix_web::{web, HttpResponse};
use serde_json::{json, Map, Value};

pub async fn health(runtime: web::Data<Runtime>) -> HttpResponse {
    let db = runtime.db.clone();
    let database = match web::block(move || db.ping()).await {
        Ok(Ok(())) => "OK".to_owned(),
        Ok(Err(e)) => e.0,
        Err(_) => "health check worker failed".to_owned(),
    };
    let rt = runtime.clone().into_inner();
    let cache = match web::block(move || rt.services.cache().health()).await {
        Ok(Ok(())) => "OK".to_owned(),
        Ok(Err(e)) => format!(
            "{} cache unavailable: {e}",
            runtime.services.cache().backend()
        ),
        Err(_) => "health check worker failed".to_owned(),
    };
    let mut modules = Map::new();
    for status in &runtime.statuses {
        let value = match (&status.error, status.running) {
            (_, true) => "OK".to_owned(),
            (Some(error), false) => format!("disabled: {error}"),
            (None, false) => "disabled".to_owned(),
        };
        modules.insert(status.name.clone(), Value::String(value));
    }
    let healthy = database == "OK"
        && cache == "OK"
        && runtime
            .statuses
            .iter()
            .all(|s| s.running || !s_required(&runtime, &s.name));
    let body =
        json!({"DatabaseBackend": database, "Cache(alias='default')": cache, "modules": modules});
    if healthy {
        HttpResponse::Ok().json(body)
    } else {
        HttpResponse::InternalServerError().json(body)
    }
}

/// A disabled optional module does not make the server unhealthy.
fn s_required(runtime: &Runtime, name: &str) -> bool {
    runtime
        .report
        .problems
        .iter()
        .any(|p| p.module.as_deref() == Some(name) && p.fatal)
}
