//! The rows medical_pricelist reads (`tblPLServices`/`tblPLItems` and their details), their SQL
//! column lists and their GraphQL JSON (`pk` is the key; `location` a stub location resolves).

use crate::decimal::fixed;
use crate::kind::Kind;
use crate::Conn;
// `#[diesel(embed)]` names the trait unqualified in the code it derives.
use diesel::deserialize::QueryableByName;
use openimis_sdk::db;
use openimis_sdk::relay::global_id;
use openimis_sdk::versioned::HistoryColumns;
use openimis_sdk::ModuleError;
use serde_json::{json, Value};

type Int = diesel::sql_types::Integer;
type Text = diesel::sql_types::Text;
type Opt<T> = diesel::sql_types::Nullable<T>;

pub use openimis_sdk::sql_filter::id_list;

#[derive(diesel::QueryableByName, Debug, Clone)]
pub struct PricelistRow {
    #[diesel(sql_type = Int)]
    pub id: i32,
    #[diesel(sql_type = Text)]
    pub uuid: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub pricelist_date: String,
    #[diesel(sql_type = Opt<Int>)]
    pub location_id: Option<i32>,
    #[diesel(embed)]
    pub history: HistoryColumns,
}

/// The columns of a price list read from alias `pl`.
pub fn pricelist_columns(kind: Kind) -> String {
    format!(
        r#"pl."{pk}" AS id, pl."{uuid}" AS uuid, pl."{name}" AS name, CAST(pl."DatePL" AS TEXT) AS pricelist_date,
    pl."LocationId" AS location_id, CAST(pl."ValidityFrom" AS TEXT) AS validity_from,
    CAST(pl."ValidityTo" AS TEXT) AS validity_to, pl."LegacyID" AS legacy_id, pl."AuditUserID" AS audit_user_id"#,
        pk = kind.pk(),
        uuid = kind.uuid_column(),
        name = kind.name_column(),
    )
}

impl PricelistRow {
    /// The scalar fields of the kind's price-list type, `pk`, and the `location` stub.
    pub fn to_json(&self, kind: Kind) -> Value {
        self.history.add_to(json!({
            "pk": self.id, "id": global_id(kind.type_name(), self.id), "uuid": self.uuid,
            "name": self.name, "pricelistDate": self.pricelist_date.get(..10).unwrap_or(&self.pricelist_date),
            "location": self.location_id.map(|l| json!({"pk": l})),
        }))
    }
}

/// Price lists by id, whatever their validity (references name exact rows).
pub fn pricelists_by_id(
    conn: &mut Conn,
    kind: Kind,
    ids: &[i64],
) -> Result<Vec<PricelistRow>, ModuleError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    db::load(
        conn,
        &format!(
            r#"SELECT {} FROM "{}" pl WHERE pl."{}" IN ({})"#,
            pricelist_columns(kind),
            kind.table(),
            kind.pk(),
            id_list(ids)
        ),
        &[],
    )
}

#[derive(diesel::QueryableByName, Debug, Clone)]
pub struct DetailRow {
    #[diesel(sql_type = Int)]
    pub id: i32,
    #[diesel(sql_type = Int)]
    pub list_id: i32,
    #[diesel(sql_type = Int)]
    pub target_id: i32,
    #[diesel(sql_type = Opt<Text>)]
    pub price_overrule: Option<String>,
    #[diesel(embed)]
    pub history: HistoryColumns,
}

impl DetailRow {
    /// The scalar fields of the kind's detail type, `pk` and `listPk` (the price list's id).
    pub fn to_json(&self, kind: Kind) -> Value {
        self.history.add_to(json!({
            "pk": self.id, "id": global_id(kind.detail_type_name(), self.id), "listPk": self.list_id,
            "targetPk": self.target_id,
            "priceOverrule": self.price_overrule.as_deref().map(|p| fixed(p, 2)),
        }))
    }
}

/// Detail rows matching `clause` (on alias `d`), in id order.
pub fn details_where(
    conn: &mut Conn,
    kind: Kind,
    clause: &str,
) -> Result<Vec<DetailRow>, ModuleError> {
    db::load(
        conn,
        &format!(
            r#"SELECT d."{pk}" AS id, d."{list}" AS list_id, d."{target}" AS target_id,
                CAST(d."PriceOverule" AS TEXT) AS price_overrule, CAST(d."ValidityFrom" AS TEXT) AS validity_from,
                CAST(d."ValidityTo" AS TEXT) AS validity_to, d."LegacyID" AS legacy_id, d."AuditUserID" AS audit_user_id
             FROM "{table}" d WHERE {clause} ORDER BY d."{pk}""#,
            pk = kind.detail_pk(),
            list = kind.pk(),
            target = kind.target_column(),
            table = kind.detail_table(),
        ),
        &[],
    )
}
