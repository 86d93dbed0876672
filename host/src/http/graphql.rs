//! `/{SITE_ROOT}graphql`: POST executes (on a blocking thread, as module calls are synchronous),
//! GET serves GraphiQL in DEV and answers 400 otherwise, as the original does. `?prof` answers
//! the request's profile instead (see `profiling`).

use super::auth::{
    apply_effects, authenticate, authenticate_in_memory, is_imis_admin, Credentials,
};
use super::errors::ApiError;
use crate::graphql::GraphqlAnswer;
use crate::host_services::Effect;
use crate::mutations::fate::Fate;
use crate::profiling;
use crate::runtime::Runtime;
use crate::settings::Mode;
use actix_web::{web, HttpMessage, HttpRequest, HttpResponse};
use serde_json::json;

pub async fn post(
    runtime: web::Data<Runtime>,
    request: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let credentials = Credentials::of(&request);
    let wanted = profiling::Requested::from_query(request.query_string());
    let body = json_body(&request, body);
    // A request no module answers, from a user whose context this process holds, runs here:
    // the hop to the blocking pool would cost more than the request.
    if wanted.is_none() && runtime.engine.answers_alone(&body) {
        if let Some(outcome) = authenticate_in_memory(&runtime, &credentials) {
            let (answer, effects) = respond(&runtime, outcome, &body, None);
            return Ok(response(&runtime, answer, effects, false));
        }
    }
    let rt = runtime.clone().into_inner();
    let fate = request.extensions().get::<std::sync::Arc<Fate>>().cloned();
    let (answer, effects, profiled) = web::block(move || {
        // DEV only, unless an IMIS administrator asks (the original profiles in DEV only).
        let allowed = |_: &profiling::Requested| {
            rt.settings.mode == Mode::Dev || is_imis_admin(&rt, &credentials)
        };
        profiling::around(wanted.filter(allowed), || {
            run(&rt, &credentials, &body, fate)
        })
    })
    .await
    .map_err(|_| ApiError::internal("the GraphQL worker failed while executing this request"))?;
    let download = profiled.is_some_and(|p| p.download);
    Ok(response(&runtime, answer, effects, download))
}

/// The HTTP response of an answer: its status, the cookies modules asked for, and the profile
/// download header when one was asked.
fn response(
    runtime: &Runtime,
    answer: GraphqlAnswer,
    effects: Vec<Effect>,
    download: bool,
) -> HttpResponse {
    let status = actix_web::http::StatusCode::from_u16(answer.status)
        .unwrap_or(actix_web::http::StatusCode::OK);
    let mut response = HttpResponse::build(status);
    apply_effects(&mut response, effects, runtime.settings.mode);
    if download {
        response.insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            profiling::DOWNLOAD_DISPOSITION,
        ));
    }
    response.content_type("application/json").body(answer.body)
}

/// The request as JSON: an `application/graphql` body is the query itself (graphene-django
/// accepts it, and so does the original), anything else is the JSON request as sent.
fn json_body(request: &HttpRequest, body: web::Bytes) -> web::Bytes {
    let content_type = request
        .headers()
        .get(actix_web::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !content_type.trim_start().starts_with("application/graphql") {
        return body;
    }
    let query = String::from_utf8_lossy(&body);
    web::Bytes::from(json!({ "query": query }).to_string())
}

/// Authenticates and executes one request on the blocking thread: the answer, and the
/// response effects (cookies) modules asked for. A request already answered 503 (its `fate`
/// abandoned while it waited for a thread) is not run; while it runs, its fate is where
/// `mutations.enqueue` looks.
fn run(
    rt: &Runtime,
    credentials: &Credentials,
    body: &[u8],
    fate: Option<std::sync::Arc<Fate>>,
) -> (GraphqlAnswer, Vec<Effect>) {
    if fate.as_ref().is_some_and(|fate| fate.abandoned()) {
        let body = json!({"errors": [{"message": "abandoned", "extensions": {"code": "REQUEST_TIMEOUT"}}]});
        let answer = GraphqlAnswer {
            status: 503,
            body: body.to_string().into_bytes(),
        };
        return (answer, Vec::new());
    }
    let outcome = profiling::phase("authenticate", || authenticate(rt, credentials));
    respond(rt, outcome, body, fate)
}

/// Executes the request as the authenticated user, or answers why authentication failed.
fn respond(
    rt: &Runtime,
    outcome: Result<openimis_plugin_api::RequestContext, openimis_plugin_api::ModuleError>,
    body: &[u8],
    fate: Option<std::sync::Arc<Fate>>,
) -> (GraphqlAnswer, Vec<Effect>) {
    match outcome {
        Ok(context) => {
            let request_id = context.request_id.clone();
            let fates = rt.mutations.fates();
            let _watched = fate.map(|fate| fates.watch(&request_id, fate, rt.mutations.reaper()));
            let answer = rt.engine.execute(body, context);
            (answer, rt.services.take_effects(&request_id))
        }
        Err(error) => {
            let body = json!({"errors": [{"message": error.message.as_str(), "extensions": {"code": error.code.as_str()}}]});
            (
                GraphqlAnswer {
                    status: 401,
                    body: body.to_string().into_bytes(),
                },
                Vec::new(),
            )
        }
    }
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
