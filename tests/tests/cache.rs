//! The cache (issue 5 item 9): in memory by default, Redis when configured (the real server on
//! 127.0.0.1:6379, or one this test starts), the user contexts the host keeps there and their
//! invalidation by core, `/ht/`, a server that goes away, and startup problems. memcached does
//! not run here: only its configuration error path is tested.

use actix_web::test as web_test;
use openimis_host::cache::{Cache, CacheConfig};
use openimis_system_tests::redis_server::{redis_url, unique_prefix, OwnRedis};
use openimis_system_tests::*;
use serde_json::json;

const CREATE_ROLE: &str = r#"mutation { createRole(input: { clientMutationId: "c1", name: "Cache auditor", isSystem: false, isBlocked: false }) { clientMutationId } }"#;

const CHANGE_LANGUAGE: &str = r#"mutation { changeUserLanguage(input: { clientMutationId: "l1", languageId: "fr" }) { clientMutationId } }"#;

fn core_with(vars: &[(&str, &str)]) -> (ModulesDir, openimis_host::runtime::Runtime) {
    let dir = ModulesDir::with(&["core"]);
    let mut all = vec![("DEMO_DATASET", "True")];
    all.extend_from_slice(vars);
    let runtime = start(settings(
        &modules_json(&[json!({"name": "core"})]),
        &dir,
        &all,
    ))
    .expect("core starts");
    (dir, runtime)
}

async fn user_contexts_are_cached_and_cleared_by_role_changes(vars: &[(&str, &str)]) {
    let (_dir, runtime) = core_with(vars);
    let (rt, app) = service(runtime).await;
    let cache = rt.services.cache();
    let token = login(&app, "Admin", "admin123").await;
    assert_eq!(cache.get("rights_Admin"), None);

    let (status, body) = json_of(
        web_test::call_service(
            &app,
            graphql_as("{ role { totalCount } }", json!(null), &token),
        )
        .await,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let cached = cache
        .get("rights_Admin")
        .expect("the request cached Admin's context");
    assert_eq!(cached["is_imis_admin"], true);
    assert_eq!(cached["user"]["username"], "Admin");

    // A cached context answers the next request as before.
    let (_, again) = json_of(
        web_test::call_service(
            &app,
            graphql_as("{ role { totalCount } }", json!(null), &token),
        )
        .await,
    )
    .await;
    assert_eq!(again, body);

    // Core clears the contexts when roles change.
    let (_, created) =
        json_of(web_test::call_service(&app, graphql_as(CREATE_ROLE, json!(null), &token)).await)
            .await;
    assert_eq!(
        created["data"]["createRole"]["clientMutationId"], "c1",
        "{created}"
    );
    assert_eq!(
        cache.get("rights_Admin"),
        None,
        "role changes clear rights_*"
    );

    // ... and when a user's language changes (it is part of the context).
    web_test::call_service(
        &app,
        graphql_as("{ role { totalCount } }", json!(null), &token),
    )
    .await;
    assert!(cache.get("rights_Admin").is_some());
    let (_, changed) = json_of(
        web_test::call_service(&app, graphql_as(CHANGE_LANGUAGE, json!(null), &token)).await,
    )
    .await;
    assert_eq!(
        changed["data"]["changeUserLanguage"]["clientMutationId"], "l1",
        "{changed}"
    );
    assert_eq!(
        cache.get("rights_Admin"),
        None,
        "a language change clears rights_*"
    );
    let request = web_test::TestRequest::get()
        .uri("/api/core/users/current_user/")
        .insert_header(("Authorization", format!("Bearer {token}")))
        .to_request();
    let (_, user) = json_of(web_test::call_service(&app, request).await).await;
    assert_eq!(user["i_user"]["language"], "fr", "{user}");
}

#[actix_rt::test]
async fn memory_cache_holds_user_contexts_until_roles_change() {
    user_contexts_are_cached_and_cleared_by_role_changes(&[]).await;
}

#[actix_rt::test]
async fn redis_cache_holds_user_contexts_until_roles_change() {
    let (url, _own) = redis_url();
    let options = json!({"KEY_PREFIX": unique_prefix()}).to_string();
    let vars = [
        (
            "CACHE_BACKEND",
            "django.core.cache.backends.redis.RedisCache",
        ),
        ("CACHE_URL", url.as_str()),
        ("CACHE_OPTIONS", options.as_str()),
    ];
    user_contexts_are_cached_and_cleared_by_role_changes(&vars).await;
}

#[actix_rt::test]
async fn redis_holds_what_modules_cache_and_health_reports_it() {
    let (url, _own) = redis_url();
    let prefix = unique_prefix();
    let options = json!({"KEY_PREFIX": prefix}).to_string();
    let (_dir, runtime) = core_with(&[
        ("CACHE_BACKEND", "redis"),
        ("CACHE_URL", &url),
        ("CACHE_OPTIONS", &options),
    ]);
    let services = runtime.services.clone();
    assert_eq!(services.cache().backend(), "redis");
    // What a module stores through the host services ...
    services
        .call(
            "cache.set",
            json!({"key": "location_graph", "value": {"1": [2, 3]}, "ttl": 60}),
        )
        .unwrap();
    // ... is in Redis: another client with the same settings reads it.
    let config = CacheConfig {
        backend: openimis_host::cache::Backend::Redis { url: url.clone() },
        key_prefix: prefix,
    };
    let other = Cache::connect(&config).unwrap();
    assert_eq!(other.get("location_graph"), Some(json!({"1": [2, 3]})));
    assert_eq!(
        services
            .call("cache.get", json!({"key": "location_graph"}))
            .unwrap(),
        json!({"value": {"1": [2, 3]}})
    );
    services
        .call("cache.delete_prefix", json!({"prefix": "location_"}))
        .unwrap();
    assert_eq!(other.get("location_graph"), None);

    let (_rt, app) = service(runtime).await;
    let (status, health) = json_of(
        web_test::call_service(&app, web_test::TestRequest::get().uri("/ht/").to_request()).await,
    )
    .await;
    assert_eq!(status, 200, "{health}");
    assert_eq!(health["Cache(alias='default')"], "OK");
}

#[actix_rt::test]
async fn a_redis_that_goes_away_degrades_to_no_cache() {
    let mut own = OwnRedis::start();
    let url = own.url();
    let (_dir, runtime) = core_with(&[("CACHE_BACKEND", "redis"), ("CACHE_URL", &url)]);
    let (rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    own.stop();

    // Requests still succeed: the context comes from core.
    for _ in 0..2 {
        let (status, body) = json_of(
            web_test::call_service(
                &app,
                graphql_as("{ role { totalCount } }", json!(null), &token),
            )
            .await,
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert!(
            body["data"]["role"]["totalCount"].as_u64().unwrap() > 0,
            "{body}"
        );
    }
    assert_eq!(rt.services.cache().get("rights_Admin"), None);
    let (status, health) = json_of(
        web_test::call_service(&app, web_test::TestRequest::get().uri("/ht/").to_request()).await,
    )
    .await;
    assert_eq!(status, 500);
    assert!(
        health["Cache(alias='default')"]
            .as_str()
            .unwrap()
            .starts_with("redis cache unavailable"),
        "{health}"
    );
}

#[test]
fn an_unreachable_cache_server_is_a_startup_problem() {
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    for (backend, url) in [
        (
            "django_redis.cache.RedisCache",
            format!("redis://127.0.0.1:{port}/0"),
        ),
        (
            "django.core.cache.backends.memcached.PyMemcacheCache",
            format!("127.0.0.1:{port}"),
        ),
    ] {
        let dir = ModulesDir::with(&["fx_base"]);
        let conf = modules_json(&[json!({"name": "base", "library": "fx_base"})]);
        let error = start(settings(
            &conf,
            &dir,
            &[("CACHE_BACKEND", backend), ("CACHE_URL", &url)],
        ))
        .err()
        .unwrap_or_else(|| panic!("{backend} at {url} must refuse startup"));
        let text = error.to_string();
        assert!(text.contains("CONFIG_INVALID"), "{text}");
        assert!(text.contains("CACHE_URL"), "{text}");
        assert!(text.contains("does not answer"), "{text}");
    }
}

#[test]
fn bad_cache_settings_name_the_variable() {
    let dir = ModulesDir::with(&[]);
    let conf = modules_json(&[]);
    for (vars, name) in [
        (
            vec![("CACHE_BACKEND", "filebased"), ("CACHE_URL", "/tmp/x")],
            "CACHE_BACKEND",
        ),
        (
            vec![("CACHE_BACKEND", "redis"), ("CACHE_URL", "localhost:6379")],
            "CACHE_URL",
        ),
        (vec![("CACHE_OPTIONS", "{not json")], "CACHE_OPTIONS"),
    ] {
        let mut map: std::collections::HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        map.insert("OPENIMIS_CONF_JSON".into(), conf.to_string());
        map.insert("MODULES_DIR".into(), dir.path().display().to_string());
        map.insert("NO_DATABASE".into(), "True".into());
        map.insert("MODE".into(), "DEV".into());
        let error = openimis_host::settings::Settings::from_env(
            &openimis_host::settings::Env::new(&move |n| map.get(n).cloned()),
        )
        .unwrap_err();
        assert_eq!(error.name, name, "{error}");
    }
}
