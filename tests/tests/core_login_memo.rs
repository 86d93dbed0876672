//! `tokenAuth` with the memo of verified passwords (core's `verified_memo`), through GraphQL:
//! a right argon2id password logs in a second time from the memo, a wrong one always runs
//! argon2id (and counts toward the PROD lockout, which runs before any verification), and a
//! changed password's old value stops working at once. Which path ran is read from core's DEBUG
//! log lines, captured by a logger this test installs.

use actix_web::test as web_test;
use openimis_plugin_api::log;
use openimis_system_tests::*;
use serde_json::{json, Value};
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

const LOGIN: &str =
    "mutation ($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token } }";
const CHANGE: &str = "mutation ($input: ChangePasswordMutationInput!) { changePassword(input: $input) { clientMutationId } }";

/// core's DEBUG lines about argon2id, in the order logged.
static LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());
/// The capture is process-wide: the tests of this file take turns.
static SERIAL: Mutex<()> = Mutex::new(());

struct Capture;

impl log::Log for Capture {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        metadata.target() == "module::core"
    }

    fn log(&self, record: &log::Record<'_>) {
        let line = record.args().to_string();
        if self.enabled(record.metadata()) && line.contains("argon2id") {
            LINES
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push(line);
        }
    }

    fn flush(&self) {}
}

/// Which verifications ran since the last call.
#[derive(Debug, Default, PartialEq, Eq)]
struct Ran {
    from_memo: usize,
    argon2id_verified: usize,
    argon2id_refused: usize,
}

fn ran() -> Ran {
    let lines = std::mem::take(&mut *LINES.lock().unwrap_or_else(PoisonError::into_inner));
    let count = |text: &str| lines.iter().filter(|l| l.contains(text)).count();
    Ran {
        from_memo: count("verified from the memo (argon2id skipped)"),
        argon2id_verified: count("argon2id verification ran: verified"),
        argon2id_refused: count("argon2id verification ran: refused"),
    }
}

fn ran_exactly(from_memo: usize, argon2id_verified: usize, argon2id_refused: usize) -> Ran {
    Ran {
        from_memo,
        argon2id_verified,
        argon2id_refused,
    }
}

/// Runs `scenario` alone, with the capture installed and emptied.
fn serially(scenario: impl std::future::Future<Output = ()>) {
    let _turn = SERIAL.lock().unwrap_or_else(PoisonError::into_inner);
    static INSTALLED: std::sync::Once = std::sync::Once::new();
    INSTALLED.call_once(|| {
        log::set_boxed_logger(Box::new(Capture)).expect("no other logger in this test binary");
        log::set_max_level(log::LevelFilter::Debug);
    });
    ran();
    actix_rt::System::new().block_on(scenario);
}

fn start_core(vars: &[(&str, &str)]) -> (ModulesDir, openimis_host::runtime::Runtime) {
    let dir = ModulesDir::with(&["core"]);
    let mut all = vec![("DEMO_DATASET", "True")];
    all.extend_from_slice(vars);
    let runtime = start(settings(
        &modules_json(&[json!({"name": "core"})]),
        &dir,
        &all,
    ))
    .expect("core starts with the demo data");
    (dir, runtime)
}

async fn call<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    query: &str,
    variables: Value,
    token: Option<&str>,
) -> Value {
    let request = match token {
        Some(token) => graphql_as(query, variables, token),
        None => graphql_request(query, variables),
    };
    json_of(web_test::call_service(app, request).await).await.1
}

/// The login error, or `None` when `tokenAuth` gave a token.
async fn login_error<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    username: &str,
    password: &str,
) -> Option<String> {
    let body = call(app, LOGIN, json!({"u": username, "p": password}), None).await;
    match body["data"]["tokenAuth"]["token"].as_str() {
        Some(_) => None,
        None => Some(body["errors"][0]["message"].as_str().unwrap_or("?").into()),
    }
}

/// Admin changes their own password (the mutation log answers at once; PROD runs it queued).
async fn change_own_password<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    old: &str,
    new: &str,
) {
    let input = json!({"clientMutationId": "memo", "oldPassword": old, "newPassword": new});
    let body = call(app, CHANGE, json!({ "input": input }), Some(token)).await;
    assert_eq!(
        body["data"]["changePassword"]["clientMutationId"], "memo",
        "{body}"
    );
}

#[test]
fn a_right_password_logs_in_a_second_time_from_the_memo() {
    serially(async {
        let (_dir, runtime) = start_core(&[]);
        let (_rt, app) = service(runtime).await;
        let admin = login(&app, "Admin", "admin123").await;
        assert_eq!(
            ran(),
            Ran::default(),
            "the demo's legacy hash needs no argon2id"
        );
        change_own_password(&app, &admin, "admin123", "Admin-Memo1").await;

        assert_eq!(login_error(&app, "Admin", "Admin-Memo1").await, None);
        assert_eq!(ran(), ran_exactly(0, 1, 0), "the first login runs argon2id");
        assert_eq!(login_error(&app, "Admin", "Admin-Memo1").await, None);
        assert_eq!(
            ran(),
            ran_exactly(1, 0, 0),
            "the second comes from the memo"
        );
        assert_eq!(login_error(&app, "admin", "Admin-Memo1  ").await, None);
        assert_eq!(
            ran(),
            ran_exactly(1, 0, 0),
            "the same trimmed password of the same user"
        );
    });
}

#[test]
fn in_prod_a_wrong_password_after_a_right_one_runs_argon2id_and_counts_toward_the_lockout() {
    serially(async {
        let (_dir, runtime) = start_core(&[
            ("MODE", "PROD"),
            ("LOGIN_LOCKOUT_FAILURE_LIMIT", "3"),
            ("LOGIN_LOCKOUT_COOLOFF_TIME", "5"),
        ]);
        let (rt, app) = service(runtime).await;
        let admin = login(&app, "Admin", "admin123").await;
        change_own_password(&app, &admin, "admin123", "Admin-Memo1").await;
        assert!(
            rt.mutations.wait_idle(Duration::from_secs(30)),
            "the queued change ran"
        );
        assert_eq!(login_error(&app, "Admin", "Admin-Memo1").await, None);
        assert_eq!(login_error(&app, "Admin", "Admin-Memo1").await, None);
        assert_eq!(ran(), ran_exactly(1, 1, 0));

        for _ in 0..3 {
            assert_eq!(
                login_error(&app, "Admin", "Admin-Memo2").await.as_deref(),
                Some("INCORRECT_CREDENTIALS")
            );
        }
        assert_eq!(
            ran(),
            ran_exactly(0, 0, 3),
            "every wrong password costs a full argon2id"
        );
        assert_eq!(
            login_error(&app, "Admin", "Admin-Memo1").await.as_deref(),
            Some("Too many failed attempts.Try again in 4 minutes."),
            "the failures counted, and the memo does not get past the lockout"
        );
        assert_eq!(ran(), Ran::default(), "a locked-out login verifies nothing");
    });
}

#[test]
fn after_change_password_the_old_password_fails_and_the_new_one_works() {
    serially(async {
        let (_dir, runtime) = start_core(&[]);
        let (_rt, app) = service(runtime).await;
        let admin = login(&app, "Admin", "admin123").await;
        change_own_password(&app, &admin, "admin123", "Admin-Old1").await;
        login(&app, "Admin", "Admin-Old1").await;
        let admin = login(&app, "Admin", "Admin-Old1").await;
        assert_eq!(ran(), ran_exactly(1, 1, 0), "Admin-Old1 is remembered");

        change_own_password(&app, &admin, "Admin-Old1", "Admin-New1").await;
        assert_eq!(
            ran(),
            ran_exactly(1, 0, 0),
            "the old password checked from the memo"
        );
        assert_eq!(
            login_error(&app, "Admin", "Admin-Old1").await.as_deref(),
            Some("INCORRECT_CREDENTIALS")
        );
        assert_eq!(
            ran(),
            ran_exactly(0, 0, 1),
            "the new hash has no entry: argon2id refuses the old password"
        );
        assert_eq!(login_error(&app, "Admin", "Admin-New1").await, None);
        assert_eq!(login_error(&app, "Admin", "Admin-New1").await, None);
        assert_eq!(ran(), ran_exactly(1, 1, 0));
    });
}
