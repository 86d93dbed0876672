//! `MODE=PROD` request checks of the original's Django stack: the `Host` header against
//! `ALLOWED_HOSTS` (`HOSTS`, `ALLOWED_HOST(S)`), and CSRF for cookie-authenticated requests.
//!
//! CSRF follows Django's `CsrfViewMiddleware` as `prod.py` configures it:
//! - safe methods (GET, HEAD, OPTIONS, TRACE) pass;
//! - a request carrying `Authorization: Bearer` passes: a browser never adds that header to a
//!   forged request, and the original's JWT header requests need no token;
//! - a request without the `JWT` cookie passes: it is anonymous, a forgery gains nothing;
//! - otherwise its `Origin` (else its `Referer`) must be the server's own origin or one of
//!   `CSRF_TRUSTED_ORIGINS` (plus `PROTOS` × `HOSTS`); with neither header, the `X-CSRFToken`
//!   header must equal the `csrftoken` cookie.
//!
//! Refusals are JSON: 400 `DISALLOWED_HOST`, 403 `CSRF_FAILED`. DEV checks neither, as the
//! original's `dev.py` removes the CSRF middleware and allows every host.

use super::errors::ApiError;
use crate::runtime::Runtime;
use crate::settings::{origin_of, Origins};
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, ResponseError};

/// The middleware body (wrapped with `from_fn` in PROD): a refusal is answered here, so the
/// outer middleware (CORS, security headers, metrics) see a response like any other.
pub async fn guard(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let refusal = request
        .app_data::<web::Data<Runtime>>()
        .and_then(|runtime| check(&request, &runtime.settings.origins).err());
    match refusal {
        Some(error) => Ok(request
            .into_response(error.error_response())
            .map_into_right_body()),
        None => Ok(next.call(request).await?.map_into_left_body()),
    }
}

/// The host check, then the CSRF check.
pub fn check(request: &ServiceRequest, origins: &Origins) -> Result<(), ApiError> {
    let info = request.connection_info().clone();
    let host = info.host();
    if !origins.host_allowed(host) {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "DISALLOWED_HOST",
            format!("Invalid HTTP_HOST header: '{host}'. It is not in ALLOWED_HOSTS (HOSTS)."),
        ));
    }
    if !needs_csrf(request) {
        return Ok(());
    }
    let own = format!("{}://{}", info.scheme(), host).to_ascii_lowercase();
    let trusted = |origin: &str| origin == own || origins.csrf_trusted.iter().any(|t| t == origin);
    let header_text = |name: header::HeaderName| {
        request
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    if let Some(origin) = header_text(header::ORIGIN) {
        let origin = origin.to_ascii_lowercase();
        return if trusted(&origin) {
            Ok(())
        } else {
            Err(failed(format!(
                "Origin checking failed - {origin} does not match any trusted origins."
            )))
        };
    }
    if let Some(referer) = header_text(header::REFERER) {
        return match origin_of(&referer) {
            Some(origin) if trusted(&origin) => Ok(()),
            _ => Err(failed(format!(
                "Referer checking failed - {referer} does not match any trusted origins."
            ))),
        };
    }
    let token = header_text(header::HeaderName::from_static("x-csrftoken"));
    let cookie = request.cookie("csrftoken").map(|c| c.value().to_owned());
    match (token, cookie) {
        (Some(token), Some(cookie)) if !token.is_empty() && token == cookie => Ok(()),
        _ => Err(failed(
            "CSRF token missing or incorrect (no Origin or Referer, and X-CSRFToken does not match the csrftoken cookie).".to_owned(),
        )),
    }
}

/// An unsafe request authenticated by the `JWT` cookie only.
fn needs_csrf(request: &ServiceRequest) -> bool {
    let safe = matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    );
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("Bearer "));
    !safe && !bearer && request.cookie("JWT").is_some_and(|c| !c.value().is_empty())
}

fn failed(reason: String) -> ApiError {
    ApiError::new(
        StatusCode::FORBIDDEN,
        "CSRF_FAILED",
        format!("CSRF Failed: {reason}"),
    )
}
