//! `/{SITE_ROOT}graphql`: POST executes (on a blocking thread, as module calls are synchronous),
//! GET serves GraphiQL in DEV and answers 400 otherwise, as the original does.

use super::auth::{apply_effects, authenticate, Credentials};
use super::errors::ApiError;
use crate::graphql::GraphqlAnswer;
use crate::runtime::Runtime;
use crate::settings::Mode;
use actix_web::{web, HttpRequest, HttpResponse};
use serde_json::json;

pub async fn post(
    runtime: web::Data<Runtime>,
    request: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let credentials = Credentials::of(&request);
    let rt = runtime.clone().into_inner();
    let (answer, effects) = web::block(move || match authenticate(&rt, &credentials) {
        Ok(context) => {
            let request_id = context.request_id.clone();
            let answer = rt.engine.execute(&body, context);
            (answer, rt.services.take_effects(&request_id))
        }
        Err(error) => {
            let body = json!({"errors": [{"message": error.message.as_str(), "extensions": {"code": error.code.as_str()}}]});
            (GraphqlAnswer { status: 401, body: body.to_string().into_bytes() }, Vec::new())
        }
    })
    .await
    .map_err(|_| ApiError::internal("the GraphQL worker failed while executing this request"))?;
    let status = actix_web::http::StatusCode::from_u16(answer.status)
        .unwrap_or(actix_web::http::StatusCode::OK);
    let mut response = HttpResponse::build(status);
    apply_effects(&mut response, effects, runtime.settings.mode);
    Ok(response.content_type("application/json").body(answer.body))
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
