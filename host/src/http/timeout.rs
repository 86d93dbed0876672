//! `OPENIMIS_REQUEST_TIMEOUT`: a request still running after it is answered 503 JSON
//! (`{"detail", "code": "REQUEST_TIMEOUT", "timeout"}`), as gunicorn's worker timeout ends a
//! request of the original (there with a bare 502 from the proxy).
//!
//! The work already handed to a blocking thread (a module call) still runs to its end: a
//! thread cannot be stopped safely. Only the client's wait is bounded. But the request's
//! [`Fate`] (in its extensions) is then abandoned, so a mutation of it that had not been
//! acknowledged yet never runs; one already acknowledged is answered instead, when it is.

use crate::mutations::fate::Fate;
use crate::runtime::Runtime;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpMessage, HttpResponse};
use std::time::Duration;

/// The middleware body (wrapped with `from_fn` on a resource): the limit is the runtime's
/// setting. It must wrap resources, not the app: it keeps a clone of the request to answer
/// with, and the app's router needs the only reference to the request while it routes.
pub async fn bounded(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let Some(limit) = request
        .app_data::<web::Data<Runtime>>()
        .map(|runtime| runtime.settings.request_timeout)
    else {
        return Ok(next.call(request).await?.map_into_left_body());
    };
    let fate = Fate::new();
    request.extensions_mut().insert(fate.clone());
    let http_request = request.request().clone();
    let mut call = std::pin::pin!(next.call(request));
    match actix_web::rt::time::timeout(limit, call.as_mut()).await {
        Ok(outcome) => Ok(outcome?.map_into_left_body()),
        Err(_) if fate.abandon() => {
            Ok(ServiceResponse::new(http_request, timed_out(limit)).map_into_right_body())
        }
        Err(_) => {
            log::warn!(target: "openimis", "a request ran longer than OPENIMIS_REQUEST_TIMEOUT ({} s) after acknowledging a mutation: answering when it ends", limit.as_secs());
            Ok(call.await?.map_into_left_body())
        }
    }
}

/// The 503 answered when `limit` passed.
pub fn timed_out(limit: Duration) -> HttpResponse {
    log::warn!(target: "openimis", "a request ran longer than OPENIMIS_REQUEST_TIMEOUT ({} s)", limit.as_secs());
    HttpResponse::ServiceUnavailable().json(serde_json::json!({
        "detail": format!(
            "The request took longer than OPENIMIS_REQUEST_TIMEOUT ({} s) and was abandoned.",
            limit.as_secs()
        ),
        "code": "REQUEST_TIMEOUT",
        "timeout": limit.as_secs(),
    }))
}
