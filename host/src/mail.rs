//! Outgoing mail, the host service `mail.send` `{to: [..], subject, body, from?}`: SMTP through
//! lettre from the original's `EMAIL_*` settings, or the log (the original's console backend).
//!
//! Which one: SMTP, except in `MODE=DEV` without an explicit `EMAIL_HOST`, where the message is
//! written to the log (target `openimis::mail`, level INFO) and nothing is sent. The original's
//! settings.py picks the console backend in DEBUG but then sets the SMTP backend unconditionally
//! a few hundred lines later; issue 5 asks for console output in DEV, and an operator who sets
//! `EMAIL_HOST` in DEV clearly wants mail delivered.

use crate::settings::env::{Env, Mode, SettingError};
use lettre::message::{header::ContentType, Mailbox};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{Message, SmtpTransport, Transport};
use openimis_plugin_api::ModuleError;
use serde::Deserialize;
use serde_json::{json, Value};
use std::time::Duration;

/// The sender when `EMAIL_HOST_USER` is not an address: Django's `DEFAULT_FROM_EMAIL` default.
pub const DEFAULT_FROM: &str = "webmaster@localhost";

/// How long one SMTP conversation step may take before `MAIL_FAILED`.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// Where mail goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailBackend {
    /// Written to the log, never sent.
    Console,
    Smtp,
}

/// How the SMTP connection is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailSecurity {
    /// Plain SMTP (both flags False, the original's default).
    None,
    /// `EMAIL_USE_TLS=True`: STARTTLS after connecting.
    StartTls,
    /// `EMAIL_USE_SSL=True`: TLS from the first byte (SMTPS).
    Ssl,
}

/// The `EMAIL_*` settings, with the original's defaults (`localhost:1025`, no login, no TLS).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailSettings {
    pub backend: MailBackend,
    pub host: String,
    pub port: u16,
    pub user: String,
    pub password: String,
    pub security: MailSecurity,
    /// `EMAIL_HOST_USER` when it is an address (the original's reset mail sends from it), else
    /// [`DEFAULT_FROM`].
    pub from: String,
}

impl MailSettings {
    pub fn from_env(env: &Env<'_>, mode: Mode) -> Result<Self, SettingError> {
        let use_tls = env.flag("EMAIL_USE_TLS", false)?;
        let use_ssl = env.flag("EMAIL_USE_SSL", false)?;
        if use_tls && use_ssl {
            return Err(SettingError {
                name: "EMAIL_USE_SSL".into(),
                value: "True".into(),
                reason: "EMAIL_USE_TLS and EMAIL_USE_SSL are mutually exclusive".into(),
            });
        }
        let user = env.string("EMAIL_HOST_USER", "");
        let explicit_host = env.get("EMAIL_HOST");
        Ok(Self {
            backend: match (mode, &explicit_host) {
                (Mode::Dev, None) => MailBackend::Console,
                _ => MailBackend::Smtp,
            },
            host: explicit_host.unwrap_or_else(|| "localhost".into()),
            port: env.number("EMAIL_PORT", 1025)?,
            from: if user.parse::<Mailbox>().is_ok() {
                user.clone()
            } else {
                DEFAULT_FROM.into()
            },
            user,
            password: env.string("EMAIL_HOST_PASSWORD", ""),
            security: match (use_tls, use_ssl) {
                (true, _) => MailSecurity::StartTls,
                (_, true) => MailSecurity::Ssl,
                _ => MailSecurity::None,
            },
        })
    }
}

/// One message, as modules ask for it.
#[derive(Debug, Deserialize)]
pub struct Mail {
    pub to: Vec<String>,
    pub subject: String,
    pub body: String,
    #[serde(default)]
    pub from: Option<String>,
}

fn failed(message: impl Into<String>) -> ModuleError {
    ModuleError::new("MAIL_FAILED", message)
}

fn mailbox(address: &str) -> Result<Mailbox, ModuleError> {
    address
        .parse()
        .map_err(|e| failed(format!("invalid address {address:?}: {e}")))
}

/// Builds the plain-text message.
fn message(settings: &MailSettings, mail: &Mail) -> Result<Message, ModuleError> {
    if mail.to.is_empty() {
        return Err(failed("no recipient"));
    }
    let mut builder = Message::builder()
        .from(mailbox(mail.from.as_deref().unwrap_or(&settings.from))?)
        .subject(mail.subject.as_str())
        .header(ContentType::TEXT_PLAIN);
    for to in &mail.to {
        builder = builder.to(mailbox(to)?);
    }
    builder
        .body(mail.body.clone())
        .map_err(|e| failed(e.to_string()))
}

fn transport(settings: &MailSettings) -> Result<SmtpTransport, ModuleError> {
    let builder = match settings.security {
        MailSecurity::None => SmtpTransport::builder_dangerous(&settings.host),
        MailSecurity::StartTls => {
            SmtpTransport::starttls_relay(&settings.host).map_err(|e| failed(e.to_string()))?
        }
        MailSecurity::Ssl => {
            SmtpTransport::relay(&settings.host).map_err(|e| failed(e.to_string()))?
        }
    };
    let mut builder = builder.port(settings.port).timeout(Some(SMTP_TIMEOUT));
    // Django logs in only when both are set.
    if !settings.user.is_empty() && !settings.password.is_empty() {
        builder = builder.credentials(Credentials::new(
            settings.user.clone(),
            settings.password.clone(),
        ));
    }
    Ok(builder.build())
}

/// Sends (or logs) one message; answers `{sent, backend}`. SMTP failures are `MAIL_FAILED`
/// with the server's own message.
pub fn send(settings: &MailSettings, mail: &Mail) -> Result<Value, ModuleError> {
    let message = message(settings, mail)?;
    match settings.backend {
        MailBackend::Console => {
            log::info!(
                target: "openimis::mail",
                "{}",
                String::from_utf8_lossy(&message.formatted())
            );
            Ok(json!({"sent": mail.to.len(), "backend": "console"}))
        }
        MailBackend::Smtp => {
            transport(settings)?
                .send(&message)
                .map_err(|e| failed(e.to_string()))?;
            Ok(json!({"sent": mail.to.len(), "backend": "smtp"}))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn mail_settings(mode: Mode, vars: &[(&str, &str)]) -> Result<MailSettings, SettingError> {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        MailSettings::from_env(&Env::new(&move |n| map.get(n).cloned()), mode)
    }

    #[test]
    fn defaults_are_the_originals_and_dev_logs_unless_a_host_is_given() {
        let prod = mail_settings(Mode::Prod, &[]).unwrap();
        assert_eq!(
            (prod.backend, prod.host.as_str(), prod.port, prod.security),
            (MailBackend::Smtp, "localhost", 1025, MailSecurity::None)
        );
        assert_eq!(prod.from, DEFAULT_FROM);
        assert_eq!(
            mail_settings(Mode::Dev, &[]).unwrap().backend,
            MailBackend::Console
        );
        let dev = mail_settings(Mode::Dev, &[("EMAIL_HOST", "smtp.example.org")]).unwrap();
        assert_eq!(dev.backend, MailBackend::Smtp);
    }

    #[test]
    fn the_sender_is_the_host_user_when_it_is_an_address() {
        let s = mail_settings(Mode::Prod, &[("EMAIL_HOST_USER", "imis@example.org")]).unwrap();
        assert_eq!(s.from, "imis@example.org");
        let s = mail_settings(Mode::Prod, &[("EMAIL_HOST_USER", "apikey")]).unwrap();
        assert_eq!((s.from.as_str(), s.user.as_str()), (DEFAULT_FROM, "apikey"));
    }

    #[test]
    fn bad_values_name_the_variable() {
        for (vars, name) in [
            (vec![("EMAIL_PORT", "smtp")], "EMAIL_PORT"),
            (vec![("EMAIL_PORT", "70000")], "EMAIL_PORT"),
            (vec![("EMAIL_USE_TLS", "sometimes")], "EMAIL_USE_TLS"),
            (
                vec![("EMAIL_USE_TLS", "True"), ("EMAIL_USE_SSL", "True")],
                "EMAIL_USE_SSL",
            ),
        ] {
            assert_eq!(mail_settings(Mode::Prod, &vars).unwrap_err().name, name);
        }
    }

    #[test]
    fn console_mail_is_logged_not_sent_and_bad_addresses_fail() {
        let settings = mail_settings(Mode::Dev, &[]).unwrap();
        let mail = Mail {
            to: vec!["a@example.org".into()],
            subject: "Hi".into(),
            body: "Body".into(),
            from: None,
        };
        assert_eq!(
            send(&settings, &mail).unwrap(),
            json!({"sent": 1, "backend": "console"})
        );
        let bad = Mail {
            to: vec!["not an address".into()],
            ..mail
        };
        assert_eq!(send(&settings, &bad).unwrap_err().code, "MAIL_FAILED");
    }
}
