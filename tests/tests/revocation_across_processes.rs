//! A password change revokes the user's tokens on every server process within seconds, also
//! with the default in-memory cache (issue 13, item 6): two runtimes on one database, each with
//! its own memory cache as two processes have, both serving the user; the password changes
//! through one, and the other refuses the old token (while a new login works on both).

use openimis_host::runtime::Runtime;
use openimis_system_tests::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

const CHANGE: &str = "mutation ($input: ChangePasswordMutationInput!) { changePassword(input: $input) { success error } }";
/// A query that needs a login.
const NEEDS_LOGIN: &str = "{ languages { code } }";
/// How long the other process may keep honouring the old token: "within seconds".
const WITHIN: Duration = Duration::from_secs(15);

fn runtime_on(dir: &ModulesDir, vars: &[(&str, &str)]) -> Runtime {
    let mut all = vec![("DEMO_DATASET", "True")];
    all.extend_from_slice(vars);
    start(settings(
        &modules_json(&[json!({"name": "core"})]),
        dir,
        &all,
    ))
    .expect("core starts")
}

/// `(status, body)` of the query needing a login, as `token`'s holder.
async fn as_holder<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
) -> (u16, Value) {
    json_of(actix_web::test::call_service(app, graphql_as(NEEDS_LOGIN, json!(null), token)).await)
        .await
}

async fn the_other_process_refuses_the_old_token(vars: &[(&str, &str)]) {
    // One modules directory: on SQLite both runtimes open its one database file.
    let dir = ModulesDir::with(&["core"]);
    let (_a, one) = service(runtime_on(&dir, vars)).await;
    let (_b, other) = service(runtime_on(&dir, vars)).await;
    let on_one = login(&one, "Admin", "admin123").await;
    let on_other = login(&other, "Admin", "admin123").await;
    // The other process serves the user, so it holds the user's context in its own cache.
    for _ in 0..3 {
        let (status, body) = as_holder(&other, &on_other).await;
        assert_eq!(status, 200, "{body}");
    }

    let change =
        json!({"clientMutationId": "x1", "oldPassword": "admin123", "newPassword": "Admin-Pass2"});
    let (status, body) = json_of(
        actix_web::test::call_service(
            &one,
            graphql_as(CHANGE, json!({ "input": change }), &on_one),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, &body["data"]["changePassword"]),
        (200, &json!({"success": true, "error": null})),
        "{body}"
    );
    // Where the change was made: at once, also for a request the host answers alone.
    assert_eq!(as_holder(&one, &on_one).await.0, 401);
    let typename = graphql_as("{ __typename }", json!(null), &on_one);
    assert_eq!(
        json_of(actix_web::test::call_service(&one, typename).await)
            .await
            .0,
        401
    );

    // Elsewhere: within seconds, not after the cache's old 300 s.
    let deadline = Instant::now() + WITHIN;
    let refused = loop {
        let (status, body) = as_holder(&other, &on_other).await;
        if status == 401 {
            break body;
        }
        assert_eq!(status, 200, "{body}");
        assert!(
            Instant::now() < deadline,
            "the other process still accepts the token revoked {WITHIN:?} ago"
        );
        actix_rt::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(refused["errors"][0]["message"], "Error decoding signature");
    // And it stays refused, while the new password's token works on both.
    assert_eq!(as_holder(&other, &on_other).await.0, 401);
    for app_token in [
        login(&other, "Admin", "Admin-Pass2").await,
        login(&one, "Admin", "Admin-Pass2").await,
    ] {
        assert_eq!(as_holder(&other, &app_token).await.0, 200);
        assert_eq!(as_holder(&one, &app_token).await.0, 200);
    }
}

#[actix_rt::test]
async fn a_password_change_revokes_tokens_on_another_process_with_memory_caches() {
    the_other_process_refuses_the_old_token(&[]).await;
}

#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn a_password_change_revokes_tokens_on_another_process_on_postgres() {
    let vars = postgres_db::fresh_database("revocation");
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    the_other_process_refuses_the_old_token(&vars).await;
}
