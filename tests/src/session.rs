//! A browser-like cookie session against the in-process server: each request carries the
//! cookies the previous answers set (`tokenAuth` sets the JWT and refresh cookies) and drops
//! the ones they delete, as the real frontend's browser does.

use crate::TestApp;
use actix_web::test as web;
use serde_json::Value;
use std::collections::BTreeMap;

/// POSTs `body` to `/api/graphql` with the session's cookies and keeps the cookies the answer
/// sets or deletes.
pub async fn send<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    body: &Value,
    cookies: &mut BTreeMap<String, String>,
) -> (u16, Value) {
    let mut request = web::TestRequest::post().uri("/api/graphql").set_json(body);
    for (name, value) in cookies.iter() {
        request = request.cookie(actix_web::cookie::Cookie::new(name.clone(), value.clone()));
    }
    let response = web::call_service(app, request.to_request()).await;
    for header in response.headers().get_all("set-cookie") {
        let Ok(cookie) =
            actix_web::cookie::Cookie::parse(header.to_str().unwrap_or_default().to_owned())
        else {
            continue;
        };
        if cookie.value().is_empty() || cookie.max_age().is_some_and(|a| a.is_zero()) {
            cookies.remove(cookie.name());
        } else {
            cookies.insert(cookie.name().to_owned(), cookie.value().to_owned());
        }
    }
    crate::json_of(response).await
}
