//! What a load balancer asks of a host: `/ht/live` (the process serves) and `/ht/ready` (it
//! takes traffic: not draining, its database answers), and the drain itself: once a host
//! drains (SIGTERM, or a reload handed its socket to a newer generation) every response it
//! still gives carries `Connection: close`, so keep-alive clients reconnect, to the newer
//! generation, after their current request instead of losing one mid-flight.

use crate::runtime::Runtime;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::ConnectionType;
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};
use serde_json::json;
use std::sync::atomic::{AtomicBool, Ordering};

/// This server's generation (1 for the first, one more per reload) and whether it drains.
#[derive(Debug)]
pub struct Lifecycle {
    generation: u64,
    draining: AtomicBool,
}

impl Default for Lifecycle {
    fn default() -> Self {
        Self::new(1)
    }
}

impl Lifecycle {
    pub fn new(generation: u64) -> Self {
        Self {
            generation,
            draining: AtomicBool::new(false),
        }
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// From now on this host takes no new traffic: readiness says so and connections close
    /// after their current response.
    pub fn drain(&self) {
        self.draining.store(true, Ordering::Release);
    }

    pub fn draining(&self) -> bool {
        self.draining.load(Ordering::Acquire)
    }
}

/// `GET /ht/live`: 200 while the process serves, with its pid and generation.
pub async fn live(lifecycle: web::Data<Lifecycle>) -> HttpResponse {
    HttpResponse::Ok().json(json!({
        "status": "alive",
        "pid": std::process::id(),
        "generation": lifecycle.generation(),
    }))
}

/// `GET /ht/ready`: 200 when this host takes traffic; 503 with the reason while it drains or
/// its database does not answer.
pub async fn ready(lifecycle: web::Data<Lifecycle>, runtime: web::Data<Runtime>) -> HttpResponse {
    let not_ready = |reason: String| {
        HttpResponse::ServiceUnavailable()
            .json(json!({"ready": false, "reason": reason, "generation": lifecycle.generation()}))
    };
    if lifecycle.draining() {
        return not_ready("draining".into());
    }
    let db = runtime.db.clone();
    match web::block(move || db.ping()).await {
        Ok(Ok(())) => {
            HttpResponse::Ok().json(json!({"ready": true, "generation": lifecycle.generation()}))
        }
        Ok(Err(e)) => not_ready(format!("database unreachable: {}", e.0)),
        Err(_) => not_ready("the readiness check could not run".into()),
    }
}

/// While draining, every response closes its connection.
pub async fn close_while_draining(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let lifecycle = request.app_data::<web::Data<Lifecycle>>().cloned();
    let mut response = next.call(request).await?;
    if lifecycle.is_some_and(|lifecycle| lifecycle.draining()) {
        response
            .response_mut()
            .head_mut()
            .set_connection_type(ConnectionType::Close);
    }
    Ok(response)
}
