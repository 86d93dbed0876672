//! The actix-web edge: routes, and errors turned into responses. Only this module and the
//! GraphQL engine know actix and juniper; everything below sees plain values.

pub mod auth;
pub mod cors;
pub mod csrf;
pub mod errors;
pub mod frontend;
pub mod graphql;
pub mod health;
pub mod lifecycle;
pub mod metrics;
pub mod module_routes;
pub mod rate_limit;
pub mod security;
pub mod send_file;
pub mod timeout;
pub mod translations;

use crate::runtime::Runtime;
use crate::settings::Mode;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::{from_fn, Condition, ErrorHandlerResponse, ErrorHandlers};
use actix_web::{web, App, HttpResponse, HttpServer};
use std::sync::Arc;

/// What the HTTP edge shares across workers: the request metrics, the rate limiter and the
/// server's lifecycle (generation, drain).
#[derive(Clone)]
pub struct Edge {
    pub metrics: Arc<metrics::Metrics>,
    pub limiter: rate_limit::Limiter,
    pub lifecycle: Arc<lifecycle::Lifecycle>,
}

impl Edge {
    pub fn new(runtime: &Runtime) -> Self {
        Self {
            metrics: Arc::default(),
            limiter: rate_limit::limiter(&runtime.settings),
            lifecycle: Arc::default(),
        }
    }
}

/// Registers every route of the server on an actix `App` (without the app-wide middleware of
/// [`app`]: security headers, metrics and the JSON 413).
pub fn configure(runtime: Arc<Runtime>) -> impl FnOnce(&mut web::ServiceConfig) {
    let edge = Edge::new(&runtime);
    configure_with(runtime, edge)
}

/// [`configure`] with shared state (one per server, not per worker).
pub fn configure_with(runtime: Arc<Runtime>, edge: Edge) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg: &mut web::ServiceConfig| {
        let prefix = runtime.settings.prefix();
        // The original limits exactly `/api/graphql`; the trailing-slash alias is limited too,
        // or it would be a way around the limit.
        let limited = runtime.settings.mode == Mode::Prod;
        let graphql = web::resource(format!("{prefix}graphql"))
            .wrap(from_fn(timeout::bounded))
            .wrap(Condition::new(
                limited,
                rate_limit::middleware(&edge.limiter),
            ))
            .route(web::post().to(graphql::post))
            .route(web::get().to(graphql::get));
        let graphql_slash = web::resource(format!("{prefix}graphql/"))
            .wrap(from_fn(timeout::bounded))
            .wrap(Condition::new(
                limited,
                rate_limit::middleware(&edge.limiter),
            ))
            .route(web::post().to(graphql::post));
        cfg.app_data(web::Data::from(runtime.clone()))
            .app_data(web::Data::from(edge.metrics.clone()))
            .app_data(web::Data::from(edge.lifecycle.clone()))
            .app_data(web::PayloadConfig::new(runtime.settings.max_body))
            .route("/ht/", web::get().to(health::health))
            .route("/ht/live", web::get().to(lifecycle::live))
            .route("/ht/ready", web::get().to(lifecycle::ready))
            .route("/metrics", web::get().to(metrics::metrics))
            .service(graphql)
            .service(graphql_slash)
            .route(
                &format!("{prefix}translations/"),
                web::get().to(translations::get),
            )
            .configure(frontend::configure(runtime.settings.frontend_dir.clone()))
            .route(
                &format!("{prefix}{{module}}/{{tail:.*}}"),
                web::to(module_routes::dispatch),
            )
            .default_service(web::to(errors::not_found));
    }
}

/// The whole server as an actix `App`: routes, security headers for `MODE`, request metrics,
/// and a JSON body for 413. Tests build this one too.
pub fn app(
    runtime: Arc<Runtime>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let edge = Edge::new(&runtime);
    app_with(runtime, edge)
}

/// [`app`] with shared state (`serve` builds one `Edge` for all workers).
pub fn app_with(
    runtime: Arc<Runtime>,
    edge: Edge,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let mode = runtime.settings.mode;
    let cors = cors::cors(mode, &runtime.settings.origins);
    let sentry = runtime.settings.sentry.is_some();
    App::new()
        .configure(configure_with(runtime, edge))
        .wrap(ErrorHandlers::new().handler(StatusCode::PAYLOAD_TOO_LARGE, payload_too_large))
        .wrap(Condition::new(mode == Mode::Prod, from_fn(csrf::guard)))
        .wrap(cors)
        .wrap(security::headers(mode))
        .wrap(from_fn(metrics::count))
        .wrap(from_fn(lifecycle::close_while_draining))
        .wrap(Condition::new(sentry, crate::observability::middleware()))
}

/// actix answers an oversized body in plain text; the API answers JSON, naming the limit.
/// A JSON 413 a module answered itself is kept.
fn payload_too_large<B>(
    response: ServiceResponse<B>,
) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let is_json = response
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    if is_json {
        return Ok(ErrorHandlerResponse::Response(
            response.map_into_left_body(),
        ));
    }
    let (request, _) = response.into_parts();
    let limit = request
        .app_data::<web::Data<Runtime>>()
        .map_or(0, |runtime| runtime.settings.max_body);
    let answer = HttpResponse::PayloadTooLarge().json(serde_json::json!({
        "detail": format!("Request body exceeds DATA_UPLOAD_MAX_MEMORY_SIZE ({limit} bytes)."),
        "code": "PAYLOAD_TOO_LARGE",
        "limit": limit,
    }));
    Ok(ErrorHandlerResponse::Response(
        ServiceResponse::new(request, answer).map_into_right_body(),
    ))
}

/// Where the server listens.
pub enum Listen {
    /// An address it binds itself.
    Bind(String),
    /// A socket the supervisor bound and handed over ([`crate::supervisor`]), this server's
    /// generation, and how to tell the supervisor it accepts.
    Inherited {
        listener: std::net::TcpListener,
        generation: u64,
        announce: crate::supervisor::generation::Announce,
    },
}

/// Serves until stopped: SIGTERM/SIGINT drain the server (readiness false, connections close
/// after their response, no new connection accepted) and let in-flight requests finish first,
/// for up to OPENIMIS_SHUTDOWN_TIMEOUT; a second signal stops at once.
pub async fn serve(runtime: Arc<Runtime>, listen: Listen) -> std::io::Result<()> {
    let server_runtime = runtime.clone();
    let (generation, listener, announce) = match listen {
        Listen::Bind(bind) => (1, Err(bind), None),
        Listen::Inherited {
            listener,
            generation,
            announce,
        } => (generation, Ok(listener), Some(announce)),
    };
    let lifecycle = Arc::new(lifecycle::Lifecycle::new(generation));
    let edge = Edge {
        lifecycle: lifecycle.clone(),
        ..Edge::new(&runtime)
    };
    let server = HttpServer::new(move || app_with(server_runtime.clone(), edge.clone()))
        .workers(runtime.settings.workers.max(1))
        .worker_max_blocking_threads(runtime.settings.blocking_threads.max(1))
        .shutdown_timeout(runtime.settings.shutdown_timeout.as_secs())
        .disable_signals();
    let server = match listener {
        Err(bind) => {
            let server = server.bind(&bind)?;
            for address in server.addrs() {
                log::info!(target: "openimis", "listening on {address}");
            }
            server
        }
        Ok(listener) => server.listen(listener)?,
    }
    .run();
    let handle = server.handle();
    if let Some(announce) = &announce {
        log::info!(target: "openimis", "generation {generation} (pid {}) accepts", std::process::id());
        announce.ready();
    }
    actix_web::rt::spawn(drain_on_signal(handle, lifecycle, announce));
    server.await?;
    // The mutations queued by the requests that just finished run to their end too, within
    // the same OPENIMIS_SHUTDOWN_TIMEOUT.
    let drained = runtime
        .mutations
        .wait_idle(runtime.settings.shutdown_timeout);
    if !drained {
        log::warn!(target: "openimis", "queued mutations still running after OPENIMIS_SHUTDOWN_TIMEOUT; stopping anyway");
    }
    runtime.shutdown();
    Ok(())
}

/// How long connections accepted before a drain have to reach their worker.
const HANDOVER: std::time::Duration = std::time::Duration::from_millis(250);

/// The first SIGTERM/SIGINT drains the server; a second one stops it at once.
async fn drain_on_signal(
    handle: actix_web::dev::ServerHandle,
    lifecycle: Arc<lifecycle::Lifecycle>,
    announce: Option<crate::supervisor::generation::Announce>,
) {
    use actix_web::rt::signal::unix::{signal, SignalKind};
    let (Ok(mut terminate), Ok(mut interrupt)) = (
        signal(SignalKind::terminate()),
        signal(SignalKind::interrupt()),
    ) else {
        log::error!(target: "openimis", "cannot handle SIGTERM/SIGINT: the server stops only when killed");
        return;
    };
    tokio::select! {
        _ = terminate.recv() => {},
        _ = interrupt.recv() => {},
    }
    log::info!(target: "openimis", "draining: in-flight requests finish, connections close after their response");
    lifecycle.drain();
    // Accepting stops first, while the workers still take the connections already accepted
    // (a worker told to stop drops the ones still on their way to it); then the workers stop
    // once their connections close.
    handle.pause().await;
    if let Some(announce) = announce {
        announce.paused();
    }
    actix_web::rt::time::sleep(HANDOVER).await;
    let graceful = handle.clone();
    let graceful = graceful.stop(true);
    let forced = async {
        tokio::select! {
            _ = terminate.recv() => {},
            _ = interrupt.recv() => {},
        }
        log::warn!(target: "openimis", "second stop signal: stopping at once");
        handle.stop(false).await;
    };
    tokio::select! {
        _ = graceful => {},
        _ = forced => {},
    }
}
