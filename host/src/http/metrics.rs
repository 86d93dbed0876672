//! `/metrics`: Prometheus text format (version 0.0.4), no authentication.
//!
//! - `openimis_http_requests_total{class, status}`: requests answered, by path class
//!   (`graphql`, `health`, `metrics`, `module:<name>` for a running module's routes, `other`).
//! - `openimis_http_request_duration_seconds{class}`: a latency histogram, until the response
//!   head is ready.
//! - `openimis_module_calls_total{module, kind}` (`resolve`, `entities`, `http`, `service`),
//!   `openimis_module_errors_total{module}`, `openimis_module_panics_total{module}`: the
//!   host's counters of calls into each module.
//! - `openimis_modules{state}`: modules running, and listed but disabled.

use crate::modules::Stats;
use crate::runtime::Runtime;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Mutex;
use std::time::Instant;

/// Upper bounds of the latency buckets, in seconds.
pub const BUCKETS: [f64; 11] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0,
];

#[derive(Default)]
struct Histogram {
    /// Observations at or below each bound (not cumulative; summed when rendered).
    buckets: [u64; BUCKETS.len()],
    count: u64,
    sum: f64,
}

#[derive(Default)]
struct Counts {
    requests: BTreeMap<(String, u16), u64>,
    latency: BTreeMap<String, Histogram>,
}

/// The request counters every worker shares.
#[derive(Default)]
pub struct Metrics {
    counts: Mutex<Counts>,
}

impl Metrics {
    pub fn record(&self, class: String, status: u16, seconds: f64) {
        let mut counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
        *counts.requests.entry((class.clone(), status)).or_default() += 1;
        let histogram = counts.latency.entry(class).or_default();
        if let Some(i) = BUCKETS.iter().position(|&bound| seconds <= bound) {
            histogram.buckets[i] += 1;
        }
        histogram.count += 1;
        histogram.sum += seconds;
    }

    /// Everything, in the text format.
    pub fn render(&self, runtime: &Runtime) -> String {
        let mut out = String::new();
        {
            let counts = self.counts.lock().unwrap_or_else(|e| e.into_inner());
            out.push_str("# HELP openimis_http_requests_total HTTP requests answered, by path class and status.\n# TYPE openimis_http_requests_total counter\n");
            for ((class, status), n) in &counts.requests {
                let _ = writeln!(
                    out,
                    "openimis_http_requests_total{{class=\"{}\",status=\"{status}\"}} {n}",
                    escape(class)
                );
            }
            out.push_str("# HELP openimis_http_request_duration_seconds Time to answer a request, by path class.\n# TYPE openimis_http_request_duration_seconds histogram\n");
            for (class, h) in &counts.latency {
                let class = escape(class);
                let mut cumulative = 0;
                for (bound, n) in BUCKETS.iter().zip(h.buckets) {
                    cumulative += n;
                    let _ = writeln!(out, "openimis_http_request_duration_seconds_bucket{{class=\"{class}\",le=\"{bound}\"}} {cumulative}");
                }
                let _ = writeln!(out, "openimis_http_request_duration_seconds_bucket{{class=\"{class}\",le=\"+Inf\"}} {}", h.count);
                let _ = writeln!(
                    out,
                    "openimis_http_request_duration_seconds_sum{{class=\"{class}\"}} {}",
                    h.sum
                );
                let _ = writeln!(
                    out,
                    "openimis_http_request_duration_seconds_count{{class=\"{class}\"}} {}",
                    h.count
                );
            }
        }
        out.push_str("# HELP openimis_module_calls_total Calls from the host into a module, by kind.\n# TYPE openimis_module_calls_total counter\n");
        for module in runtime.modules.iter() {
            let s = &module.stats;
            for (kind, counter) in [
                ("resolve", &s.resolve_calls),
                ("entities", &s.entities_calls),
                ("http", &s.http_calls),
                ("service", &s.service_calls),
            ] {
                let _ = writeln!(
                    out,
                    "openimis_module_calls_total{{module=\"{}\",kind=\"{kind}\"}} {}",
                    escape(module.name()),
                    Stats::get(counter)
                );
            }
        }
        for (metric, help, pick) in [
            (
                "openimis_module_errors_total",
                "Module calls that answered an error (panics included).",
                (|s: &Stats| Stats::get(&s.errors)) as fn(&Stats) -> u64,
            ),
            (
                "openimis_module_panics_total",
                "Module calls that panicked (caught; the host kept serving).",
                |s: &Stats| Stats::get(&s.panics),
            ),
        ] {
            let _ = writeln!(out, "# HELP {metric} {help}\n# TYPE {metric} counter");
            for module in runtime.modules.iter() {
                let _ = writeln!(
                    out,
                    "{metric}{{module=\"{}\"}} {}",
                    escape(module.name()),
                    pick(&module.stats)
                );
            }
        }
        pool_gauges(&mut out, runtime);
        let running = runtime.statuses.iter().filter(|s| s.running).count();
        let disabled = runtime.statuses.len() - running;
        let _ = writeln!(
            out,
            "# HELP openimis_modules Modules listed in openimis.json, by state.\n# TYPE openimis_modules gauge\nopenimis_modules{{state=\"running\"}} {running}\nopenimis_modules{{state=\"disabled\"}} {disabled}"
        );
        out
    }
}

/// A label value with `\`, `"` and newlines escaped.
/// `openimis_db_pool_{connections,idle,max}{module}`: each module's pools, summed, as its SDK
/// reports them (`sdk.db.pools`; a module built without that SDK is left out).
fn pool_gauges(out: &mut String, runtime: &Runtime) {
    use openimis_plugin_api::module::pool_state::{PoolState, POOLS};
    let states: Vec<(&str, PoolState)> = runtime
        .modules
        .iter()
        .filter_map(|module| {
            let answer = module
                .module
                .service(POOLS.into(), "null".into())
                .into_result()
                .ok()?;
            let pools: Vec<serde_json::Value> = serde_json::from_str(&answer).ok()?;
            let sum = |key: &str| pools.iter().filter_map(|p| p[key].as_u64()).sum::<u64>() as u32;
            (!pools.is_empty()).then(|| {
                let state = PoolState {
                    connections: sum("connections"),
                    idle: sum("idle"),
                    max: sum("max"),
                };
                (module.name(), state)
            })
        })
        .collect();
    for (metric, help, pick) in [
        (
            "openimis_db_pool_connections",
            "Database connections a module's pools hold open.",
            (|s: &PoolState| s.connections) as fn(&PoolState) -> u32,
        ),
        (
            "openimis_db_pool_idle",
            "Open database connections not in use.",
            |s: &PoolState| s.idle,
        ),
        (
            "openimis_db_pool_max",
            "The most connections a module's pools may open.",
            |s: &PoolState| s.max,
        ),
    ] {
        let _ = writeln!(out, "# HELP {metric} {help}\n# TYPE {metric} gauge");
        for (module, state) in &states {
            let _ = writeln!(
                out,
                "{metric}{{module=\"{}\"}} {}",
                escape(module),
                pick(state)
            );
        }
    }
}

fn escape(value: &str) -> String {
    value
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The class a request path counts under (bounded: unknown paths are all `other`).
pub fn class_of(runtime: &Runtime, path: &str) -> String {
    let prefix = runtime.settings.prefix();
    if path == "/ht/" {
        return "health".into();
    }
    if path == "/metrics" {
        return "metrics".into();
    }
    if let Some(rest) = path.strip_prefix(prefix.as_str()) {
        if rest == "graphql" || rest == "graphql/" {
            return "graphql".into();
        }
        if let Some((module, _)) = rest.split_once('/') {
            if runtime.modules.get(module).is_some() {
                return format!("module:{module}");
            }
        }
    }
    "other".into()
}

/// Counts and times every request (the outermost middleware, so it sees every answer).
pub async fn count(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let runtime = request.app_data::<web::Data<Runtime>>().cloned();
    let metrics = request.app_data::<web::Data<Metrics>>().cloned();
    let path = request.path().to_owned();
    let response = next.call(request).await;
    if let (Some(runtime), Some(metrics)) = (runtime, metrics) {
        let status = match &response {
            Ok(response) => response.status().as_u16(),
            Err(error) => error.as_response_error().status_code().as_u16(),
        };
        metrics.record(
            class_of(&runtime, &path),
            status,
            started.elapsed().as_secs_f64(),
        );
    }
    response
}

/// `GET /metrics`.
pub async fn metrics(runtime: web::Data<Runtime>, metrics: web::Data<Metrics>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(metrics.render(&runtime))
}
