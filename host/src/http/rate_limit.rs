//! The original's `GraphQLRateLimitMiddleware`: in `MODE=PROD`, each client may send
//! `RATELIMIT_RATE` requests to the GraphQL endpoint (`150/m`), keyed by `RATELIMIT_KEY` (`ip`).
//! Over the limit: HTTP 429 `{"detail": "Rate limit exceeded"}` with `Retry-After` (seconds).
//!
//! django-ratelimit counts in fixed windows; governor's cell rate allows a burst of N and then
//! one request every period/N, which never lets a client exceed N in any window.

use crate::settings::{RateLimit, RateLimitKey, Settings};
use actix_governor::governor::clock::{Clock, DefaultClock, QuantaInstant};
use actix_governor::governor::middleware::NoOpMiddleware;
use actix_governor::governor::NotUntil;
use actix_governor::{
    Governor, GovernorConfig, GovernorConfigBuilder, KeyExtractor, SimpleKeyExtractionError,
};
use actix_web::dev::ServiceRequest;
use actix_web::{HttpResponse, HttpResponseBuilder};
use std::net::IpAddr;

/// `RATELIMIT_KEY=ip`: the peer's address (an IPv6 client's /56 prefix, as actix-governor's
/// own extractor does). Requests without a peer address (a Unix socket) share one bucket.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp;

impl KeyExtractor for ClientIp {
    type Key = Option<IpAddr>;
    type KeyExtractionError = SimpleKeyExtractionError<&'static str>;

    fn extract(&self, req: &ServiceRequest) -> Result<Self::Key, Self::KeyExtractionError> {
        Ok(req.peer_addr().map(|peer| match peer.ip() {
            IpAddr::V6(v6) => {
                let mut octets = v6.octets();
                octets[7..].fill(0);
                IpAddr::V6(octets.into())
            }
            v4 => v4,
        }))
    }

    fn exceed_rate_limit_response(
        &self,
        negative: &NotUntil<QuantaInstant>,
        mut response: HttpResponseBuilder,
    ) -> HttpResponse {
        let wait = negative.wait_time_from(DefaultClock::default().now());
        // Whole seconds, rounded up: `Retry-After: 0` would invite an immediate retry.
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        response
            .insert_header(("Retry-After", seconds.max(1).to_string()))
            .json(serde_json::json!({"detail": "Rate limit exceeded"}))
    }
}

/// The limiter every worker shares (one count per client for the whole server).
pub type Limiter = GovernorConfig<ClientIp, NoOpMiddleware>;

/// A limiter for the settings' rate and key.
pub fn limiter(settings: &Settings) -> Limiter {
    let RateLimit { count, period } = settings.rate_limit;
    let RateLimitKey::Ip = settings.rate_limit_key;
    let interval = period / count;
    GovernorConfigBuilder::default()
        .key_extractor(ClientIp)
        .period(interval.max(std::time::Duration::from_nanos(1)))
        .burst_size(count)
        .finish()
        .expect("the rate is at least 1 per period (settings check it)")
}

/// The middleware over one resource.
pub fn middleware(limiter: &Limiter) -> Governor<ClientIp, NoOpMiddleware> {
    Governor::new(limiter)
}
