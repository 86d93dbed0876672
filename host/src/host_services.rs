//! What the host itself answers to `Host::call("host", method, payload)`: issuing and verifying
//! tokens (so only the host holds the keys) and per-request response effects (cookies), which
//! the HTTP edge applies to the response, as the original's `jwt_cookie` view decorator does.

use crate::auth::{JwtKeys, TokenError};
use openimis_plugin_api::ModuleError;
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::Mutex;

/// Something a module asked the host to do to the HTTP response of the current request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    SetCookie {
        name: String,
        value: String,
        max_age: Option<i64>,
        http_only: bool,
    },
    DeleteCookie {
        name: String,
    },
}

/// The host's services, shared by every module's host handle and the HTTP edge.
pub struct HostServices {
    pub keys: JwtKeys,
    /// What modules may know of the host's settings (`settings.get`): mode, demo data, ...
    settings: Value,
    effects: Mutex<HashMap<String, Vec<Effect>>>,
    /// `cache.*`: the host's cache (in memory unless the runtime sets another).
    cache: std::sync::OnceLock<std::sync::Arc<crate::cache::Cache>>,
    /// `scheduler.jobs`: set once the modules run.
    scheduler: std::sync::OnceLock<std::sync::Arc<crate::scheduler::Scheduler>>,
    /// `mail.send`'s settings; without them (unit tests) mail fails with MAIL_FAILED.
    mail: Option<crate::mail::MailSettings>,
}

/// `jwt.issue` `{username, origIat?, keyFingerprint?}`: the fingerprint of the user's current
/// key (core's), which the edge compares on every request.
#[derive(Deserialize)]
struct IssueArgs {
    username: String,
    #[serde(default, rename = "origIat")]
    orig_iat: Option<u64>,
    #[serde(default, rename = "keyFingerprint")]
    key_fingerprint: Option<String>,
}

#[derive(Deserialize)]
struct TokenArgs {
    token: String,
}

#[derive(Deserialize)]
struct CookieArgs {
    request_id: String,
    name: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    max_age: Option<i64>,
    #[serde(default = "yes")]
    http_only: bool,
}

fn yes() -> bool {
    true
}

/// A token error as modules and the edge report it: status 401, the original's message.
pub fn token_error(error: TokenError) -> ModuleError {
    let code = match error {
        TokenError::Expired => "JWT_EXPIRED",
        TokenError::Invalid => "JWT_INVALID",
        TokenError::RefreshExpired => "JWT_REFRESH_EXPIRED",
    };
    ModuleError::new(code, error.to_string()).with_status(401)
}

impl HostServices {
    pub fn new(keys: JwtKeys, settings: Value) -> Self {
        Self {
            keys,
            settings,
            effects: Mutex::default(),
            cache: std::sync::OnceLock::new(),
            scheduler: std::sync::OnceLock::new(),
            mail: None,
        }
    }

    /// The same services, able to send mail.
    pub fn with_mail(mut self, mail: crate::mail::MailSettings) -> Self {
        self.mail = Some(mail);
        self
    }

    /// Makes `cache` the host's cache (the first one set stays).
    pub fn set_cache(&self, cache: std::sync::Arc<crate::cache::Cache>) {
        let _ = self.cache.set(cache);
    }

    /// The host's cache.
    pub fn cache(&self) -> &crate::cache::Cache {
        self.cache
            .get_or_init(|| std::sync::Arc::new(crate::cache::Cache::memory()))
    }

    /// Makes `scheduler.jobs` answer the jobs of `scheduler` (the first one set stays).
    pub fn set_scheduler(&self, scheduler: std::sync::Arc<crate::scheduler::Scheduler>) {
        let _ = self.scheduler.set(scheduler);
    }

    /// Answers one call; unknown methods are an error naming them.
    pub fn call(&self, method: &str, payload: Value) -> Result<Value, ModuleError> {
        let args =
            |e: serde_json::Error| ModuleError::new("BAD_PAYLOAD", format!("host.{method}: {e}"));
        match method {
            "jwt.issue" => {
                let a: IssueArgs = serde_json::from_value(payload).map_err(args)?;
                let issued = self
                    .keys
                    .issue_keyed(&a.username, a.orig_iat, a.key_fingerprint.as_deref())
                    .map_err(token_error)?;
                Ok(serde_json::to_value(issued).expect("issued tokens serialize"))
            }
            "jwt.verify" => {
                let a: TokenArgs = serde_json::from_value(payload).map_err(args)?;
                let claims = self.keys.verify(&a.token).map_err(token_error)?;
                Ok(serde_json::to_value(claims).expect("claims serialize"))
            }
            "settings.get" => Ok(self.settings.clone()),
            cache if cache.starts_with("cache.") => {
                self.cache().service(cache, payload).unwrap_or_else(|| {
                    Err(ModuleError::new(
                        "NOT_SUPPORTED",
                        format!("the host has no service {cache}"),
                    ))
                })
            }
            "scheduler.jobs" => Ok(json!(self
                .scheduler
                .get()
                .map(|s| s.jobs())
                .unwrap_or_default())),
            "mail.send" => {
                let mail: crate::mail::Mail = serde_json::from_value(payload).map_err(args)?;
                let settings = self.mail.as_ref().ok_or_else(|| {
                    ModuleError::new("MAIL_FAILED", "the host has no mail settings")
                })?;
                crate::mail::send(settings, &mail)
            }
            "response.set_cookie" => {
                let a: CookieArgs = serde_json::from_value(payload).map_err(args)?;
                self.add(
                    &a.request_id,
                    Effect::SetCookie {
                        name: a.name,
                        value: a.value,
                        max_age: a.max_age,
                        http_only: a.http_only,
                    },
                );
                Ok(json!({}))
            }
            "response.delete_cookie" => {
                let a: CookieArgs = serde_json::from_value(payload).map_err(args)?;
                self.add(&a.request_id, Effect::DeleteCookie { name: a.name });
                Ok(json!({}))
            }
            other => Err(ModuleError::new(
                "NOT_SUPPORTED",
                format!("the host has no service {other}"),
            )),
        }
    }

    fn add(&self, request_id: &str, effect: Effect) {
        if !request_id.is_empty() {
            self.effects
                .lock()
                .expect("effects lock")
                .entry(request_id.to_owned())
                .or_default()
                .push(effect);
        }
    }

    /// The effects recorded for a request (removing them).
    pub fn take_effects(&self, request_id: &str) -> Vec<Effect> {
        self.effects
            .lock()
            .expect("effects lock")
            .remove(request_id)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_verify_and_effects() {
        let services = HostServices::new(JwtKeys::hs256("s"), json!({"mode": "DEV"}));
        assert_eq!(
            services.call("settings.get", json!(null)).unwrap(),
            json!({"mode": "DEV"})
        );
        let issued = services
            .call("jwt.issue", json!({"username": "Admin"}))
            .unwrap();
        let claims = services
            .call("jwt.verify", json!({"token": issued["token"]}))
            .unwrap();
        assert_eq!(claims["username"], "Admin");
        assert_eq!(claims.get("keyFingerprint"), None, "no key, no claim");
        let keyed = services
            .call(
                "jwt.issue",
                json!({"username": "Admin", "keyFingerprint": "f1"}),
            )
            .unwrap();
        assert_eq!(keyed["payload"]["keyFingerprint"], "f1");
        let claims = services
            .call("jwt.verify", json!({"token": keyed["token"]}))
            .unwrap();
        assert_eq!(claims["keyFingerprint"], "f1");
        let err = services
            .call("jwt.verify", json!({"token": "x"}))
            .unwrap_err();
        assert_eq!(
            (err.code.as_str(), err.message.as_str(), err.status),
            ("JWT_INVALID", "Error decoding signature", 401)
        );
        services
            .call(
                "response.set_cookie",
                json!({"request_id": "r1", "name": "JWT", "value": "t", "max_age": 86400}),
            )
            .unwrap();
        services
            .call(
                "response.delete_cookie",
                json!({"request_id": "r1", "name": "JWT-refresh-token"}),
            )
            .unwrap();
        assert_eq!(
            services.take_effects("r1"),
            vec![
                Effect::SetCookie {
                    name: "JWT".into(),
                    value: "t".into(),
                    max_age: Some(86400),
                    http_only: true
                },
                Effect::DeleteCookie {
                    name: "JWT-refresh-token".into()
                },
            ]
        );
        assert!(services.take_effects("r1").is_empty());
    }
}
