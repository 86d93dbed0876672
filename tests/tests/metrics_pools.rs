//! `/metrics` reports each module's database pools (issue 5 item 5: DB pool use), as the
//! module's SDK sees them: connections open, idle, and the budget the host gave it.

use actix_web::test as web;
use openimis_system_tests::*;
use serde_json::json;

fn gauge(text: &str, metric: &str, module: &str) -> Option<u64> {
    let prefix = format!("{metric}{{module=\"{module}\"}} ");
    text.lines()
        .find_map(|l| l.strip_prefix(&prefix))
        .and_then(|v| v.trim().parse().ok())
}

#[actix_rt::test]
async fn metrics_report_each_modules_database_pool() {
    let dir = ModulesDir::with(&["core"]);
    let conf = modules_json(&[json!({"name": "core", "config": {"pool_size": 3}})]);
    let runtime = start(settings(&conf, &dir, &[("DEMO_DATASET", "True")])).expect("starts");
    let (_rt, app) = service(runtime).await;
    login(&app, "Admin", "admin123").await;

    let response =
        web::call_service(&app, web::TestRequest::get().uri("/metrics").to_request()).await;
    assert_eq!(response.status().as_u16(), 200);
    let text = String::from_utf8(web::read_body(response).await.to_vec()).unwrap();
    assert_eq!(
        gauge(&text, "openimis_db_pool_max", "core"),
        Some(3),
        "{text}"
    );
    let open = gauge(&text, "openimis_db_pool_connections", "core").expect("connections");
    let idle = gauge(&text, "openimis_db_pool_idle", "core").expect("idle");
    assert!(open >= 1 && idle <= open && open <= 3, "{text}");
}
