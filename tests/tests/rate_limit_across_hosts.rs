//! The GraphQL rate limit across hosts (issue 21): with a Redis cache, hosts count each client
//! together in Redis (fixed windows), so a client whose requests are split across two hosts
//! still gets `RATELIMIT_RATE` in all; a Redis that goes away fails no request, each host
//! counting on its own meanwhile. (One host without Redis: tests/tests/operating.rs.)

use actix_web::test as web_test;
use openimis_host::runtime::Runtime;
use openimis_system_tests::redis_server::{redis_url, unique_prefix, OwnRedis};
use openimis_system_tests::*;
use serde_json::json;
use std::net::SocketAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const QUERY: &str = "{ thing(code: \"T001\") { code } }";
/// Four requests per client an hour: a test never waits for a window to pass.
const RATE: &str = "4/h";

/// A host in PROD (rate limited) with fx_base, its cache in Redis at `url` under `prefix`.
fn host(url: &str, prefix: &str) -> (ModulesDir, Runtime) {
    let dir = ModulesDir::with(&["fx_base"]);
    let options = json!({ "KEY_PREFIX": prefix }).to_string();
    let conf = modules_json(&[json!({"name": "base", "library": "fx_base"})]);
    let vars = [
        ("MODE", "PROD"),
        ("RATELIMIT_RATE", RATE),
        (
            "CACHE_BACKEND",
            "django.core.cache.backends.redis.RedisCache",
        ),
        ("CACHE_URL", url),
        ("CACHE_OPTIONS", options.as_str()),
    ];
    let runtime = start(settings(&conf, &dir, &vars)).expect("base starts");
    (dir, runtime)
}

/// Waits out the last seconds of the current hour, so the requests that follow count in one
/// window (the counters are per client and clock hour).
fn clear_of_a_window_end() {
    let into_hour = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
        % 3600;
    if into_hour > 3590 {
        std::thread::sleep(Duration::from_secs(3601 - into_hour));
    }
}

fn graphql_from(peer: &str) -> actix_http::Request {
    web_test::TestRequest::post()
        .uri("/api/graphql")
        .set_json(json!({ "query": QUERY }))
        .peer_addr(peer.parse::<SocketAddr>().expect("socket address"))
        .to_request()
}

/// `(status, Retry-After, body)` of a GraphQL request from `peer`.
async fn send<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    peer: &str,
) -> (u16, Option<u64>, serde_json::Value) {
    let response = web_test::call_service(app, graphql_from(peer)).await;
    let retry_after = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().expect("ASCII").parse().expect("whole seconds"));
    let (status, body) = json_of(response).await;
    (status, retry_after, body)
}

fn assert_refused(answer: &(u16, Option<u64>, serde_json::Value)) {
    let (status, retry_after, body) = answer;
    assert_eq!(*status, 429, "{body}");
    assert_eq!(*body, json!({"detail": "Rate limit exceeded"}));
    let seconds = retry_after.expect("Retry-After");
    assert!((1..=3600).contains(&seconds), "Retry-After: {seconds}");
}

#[actix_rt::test]
async fn hosts_sharing_a_redis_cache_limit_a_client_together() {
    let (url, _own) = redis_url();
    let prefix = unique_prefix();
    let (_one_dir, one) = host(&url, &prefix);
    let (_other_dir, other) = host(&url, &prefix);
    let (_a, one) = service(one).await;
    let (_b, other) = service(other).await;
    clear_of_a_window_end();

    // Two requests on each host: four in all, each host's own share well under the rate.
    for (n, peer) in ["10.0.0.1:4000", "10.0.0.1:4001"].iter().enumerate() {
        let (status, _, body) = send(&one, peer).await;
        assert_eq!(status, 200, "request {n} on one: {body}");
        let (status, _, body) = send(&other, peer).await;
        assert_eq!(status, 200, "request {n} on the other: {body}");
    }
    // The fifth, on either host, is over the limit.
    assert_refused(&send(&one, "10.0.0.1:4002").await);
    assert_refused(&send(&other, "10.0.0.1:4003").await);
    // Another client has its own count.
    let (status, _, body) = send(&other, "10.0.0.2:4000").await;
    assert_eq!(status, 200, "{body}");
}

#[actix_rt::test]
async fn a_redis_that_goes_away_leaves_the_count_to_each_host() {
    let mut own = OwnRedis::start();
    let (_dir, runtime) = host(&own.url(), &unique_prefix());
    let (_rt, app) = service(runtime).await;
    clear_of_a_window_end();
    for _ in 0..2 {
        let (status, _, body) = send(&app, "10.0.0.1:4000").await;
        assert_eq!(status, 200, "{body}");
    }
    own.stop();

    // Requests are still answered, and limited in this process: four more, then 429.
    for n in 0..4 {
        let (status, _, body) = send(&app, "10.0.0.1:4000").await;
        assert_eq!(status, 200, "request {n} without Redis: {body}");
    }
    assert_refused(&send(&app, "10.0.0.1:4000").await);
}
