//! `GET /api/core/fetch_export?export=<name>` (core.md, `views.fetch_export`): the file an
//! `…Export` field wrote (the SDK's `exports`), for the user who asked for it. 404 for an
//! unknown name, 403 for another user, 410 once deleted; else the file as an attachment named
//! `export_<model>_<dd_mm_YYYY>.<format>`. The body is not read here: the answer names the file
//! (the host's `x-openimis-send-file`, docs/ARCHITECTURE.md) and the host streams it.
//!
//! A file gone from the disk while its row says otherwise answers 410 too (the original fails
//! with a 500); a format other than `csv` is served as XLSX, as the original's always-true
//! `elif ExportableQueryModel.FileFormat.XLSX:` does.

use crate::users::json_response;
use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::{HostHandle, HttpRequest, HttpResponse, ModuleError, RequestContext};
use serde_json::{json, Value};

/// The header the host sends a file by (`host/src/http/send_file.rs`).
const SEND_FILE: &str = "x-openimis-send-file";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[derive(diesel::QueryableByName)]
struct ExportRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    model: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    content: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    user_id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    created: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    is_deleted: bool,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    file_format: Option<String>,
}

/// `value` of `name` in a query string (`+` and `%XX` decoded).
fn query_value(query: &str, name: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        (decode(key) == name).then(|| decode(value))
    })
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = |b: u8| (b as char).to_digit(16);
                match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                    (Some(high), Some(low)) => {
                        out.push((high * 16 + low) as u8);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// `dd_mm_YYYY` of a stored timestamp.
fn day_month_year(stored: &str) -> String {
    let part = |a: usize, b: usize| stored.get(a..b).unwrap_or("00");
    format!("{}_{}_{}", part(8, 10), part(5, 7), part(0, 4))
}

pub fn http(
    host: &HostHandle,
    conn: &mut Conn,
    request: &HttpRequest,
) -> Result<HttpResponse, ModuleError> {
    let method = request.method.as_str();
    if !method.eq_ignore_ascii_case("GET") {
        let detail = format!("Method \"{method}\" not allowed.");
        return Ok(json_response(405, &json!({ "detail": detail })));
    }
    let context: RequestContext =
        serde_json::from_str(request.context.as_str()).unwrap_or_default();
    let Some(user) = context.user.get("id").and_then(Value::as_str) else {
        return Ok(json_response(
            401,
            &json!({"detail": "Authentication credentials were not provided."}),
        ));
    };
    let name = query_value(request.query.as_str(), "export").unwrap_or_default();
    let rows: Vec<ExportRow> = db::load(
        conn,
        r#"SELECT "model" AS model, "content" AS content, CAST("User" AS TEXT) AS user_id,
                  CAST("DateCreated" AS TEXT) AS created, "is_deleted" AS is_deleted, "file_format" AS file_format
           FROM "core_exportablequerymodel" WHERE "name" = ? ORDER BY "id" LIMIT 1"#,
        &[Bind::text(name)],
    )?;
    let Some(export) = rows.into_iter().next() else {
        return Ok(json_response(404, &json!({"detail": "Not found."})));
    };
    if !export.user_id.eq_ignore_ascii_case(user) {
        let refused = json!({"message": "Only user requesting export can fetch request"});
        return Ok(json_response(403, &refused));
    }
    let removed = json!("Export csv file was removed from server.");
    if export.is_deleted {
        return Ok(json_response(410, &removed));
    }
    let settings: Value = host.call("host", "settings.get", &Value::Null)?;
    let root = std::path::Path::new(settings["exports_root"].as_str().unwrap_or_default());
    if !root.join(&export.content).is_file() {
        return Ok(json_response(410, &removed));
    }
    let format = export.file_format.as_deref().unwrap_or("None");
    let file_name = format!(
        "export_{}_{}.{format}",
        export.model,
        day_month_year(&export.created)
    );
    let content_type = if format == "csv" { "text/csv" } else { XLSX };
    Ok(HttpResponse {
        status: 200,
        headers: vec![
            ("content-type".into(), content_type.into()).into(),
            (
                "content-disposition".into(),
                format!("attachment; filename=\"{file_name}\"").into(),
            )
                .into(),
            (SEND_FILE.into(), export.content.into()).into(),
        ]
        .into(),
        body: Vec::new().into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_query_and_the_file_name_read_as_the_original() {
        assert_eq!(
            query_value("a=1&export=ab%2Dc.csv", "export").as_deref(),
            Some("ab-c.csv")
        );
        assert_eq!(query_value("export=", "export").as_deref(), Some(""));
        assert_eq!(query_value("x=%zz", "x").as_deref(), Some("%zz"));
        assert_eq!(query_value("x=%2", "x").as_deref(), Some("%2"));
        assert_eq!(day_month_year("2025-12-31 23:59:59.1+00"), "31_12_2025");
    }
}
