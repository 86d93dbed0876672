//! `InsureeService.create_or_update` inside the mutation's transaction: the status (and its
//! reason for IN/DE, which also ends the insuree's coverage at the status date), the required
//! photo and first point of service, `validate_insuree` (number, then dob/gender/status or a
//! worker's names), then the row: found by id or uuid (any validity), copied to history and
//! overwritten with every field (absent ones null, as the original's `Insuree(**data)`), or
//! inserted; then the photo (`photo.rs`).
//!
//! The spec says the existing insuree is also found by CHF id; the code looks only at id and
//! uuid: the code wins. Re-activating policies (`activate_policies_of_insuree`) needs policy's
//! tables and is left to the policy module.

use crate::config::Config;
use crate::number;
use crate::photo;
use crate::reads::{db_error, pk_by_uuid_any, row_of, Detail};
use crate::specs::INSUREE;
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity;
use openimis_sdk::input::validation;
use serde::Deserialize;
use serde_json::{json, Map, Value};

/// `InsureeBase` (the create/update input and `FamilyHeadInsureeInputType`;
/// `addOnExistingPolicy` needs policy's tables and is left to the policy module).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InsureeInput {
    #[serde(default, deserialize_with = "openimis_sdk::input::int")]
    pub id: Option<i64>,
    pub uuid: Option<String>,
    pub chf_id: Option<String>,
    pub last_name: Option<String>,
    pub other_names: Option<String>,
    pub gender_id: Option<String>,
    pub dob: Option<String>,
    pub head: Option<bool>,
    pub marital: Option<String>,
    pub passport: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub current_address: Option<String>,
    pub geolocation: Option<String>,
    #[serde(default, deserialize_with = "openimis_sdk::input::int")]
    pub current_village_id: Option<i64>,
    #[serde(default, deserialize_with = "openimis_sdk::input::int")]
    pub photo_id: Option<i64>,
    pub photo_date: Option<String>,
    pub photo: Option<photo::PhotoInput>,
    pub card_issued: Option<bool>,
    #[serde(default, deserialize_with = "openimis_sdk::input::int")]
    pub family_id: Option<i64>,
    #[serde(default, deserialize_with = "openimis_sdk::input::int")]
    pub relationship_id: Option<i64>,
    #[serde(default, deserialize_with = "openimis_sdk::input::int")]
    pub profession_id: Option<i64>,
    #[serde(default, deserialize_with = "openimis_sdk::input::int")]
    pub education_id: Option<i64>,
    pub type_of_id_id: Option<String>,
    #[serde(default, deserialize_with = "openimis_sdk::input::int")]
    pub health_facility_id: Option<i64>,
    pub offline: Option<bool>,
    pub json_ext: Option<Value>,
    pub status: Option<String>,
    pub status_reason: Option<String>,
    pub status_date: Option<String>,
}

/// The checks before anything is written; answers the status reason's key.
fn checks(
    conn: &mut DbConnection,
    config: &Config,
    input: &InsureeInput,
    uuid: &str,
) -> Result<Option<i64>, Detail> {
    let status = input.status.as_deref().unwrap_or("AC");
    if !["AC", "IN", "DE"].contains(&status) {
        return Err(validation("mutation.insuree.wrong_status"));
    }
    if config.is_insuree_photo_required && input.photo.is_none() {
        return Err(validation("mutation.insuree.no_required_photo"));
    }
    let mut reason = None;
    if status != "AC" {
        let sql = r#"SELECT CAST("StatusReasonId" AS BIGINT) AS id FROM "tblInsureeStatusReason" WHERE "Code" = ? AND "ValidityTo" IS NULL AND "status_type" = ?"#;
        let code = input.status_reason.clone().unwrap_or_default();
        let found =
            entity::ids(conn, sql, &[Bind::text(code), Bind::text(status)]).map_err(db_error)?;
        reason = Some(
            *found
                .first()
                .ok_or_else(|| validation("mutation.insuree.wrong_status"))?,
        );
    }
    if config.insuree_fsp_mandatory && input.health_facility_id.is_none() {
        return Err(validation("mutation.insuree.fsp_required"));
    }
    let errors =
        number::validate(conn, config, input.chf_id.as_deref(), Some(uuid)).map_err(db_error)?;
    if !errors.is_empty() {
        return Err(validation("invalid_insuree_number"));
    }
    let missing = |v: &Option<String>| v.as_deref().is_none_or(str::is_empty);
    if config.insuree_as_worker {
        if missing(&input.other_names) {
            return Err(validation("worker_requires_other_names"));
        }
        if missing(&input.last_name) {
            return Err(validation("worker_requires_last_name"));
        }
    } else if missing(&input.dob) {
        return Err(validation("insuree.validation.insuree_requires_dob"));
    } else if missing(&input.gender_id) {
        return Err(validation("insuree.validation.insuree_requires_gender"));
    }
    Ok(reason)
}

/// Every column of the row, from the input (absent is null).
fn values(input: &InsureeInput, reason: Option<i64>, uuid: &str) -> Map<String, Value> {
    let json_ext = match &input.json_ext {
        Some(Value::String(text)) => json!(text),
        Some(Value::Null) | None => Value::Null,
        Some(other) => json!(other.to_string()),
    };
    let values = json!({
        "uuid": uuid, "jsonExt": json_ext, "familyId": input.family_id, "chfId": input.chf_id,
        "lastName": input.last_name.clone().unwrap_or_default(),
        "otherNames": input.other_names.clone().unwrap_or_default(),
        "gender_Code": input.gender_id, "dob": input.dob, "head": input.head.unwrap_or(false),
        "marital": input.marital, "passport": input.passport, "phone": input.phone, "email": input.email,
        "currentAddress": input.current_address, "geolocation": input.geolocation,
        "currentVillageId": input.current_village_id, "photoId": input.photo_id, "photoDate": input.photo_date,
        "cardIssued": input.card_issued.unwrap_or(false), "relationshipId": input.relationship_id,
        "professionId": input.profession_id, "educationId": input.education_id,
        "typeOfIdCode": input.type_of_id_id, "healthFacilityId": input.health_facility_id,
        "offline": input.offline.unwrap_or(false), "status": input.status.clone().unwrap_or_else(|| "AC".into()),
        "statusDate": input.status_date, "statusReasonId": reason,
    });
    values.as_object().cloned().unwrap_or_default()
}

/// Saves one insuree; answers its key.
pub fn save(
    conn: &mut DbConnection,
    config: &Config,
    input: &InsureeInput,
    audit: i64,
) -> Result<i64, Detail> {
    let uuid = input
        .uuid
        .clone()
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    let reason = checks(conn, config, input, &uuid)?;
    let existing = match (input.id, &input.uuid) {
        (Some(id), _) => Some(id),
        (None, Some(uuid)) => {
            pk_by_uuid_any(conn, ("tblInsuree", "InsureeID", "InsureeUUID"), uuid)?
        }
        _ => None,
    };
    let mut values = values(input, reason, &uuid);
    let pk = match existing {
        Some(pk) => {
            let stored = row_of(conn, &INSUREE, pk)?;
            if stored.is_null() {
                return Err("Insuree matching query does not exist.".into());
            }
            values.insert("uuid".into(), stored["uuid"].clone());
            if input.status.as_deref().is_some_and(|s| s != "AC") {
                end_coverage(conn, pk, input.status_date.as_deref())?;
            }
            entity::copy_to_history(conn, &INSUREE, pk).map_err(db_error)?;
            entity::update_in_place(conn, &INSUREE, pk, &Value::Object(values), Some(audit))
                .map_err(db_error)?;
            entity::restamp(conn, &INSUREE, pk).map_err(db_error)?;
            pk
        }
        None => entity::insert(conn, &INSUREE, &Value::Object(values), audit).map_err(db_error)?,
    };
    if let Some(photo) = &input.photo {
        photo::save(conn, config, pk, input.photo_id, photo, audit)?;
    }
    Ok(pk)
}

/// `disable_policies_of_insuree`: the insuree's valid coverage ends at the status date.
fn end_coverage(conn: &mut DbConnection, pk: i64, date: Option<&str>) -> Result<(), Detail> {
    let sql = r#"UPDATE "tblInsureePolicy" SET "ExpiryDate" = ? WHERE "InsureeID" = ? AND "ValidityTo" IS NULL"#;
    let mark = if db::backend(conn) == "postgresql" {
        sql.replacen('?', "CAST(? AS DATE)", 1)
    } else {
        sql.into()
    };
    db::execute(
        conn,
        &mark,
        &[Bind::Text(date.map(str::to_owned)), Bind::BigInt(Some(pk))],
    )
    .map_err(db_error)?;
    Ok(())
}
