//! `FamilyService.create_or_update` inside the mutation's transaction: the head insuree saved
//! first (`head = true`), then the family found by id or uuid among valid rows, copied to
//! history and overwritten with every field, or inserted; the head then belongs to it.

use crate::config::Config;
use crate::insuree_save::{self, InsureeInput};
use crate::reads::{db_error, Detail};
use crate::specs::{FAMILY, INSUREE};
use openimis_sdk::db::{Bind, DbConnection};
use openimis_sdk::entity;
use serde::Deserialize;
use serde_json::{json, Value};

/// `FamilyInputType` (`contribution` is the contribution module's, read by its signal).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FamilyInput {
    #[serde(default, deserialize_with = "openimis_sdk::input::int")]
    pub id: Option<i64>,
    pub uuid: Option<String>,
    #[serde(default, deserialize_with = "openimis_sdk::input::int")]
    pub location_id: Option<i64>,
    pub poverty: Option<bool>,
    pub family_type_id: Option<String>,
    pub address: Option<String>,
    pub is_offline: Option<bool>,
    pub ethnicity: Option<String>,
    pub confirmation_no: Option<String>,
    pub confirmation_type_id: Option<String>,
    pub json_ext: Option<Value>,
    pub head_insuree: Option<InsureeInput>,
}

/// The valid family with `uuid`.
pub fn valid_by_uuid(conn: &mut DbConnection, uuid: &str) -> Result<Option<i64>, Detail> {
    let sql = r#"SELECT CAST("FamilyID" AS BIGINT) AS id FROM "tblFamilies" WHERE LOWER("FamilyUUID") = LOWER(?) AND "ValidityTo" IS NULL"#;
    Ok(entity::ids(conn, sql, &[Bind::text(uuid.trim())])
        .map_err(db_error)?
        .first()
        .copied())
}

/// Saves one family with its head; answers `(family, head)`.
pub fn save(
    conn: &mut DbConnection,
    config: &Config,
    input: &FamilyInput,
    audit: i64,
) -> Result<(i64, i64), Detail> {
    let Some(head) = &input.head_insuree else {
        return Err("no head insuree found".into());
    };
    let mut head = head.clone();
    head.head = Some(true);
    let head = insuree_save::save(conn, config, &head, audit)?;
    let existing = match (input.id, &input.uuid) {
        (Some(id), _) => {
            let sql = format!(
                r#"SELECT CAST("FamilyID" AS BIGINT) AS id FROM "tblFamilies" WHERE "FamilyID" = {id} AND "ValidityTo" IS NULL"#
            );
            entity::ids(conn, &sql, &[])
                .map_err(db_error)?
                .first()
                .copied()
        }
        (None, Some(uuid)) => valid_by_uuid(conn, uuid)?,
        _ => None,
    };
    let json_ext = match &input.json_ext {
        Some(Value::String(text)) => json!(text),
        Some(Value::Null) | None => Value::Null,
        Some(other) => json!(other.to_string()),
    };
    let mut values = json!({"headInsuree": head, "locationId": input.location_id, "poverty": input.poverty,
        "familyTypeCode": input.family_type_id, "address": input.address, "isOffline": input.is_offline,
        "ethnicity": input.ethnicity, "confirmationNo": input.confirmation_no,
        "confirmationTypeCode": input.confirmation_type_id, "jsonExt": json_ext});
    let family = match existing {
        Some(pk) => {
            entity::copy_to_history(conn, &FAMILY, pk).map_err(db_error)?;
            entity::update_in_place(conn, &FAMILY, pk, &values, Some(audit)).map_err(db_error)?;
            entity::restamp(conn, &FAMILY, pk).map_err(db_error)?;
            pk
        }
        None => {
            if let Some(uuid) = &input.uuid {
                values["uuid"] = json!(uuid);
            }
            entity::insert(conn, &FAMILY, &values, audit).map_err(db_error)?
        }
    };
    entity::update_in_place(
        conn,
        &INSUREE,
        head,
        &json!({"family": family}),
        Some(audit),
    )
    .map_err(db_error)?;
    Ok((family, head))
}
