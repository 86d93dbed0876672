//! `GET /{SITE_ROOT}translations/`: every running module's messages in the user's language
//! (from core's auth context; anonymous users get `Accept-Language`, else English), English
//! filling the keys that language lacks. `Content-Language` names the language served.

use super::auth::{authenticate, Credentials};
use super::errors::ApiError;
use crate::runtime::Runtime;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};

pub async fn get(
    runtime: web::Data<Runtime>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let credentials = Credentials::of(&request);
    let rt = runtime.clone().into_inner();
    let context = web::block(move || authenticate(&rt, &credentials))
        .await
        .map_err(|_| ApiError::internal("the worker failed while authenticating this request"))?
        .map_err(|e| {
            let status =
                StatusCode::from_u16(e.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            ApiError::new(status, e.code.as_str(), e.message.as_str())
        })?;
    let catalogue = crate::translations::catalogue(&runtime.modules, &context.language);
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_LANGUAGE, context.language))
        .json(catalogue))
}
