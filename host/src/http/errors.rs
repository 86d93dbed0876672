//! Errors at the HTTP edge: values with stable codes, rendered as JSON by `ResponseError`.

use actix_web::{http::StatusCode, HttpResponse, ResponseError};
use serde_json::json;

/// An error answered to an HTTP client: `{"detail": message, "code": code}` (DRF's shape).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{code}: {message}")]
pub struct ApiError {
    pub status: StatusCode,
    pub code: String,
    pub message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        Self {
            status,
            code: code.to_owned(),
            message: message.into(),
        }
    }

    /// A failure of the host itself while handling a request (a panicked worker thread).
    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "INTERNAL", message)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        HttpResponse::build(self.status).json(json!({"detail": self.message, "code": self.code}))
    }
}

pub async fn not_found() -> HttpResponse {
    ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", "Not found.").error_response()
}
