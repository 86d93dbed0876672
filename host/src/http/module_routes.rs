//! `/{SITE_ROOT}<module>/...`: a module's own HTTP routes. Errors raised there go to that
//! module's exception handler first, then to the host's JSON default (the original's
//! ExceptionHandlerRegistry). A response naming a file to send (`send_file.rs`) is answered
//! with that file, streamed.

use super::auth::{apply_effects, authenticate, Credentials};
use super::errors::ApiError;
use super::send_file;
use crate::runtime::Runtime;
use abi_stable::std_types::{RString, Tuple2};
use actix_web::{http::StatusCode, web, HttpRequest, HttpResponse};
use openimis_plugin_api::{HttpResponse as ModuleResponse, ModuleError};

pub async fn dispatch(
    runtime: web::Data<Runtime>,
    request: HttpRequest,
    path: web::Path<(String, String)>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let (name, tail) = path.into_inner();
    let module = runtime
        .modules
        .get(&name)
        .cloned()
        .ok_or_else(|| ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", "Not found."))?;
    let credentials = Credentials::of(&request);
    let mut module_request = openimis_plugin_api::HttpRequest {
        method: request.method().as_str().into(),
        path: tail.into(),
        query: request.query_string().into(),
        headers: request
            .headers()
            .iter()
            .filter_map(|(k, v)| {
                Some(Tuple2(
                    RString::from(k.as_str()),
                    RString::from(v.to_str().ok()?),
                ))
            })
            .collect(),
        body: body.to_vec().into(),
        context: RString::new(),
    };
    let rt = runtime.clone().into_inner();
    let (answer, effects) = web::block(move || {
        let context = match authenticate(&rt, &credentials) {
            Ok(context) => context,
            Err(error) => return (Err(error), Vec::new()),
        };
        module_request.context = serde_json::to_string(&context)
            .expect("context serializes")
            .into();
        let answer = match module.http(module_request) {
            Ok(response) => Ok(response),
            Err(e) => module.handle_exception(&e.error).ok_or(*e.error),
        };
        (answer, rt.services.take_effects(&context.request_id))
    })
    .await
    .map_err(|_| ApiError::internal("the module worker failed while handling this request"))?;
    match answer {
        Ok(response) => {
            let sent = response
                .headers
                .iter()
                .find(|Tuple2(k, _)| k.as_str().eq_ignore_ascii_case(send_file::HEADER))
                .map(|Tuple2(_, v)| v.to_string());
            let mut built = match sent {
                Some(relative) => {
                    let headers = response
                        .headers
                        .iter()
                        .map(|Tuple2(k, v)| (k.to_string(), v.to_string()))
                        .collect();
                    let root = &runtime.settings.exports_root;
                    send_file::send(root, &relative, headers, &request).await?
                }
                None => to_actix(response),
            };
            if !effects.is_empty() {
                let mut builder = HttpResponse::build(built.status());
                for (k, v) in built.headers() {
                    builder.insert_header((k.clone(), v.clone()));
                }
                apply_effects(&mut builder, effects, runtime.settings.mode);
                built = builder.body(built.into_body());
            }
            Ok(built)
        }
        Err(error) => Err(default_error(error)),
    }
}

fn to_actix(response: ModuleResponse) -> HttpResponse {
    let status = StatusCode::from_u16(response.status).unwrap_or(StatusCode::OK);
    let mut builder = HttpResponse::build(status);
    for Tuple2(k, v) in response.headers.iter() {
        builder.insert_header((k.as_str(), v.as_str()));
    }
    builder.body(response.body.into_vec())
}

fn default_error(error: ModuleError) -> ApiError {
    let status = match error.status {
        0 if error.code.as_str() == "NOT_FOUND" => StatusCode::NOT_FOUND,
        0 => StatusCode::INTERNAL_SERVER_ERROR,
        s => StatusCode::from_u16(s).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
    };
    ApiError::new(status, error.code.as_str(), error.message.as_str())
}
