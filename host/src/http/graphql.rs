//! `/{SITE_ROOT}graphql`: POST executes (on a blocking thread, as module calls are synchronous),
//! GET serves GraphiQL in DEV and answers 400 otherwise, as the original does.

use super::errors::ApiError;
use crate::runtime::Runtime;
use crate::settings::Mode;
use actix_web::{http::header, web, HttpRequest, HttpResponse};
use openimis_plugin_api::RequestContext;
use serde_json::json;

/// The request context modules receive: user (none until auth lands), language, rights.
pub fn request_context(request: &HttpRequest) -> RequestContext {
    let language = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split([',', ';', '-']).next())
        .map(|l| l.trim().to_ascii_lowercase())
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| "en".to_owned());
    RequestContext {
        user: serde_json::Value::Null,
        language,
        rights: Vec::new(),
    }
}

pub async fn post(
    runtime: web::Data<Runtime>,
    request: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let context = request_context(&request);
    let engine = runtime.engine.clone();
    let answer = web::block(move || engine.execute(&body, context))
        .await
        .map_err(|_| {
            ApiError::internal("the GraphQL worker failed while executing this request")
        })?;
    let status = actix_web::http::StatusCode::from_u16(answer.status)
        .unwrap_or(actix_web::http::StatusCode::OK);
    Ok(HttpResponse::build(status)
        .content_type("application/json")
        .body(answer.body))
}

pub async fn get(runtime: web::Data<Runtime>) -> HttpResponse {
    if runtime.settings.mode == Mode::Dev {
        let endpoint = format!("{}graphql", runtime.settings.prefix());
        HttpResponse::Ok()
            .content_type("text/html; charset=utf-8")
            .body(juniper::http::graphiql::graphiql_source(&endpoint, None))
    } else {
        HttpResponse::BadRequest()
            .json(json!({"errors": [{"message": "Must provide query string."}]}))
    }
}
