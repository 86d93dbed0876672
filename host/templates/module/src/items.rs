//! The module's items, rows of the `{{name}}_Item` table its migrations create, read and written
//! with the SDK's portable SQL (PostgreSQL and SQLite), and the `{{camel}}Items` query.

use crate::translations;
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::mutation::MutationError;
use openimis_sdk::project::project;
use openimis_sdk::relay::{global_id, paginate};
use openimis_sdk::time;
use openimis_sdk::{ModuleError, SelectionField};
use serde_json::{json, Value};

/// The GraphQL type of an item.
pub const TYPE_NAME: &str = "{{Pascal}}ItemGQLType";

/// The longest code the `Code` column takes.
pub const CODE_MAX: usize = 8;

#[derive(diesel::QueryableByName)]
struct ItemRow {
    #[diesel(sql_type = diesel::sql_types::Integer)]
    id: i32,
    #[diesel(sql_type = diesel::sql_types::Text)]
    uuid: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    code: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    name: Option<String>,
}

/// Why an item was not stored.
#[derive(Debug)]
pub enum ItemError {
    /// A message key of `translations/<lang>.json`.
    Invalid(&'static str),
    Database(ModuleError),
}

impl From<ModuleError> for ItemError {
    fn from(error: ModuleError) -> Self {
        ItemError::Database(error)
    }
}

impl ItemError {
    /// As the mutation log records it: the message key (which the frontend translates with
    /// `GET /api/translations/`), and the text in the user's language as detail.
    pub fn logged(self, language: &str) -> MutationError {
        let (key, detail) = match self {
            ItemError::Invalid(key) => (key, translations::message(language, key)),
            ItemError::Database(error) => (
                "{{name}}.mutation.failed_to_create_item",
                error.message.to_string(),
            ),
        };
        MutationError {
            message: key.to_owned(),
            detail: Some(detail),
        }
    }
}

/// The current items whose code contains `code_contains` (case-insensitive), oldest first, as
/// JSON nodes (`pk`, relay `id`, `uuid`, `code`, `name`).
pub fn list(conn: &mut DbConnection, code_contains: Option<&str>) -> Result<Vec<Value>, ModuleError> {
    let mut sql = String::from(
        r#"SELECT "ItemId" AS id, CAST("ItemUUID" AS TEXT) AS uuid, "Code" AS code, "Name" AS name
           FROM "{{name}}_Item" WHERE "ValidityTo" IS NULL"#,
    );
    let mut binds = Vec::new();
    if let Some(part) = code_contains {
        sql.push_str(r#" AND LOWER("Code") LIKE ? ESCAPE '\'"#);
        let escaped = part.to_lowercase().replace('\\', r"\\").replace('%', r"\%").replace('_', r"\_");
        binds.push(Bind::text(format!("%{escaped}%")));
    }
    sql.push_str(r#" ORDER BY "ItemId""#);
    let rows: Vec<ItemRow> = db::load(conn, &sql, &binds)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            json!({
                "pk": row.id,
                "id": global_id(TYPE_NAME, row.id),
                "uuid": row.uuid,
                "code": row.code,
                "name": row.name,
            })
        })
        .collect())
}

/// Answers `{{camel}}Items(...)`: a relay connection with `totalCount`.
pub fn query(conn: &mut DbConnection, field: &SelectionField) -> Result<Value, ModuleError> {
    let rows = list(conn, field.arg("code_Icontains").and_then(Value::as_str))?;
    paginate(field, &rows, |selection, row| project(selection, row, "pk"))
}

fn code_taken(conn: &mut DbConnection, code: &str) -> Result<bool, ModuleError> {
    let sql = r#"SELECT COUNT(*) AS n FROM "{{name}}_Item" WHERE "Code" = ? AND "ValidityTo" IS NULL"#;
    Ok(db::count(conn, sql, &[Bind::text(code)])? > 0)
}

/// Validates and stores a new item; answers its uuid.
pub fn create(conn: &mut DbConnection, code: &str, name: Option<&str>) -> Result<String, ItemError> {
    if code.trim().is_empty() {
        return Err(ItemError::Invalid("{{name}}.item.code_required"));
    }
    if code.chars().count() > CODE_MAX {
        return Err(ItemError::Invalid("{{name}}.item.code_too_long"));
    }
    if code_taken(conn, code)? {
        return Err(ItemError::Invalid("{{name}}.item.code_taken"));
    }
    let uuid = uuid::Uuid::new_v4().to_string();
    let (uuid_param, stamp) = (db::uuid_param(conn), db::timestamp_param(conn));
    db::execute(
        conn,
        &format!(
            r#"INSERT INTO "{{name}}_Item" ("ItemUUID", "Code", "Name", "ValidityFrom") VALUES ({uuid_param}, ?, ?, {stamp})"#
        ),
        &[
            Bind::text(&uuid),
            Bind::text(code),
            Bind::Text(name.map(str::to_owned)),
            Bind::text(time::now()),
        ],
    )?;
    Ok(uuid)
}
