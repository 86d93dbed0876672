//! The host's mail service (`mail.send`) as modules reach it: SMTP to a local listener, the
//! server's refusal as MAIL_FAILED, DEV's console backend, and a bad EMAIL_PORT refusing startup.

use openimis_host::runtime::Runtime;
use openimis_system_tests::smtp::SmtpServer;
use openimis_system_tests::*;
use serde_json::json;
use std::process::Command;

fn runtime_with(vars: &[(&str, &str)]) -> (ModulesDir, Runtime) {
    let dir = ModulesDir::with(&["fx_base"]);
    let conf = modules_json(&[json!({"name": "base", "library": "fx_base"})]);
    let runtime = start(settings(&conf, &dir, vars)).expect("base starts");
    (dir, runtime)
}

fn a_mail() -> serde_json::Value {
    json!({"to": ["clerk@example.org", "boss@example.org"], "subject": "[OpenIMIS] Hello", "body": "Hello,\n\nA line.\n"})
}

#[test]
fn mail_goes_to_the_smtp_server_named_by_the_email_settings() {
    let server = SmtpServer::start();
    let port = server.port.to_string();
    let (_dir, runtime) = runtime_with(&[
        ("EMAIL_HOST", "127.0.0.1"),
        ("EMAIL_PORT", &port),
        ("EMAIL_HOST_USER", "imis@example.org"),
    ]);
    let answer = runtime.services.call("mail.send", a_mail()).unwrap();
    assert_eq!(answer, json!({"sent": 2, "backend": "smtp"}));
    let mail = server.next_mail();
    assert_eq!(mail.from, "imis@example.org");
    assert_eq!(mail.to, ["clerk@example.org", "boss@example.org"]);
    assert!(
        mail.data.contains("Subject: [OpenIMIS] Hello\r\n"),
        "{}",
        mail.data
    );
    assert!(
        mail.data.contains("From: imis@example.org\r\n"),
        "{}",
        mail.data
    );
    assert_eq!(mail.body(), "Hello,\r\n\r\nA line.\r\n");
}

#[test]
fn a_refusing_server_gives_mail_failed_with_its_own_message() {
    let server = SmtpServer::answering_rcpt("550 5.1.1 mailbox unavailable");
    let port = server.port.to_string();
    let (_dir, runtime) = runtime_with(&[("EMAIL_HOST", "127.0.0.1"), ("EMAIL_PORT", &port)]);
    let error = runtime.services.call("mail.send", a_mail()).unwrap_err();
    assert_eq!(error.code.as_str(), "MAIL_FAILED");
    assert!(
        error.message.contains("5.1.1 mailbox unavailable"),
        "{}",
        error.message
    );
    assert!(server.try_mail().is_none());
}

#[test]
fn in_dev_without_an_email_host_mail_is_logged_not_sent() {
    let server = SmtpServer::start();
    let port = server.port.to_string();
    // The port points at the listener, so a sent mail would be seen there.
    let (_dir, runtime) = runtime_with(&[("MODE", "DEV"), ("EMAIL_PORT", &port)]);
    let answer = runtime.services.call("mail.send", a_mail()).unwrap();
    assert_eq!(answer, json!({"sent": 2, "backend": "console"}));
    assert!(server.try_mail().is_none(), "DEV mail must not be sent");
}

#[test]
fn a_bad_email_port_stops_startup_naming_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(openimis_binary())
        .arg("check")
        .current_dir(dir.path())
        .env_clear()
        .env("MODE", "DEV")
        .env("NO_DATABASE", "True")
        .env("OPENIMIS_CONF_JSON", r#"{"modules": []}"#)
        .env("EMAIL_PORT", "smtp")
        .output()
        .expect("openimis runs");
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "error [CONFIG_INVALID] setting EMAIL_PORT=\"smtp\" is invalid: expected a whole number"
    );
}
