//! The original's `GraphQLRateLimitMiddleware`: in `MODE=PROD`, each client may send
//! `RATELIMIT_RATE` requests to the GraphQL endpoint (`150/m`), keyed by `RATELIMIT_KEY` (`ip`).
//! Over the limit: HTTP 429 `{"detail": "Rate limit exceeded"}` with `Retry-After` (seconds).
//!
//! With a Redis cache (`CACHE_BACKEND` + `CACHE_URL`), the count is kept there ([`shared`]), so
//! several hosts together allow a client `RATELIMIT_RATE`, in django-ratelimit's fixed windows;
//! while that server fails, each process counts on its own. Otherwise (memory, memcached, dummy
//! cache) each process counts in memory with governor, whose cell rate allows a burst of N and
//! then one request every period/N, which never lets a client exceed N in any window.

pub mod shared;

use crate::cache::Backend;
use crate::settings::{RateLimit, RateLimitKey, Settings};
use actix_governor::governor::clock::{Clock, DefaultClock, QuantaInstant};
use actix_governor::governor::middleware::NoOpMiddleware;
use actix_governor::governor::NotUntil;
use actix_governor::{
    GovernorConfig, GovernorConfigBuilder, KeyExtractor, SimpleKeyExtractionError,
};
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, HttpResponseBuilder};
use std::future::{ready, Future, Ready};
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;

/// `RATELIMIT_KEY=ip`: the peer's address (an IPv6 client's /56 prefix, as actix-governor's
/// own extractor does). Requests without a peer address (a Unix socket) share one bucket.
#[derive(Debug, Clone, Copy)]
pub struct ClientIp;

impl ClientIp {
    fn key(req: &ServiceRequest) -> Option<IpAddr> {
        req.peer_addr().map(|peer| match peer.ip() {
            IpAddr::V6(v6) => {
                let mut octets = v6.octets();
                octets[7..].fill(0);
                IpAddr::V6(octets.into())
            }
            v4 => v4,
        })
    }
}

impl KeyExtractor for ClientIp {
    type Key = Option<IpAddr>;
    type KeyExtractionError = SimpleKeyExtractionError<&'static str>;

    fn extract(&self, req: &ServiceRequest) -> Result<Self::Key, Self::KeyExtractionError> {
        Ok(Self::key(req))
    }

    fn exceed_rate_limit_response(
        &self,
        negative: &NotUntil<QuantaInstant>,
        response: HttpResponseBuilder,
    ) -> HttpResponse {
        let wait = negative.wait_time_from(DefaultClock::default().now());
        // Whole seconds, rounded up: `Retry-After: 0` would invite an immediate retry.
        let seconds = wait.as_secs() + u64::from(wait.subsec_nanos() > 0);
        too_many(response, seconds)
    }
}

/// The 429 answer, waiting `seconds` (at least 1).
fn too_many(mut response: HttpResponseBuilder, seconds: u64) -> HttpResponse {
    response
        .insert_header(("Retry-After", seconds.max(1).to_string()))
        .json(serde_json::json!({"detail": "Rate limit exceeded"}))
}

/// The limiter every worker shares (one count per client for the whole server, or for every
/// server sharing the Redis cache).
#[derive(Clone)]
pub struct Limiter {
    local: GovernorConfig<ClientIp, NoOpMiddleware>,
    shared: Option<Arc<shared::SharedLimit>>,
}

/// A limiter for the settings' rate and key, counting in Redis when the cache is there.
pub fn limiter(settings: &Settings) -> Limiter {
    let RateLimit { count, period } = settings.rate_limit;
    let RateLimitKey::Ip = settings.rate_limit_key;
    let interval = period / count;
    let local = GovernorConfigBuilder::default()
        .key_extractor(ClientIp)
        .period(interval.max(std::time::Duration::from_nanos(1)))
        .burst_size(count)
        .finish()
        .expect("the rate is at least 1 per period (settings check it)");
    let shared = match &settings.cache.backend {
        Backend::Redis { url } => shared::SharedLimit::new(
            url,
            &settings.cache.key_prefix,
            settings.rate_limit,
        )
        .map_err(|e| {
            log::warn!(target: "openimis::http", "the rate limit counts in this process: {e}");
        })
        .ok()
        .map(Arc::new),
        Backend::Memory | Backend::Dummy | Backend::Memcached { .. } => None,
    };
    Limiter { local, shared }
}

/// The middleware over one resource.
pub fn middleware(limiter: &Limiter) -> Limit {
    Limit(limiter.clone())
}

/// The rate limit as an actix middleware (see [`middleware`]).
pub struct Limit(Limiter);

impl<S, B> Transform<S, ServiceRequest> for Limit
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = actix_web::Error;
    type Transform = LimitService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(LimitService {
            service,
            limiter: self.0.clone(),
        }))
    }
}

pub struct LimitService<S> {
    service: S,
    limiter: Limiter,
}

impl<S> LimitService<S> {
    /// The 429 for a request over the limit, or `None` to let it through.
    fn refusal(&self, req: &ServiceRequest) -> Option<HttpResponse> {
        let key = ClientIp::key(req);
        let builder = || HttpResponseBuilder::new(StatusCode::TOO_MANY_REQUESTS);
        if let Some(shared) = &self.limiter.shared {
            let client = key.map_or_else(|| "-".to_owned(), |ip| ip.to_string());
            match shared.hit(&client) {
                Some(shared::Verdict::Allowed) => return None,
                Some(shared::Verdict::Over { retry_after }) => {
                    return Some(too_many(builder(), retry_after))
                }
                // The server fails: counted in this process below.
                None => {}
            }
        }
        match self.limiter.local.limiter().check_key(&key) {
            Ok(()) => None,
            Err(negative) => Some(ClientIp.exceed_rate_limit_response(&negative, builder())),
        }
    }
}

impl<S, B> Service<ServiceRequest> for LimitService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = actix_web::Error> + 'static,
    B: MessageBody + 'static,
{
    type Response = ServiceResponse<EitherBody<B>>;
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<Self::Response, Self::Error>>>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        if let Some(refused) = self.refusal(&req) {
            let response = req.into_response(refused).map_into_right_body();
            return Box::pin(ready(Ok(response)));
        }
        let served = self.service.call(req);
        Box::pin(async move { Ok(served.await?.map_into_left_body()) })
    }
}
