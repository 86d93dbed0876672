//! Migrations on SQLite: per-module records, dependency order, no skipping, atomic failures.

use openimis_host::db::migrate;
use openimis_host::problems::Code;
use openimis_system_tests::*;
use serde_json::json;

fn conf(broken: bool) -> serde_json::Value {
    modules_json(&[
        json!({"name": "ext", "library": "fx_ext", "config": {"broken_migration": broken}}),
        json!({"name": "base", "library": "fx_base"}),
    ])
}

fn tables(path: &std::path::Path) -> Vec<String> {
    use openimis_host::db::connect_sqlite;
    #[derive(diesel::QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let mut conn = connect_sqlite(path).unwrap();
    let rows: Vec<Name> = diesel::RunQueryDsl::load(
        diesel::sql_query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"),
        &mut conn,
    )
    .unwrap();
    rows.into_iter().map(|r| r.name).collect()
}

#[test]
fn two_modules_with_the_same_version_both_migrate_in_dependency_order() {
    let dir = ModulesDir::with(&["fx_base", "fx_ext"]);
    let settings = settings(&conf(false), &dir, &[]);
    let database = settings.database.clone();
    let runtime = start(settings).expect("starts and migrates (SITE_ROOT=api always migrates)");
    let ids: Vec<String> = runtime.migrations.iter().map(|m| m.id()).collect();
    assert_eq!(ids, ["base:0001", "ext:0001"]);
    assert_eq!(
        migrate::pending(&database, &runtime.migrations).unwrap(),
        Vec::<String>::new()
    );
    assert_eq!(
        tables(&dir.path().join("test.sqlite3")),
        [
            "__diesel_schema_migrations",
            "fixture_Extra",
            "fixture_Thing"
        ]
    );
    // A second run applies nothing.
    assert_eq!(
        migrate::run(&database, &runtime.migrations).unwrap(),
        Vec::<String>::new()
    );
}

#[test]
fn a_failing_migration_names_module_and_version_and_leaves_nothing_half_done() {
    let dir = ModulesDir::with(&["fx_base", "fx_ext"]);
    let err = start(settings(&conf(true), &dir, &[]))
        .map(|_| ())
        .unwrap_err();
    assert!(err.report.has(Code::MigrationFailed, "ext"), "{err}");
    assert!(
        err.to_string()
            .contains("migration ext:0002 (broken) failed"),
        "{err}"
    );
    let names = tables(&dir.path().join("test.sqlite3"));
    assert!(
        names.contains(&"fixture_Extra".to_owned()),
        "ext:0001 stays applied: {names:?}"
    );
    assert!(
        !names.contains(&"fixture_Half".to_owned()),
        "ext:0002 rolled back: {names:?}"
    );
}

#[test]
fn without_site_root_api_or_django_migrate_nothing_migrates() {
    let dir = ModulesDir::with(&["fx_base", "fx_ext"]);
    let settings = settings(
        &conf(false),
        &dir,
        &[("SITE_ROOT", ""), ("DJANGO_MIGRATE", "False")],
    );
    let database = settings.database.clone();
    let runtime = start(settings).unwrap();
    assert_eq!(
        migrate::pending(&database, &runtime.migrations).unwrap(),
        ["base:0001", "ext:0001"]
    );
}

#[actix_rt::test]
async fn a_module_writes_its_migrated_table_through_its_own_pool() {
    let dir = ModulesDir::with(&["fx_base", "fx_ext"]);
    let (_rt, app) = service(start(settings(&conf(false), &dir, &[])).unwrap()).await;
    for code in ["S1", "S2"] {
        let query = format!(r#"mutation {{ createThing(code: "{code}") {{ code }} }}"#);
        let (status, body) = json_of(
            actix_web::test::call_service(&app, graphql_request(&query, json!(null))).await,
        )
        .await;
        assert_eq!(
            (status, body["data"]["createThing"]["code"].clone()),
            (200, json!(code)),
            "{body}"
        );
    }
    let (_, body) = json_of(
        actix_web::test::call_service(&app, graphql_request("{ storedThings }", json!(null))).await,
    )
    .await;
    assert_eq!(body, json!({"data": {"storedThings": 2}}));
}
