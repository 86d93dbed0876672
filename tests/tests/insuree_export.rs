//! `insureesExport` and core's `GET /api/core/fetch_export` (issue 17, item 2) on the demo
//! data: the CSV byte for byte as the original's pandas writes it (filters, `fieldsColumns`,
//! paths through relations, the float quirk of an integer column with a null), row security,
//! the `core_exportablequerymodel` row, a real XLSX read back with calamine, the fetch's 401,
//! 403, 404 and 410, and bad input (unknown field, unsupported format) writing nothing. Each
//! runs on SQLite and, with `--features postgres`, on PostgreSQL (`*_on_postgres`).

use actix_web::test as web_test;
use calamine::{Data, Reader};
use openimis_system_tests::calls::ask;
use openimis_system_tests::test_rows::TestRows;
use openimis_system_tests::*;
use serde_json::{json, Value};

const MODULES: [&str; 5] = [
    "core",
    "location",
    "medical",
    "medical_pricelist",
    "insuree",
];

/// The five modules on the demo data (`vars`: a PostgreSQL database's DB_* variables, or none).
fn started(vars: &[(String, String)]) -> (ModulesDir, openimis_host::runtime::Runtime) {
    started_on_demo(&MODULES, vars)
}

/// Runs a statement on the test's database.
fn execute(vars: &[(String, String)], dir: &ModulesDir, sql: &str) {
    TestRows::of(dir, vars).execute(sql);
}

/// The `n` of `SELECT COUNT(*) AS n ...` on the test's database.
fn count(vars: &[(String, String)], dir: &ModulesDir, sql: &str) -> i64 {
    TestRows::of(dir, vars).number(sql)
}

/// Gives `user`'s roles the right to list insurees (101101), as the original's managers hold it.
fn grant_insurees(vars: &[(String, String)], dir: &ModulesDir, user: &str) {
    execute(
        vars,
        dir,
        &format!(
            r#"INSERT INTO "tblRoleRight" ("RoleID", "RightID", "ValidityFrom", "AuditUserId")
               SELECT ur."RoleID", 101101, '2024-01-01 00:00:00', 1 FROM "tblUserRole" ur
               JOIN "tblUsers" u ON u."id" = ur."UserID"
               WHERE u."LoginName" = '{user}' AND ur."ValidityTo" IS NULL"#
        ),
    );
}

/// Every file under `dir`, recursively.
fn files_under(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(files_under(&path));
        } else {
            found.push(path);
        }
    }
    found
}

/// `fetch_export?export=<name>` as `token`'s holder (or anonymous): status, content type,
/// content disposition and body.
async fn fetch<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: Option<&str>,
    name: &str,
) -> (u16, String, String, Vec<u8>) {
    let mut request =
        web_test::TestRequest::get().uri(&format!("/api/core/fetch_export?export={name}"));
    if let Some(token) = token {
        request = request.insert_header(("Authorization", format!("Bearer {token}")));
    }
    let response = web_test::call_service(app, request.to_request()).await;
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map_or(String::new(), |v| v.to_str().unwrap().to_owned())
    };
    let (status, kind, disposition) = (
        response.status().as_u16(),
        header("content-type"),
        header("content-disposition"),
    );
    assert!(
        response.headers().get("x-openimis-send-file").is_none(),
        "the internal header reaches the client"
    );
    let body = web_test::read_body(response).await.to_vec();
    (status, kind, disposition, body)
}

/// The file name `insureesExport(args)` answers, as `token`'s holder.
async fn export<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    args: &str,
) -> String {
    let body = ask(app, Some(token), &format!("{{ insureesExport({args}) }}")).await;
    assert!(body.get("errors").is_none(), "{args}: {body}");
    body["data"]["insureesExport"]
        .as_str()
        .unwrap_or_else(|| panic!("{body}"))
        .to_owned()
}

/// The attachment name of an export made between `before` and now (`YYYY-MM-DD ...` each).
fn attachment_names(before: &str, format: &str) -> Vec<String> {
    [before.to_owned(), openimis_sdk::time::now()]
        .iter()
        .map(|t| {
            format!(
                "attachment; filename=\"export_Insuree_{}_{}_{}.{format}\"",
                &t[8..10],
                &t[5..7],
                &t[0..4]
            )
        })
        .collect()
}

/// The demo family 11 in Juilöa (Region 2): its head and its one member.
const FAMILY_11: &str = r#"chfId_Istartswith: "10000011""#;

const FIELDS: &str = r#"fields: ["chfId", "lastName", "otherNames", "gender", "gender.code", "dob", "head", "marital", "family.uuid", "family.headInsuree.chfId", "currentVillage.code", "currentVillage.name", "currentVillage.parent.parent.code", "relationship", "email", "validityTo", "jsonExt", "cardIssued"]"#;

/// What the original writes for [`FAMILY_11`] with [`FIELDS`] and the headers of
/// `fieldsColumns` (a comma in one, an empty one kept as the path, one not naming a path).
const EXPECTED: &str = "\
,Insuree number,\"Last, name\",other_names,gender,gender__code,dob,head,marital,family__uuid,family__head_insuree__chf_id,current_village__code,current_village__name,current_village__parent__parent__code,relationship,email,validity_to,json_ext,card_issued
0,100000110,Ndlovu,Amina,M,M,1971-05-01,True,M,f0000000-0000-4000-8000-000000000011,100000110,R2D2M1V1,Juilöa,R2D2,,amina@demo.openimis.org,,,True
1,100000111,Ndlovu,Samuel,F,F,2001-02-10,False,M,f0000000-0000-4000-8000-000000000011,100000110,R2D2M1V1,Juilöa,R2D2,8.0,samuel@demo.openimis.org,,,True
";

#[actix_rt::test]
async fn an_export_is_the_originals_csv_fetched_by_its_user_only() {
    an_export_is_the_originals_csv_fetched_by_its_user_only_on(&[]).await;
}

#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn an_export_is_the_originals_csv_fetched_by_its_user_only_on_postgres() {
    an_export_is_the_originals_csv_fetched_by_its_user_only_on(&postgres_db::fresh_database(
        "insuree_export",
    ))
    .await;
}

async fn an_export_is_the_originals_csv_fetched_by_its_user_only_on(vars: &[(String, String)]) {
    let (dir, runtime) = started(vars);
    grant_insurees(vars, &dir, "manager1");
    let (_rt, app) = service(runtime).await;
    let admin = login(&app, "Admin", "admin123").await;
    let before = openimis_sdk::time::now();
    // `fieldsColumns` as the frontend sends it: a JSON string (the original `json.loads` it).
    let columns = json!({"chf_id": "Insuree number", "last_name": "Last, name", "other_names": "",
        "currentVillage.name": "not a django path"})
    .to_string();
    let args = format!(
        r#"{FAMILY_11}, orderBy: ["-chfId"], first: 1, fileFormat: "csv", {FIELDS}, fieldsColumns: {}"#,
        Value::String(columns)
    );
    let name = export(&app, &admin, &args).await;
    assert!(name.ends_with(".csv") && name.len() == 40, "{name}");

    let (status, kind, disposition, body) = fetch(&app, Some(&admin), &name).await;
    assert_eq!((status, kind.as_str()), (200, "text/csv"), "{body:?}");
    assert!(
        attachment_names(&before, "csv").contains(&disposition),
        "{disposition}"
    );
    assert_eq!(String::from_utf8(body).unwrap(), EXPECTED);

    // The row the original's `create_csv_export` saves, for Admin's core user.
    let row = format!(
        r#"SELECT COUNT(*) AS n FROM "core_exportablequerymodel" WHERE "name" = '{name}' AND "model" = 'Insuree'
           AND "content" = 'query_exports/user_' || LOWER(CAST("User" AS TEXT)) || '/{name}' AND "file_format" = 'csv'
           AND "is_deleted" = false AND "sql_query" LIKE '(''SELECT %'
           AND CAST("User" AS TEXT) = (SELECT CAST("id" AS TEXT) FROM "core_User" WHERE "username" = 'Admin')"#
    );
    assert_eq!(count(vars, &dir, &row), 1);
    let a_day = match vars.is_empty() {
        true => r#"ABS(julianday("DateExpiring") - julianday("DateCreated") - 1) < 0.00001"#,
        false => r#""DateExpiring" - "DateCreated" = interval '1 day'"#,
    };
    let expiring = format!(
        r#"SELECT COUNT(*) AS n FROM "core_exportablequerymodel" WHERE "name" = '{name}' AND {a_day}"#
    );
    assert_eq!(count(vars, &dir, &expiring), 1);

    // Row security: manager1 (Region 1) exports none of them, unless locations are ignored.
    let manager = login(&app, "manager1", "Demo12345!").await;
    let theirs = export(
        &app,
        &manager,
        &format!(r#"{FAMILY_11}, fields: ["chfId"]"#),
    )
    .await;
    let (status, _, _, body) = fetch(&app, Some(&manager), &theirs).await;
    assert_eq!((status, body.as_slice()), (200, &b",chf_id\n"[..]));
    let ignoring = format!(r#"{FAMILY_11}, ignoreLocation: true, fields: ["chfId"]"#);
    let theirs = export(&app, &manager, &ignoring).await;
    let (_, _, _, body) = fetch(&app, Some(&manager), &theirs).await;
    assert_eq!(body, b",chf_id\n0,100000110\n1,100000111\n");
    // The excluded pseudo-insuree stays out, as in the list; validity as the list's.
    let valid = export(&app, &admin, r#"chfId: "999999999", fields: ["chfId"]"#).await;
    assert_eq!(fetch(&app, Some(&admin), &valid).await.3, b",chf_id\n");

    // Only its user fetches it; an unknown name is 404, anonymous 401.
    let (status, kind, _, body) = fetch(&app, Some(&manager), &name).await;
    let refused: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(
        (status, kind.as_str(), refused),
        (
            403,
            "application/json",
            json!({"message": "Only user requesting export can fetch request"})
        )
    );
    assert_eq!(fetch(&app, Some(&admin), "nope.csv").await.0, 404);
    assert_eq!(fetch(&app, None, &name).await.0, 401);

    // Deleted: 410 with the original's text (a JSON string, as DRF renders it).
    execute(
        vars,
        &dir,
        &format!(
            r#"UPDATE "core_exportablequerymodel" SET "is_deleted" = true WHERE "name" = '{name}'"#
        ),
    );
    let (status, _, _, body) = fetch(&app, Some(&admin), &name).await;
    assert_eq!(
        (status, String::from_utf8(body).unwrap().as_str()),
        (410, "\"Export csv file was removed from server.\"")
    );
}

#[actix_rt::test]
async fn an_xlsx_export_is_a_real_workbook() {
    an_xlsx_export_is_a_real_workbook_on(&[]).await;
}

#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn an_xlsx_export_is_a_real_workbook_on_postgres() {
    an_xlsx_export_is_a_real_workbook_on(&postgres_db::fresh_database("insuree_export_xlsx")).await;
}

async fn an_xlsx_export_is_a_real_workbook_on(vars: &[(String, String)]) {
    let (_dir, runtime) = started(vars);
    let (_rt, app) = service(runtime).await;
    let admin = login(&app, "Admin", "admin123").await;
    let before = openimis_sdk::time::now();
    let args = format!(
        r#"{FAMILY_11}, fileFormat: "xlsx", fields: ["chfId", "dob", "head", "relationship", "currentVillage.name", "family"], fieldsColumns: "{{\"chf_id\": \"Number\"}}""#
    );
    let name = export(&app, &admin, &args).await;
    assert!(name.ends_with(".xlsx"), "{name}");
    let (status, kind, disposition, body) = fetch(&app, Some(&admin), &name).await;
    assert_eq!(
        (status, kind.as_str()),
        (
            200,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    );
    assert!(
        attachment_names(&before, "xlsx").contains(&disposition),
        "{disposition}"
    );
    assert!(
        body.starts_with(b"PK"),
        "a zip, not the original's CSV text"
    );
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(body)).expect("an XLSX workbook");
    let sheet = book.worksheet_range_at(0).expect("a sheet").unwrap();
    // The index column's header is empty, as pandas writes it.
    assert!(matches!(sheet.get_value((0, 0)), None | Some(Data::Empty)));
    let header: Vec<String> = (1..7)
        .map(|c| {
            sheet
                .get_value((0, c))
                .map(|d| d.to_string())
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        header,
        [
            "Number",
            "dob",
            "head",
            "relationship",
            "current_village__name",
            "family"
        ]
    );
    assert_eq!(sheet.get_value((1, 0)), Some(&Data::Float(0.0)));
    assert_eq!(
        sheet.get_value((1, 1)),
        Some(&Data::String("100000110".into()))
    );
    match sheet.get_value((2, 2)) {
        Some(Data::DateTime(day)) => assert_eq!(
            day.as_datetime().map(|d| d.date().to_string()).as_deref(),
            Some("2001-02-10")
        ),
        other => panic!("dob is a date cell: {other:?}"),
    }
    assert_eq!(sheet.get_value((1, 3)), Some(&Data::Bool(true)));
    assert_eq!(sheet.get_value((2, 3)), Some(&Data::Bool(false)));
    assert!(matches!(sheet.get_value((1, 4)), None | Some(Data::Empty)));
    assert_eq!(sheet.get_value((2, 4)), Some(&Data::Float(8.0)));
    assert_eq!(
        sheet.get_value((2, 5)),
        Some(&Data::String("Juilöa".into()))
    );
    assert!(matches!(sheet.get_value((2, 6)), Some(Data::Float(_))));
    assert_eq!(sheet.height(), 3);
}

#[actix_rt::test]
async fn bad_export_arguments_are_errors_that_write_nothing() {
    bad_export_arguments_are_errors_that_write_nothing_on(&[]).await;
}

#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn bad_export_arguments_are_errors_that_write_nothing_on_postgres() {
    bad_export_arguments_are_errors_that_write_nothing_on(&postgres_db::fresh_database(
        "insuree_export_bad",
    ))
    .await;
}

async fn bad_export_arguments_are_errors_that_write_nothing_on(vars: &[(String, String)]) {
    let (dir, runtime) = started(vars);
    let (_rt, app) = service(runtime).await;
    let admin = login(&app, "Admin", "admin123").await;
    let rows = r#"SELECT COUNT(*) AS n FROM "core_exportablequerymodel""#;
    for (args, code, naming) in [
        (
            r#"fields: ["chfId", "nopeField"]"#,
            "EXPORT_UNKNOWN_FIELD",
            "nope_field",
        ),
        (
            r#"fields: ["family.nope"]"#,
            "EXPORT_UNKNOWN_FIELD",
            "family__nope",
        ),
        (
            r#"fields: ["chfId.code"]"#,
            "EXPORT_UNKNOWN_FIELD",
            "chf_id__code",
        ),
        (
            r#"fileFormat: "pdf", fields: ["chfId"]"#,
            "EXPORT_BAD_FORMAT",
            "pdf",
        ),
        (r#"fields: []"#, "BAD_ARGUMENT", "fields"),
        (
            r#"fields: ["chfId"], fieldsColumns: "[1]""#,
            "BAD_ARGUMENT",
            "fieldsColumns",
        ),
        (
            r#"fields: ["chfId"], dob_Gte: "not a date""#,
            "BAD_ARGUMENT",
            "dob_Gte",
        ),
    ] {
        let body = ask(&app, Some(&admin), &format!("{{ insureesExport({args}) }}")).await;
        let error = &body["errors"][0];
        assert_eq!(error["extensions"]["code"], code, "{args}: {body}");
        let message = error["message"].as_str().unwrap_or_default();
        assert!(message.contains(naming), "{args}: {message}");
        assert_eq!(body["data"]["insureesExport"], Value::Null, "{body}");
    }
    assert_eq!(count(vars, &dir, rows), 0, "no row written");
    assert_eq!(
        files_under(&dir.path().join("exports")),
        Vec::<std::path::PathBuf>::new(),
        "no file written"
    );
    // Without the right (101101), as `insurees`.
    let plain = login(&app, "reception1", "Demo12345!").await;
    let body = ask(
        &app,
        Some(&plain),
        r#"{ insureesExport(fields: ["chfId"]) }"#,
    )
    .await;
    assert_eq!(body["errors"][0]["message"], "unauthorized", "{body}");
    assert_eq!(count(vars, &dir, rows), 0);
}
