//! Fundings (`tblFunding`, FundingGQLType) read with the module's own SQL: the table's key is a
//! uuid (the original's `HistoryModel`), and the entity layer keys the rows it loads by an
//! integer. The rows of a `WHERE` (built from the entity layer's filters over
//! `specs::FUNDING_FILTERS`), their JSON (`pk` and `uuid` the key, relay `id`
//! `FundingGQLType:<uuid>`, `product`, `userCreated`, `userUpdated` as stubs of product's and
//! core's types) and their `payer`, one statement for all rows.

use crate::specs::PAYER;
use diesel::sql_types::{BigInt, Bool, Nullable, Text};
use openimis_sdk::db::{self, DbConnection};
use openimis_sdk::entity::{self, fixed, Access};
use openimis_sdk::relay::global_id;
use openimis_sdk::sql_filter::Where;
use openimis_sdk::time::iso;
use openimis_sdk::windowed::children;
use openimis_sdk::{ModuleError, SelectionField};
use serde_json::{json, Value};
use std::collections::HashMap;

/// The columns of a funding on alias `f`, each under its row field's name.
const COLUMNS: &str = r#"LOWER(CAST(f."UUID" AS TEXT)) AS uuid, f."isDeleted" AS is_deleted,
    CAST(f."Json_ext" AS TEXT) AS json_ext, CAST(f."DateCreated" AS TEXT) AS date_created,
    CAST(f."DateUpdated" AS TEXT) AS date_updated,
    LOWER(CAST(f."UserCreatedUUID" AS TEXT)) AS user_created,
    LOWER(CAST(f."UserUpdatedUUID" AS TEXT)) AS user_updated, CAST(f."version" AS BIGINT) AS version,
    CAST(f."ProdID" AS BIGINT) AS product, CAST(f."Amount" AS TEXT) AS amount,
    CAST(f."PaidDate" AS TEXT) AS pay_date, f."Status" AS status, CAST(f."PayerID" AS BIGINT) AS payer,
    f."Receipt" AS receipt"#;

/// One funding as read, with the count of a page that carries it and the parent key of a
/// reverse relation's rows.
#[derive(diesel::QueryableByName, Debug)]
pub struct FundingRow {
    #[diesel(sql_type = Text)]
    uuid: String,
    #[diesel(sql_type = Bool)]
    is_deleted: bool,
    #[diesel(sql_type = Nullable<Text>)]
    json_ext: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    date_created: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    date_updated: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    user_created: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    user_updated: Option<String>,
    #[diesel(sql_type = BigInt)]
    version: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    product: Option<i64>,
    #[diesel(sql_type = Nullable<Text>)]
    amount: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pay_date: Option<String>,
    #[diesel(sql_type = Text)]
    status: String,
    #[diesel(sql_type = Nullable<BigInt>)]
    payer: Option<i64>,
    #[diesel(sql_type = Text)]
    receipt: String,
    /// `COUNT(*) OVER ()` when the page carries its total.
    #[diesel(sql_type = Nullable<BigInt>)]
    pub total: Option<i64>,
    /// The parent's key (as text) of a reverse relation's rows.
    #[diesel(sql_type = Nullable<Text>)]
    pub parent: Option<String>,
}

impl FundingRow {
    /// FundingGQLType's JSON (`payer` is completed by [`complete`]).
    pub fn json(&self) -> Value {
        let stub = |pk: Option<Value>| pk.map_or(Value::Null, |pk| json!({ "pk": pk }));
        json!({
            "pk": self.uuid,
            "id": global_id("FundingGQLType", &self.uuid),
            "uuid": self.uuid,
            "isDeleted": self.is_deleted,
            "jsonExt": self.json_ext,
            "dateCreated": self.date_created.as_deref().map(iso),
            "dateUpdated": self.date_updated.as_deref().map(iso),
            "userCreated": stub(self.user_created.clone().map(Value::from)),
            "userUpdated": stub(self.user_updated.clone().map(Value::from)),
            "version": self.version,
            "product": stub(self.product.map(Value::from)),
            "amount": self.amount.as_deref().map(|a| fixed(a, 2)),
            "payDate": self.pay_date.as_deref().map(|d| d.get(..10).unwrap_or(d).to_owned()),
            "status": self.status,
            "payerPk": self.payer,
            "receipt": self.receipt,
        })
    }
}

/// What one read selects besides the columns.
#[derive(Clone, Copy, Default)]
pub struct Read<'a> {
    /// ` ORDER BY ...`.
    pub order: &'a str,
    /// `(offset, limit)`.
    pub window: Option<(usize, usize)>,
    /// Each row carries `COUNT(*) OVER ()`.
    pub with_total: bool,
    /// The column naming a reverse relation's parent, answered as `parent`.
    pub parent: Option<&'a str>,
}

/// The fundings matching `w` (on alias `f`).
pub fn load(
    conn: &mut DbConnection,
    w: &Where,
    read: Read,
) -> Result<Vec<FundingRow>, ModuleError> {
    let total = match read.with_total {
        true => "CAST(COUNT(*) OVER () AS BIGINT)",
        false => "CAST(NULL AS BIGINT)",
    };
    let parent = read
        .parent
        .map_or("CAST(NULL AS TEXT)".to_owned(), |column| {
            format!(r#"LOWER(CAST(f."{column}" AS TEXT))"#)
        });
    let mut sql = format!(
        r#"SELECT {COLUMNS}, {total} AS total, {parent} AS parent FROM "tblFunding" f WHERE {}{}"#,
        w.sql(),
        read.order
    );
    if let Some((offset, limit)) = read.window {
        sql.push_str(&format!(" LIMIT {limit} OFFSET {offset}"));
    }
    db::load(conn, &sql, w.binds())
}

/// How many fundings match `w`.
pub fn count(conn: &mut DbConnection, w: &Where) -> Result<usize, ModuleError> {
    let sql = format!(
        r#"SELECT COUNT(*) AS n FROM "tblFunding" f WHERE {}"#,
        w.sql()
    );
    db::count(conn, &sql, w.binds()).map(|n| n as usize)
}

/// Fills `payer` of each funding row `sel` asks it for: the payers of all rows in one
/// statement, completed for the merged sub-selection (not projected) with `payer_access`.
pub fn complete(
    conn: &mut DbConnection,
    rows: &mut [Value],
    sel: &[SelectionField],
    payer_access: &Access,
) -> Result<(), ModuleError> {
    if !sel.iter().any(|f| f.name == "payer") {
        return Ok(());
    }
    let ids: Vec<i64> = rows.iter().filter_map(|r| r["payerPk"].as_i64()).collect();
    let payers = entity::loaded(conn, &PAYER, &ids, &children(sel, "payer"), payer_access)?;
    let by_pk: HashMap<i64, Value> = payers
        .into_iter()
        .filter_map(|p| p["pk"].as_i64().map(|pk| (pk, p)))
        .collect();
    for row in rows.iter_mut() {
        let payer = row["payerPk"].as_i64().and_then(|pk| by_pk.get(&pk));
        row["payer"] = payer.cloned().unwrap_or(Value::Null);
    }
    Ok(())
}
