//! Who is asking: the JWT from `Authorization: Bearer` or the `JWT` cookie, verified by the
//! host; the user's context (user JSON, rights, language) from core's `auth.context` service
//! when core runs. A token issued under an older key of its user (a password set since: the
//! original's per-user `PrivateKey`) is refused as an invalid one. Runs on the blocking pool
//! (it may call a module).

use crate::auth::{Claims, TokenError};
use crate::cache::user_context::{cached, user_context};
use crate::host_services::{token_error, Effect};
use crate::modules::RunningModule;
use crate::runtime::Runtime;
use crate::settings::Mode;
use actix_web::cookie::{time::Duration, Cookie, SameSite};
use actix_web::{http::header, HttpRequest, HttpResponseBuilder};
use openimis_plugin_api::{ModuleError, RequestContext};
use openimis_sdk::cache::USER_CONTEXT_PREFIX;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

static REQUEST_IDS: AtomicU64 = AtomicU64::new(1);

/// What authentication needs from the HTTP request, taken on the actix thread.
#[derive(Debug, Clone)]
pub struct Credentials {
    token: Option<String>,
    language: String,
}

impl Credentials {
    pub fn of(request: &HttpRequest) -> Self {
        let bearer = request
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| t.trim().to_owned());
        let token = bearer
            .or_else(|| request.cookie("JWT").map(|c| c.value().to_owned()))
            .filter(|t| !t.is_empty());
        let language = request
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split([',', ';', '-']).next())
            .map(|l| l.trim().to_ascii_lowercase())
            .filter(|l| !l.is_empty())
            .unwrap_or_else(|| "en".to_owned());
        Self { token, language }
    }
}

/// The request context, or the 401 error a bad token earns (the original's messages).
pub fn authenticate(
    runtime: &Runtime,
    credentials: &Credentials,
) -> Result<RequestContext, ModuleError> {
    authenticate_with(
        runtime,
        credentials,
        &mut |claims| match runtime.modules.get("core") {
            Some(core) => current_user_context(runtime, core, claims).map(Some),
            None => Ok(None),
        },
    )
}

/// [`authenticate`] when it needs nothing but this process's memory (no token, or the user's
/// context cached in the memory cache under the token's key); `None` when core would have to
/// be asked or a cache server read, which only the blocking pool may do.
pub fn authenticate_in_memory(
    runtime: &Runtime,
    credentials: &Credentials,
) -> Option<Result<RequestContext, ModuleError>> {
    let cache = runtime.services.cache();
    if credentials.token.is_some() && cache.backend() != "memory" {
        return None;
    }
    let mut missed = false;
    let outcome = authenticate_with(runtime, credentials, &mut |claims| {
        if runtime.modules.get("core").is_none() {
            return Ok(None);
        }
        match cached(cache, &claims.username) {
            Some(answer) if issued_under_current_key(claims, &answer) => Ok(Some(answer)),
            _ => {
                missed = true;
                Ok(None)
            }
        }
    });
    (!missed).then_some(outcome)
}

/// Where a user's context comes from: core's answer for the token's claims, `None` without core.
type UserContextOf<'a> = dyn FnMut(&Claims) -> Result<Option<Arc<Value>>, ModuleError> + 'a;

/// The request context, the user's context coming from `user_context` (core's answer, or
/// `None` without core).
fn authenticate_with(
    runtime: &Runtime,
    credentials: &Credentials,
    user_context: &mut UserContextOf<'_>,
) -> Result<RequestContext, ModuleError> {
    let mut context = RequestContext {
        user: Value::Null,
        language: credentials.language.clone(),
        rights: Vec::new(),
        auth: Value::Null,
        request_id: REQUEST_IDS.fetch_add(1, Ordering::Relaxed).to_string(),
        ..RequestContext::default()
    };
    let Some(token) = &credentials.token else {
        return Ok(context);
    };
    let claims = runtime.services.keys.verify(token).map_err(token_error)?;
    context.user = json!({"username": claims.username});
    context.auth = serde_json::to_value(&claims).unwrap_or(Value::Null);
    if let Some(answer) = user_context(&claims)? {
        if let Some(user) = answer.get("user") {
            context.user = user.clone();
        }
        // An IMIS administrator holds every right the running modules declare (the original's
        // union of all `*_perms` defaults), so installing a module changes what admins hold.
        if answer.get("is_imis_admin").and_then(Value::as_bool) == Some(true) {
            context.is_imis_admin = true;
            context.rights = runtime.modules.declared_rights().to_vec();
        } else if let Some(rights) = answer.get("rights").and_then(Value::as_array) {
            context.rights = rights
                .iter()
                .filter_map(Value::as_u64)
                .map(|r| r as u32)
                .collect();
        }
        if let Some(language) = answer.get("language").and_then(Value::as_str) {
            context.language = language.to_owned();
        }
    }
    Ok(context)
}

/// Whether the request's token belongs to an IMIS administrator (who may profile in PROD).
pub fn is_imis_admin(runtime: &Runtime, credentials: &Credentials) -> bool {
    let (Some(token), Some(core)) = (&credentials.token, runtime.modules.get("core")) else {
        return false;
    };
    runtime.services.keys.verify(token).is_ok_and(|claims| {
        current_user_context(runtime, core, &claims)
            .is_ok_and(|answer| answer["is_imis_admin"] == true)
    })
}

/// Whether `claims` were issued under the user's current key: the token's `keyFingerprint`
/// is core's `token_key` for the user (both absent for a user without a key).
fn issued_under_current_key(claims: &Claims, context: &Value) -> bool {
    claims.key_fingerprint.as_deref() == context.get("token_key").and_then(Value::as_str)
}

/// Core's context of the token's user, or the invalid-token error when the token was issued
/// under an older key of that user. A cached context that disagrees with the token is asked
/// of core again once, so a token issued just after a password set works at once even if a
/// stale context was cached; core forgets cached contexts after every password set, so an
/// older token is refused at once by this process (and by every process sharing a cache
/// server), and by the others within `USER_CONTEXT_TTL` seconds, when their cached context
/// expires.
fn current_user_context(
    runtime: &Runtime,
    core: &RunningModule,
    claims: &Claims,
) -> Result<Arc<Value>, ModuleError> {
    let cache = runtime.services.cache();
    let answer = user_context(cache, core, &claims.username)?;
    if issued_under_current_key(claims, &answer) {
        return Ok(answer);
    }
    cache.delete(&format!("{USER_CONTEXT_PREFIX}{}", claims.username));
    let fresh = user_context(cache, core, &claims.username)?;
    if issued_under_current_key(claims, &fresh) {
        Ok(fresh)
    } else {
        Err(token_error(TokenError::Invalid))
    }
}

/// Applies the cookies modules asked for (HttpOnly as asked; Secure and SameSite=Lax in PROD).
pub fn apply_effects(builder: &mut HttpResponseBuilder, effects: Vec<Effect>, mode: Mode) {
    for effect in effects {
        let cookie = match effect {
            Effect::SetCookie {
                name,
                value,
                max_age,
                http_only,
            } => {
                let mut cookie = Cookie::build(name, value).path("/").http_only(http_only);
                if let Some(age) = max_age {
                    cookie = cookie.max_age(Duration::seconds(age));
                }
                if mode == Mode::Prod {
                    cookie = cookie.secure(true).same_site(SameSite::Lax);
                }
                cookie.finish()
            }
            Effect::DeleteCookie { name } => {
                let mut cookie = Cookie::build(name, "").path("/").finish();
                cookie.make_removal();
                cookie
            }
        };
        builder.cookie(cookie);
    }
}
