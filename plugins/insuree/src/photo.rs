//! Photos as the original keeps them (`handle_insuree_photo`): with a photo root configured, the
//! base64 content is written to `<root>/<year>/<month>/<day>/<insuree id>/<photo uuid>` and the
//! `tblPhotos` row keeps the folder, the file name and the content; `PhotoGQLType.photo` answers
//! the stored content or reads the file back.
//!
//! `save` is `handle_insuree_photo` inside the mutation's transaction.
//!
//! The original also resizes the image to fit 1024×1024 (Pillow); this module stores it as sent.

use crate::config::Config;
use crate::reads::{db_error, row_of, Detail};
use crate::specs::{INSUREE, PHOTO};
use base64::Engine;
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::{entity, time};
use serde::Deserialize;
use serde_json::json;
use std::path::Path;

/// The file's content as base64, `None` when it cannot be read.
pub fn load(root: &str, folder: &str, file: &str) -> Option<String> {
    let bytes = std::fs::read(Path::new(root).join(folder).join(file)).ok()?;
    Some(base64::engine::general_purpose::STANDARD.encode(bytes))
}

/// Writes `content` (base64) for insuree `insuree` at `now` (`YYYY-MM-DD ...`) under `name`;
/// answers `(folder, file name)`.
pub fn store(
    root: &str,
    now: &str,
    insuree: i64,
    content: &str,
    name: &str,
) -> Result<(String, String), String> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(content.trim())
        .map_err(|e| format!("Incorrect padding: {e}"))?;
    let part = |a: usize, b: usize| {
        now.get(a..b)
            .and_then(|s| s.parse::<u32>().ok())
            .unwrap_or(0)
    };
    let folder = format!("{}/{}/{}/{insuree}", part(0, 4), part(5, 7), part(8, 10));
    let dir = Path::new(root).join(&folder);
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(dir.join(name), bytes).map_err(|e| e.to_string())?;
    Ok((folder, name.to_owned()))
}

/// `PhotoInputType` (its `filename` and `folder` are set by the save, as the original's).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PhotoInput {
    pub uuid: Option<String>,
    pub date: Option<String>,
    #[serde(default, deserialize_with = "openimis_sdk::input::int")]
    pub officer_id: Option<i64>,
    pub photo: Option<String>,
}

/// `handle_insuree_photo`: a new or changed photo is written to its file and `tblPhotos`
/// (a changed one keeps its id, its old version in history); the insuree names it.
pub fn save(
    conn: &mut DbConnection,
    config: &Config,
    insuree: i64,
    photo_id: Option<i64>,
    input: &PhotoInput,
    audit: i64,
) -> Result<(), Detail> {
    let existing = match photo_id {
        Some(id) => Some(row_of(conn, &PHOTO, id)?).filter(|r| !r.is_null()),
        None => None,
    };
    if let Some(stored) = &existing {
        let same = stored["date"].as_str() == input.date.as_deref()
            && stored["officerId"].as_i64() == input.officer_id
            && stored["photo"].as_str() == input.photo.as_deref();
        if same {
            return Ok(());
        }
    }
    let root = &config.insuree_photos_root_path;
    let Some(content) = input
        .photo
        .as_deref()
        .filter(|p| !p.is_empty() && !root.is_empty())
    else {
        return Ok(());
    };
    let mut uuid = input
        .uuid
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    if existing
        .as_ref()
        .is_some_and(|s| s["uuid"].as_str() == Some(uuid.as_str()))
    {
        uuid = uuid::Uuid::new_v4().to_string();
    }
    let now = time::now();
    let (folder, file) = store(root, &now, insuree, content, &uuid)?;
    let values = json!({"uuid": uuid, "insuree": insuree, "folder": folder, "filename": file,
        "photo": content, "officerId": input.officer_id, "date": input.date});
    let photo = match existing {
        Some(stored) => {
            let pk = stored["pk"].as_i64().unwrap_or_default();
            entity::copy_to_history(conn, &PHOTO, pk).map_err(db_error)?;
            entity::update_in_place(conn, &PHOTO, pk, &values, Some(audit)).map_err(db_error)?;
            let sql = format!(
                r#"UPDATE "tblPhotos" SET "PhotoUUID" = {} WHERE "PhotoID" = ?"#,
                db::uuid_param(conn)
            );
            db::execute(conn, &sql, &[Bind::text(&uuid), Bind::BigInt(Some(pk))])
                .map_err(db_error)?;
            entity::restamp(conn, &PHOTO, pk).map_err(db_error)?;
            pk
        }
        None => entity::insert(conn, &PHOTO, &values, audit).map_err(db_error)?,
    };
    let named = json!({"photo": photo, "photoDate": input.date});
    entity::update_in_place(conn, &INSUREE, insuree, &named, Some(audit)).map_err(db_error)
}
