//! The module's items: the `{{name}}_Item` table declared once as an [`EntitySpec`], which
//! gives the `{{camel}}Items` connection (django-style filters, `orderBy`, paging in SQL),
//! the items by key (`node`, federation) and the versioned writes, on PostgreSQL and SQLite;
//! and what the mutations write: the typed [`ItemInput`], checked here before it is stored.

use crate::translations;
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity::{self, text, Access, EntitySpec, HISTORY, TEXT};
use openimis_sdk::mutation::MutationError;
use openimis_sdk::sql_filter::Where;
use openimis_sdk::{ModuleError, SelectionField};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The GraphQL type of an item.
pub const TYPE_NAME: &str = "{{Pascal}}ItemGQLType";

/// The longest code the `Code` column takes.
pub const CODE_MAX: usize = 8;

/// An item: its table, key, uuid and history columns, and the fields GraphQL answers. The
/// lookups a field accepts become its filter arguments (`TEXT`: `code`, `code_Iexact`,
/// `code_Icontains`, `code_Istartswith`); `.write()` lets `entity::insert`/`update` set it.
pub static ITEM: EntitySpec = EntitySpec {
    type_name: TYPE_NAME,
    table: "{{name}}_Item",
    alias: "i",
    key: "ItemId",
    uuid: Some("ItemUUID"),
    // `ValidityFrom`/`ValidityTo`, `LegacyID`, `AuditUserID`: only current rows are listed
    // unless `showHistory: true`; an update keeps a history copy, a delete ends the row.
    history: Some(HISTORY),
    fields: &[
        text("code", "Code").filters(TEXT).write(),
        text("name", "Name").filters(TEXT).write(),
    ],
};

/// Who may see which items: every row here. A module with rights or row security answers
/// `Access::rows(&|spec, reach, w| ...)`, which adds its clauses to every load of the entity.
fn access() -> Access<'static> {
    Access::open()
}

/// Answers `{{camel}}Items(...)`: one page of the current items matching the arguments, counted
/// only when `totalCount` is asked for. A bad argument value is a `BAD_ARGUMENT` error.
pub fn list(conn: &mut DbConnection, field: &SelectionField) -> Result<Value, ModuleError> {
    entity::connection(conn, &ITEM, field, Where::new(), &access())
}

/// The items of `keys` for the host's `entities` (relay `node`, other modules' references):
/// one entry per key, `null` for a missing one.
pub fn by_keys(
    conn: &mut DbConnection,
    keys: &[Value],
    selection: &[SelectionField],
) -> Result<Vec<Value>, ModuleError> {
    entity::by_keys(conn, &ITEM, keys, selection, &access())
}

/// What the item mutations accept; a key of the wrong type refuses the input before anything
/// is written, other keys (`clientMutationId`...) are left to the log.
#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ItemInput {
    /// The item to update or delete; on create, the new item's uuid if the client chose it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl ItemInput {
    /// The values `entity::insert`/`update` write, by GraphQL name: only the fields given.
    pub fn values(&self) -> Value {
        serde_json::to_value(self).unwrap_or_default()
    }
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
            ItemError::Database(error) => {
                ("{{name}}.mutation.failed", error.message.to_string())
            }
        };
        MutationError {
            message: key.to_owned(),
            detail: Some(detail),
        }
    }
}

/// Checks a code for an item (`except`: the item being updated).
fn check_code(conn: &mut DbConnection, code: &str, except: Option<i64>) -> Result<(), ItemError> {
    if code.trim().is_empty() {
        return Err(ItemError::Invalid("{{name}}.item.code_required"));
    }
    if code.chars().count() > CODE_MAX {
        return Err(ItemError::Invalid("{{name}}.item.code_too_long"));
    }
    let sql = r#"SELECT COUNT(*) AS n FROM "{{name}}_Item"
                 WHERE "Code" = ? AND "ValidityTo" IS NULL AND "ItemId" <> ?"#;
    let binds = [Bind::text(code), Bind::BigInt(Some(except.unwrap_or(-1)))];
    match db::count(conn, sql, &binds)? {
        0 => Ok(()),
        _ => Err(ItemError::Invalid("{{name}}.item.code_taken")),
    }
}

/// The key of the current item the input's `uuid` names.
fn existing(conn: &mut DbConnection, input: &ItemInput) -> Result<i64, ItemError> {
    let uuid = input.uuid.as_deref().unwrap_or_default();
    entity::pk_by_uuid(conn, &ITEM, uuid)?.ok_or(ItemError::Invalid("{{name}}.item.not_found"))
}

/// Validates and stores a new item (a new uuid unless the input gives one); answers its key.
pub fn create(
    conn: &mut DbConnection,
    input: &ItemInput,
    audit_user_id: i64,
) -> Result<i64, ItemError> {
    check_code(conn, input.code.as_deref().unwrap_or_default(), None)?;
    Ok(entity::insert(conn, &ITEM, &input.values(), audit_user_id)?)
}

/// Changes the fields the input gives; the previous version stays as a history row.
pub fn update(
    conn: &mut DbConnection,
    input: &ItemInput,
    audit_user_id: i64,
) -> Result<(), ItemError> {
    let pk = existing(conn, input)?;
    if let Some(code) = &input.code {
        check_code(conn, code, Some(pk))?;
    }
    Ok(entity::update(
        conn,
        &ITEM,
        pk,
        &input.values(),
        audit_user_id,
    )?)
}

/// Ends the item (`ValidityTo` = now): it leaves the list, `showHistory: true` still shows it.
pub fn delete(conn: &mut DbConnection, input: &ItemInput) -> Result<(), ItemError> {
    let pk = existing(conn, input)?;
    Ok(entity::delete(conn, &ITEM, pk)?)
}
