//! The built openIMIS frontend (`FRONTEND_DIR`) on the API's origin: its files at `/front/`,
//! `index.html` for every client-side route (the SPA fallback), and `/` redirecting to
//! `/front/`. The API keeps its own paths, so cookies set by `/api/` reach the frontend.

use actix_files::{Files, NamedFile};
use actix_web::dev::{fn_service, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::DefaultHeaders;
use actix_web::{web, HttpResponse};
use std::path::{Path, PathBuf};

/// The URL path the frontend is built for (`PUBLIC_URL=/front`; fe-core matches menu entries
/// against it).
pub const MOUNT: &str = "/front";

/// What the frontend's pages may load: their own files, plus the inline styles material-ui
/// injects at run time (PROD's `default-src 'self'` alone would block them).
pub const CONTENT_SECURITY_POLICY: &str =
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:";

/// Registers `/`, `/front` and `/front/...` when `dir` is set; nothing otherwise.
pub fn configure(dir: Option<PathBuf>) -> impl FnOnce(&mut web::ServiceConfig) {
    move |cfg: &mut web::ServiceConfig| {
        let Some(dir) = dir else { return };
        let index = dir.join("index.html");
        cfg.route("/", web::get().to(redirect_to_mount))
            .route(MOUNT, web::get().to(redirect_to_mount))
            .service(
                web::scope(MOUNT)
                    .wrap(
                        DefaultHeaders::new()
                            .add((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY)),
                    )
                    .service(
                        Files::new("", &dir)
                            .index_file("index.html")
                            .default_handler(fn_service(move |request: ServiceRequest| {
                                let index = index.clone();
                                async move { spa_fallback(request, &index).await }
                            })),
                    ),
            );
    }
}

async fn redirect_to_mount() -> HttpResponse {
    HttpResponse::Found()
        .insert_header((header::LOCATION, format!("{MOUNT}/")))
        .finish()
}

/// A path without a file extension is a client-side route: answer `index.html` (never cached,
/// so a new build is picked up). A missing file (`.js`, `.png`, ...) stays a 404.
async fn spa_fallback(
    request: ServiceRequest,
    index: &Path,
) -> Result<ServiceResponse, actix_web::Error> {
    let (request, _) = request.into_parts();
    if !is_client_route(request.path()) {
        let response = super::errors::not_found().await;
        return Ok(ServiceResponse::new(request, response));
    }
    let mut response = NamedFile::open_async(index)
        .await?
        .use_etag(false)
        .use_last_modified(false)
        .into_response(&request);
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    Ok(ServiceResponse::new(request, response))
}

/// `/front/admin/users` is a route; `/front/assets/x.js` is a file.
fn is_client_route(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or_default();
    !last.contains('.')
}

#[cfg(test)]
mod tests {
    use super::is_client_route;

    #[test]
    fn paths_with_an_extension_are_files_and_the_rest_routes() {
        assert!(is_client_route("/front/location/locations"));
        assert!(is_client_route("/front/"));
        assert!(!is_client_route("/front/assets/index-1234.js"));
        assert!(!is_client_route("/front/favicon.ico"));
    }
}
