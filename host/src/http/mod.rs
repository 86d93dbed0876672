//! The actix-web edge: routes, and errors turned into responses. Only this module and the
//! GraphQL engine know actix and juniper; everything below sees plain values.

pub mod auth;
pub mod errors;
pub mod graphql;
pub mod health;
pub mod module_routes;

use crate::runtime::Runtime;
use actix_web::{web, App, HttpServer};
use std::sync::Arc;

/// The largest request body accepted (the original's `DATA_UPLOAD_MAX_MEMORY_SIZE` default).
pub const MAX_BODY: usize = 10 * 1024 * 1024;

/// Registers every route of the server on an actix `App`.
pub fn configure(runtime: Arc<Runtime>) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg: &mut web::ServiceConfig| {
        let prefix = runtime.settings.prefix();
        cfg.app_data(web::Data::from(runtime.clone()))
            .app_data(web::PayloadConfig::new(MAX_BODY))
            .route("/ht/", web::get().to(health::health))
            .route(&format!("{prefix}graphql"), web::post().to(graphql::post))
            .route(&format!("{prefix}graphql"), web::get().to(graphql::get))
            .route(&format!("{prefix}graphql/"), web::post().to(graphql::post))
            .route(
                &format!("{prefix}{{module}}/{{tail:.*}}"),
                web::to(module_routes::dispatch),
            )
            .default_service(web::to(errors::not_found));
    }
}

/// Serves until stopped (SIGINT/SIGTERM finish in-flight requests first).
pub async fn serve(runtime: Arc<Runtime>, bind: &str) -> std::io::Result<()> {
    let server_runtime = runtime.clone();
    let server = HttpServer::new(move || App::new().configure(configure(server_runtime.clone())))
        .workers(runtime.settings.workers.max(1))
        .worker_max_blocking_threads(runtime.settings.blocking_threads.max(1))
        .bind(bind)?;
    for address in server.addrs() {
        log::info!(target: "openimis", "listening on {address}");
    }
    server.run().await?;
    runtime.shutdown();
    Ok(())
}
