//! A file a module has the host send: the module's HTTP response crosses the ABI with its
//! body in memory, so for a large file (an export) the module answers the header
//! [`HEADER`] naming the file relative to `EXPORTS_ROOT_PATH`, and an empty body. The host
//! streams that file (actix-files, read in chunks; ranges and conditional requests as for a
//! static file) with the module's other headers, and the header never reaches the client.
//! Only files inside the exports directory are sent: a path that is absolute, holds `..`, or
//! leads out through a link is refused (403 `SEND_FILE_REFUSED`); a missing file is 404.

use super::errors::ApiError;
use actix_files::NamedFile;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use std::path::{Component, Path, PathBuf};

/// The header naming the file to send, relative to the exports directory.
pub const HEADER: &str = "x-openimis-send-file";

fn refused(relative: &str) -> ApiError {
    log::error!("a module asked to send {relative:?}, which is not inside EXPORTS_ROOT_PATH");
    ApiError::new(
        StatusCode::FORBIDDEN,
        "SEND_FILE_REFUSED",
        "This file cannot be sent.",
    )
}

fn missing() -> ApiError {
    ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", "Not found.")
}

/// `root/relative` when `relative` only descends and the file, links resolved, is in `root`.
fn inside(root: &Path, relative: &str) -> Result<PathBuf, ApiError> {
    let path = Path::new(relative);
    let descends = path.components().all(|c| matches!(c, Component::Normal(_)));
    if relative.is_empty() || !descends {
        return Err(refused(relative));
    }
    let root = root.canonicalize().map_err(|_| missing())?;
    let file = root.join(path).canonicalize().map_err(|_| missing())?;
    if !file.starts_with(&root) || !file.is_file() {
        return Err(refused(relative));
    }
    Ok(file)
}

/// The response streaming `relative` (under `root`) with the module's `headers`.
pub async fn send(
    root: &Path,
    relative: &str,
    headers: Vec<(String, String)>,
    request: &HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let file = inside(root, relative)?;
    let named = NamedFile::open_async(&file)
        .await
        .map_err(|_| missing())?
        .disable_content_disposition();
    let mut response = named.into_response(request);
    for (name, value) in headers {
        if name.eq_ignore_ascii_case(HEADER) {
            continue;
        }
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            response.headers_mut().insert(name, value);
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::inside;

    #[test]
    fn only_files_inside_the_root_are_sent() {
        let base = std::env::temp_dir().join(format!("send-file-{}", std::process::id()));
        let (root, outside) = (base.join("root"), base.join("outside"));
        std::fs::create_dir_all(root.join("query_exports/u")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(root.join("query_exports/u/a.csv"), "x").unwrap();
        std::fs::write(outside.join("secret"), "s").unwrap();
        std::os::unix::fs::symlink(outside.join("secret"), root.join("query_exports/u/link"))
            .unwrap();
        assert!(inside(&root, "query_exports/u/a.csv").is_ok());
        for bad in [
            "../secret",
            "query_exports/../../secret",
            "/etc/passwd",
            "query_exports/u/link",
            "query_exports/u",
            "",
        ] {
            assert!(inside(&root, bad).is_err(), "{bad}");
        }
        let gone = inside(&root, "query_exports/u/gone.csv").unwrap_err();
        assert_eq!(gone.status.as_u16(), 404);
        std::fs::remove_dir_all(&base).unwrap();
    }
}
