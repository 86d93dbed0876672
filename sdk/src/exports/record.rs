//! Where an export goes and what remembers it: the file under the host's exports directory
//! (`EXPORTS_ROOT_PATH`, the original's `MEDIA_ROOT`) at the original's
//! `query_exports/user_<user id>/<name>`, and core's `core_exportablequerymodel` row that core's
//! `fetch_export` serves it by.

use crate::abi::ModuleError;
use crate::db::{self, Bind, DbConnection};
use crate::{HostHandle, RequestContext};
use serde_json::Value;
use std::path::PathBuf;
use std::time::{Duration, SystemTime};

/// How long an export is kept (the original's `_get_default_expire_date`: a day).
const KEPT: Duration = Duration::from_secs(86_400);

/// Who asks, and where the host keeps exports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Destination {
    /// The exports directory (`settings.get` → `exports_root`).
    pub root: PathBuf,
    /// The caller's `core_User` id.
    pub user: String,
}

impl Destination {
    /// The request's user and the host's exports directory.
    pub fn of(host: &HostHandle, context: &RequestContext) -> Result<Self, ModuleError> {
        let user = context.user["id"].as_str().unwrap_or_default().to_owned();
        let safe = !user.is_empty() && user.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
        if !safe {
            return Err(ModuleError::new("UNAUTHORIZED", "unauthorized"));
        }
        let settings: Value = host.call("host", "settings.get", &Value::Null)?;
        let root = settings["exports_root"].as_str().unwrap_or_default();
        if root.is_empty() {
            return Err(ModuleError::new(
                "EXPORT_FAILED",
                "The host names no exports directory (EXPORTS_ROOT_PATH)",
            ));
        }
        Ok(Self {
            root: root.into(),
            user,
        })
    }

    /// The folder of this user's exports, relative to the root.
    pub fn folder(&self) -> String {
        format!("query_exports/user_{}", self.user)
    }
}

/// One `core_exportablequerymodel` row.
pub struct Row<'a> {
    pub name: &'a str,
    pub model: &'a str,
    /// The file, relative to the exports root.
    pub content: &'a str,
    pub user: &'a str,
    pub sql_query: &'a str,
    pub file_format: &'a str,
}

/// Inserts `row`, created now and expiring in a day, not deleted.
pub fn insert(conn: &mut DbConnection, row: &Row) -> Result<(), ModuleError> {
    let now = SystemTime::now();
    let (ts, uuid) = (db::timestamp_param(conn), db::uuid_param(conn));
    let sql = format!(
        r#"INSERT INTO "core_exportablequerymodel" ("name", "model", "content", "User", "sql_query", "DateCreated", "DateExpiring", "is_deleted", "file_format") VALUES (?, ?, ?, {uuid}, ?, {ts}, {ts}, ?, ?)"#
    );
    db::execute(
        conn,
        &sql,
        &[
            Bind::text(row.name),
            Bind::text(row.model),
            Bind::text(row.content),
            Bind::text(row.user),
            Bind::text(row.sql_query),
            Bind::text(crate::time::at(now)),
            Bind::text(crate::time::at(now + KEPT)),
            Bind::Bool(Some(false)),
            Bind::text(row.file_format),
        ],
    )
    .map(drop)
}
