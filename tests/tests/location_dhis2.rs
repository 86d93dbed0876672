//! location-dhis2's sync against a local DHIS2 stand-in: a std `TcpListener` thread serving
//! `/api/organisationUnits` pages. A dry run reports without writing, a real run upserts by
//! code (twice: created, then updated), and a malformed page or a server that never answers is
//! a clear error with nothing half-imported.

use actix_web::test as web_test;
use diesel::RunQueryDsl;
use openimis_system_tests::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::mpsc;

const PAGE_1: &str = r#"{"pager": {"page": 1, "pageCount": 2, "total": 5, "pageSize": 3}, "organisationUnits": [
  {"id": "ImspTQPwCqd", "code": "SL", "name": "Sierra Leone", "level": 1},
  {"id": "O6uvpzGd5pu", "code": "SLBO", "name": "Bo", "level": 2, "parent": {"id": "ImspTQPwCqd"}},
  {"id": "YuQRtpLP10I", "code": "SLBOBA", "name": "Badjia", "level": 3, "parent": {"id": "O6uvpzGd5pu"}}]}"#;
const PAGE_2: &str = r#"{"pager": {"page": 2, "pageCount": 2, "total": 5, "pageSize": 3}, "organisationUnits": [
  {"id": "vWbkYPRmKyS", "code": "SLBOBAV1", "name": "Ngelehun", "level": 4, "parent": {"id": "YuQRtpLP10I"}},
  {"id": "DiszpKrYNg8", "code": "HFNGEL", "name": "Ngelehun CHC", "level": 5, "parent": {"id": "vWbkYPRmKyS"}}]}"#;
const MALFORMED: &str =
    r#"{"pager": {"page": 2, "pageCount": 2}, "organisationUnits": [{"id": "x""#;

/// What the stand-in answers for a page.
#[derive(Clone, Copy)]
enum Answer {
    Json(&'static str),
    /// Reads the request and answers nothing until the test ends.
    Hang,
}

/// Serves `pages` (page n = `pages[n-1]`); answers the base URL and a sender that ends it.
fn dhis2(pages: Vec<Answer>) -> (String, mpsc::Sender<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (done, finished) = mpsc::channel::<()>();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut line = String::new();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            reader.read_line(&mut line).unwrap();
            let mut header = String::new();
            while reader.read_line(&mut header).unwrap_or(0) > 2 {
                assert!(
                    !header.to_lowercase().starts_with("authorization")
                        || header.contains("Basic YWRtaW46ZGlzdHJpY3Q="),
                    "{header}"
                );
                header.clear();
            }
            assert!(line.starts_with("GET /api/organisationUnits?"), "{line}");
            let page: usize = line
                .split("page=")
                .nth(1)
                .and_then(|r| r.split('&').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(1);
            match pages.get(page - 1).copied().unwrap_or(Answer::Json(PAGE_2)) {
                Answer::Json(body) => {
                    let _ = write!(stream, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len());
                }
                Answer::Hang => {
                    held.push(stream);
                    let _ = finished.recv();
                    return;
                }
            }
        }
    });
    (url, done)
}

fn config(url: &str) -> Value {
    json!({"base_url": url, "username": "admin", "password": "district", "facility_level": 5, "page_size": 3, "timeout_seconds": 1})
}

#[derive(diesel::QueryableByName)]
struct N {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn imported(dir: &ModulesDir) -> (i64, i64) {
    let mut conn = open_sqlite(&dir.path().join("test.sqlite3"));
    let locations = diesel::sql_query(
        r#"SELECT COUNT(*) AS n FROM "tblLocations" WHERE "LocationCode" LIKE 'SL%'"#,
    )
    .load::<N>(&mut conn)
    .unwrap()[0]
        .n;
    let facilities =
        diesel::sql_query(r#"SELECT COUNT(*) AS n FROM "tblHF" WHERE "HFCode" = 'HFNGEL'"#)
            .load::<N>(&mut conn)
            .unwrap()[0]
            .n;
    (locations, facilities)
}

fn sync_request(token: &str, dry_run: bool) -> actix_http::Request {
    web_test::TestRequest::post()
        .uri(&format!(
            "/api/location/dhis2/sync{}",
            if dry_run { "?dry_run=true" } else { "" }
        ))
        .insert_header(("Authorization", format!("Bearer {token}")))
        .to_request()
}

#[actix_rt::test]
async fn the_sync_reports_upserts_and_refuses_broken_servers_without_writing() {
    let (url, _done) = dhis2(vec![Answer::Json(PAGE_1), Answer::Json(PAGE_2)]);
    let dir = ModulesDir::with(&["core", "location_dhis2"]);
    let conf = modules_json(&[
        json!({"name": "core"}),
        json!({"name": "location", "library": "location_dhis2", "config": config(&url)}),
    ]);
    let runtime = start(settings(&conf, &dir, &[("DEMO_DATASET", "True")])).unwrap();
    let implementation = runtime
        .modules
        .get("location")
        .map(|m| m.manifest.implementation.clone());
    assert_eq!(
        implementation.as_deref(),
        Some("location-dhis2"),
        "the library exports its own root module"
    );
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;

    let (status, report) =
        json_of(web_test::call_service(&app, sync_request(&token, true)).await).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["locations"], json!({"created": 4, "updated": 0}));
    assert_eq!(
        report["health_facilities"],
        json!({"created": 1, "updated": 0})
    );
    assert_eq!(
        (
            report["dry_run"].clone(),
            report["organisation_units"].clone()
        ),
        (json!(true), json!(5))
    );
    assert_eq!(imported(&dir), (0, 0), "a dry run writes nothing");

    let (status, report) =
        json_of(web_test::call_service(&app, sync_request(&token, false)).await).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["locations"]["created"], 4);
    assert_eq!(imported(&dir), (4, 1));
    let body = json_of(web_test::call_service(&app, graphql_as(r#"{ locationsAll(code: "SLBOBAV1") { edges { node { type name parent { code type parent { code type } } } } } healthFacilities(code: "HFNGEL") { edges { node { name location { code } } } } }"#, json!(null), &token)).await).await.1;
    assert_eq!(
        body["data"]["locationsAll"]["edges"][0]["node"],
        json!({"type": "V", "name": "Ngelehun", "parent": {"code": "SLBOBA", "type": "W", "parent": {"code": "SLBO", "type": "D"}}})
    );
    assert_eq!(
        body["data"]["healthFacilities"]["edges"][0]["node"],
        json!({"name": "Ngelehun CHC", "location": {"code": "SLBOBAV1"}})
    );

    let (_, report) =
        json_of(web_test::call_service(&app, sync_request(&token, false)).await).await;
    assert_eq!(
        report["locations"],
        json!({"created": 0, "updated": 4}),
        "upserts by code"
    );
    assert_eq!(
        report["health_facilities"],
        json!({"created": 0, "updated": 1})
    );
    assert_eq!(imported(&dir), (4, 1));

    let (status, _) = json_of(
        web_test::call_service(
            &app,
            web_test::TestRequest::post()
                .uri("/api/location/dhis2/sync")
                .to_request(),
        )
        .await,
    )
    .await;
    assert_eq!(status, 401, "the sync needs a login");
}

async fn failing_sync(pages: Vec<Answer>) -> (Value, (i64, i64)) {
    let (url, done) = dhis2(pages);
    let dir = ModulesDir::with(&["core", "location_dhis2"]);
    let conf = modules_json(&[
        json!({"name": "core"}),
        json!({"name": "location", "library": "location_dhis2", "config": config(&url)}),
    ]);
    let runtime = start(settings(&conf, &dir, &[("DEMO_DATASET", "True")])).unwrap();
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;
    let (status, body) =
        json_of(web_test::call_service(&app, sync_request(&token, false)).await).await;
    assert_eq!(status, 502, "{body}");
    let _ = done.send(());
    (body, imported(&dir))
}

#[actix_rt::test]
async fn a_malformed_page_is_a_clear_error_and_nothing_is_imported() {
    let (body, counts) = failing_sync(vec![Answer::Json(PAGE_1), Answer::Json(MALFORMED)]).await;
    assert_eq!(body["code"], "DHIS2_MALFORMED");
    assert!(
        body["detail"]
            .as_str()
            .unwrap()
            .starts_with("DHIS2 page 2 of organisation units is not the expected shape"),
        "{body}"
    );
    assert_eq!(
        counts,
        (0, 0),
        "page 1 was fine, but nothing of it is imported"
    );
}

#[actix_rt::test]
async fn a_server_that_never_answers_times_out_and_nothing_is_imported() {
    let (body, counts) = failing_sync(vec![Answer::Json(PAGE_1), Answer::Hang]).await;
    assert_eq!(body["code"], "DHIS2_TIMEOUT", "{body}");
    assert!(
        body["detail"].as_str().unwrap().contains("page 2"),
        "{body}"
    );
    assert_eq!(counts, (0, 0));
}
