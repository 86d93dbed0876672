//! Attachments (`claim_ClaimAttachment`, ClaimAttachmentGQLType) read with the module's own SQL:
//! the table's key is a uuid, and the entity layer keys the rows it loads by an integer. The
//! rows of a `WHERE` on alias `at` (built from the entity layer's filters over
//! [`ATTACHMENT_FILTERS`]), their JSON (`pk` the uuid, relay `id`
//! `ClaimAttachmentGQLType:<uuid>`, `claimPk` and `predefinedTypePk` for the relations).

use diesel::sql_types::{BigInt, Nullable, Text};
use openimis_sdk::db::{self, DbConnection};
use openimis_sdk::entity::*;
use openimis_sdk::relay::global_id;
use openimis_sdk::sql_filter::Where;
use openimis_sdk::time::iso;
use openimis_sdk::ModuleError;
use serde_json::{json, Value};

/// `ClaimAttachmentGQLType`'s filter set besides `id` (the uuid key) and `claim_*`.
pub static ATTACHMENT_FILTERS: EntitySpec = EntitySpec {
    type_name: "ClaimAttachmentGQLType",
    table: "claim_ClaimAttachment",
    alias: "at",
    key: "id",
    uuid: None,
    history: None,
    fields: &[
        text("type", "type").filters(EXACT | ICONTAINS),
        text("title", "title").filters(EXACT | ICONTAINS),
        date("date", "date").filters(EXACT | RANGE),
        text("filename", "filename").filters(EXACT | ICONTAINS),
        text("mime", "mime").filters(EXACT | ICONTAINS),
        text("generalType", "general_type").filters(EXACT | ICONTAINS),
        text("url", "url").filters(EXACT | ICONTAINS),
    ],
};

/// `LOWER(CAST(at."id" AS TEXT))`, compared with lower-case uuid texts.
pub const KEY: &str = r#"LOWER(CAST(at."id" AS TEXT))"#;

/// The columns of an attachment on alias `at`, each under its row field's name.
const COLUMNS: &str = r#"LOWER(CAST(at."id" AS TEXT)) AS id, CAST(at."ValidityFrom" AS TEXT) AS validity_from,
    CAST(at."ValidityTo" AS TEXT) AS validity_to, LOWER(CAST(at."LegacyID" AS TEXT)) AS legacy_id,
    CAST(at."claim_id" AS BIGINT) AS claim, at."general_type" AS general_type, at."type" AS kind,
    CAST(at."predefined_type_id" AS BIGINT) AS predefined_type, at."title" AS title,
    CAST(at."date" AS TEXT) AS date, at."filename" AS filename, at."mime" AS mime,
    at."module" AS module, at."url" AS url, at."document" AS document"#;

/// One attachment as read, with the count of a page that carries it.
#[derive(diesel::QueryableByName, Debug)]
pub struct AttachmentRow {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Nullable<Text>)]
    validity_from: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    validity_to: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    legacy_id: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub claim: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    general_type: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    kind: Option<String>,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub predefined_type: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    title: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    date: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    filename: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    mime: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    module: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    url: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    document: Option<String>,
    /// `COUNT(*) OVER ()` when the page carries its total.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub total: Option<i64>,
}

impl AttachmentRow {
    /// ClaimAttachmentGQLType's JSON (`claim` and `predefinedType` are completed after).
    pub fn json(&self) -> Value {
        json!({
            "pk": self.id,
            "id": global_id("ClaimAttachmentGQLType", &self.id),
            "validityFrom": self.validity_from.as_deref().map(iso),
            "validityTo": self.validity_to.as_deref().map(iso),
            "legacyId": self.legacy_id,
            "claimPk": self.claim,
            "generalType": self.general_type,
            "type": self.kind,
            "predefinedTypePk": self.predefined_type,
            "title": self.title,
            "date": self.date.as_deref().map(|d| d.get(..10).unwrap_or(d).to_owned()),
            "filename": self.filename,
            "mime": self.mime,
            "module": self.module,
            "url": self.url,
            "document": self.document,
            // Declared by the original's type without a resolver.
            "doc": null,
        })
    }
}

/// The order of a list: the original's is the database's (unordered); here by date, then key.
pub const ORDER: &str = r#" ORDER BY at."date", at."ValidityFrom", LOWER(CAST(at."id" AS TEXT))"#;

/// The attachments matching `w` (on alias `at`), ordered, in the window `(offset, limit)`.
pub fn load(
    conn: &mut DbConnection,
    w: &Where,
    window: Option<(usize, usize)>,
    with_total: bool,
) -> Result<Vec<AttachmentRow>, ModuleError> {
    let total = match with_total {
        true => "CAST(COUNT(*) OVER () AS BIGINT)",
        false => "CAST(NULL AS BIGINT)",
    };
    let mut sql = format!(
        r#"SELECT {COLUMNS}, {total} AS total FROM "claim_ClaimAttachment" at WHERE {}{ORDER}"#,
        w.sql()
    );
    if let Some((offset, limit)) = window {
        sql.push_str(&format!(" LIMIT {limit} OFFSET {offset}"));
    }
    db::load(conn, &sql, w.binds())
}

/// How many attachments match `w`.
pub fn count(conn: &mut DbConnection, w: &Where) -> Result<usize, ModuleError> {
    let sql = format!(
        r#"SELECT COUNT(*) AS n FROM "claim_ClaimAttachment" at WHERE {}"#,
        w.sql()
    );
    db::count(conn, &sql, w.binds()).map(|n| n as usize)
}
