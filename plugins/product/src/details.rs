//! A save's covered items and services (`set_product_details`) and relative distributions
//! (`set_product_relative_distribution`), and the copies `duplicateProduct` makes.
//!
//! As the original's code (the spec's summary is looser): on an update every detail row of the
//! product (history ones too) ends now and moves to the history copy; when the input omits
//! the list, the valid ones are first re-created on the product; relative distributions move
//! the same way and are re-created only from the input (an update without `relativePrices`
//! leaves none).

use crate::amount::Amount;
use crate::checks::{code, validation_error, Failure};
use crate::enums;
use crate::inputs::{DetailInput, RelativePrices};
use crate::reads::key_by_uuid;
use crate::specs::{PRODUCT_ITEM, PRODUCT_SERVICE, RELATIVE_DISTRIBUTION};
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity::{self, EntitySpec, Shape};
use openimis_sdk::sql_filter::Where;
use openimis_sdk::time;
use serde_json::{json, Map, Value};

/// Items or services: their detail table and the medical table they name.
pub struct Kind {
    pub spec: &'static EntitySpec,
    /// The detail's field naming the medical row (`item`).
    pub field: &'static str,
    /// `(table, key, uuid column)` of the medical rows, and the model in error texts.
    pub target: (&'static str, &'static str, &'static str),
    pub model: &'static str,
}

pub const ITEMS: Kind = Kind {
    spec: &PRODUCT_ITEM,
    field: "item",
    target: ("tblItems", "ItemID", "ItemUUID"),
    model: "Item",
};

pub const SERVICES: Kind = Kind {
    spec: &PRODUCT_SERVICE,
    field: "service",
    target: ("tblServices", "ServiceID", "ServiceUUID"),
    model: "Service",
};

fn end_and_move(
    conn: &mut DbConnection,
    spec: &EntitySpec,
    pk: i64,
    history: i64,
) -> Result<(), Failure> {
    let stamp = db::timestamp_param(conn);
    let sql = format!(
        r#"UPDATE "{}" SET "ValidityTo" = {stamp}, "ProdID" = ? WHERE "ProdID" = ?"#,
        spec.table
    );
    let binds = [
        Bind::text(time::now()),
        Bind::BigInt(Some(history)),
        Bind::BigInt(Some(pk)),
    ];
    db::execute(conn, &sql, &binds)?;
    Ok(())
}

fn valid_rows(conn: &mut DbConnection, spec: &EntitySpec, pk: i64) -> Result<Vec<Value>, Failure> {
    let mut w = Where::new();
    w.and(&format!("{} = {pk}", spec.col("ProdID")), []);
    w.and(&format!("{} IS NULL", spec.col("ValidityTo")), []);
    Ok(entity::find(conn, spec, &w, "")?)
}

/// A row read from `spec` as the values `entity::insert` writes, on product `pk`.
fn as_values(spec: &EntitySpec, row: &Value, pk: i64) -> Value {
    let mut values = Map::new();
    for field in spec.fields {
        match field.shape {
            Shape::Scalar(_) => {
                values.insert(field.name.into(), row[field.name].clone());
            }
            Shape::One(_) => {
                let fk = row[format!("{}Pk", field.name)].clone();
                values.insert(field.name.into(), fk);
            }
            Shape::Many { .. } => {}
        }
    }
    values.insert("product".into(), json!(pk));
    Value::Object(values)
}

fn detail_values(
    conn: &mut DbConnection,
    kind: &Kind,
    detail: &DetailInput,
    seen: &mut Vec<String>,
) -> Result<Value, Failure> {
    let uuid = detail.target_uuid.as_deref().map(str::to_lowercase);
    let name = uuid
        .clone()
        .or_else(|| detail.target_id.map(|id| id.to_string()));
    if let Some(name) = &name {
        if seen.contains(name) {
            let text = format!("'{name}' is already linked to the product.");
            return Err(validation_error(&text));
        }
        seen.push(name.clone());
    }
    let target = match (detail.target_id, &uuid) {
        (Some(id), _) => {
            let (table, key, _) = kind.target;
            let sql = format!(r#"SELECT "{key}" AS id FROM "{table}" WHERE "{key}" = ?"#);
            entity::ids(conn, &sql, &[Bind::BigInt(Some(id))])?
                .first()
                .copied()
        }
        (None, Some(uuid)) => key_by_uuid(conn, kind.target, uuid)?,
        (None, None) => None,
    };
    let target = target
        .ok_or_else(|| Failure::Other(format!("{} matching query does not exist.", kind.model)))?;
    let text = |t: &Option<Option<String>>, e| code(e, &t.clone().flatten());
    let amount = |a: &Option<Amount>| json!(a.clone().unwrap_or_else(Amount::zero));
    Ok(json!({
        kind.field: target,
        "priceOrigin": text(&detail.price_origin, enums::PRICE_ORIGIN),
        "limitationType": text(&detail.limitation_type, enums::LIMIT_TYPE),
        "limitationTypeR": text(&detail.limitation_type_r, enums::LIMIT_TYPE),
        "limitationTypeE": text(&detail.limitation_type_e, enums::LIMIT_TYPE),
        "waitingPeriodAdult": detail.waiting_period_adult,
        "waitingPeriodChild": detail.waiting_period_child,
        "limitNoAdult": detail.limit_no_adult,
        "limitNoChild": detail.limit_no_child,
        "limitAdult": amount(&detail.limit_adult),
        "limitChild": amount(&detail.limit_child),
        "limitAdultR": amount(&detail.limit_adult_r),
        "limitChildR": amount(&detail.limit_child_r),
        "limitAdultE": amount(&detail.limit_adult_e),
        "limitChildE": amount(&detail.limit_child_e),
        "ceilingExclusionAdult": code(enums::CEILING_EXCLUSION, &detail.ceiling_exclusion_adult),
        "ceilingExclusionChild": code(enums::CEILING_EXCLUSION, &detail.ceiling_exclusion_child),
    }))
}

/// `set_product_details` for one kind on product `pk` (`history`: the copy of an update).
pub fn save_details(
    conn: &mut DbConnection,
    kind: &Kind,
    pk: i64,
    history: Option<i64>,
    incoming: &Option<Vec<DetailInput>>,
    audit: i64,
) -> Result<(), Failure> {
    let kept = match incoming {
        None => valid_rows(conn, kind.spec, pk)?,
        Some(_) => Vec::new(),
    };
    if let Some(history) = history {
        end_and_move(conn, kind.spec, pk, history)?;
    }
    for row in &kept {
        let audit = row["auditUserId"].as_i64().unwrap_or(audit);
        entity::insert(conn, kind.spec, &as_values(kind.spec, row, pk), audit)?;
    }
    let mut seen = Vec::new();
    for detail in incoming.iter().flatten() {
        let mut values = detail_values(conn, kind, detail, &mut seen)?;
        values["product"] = json!(pk);
        entity::insert(conn, kind.spec, &values, audit)?;
    }
    Ok(())
}

/// `duplicateProduct`'s copies: every detail row of product `from` (any validity, dates and
/// audit kept) re-created on product `to`.
pub fn copy_details(
    conn: &mut DbConnection,
    kind: &Kind,
    from: i64,
    to: i64,
) -> Result<(), Failure> {
    let mut columns: Vec<&str> = kind
        .spec
        .fields
        .iter()
        .filter(|f| f.kind().is_some() && f.column != "ProdID")
        .map(|f| f.column)
        .collect();
    columns.extend(["ValidityFrom", "ValidityTo", "LegacyID", "AuditUserID"]);
    let list = columns
        .iter()
        .map(|c| format!(r#""{c}""#))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        r#"INSERT INTO "{table}" ({list}, "ProdID") SELECT {list}, ? FROM "{table}" WHERE "ProdID" = ? ORDER BY "{key}""#,
        table = kind.spec.table,
        key = kind.spec.key
    );
    db::execute(
        conn,
        &sql,
        &[Bind::BigInt(Some(to)), Bind::BigInt(Some(from))],
    )?;
    Ok(())
}

/// `set_product_relative_distribution`: the product's distributions move to `history`; each
/// input entry (1, 4 or 12 periods) sets its care type's period kind and writes its rows.
/// Answers the `periodRelPrices*` values to store.
pub fn save_distributions(
    conn: &mut DbConnection,
    pk: i64,
    history: Option<i64>,
    incoming: &Option<Vec<Option<RelativePrices>>>,
    audit: i64,
) -> Result<Map<String, Value>, Failure> {
    if let Some(history) = history {
        end_and_move(conn, &RELATIVE_DISTRIBUTION, pk, history)?;
    }
    let mut kinds = Map::new();
    for field in ["periodRelPrices", "periodRelPricesIp", "periodRelPricesOp"] {
        kinds.insert(field.into(), Value::Null);
    }
    for entry in incoming.iter().flatten().flatten() {
        let n = entry.periods.len();
        let kind = match n {
            1 => "Y",
            4 => "Q",
            12 => "M",
            _ => {
                let text = "Number of periods can only be 1, 4 or 12";
                return Err(Failure::Value(text.into()));
            }
        };
        let care = code(enums::CARE_TYPE, &entry.care_type);
        let field = match care {
            Some("B") => "periodRelPrices",
            Some("I") => "periodRelPricesIp",
            Some("O") => "periodRelPricesOp",
            _ => return Err(Failure::Other("None".into())), // the original's KeyError
        };
        kinds.insert(field.into(), json!(kind));
        for (index, percent) in entry.periods.iter().enumerate() {
            let values = json!({"product": pk, "percent": percent, "period": index + 1,
                "type": n, "careType": care});
            entity::insert(conn, &RELATIVE_DISTRIBUTION, &values, audit)?;
        }
    }
    Ok(kinds)
}
