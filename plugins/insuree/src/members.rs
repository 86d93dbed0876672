//! The mutations on existing rows: `deleteFamilies` (members deleted or removed, then the family
//! ends), `deleteInsurees` and `removeInsurees` (never the head), `setFamilyHead` (history for
//! the family, the old head and the new one) and `changeInsureeFamily`. Each answers the
//! original's messages; rows the caller's districts do not reach are as missing ones.
//!
//! The original deletes or removes the rows it can and reports the others; here the whole
//! mutation is one transaction, so a reported row leaves nothing half-written.

use crate::access::Rules;
use crate::reads::{db_error, pk_by_uuid_any, row_of, Detail};
use crate::specs::{FAMILY, INSUREE};
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::entity;
use openimis_sdk::mutation::threw;
use openimis_sdk::mutation::MutationError;
use openimis_sdk::time;
use serde_json::json;

/// The insuree of `uuid` the caller reaches (any validity).
pub fn insuree(conn: &mut DbConnection, rules: &Rules, uuid: &str) -> Result<Option<i64>, Detail> {
    let Some(pk) = pk_by_uuid_any(conn, ("tblInsuree", "InsureeID", "InsureeUUID"), uuid)? else {
        return Ok(None);
    };
    Ok(Some(pk).filter(|_| rules.sees(conn, &INSUREE, pk).unwrap_or(false)))
}

/// The family of `uuid` the caller reaches (any validity).
pub fn family(conn: &mut DbConnection, rules: &Rules, uuid: &str) -> Result<Option<i64>, Detail> {
    let Some(pk) = pk_by_uuid_any(conn, ("tblFamilies", "FamilyID", "FamilyUUID"), uuid)? else {
        return Ok(None);
    };
    Ok(Some(pk).filter(|_| rules.sees(conn, &FAMILY, pk).unwrap_or(false)))
}

/// The head of the insuree's family is the insuree itself.
fn is_head(conn: &mut DbConnection, insuree: i64) -> Result<Option<bool>, Detail> {
    let row = row_of(conn, &INSUREE, insuree)?;
    let Some(family) = row["familyPk"].as_i64() else {
        return Ok(None);
    };
    let family = row_of(conn, &FAMILY, family)?;
    Ok(Some(family["headInsureePk"].as_i64() == Some(insuree)))
}

/// `InsureeService.set_deleted`: the insuree and its valid coverage end.
fn delete_insuree(conn: &mut DbConnection, pk: i64) -> Result<(), Detail> {
    entity::delete_history(conn, &INSUREE, pk).map_err(db_error)?;
    let sql = r#"SELECT CAST("InsureePolicyID" AS BIGINT) AS id FROM "tblInsureePolicy" WHERE "InsureeID" = ? AND "ValidityTo" IS NULL"#;
    for ip in entity::ids(conn, sql, &[Bind::BigInt(Some(pk))]).map_err(db_error)? {
        entity::delete_history(conn, &crate::specs::INSUREE_POLICY, ip).map_err(db_error)?;
    }
    Ok(())
}

/// `InsureeService.remove`: a history copy, then no family.
fn remove_insuree(conn: &mut DbConnection, pk: i64, audit: i64) -> Result<(), Detail> {
    entity::copy_to_history(conn, &INSUREE, pk).map_err(db_error)?;
    entity::update_in_place(conn, &INSUREE, pk, &json!({"family": null}), Some(audit))
        .map_err(db_error)
}

/// `cancel_policies`: the insuree's coverage without an expiry, or expiring later, ends now.
fn cancel_policies(conn: &mut DbConnection, pk: i64) -> Result<(), Detail> {
    let today = time::now();
    let today = today.get(..10).unwrap_or_default();
    let date = if db::backend(conn) == "postgresql" {
        "CAST(? AS DATE)"
    } else {
        "?"
    };
    let sql = format!(
        r#"UPDATE "tblInsureePolicy" SET "ExpiryDate" = {date} WHERE "InsureeID" = ? AND ("ExpiryDate" IS NULL OR "ExpiryDate" > {date})"#
    );
    let binds = [Bind::text(today), Bind::BigInt(Some(pk)), Bind::text(today)];
    db::execute(conn, &sql, &binds).map(drop).map_err(db_error)
}

fn message(text: String) -> MutationError {
    MutationError::new(text)
}

/// `deleteFamilies(uuids, deleteMembers)`.
pub fn delete_families(
    conn: &mut DbConnection,
    rules: &Rules,
    uuids: &[String],
    members: bool,
    audit: i64,
) -> Result<Vec<i64>, Vec<MutationError>> {
    let mut done = Vec::new();
    for uuid in uuids {
        let failed = || message(format!("Failed to delete family {uuid}"));
        let Some(pk) = family(conn, rules, uuid).map_err(|_| vec![failed()])? else {
            return Err(vec![failed()]);
        };
        let sql = r#"SELECT CAST("InsureeID" AS BIGINT) AS id FROM "tblInsuree" WHERE "FamilyID" = ? AND "ValidityTo" IS NULL"#;
        let step = |conn: &mut DbConnection| -> Result<(), Detail> {
            for member in entity::ids(conn, sql, &[Bind::BigInt(Some(pk))]).map_err(db_error)? {
                match members {
                    true => delete_insuree(conn, member)?,
                    false => remove_insuree(conn, member, audit)?,
                }
            }
            entity::delete_history(conn, &FAMILY, pk).map_err(db_error)
        };
        step(conn).map_err(|detail| {
            vec![MutationError {
                message: failed().message,
                detail: Some(detail),
            }]
        })?;
        done.push(pk);
    }
    Ok(done)
}

/// `deleteInsurees(uuids)` (`remove` false) or `removeInsurees(uuids, cancelPolicies)`.
pub fn delete_or_remove(
    conn: &mut DbConnection,
    rules: &Rules,
    uuids: &[String],
    remove: Option<bool>,
    audit: i64,
) -> Result<Vec<i64>, Vec<MutationError>> {
    let mut done = Vec::new();
    let mut errors = Vec::new();
    for uuid in uuids {
        let Some(pk) = insuree(conn, rules, uuid).map_err(|d| vec![message(d)])? else {
            errors.push(message(format!("Insuree {uuid} doesn't exist")));
            continue;
        };
        let head = is_head(conn, pk).map_err(|d| vec![message(d)])?;
        match (head, remove) {
            (Some(true), None) => {
                errors.push(message(format!("Cannot delete family head insuree {uuid}")))
            }
            (Some(true), Some(_)) => errors.push(message(format!(
                "Cannot remove head insuree {uuid} from family"
            ))),
            // The original reads `insuree.family.head_insuree` unguarded.
            (None, Some(_)) => return Err(vec![message(threw("AttributeError").message)]),
            (_, None) => delete_insuree(conn, pk).map_err(|d| vec![message(d)])?,
            (_, Some(cancel)) => {
                if cancel {
                    cancel_policies(conn, pk).map_err(|d| vec![message(d)])?;
                }
                remove_insuree(conn, pk, audit).map_err(|d| vec![message(d)])?;
            }
        }
        done.push(pk);
    }
    match errors.is_empty() {
        true => Ok(done),
        false => Err(errors),
    }
}

/// `setFamilyHead(uuid, insureeUuid)`: answers the family.
pub fn set_head(
    conn: &mut DbConnection,
    rules: &Rules,
    family_uuid: &str,
    insuree_uuid: &str,
    audit: i64,
) -> Result<i64, Detail> {
    let family_pk =
        family(conn, rules, family_uuid)?.ok_or("Family matching query does not exist.")?;
    let new_head =
        insuree(conn, rules, insuree_uuid)?.ok_or("Insuree matching query does not exist.")?;
    let stored = row_of(conn, &FAMILY, family_pk)?;
    entity::copy_to_history(conn, &FAMILY, family_pk).map_err(db_error)?;
    if let Some(previous) = stored["headInsureePk"].as_i64() {
        entity::copy_to_history(conn, &INSUREE, previous).map_err(db_error)?;
        entity::update_in_place(
            conn,
            &INSUREE,
            previous,
            &json!({"head": false}),
            Some(audit),
        )
        .map_err(db_error)?;
    }
    entity::update_in_place(
        conn,
        &FAMILY,
        family_pk,
        &json!({"headInsuree": new_head}),
        Some(audit),
    )
    .map_err(db_error)?;
    entity::copy_to_history(conn, &INSUREE, new_head).map_err(db_error)?;
    entity::update_in_place(
        conn,
        &INSUREE,
        new_head,
        &json!({"head": true}),
        Some(audit),
    )
    .map_err(db_error)?;
    Ok(family_pk)
}

/// `changeInsureeFamily(familyUuid, insureeUuid, cancelPolicies)`: answers `(family, insuree)`.
/// Adding the insuree to the new family's policies (`add_insuree_policy`) needs policy's
/// tables and is left to the policy module.
pub fn change_family(
    conn: &mut DbConnection,
    rules: &Rules,
    family_uuid: &str,
    insuree_uuid: &str,
    cancel: bool,
    audit: i64,
) -> Result<(i64, i64), Detail> {
    let family_pk =
        family(conn, rules, family_uuid)?.ok_or("Family matching query does not exist.")?;
    let insuree_pk =
        insuree(conn, rules, insuree_uuid)?.ok_or("Insuree matching query does not exist.")?;
    entity::copy_to_history(conn, &INSUREE, insuree_pk).map_err(db_error)?;
    entity::update_in_place(
        conn,
        &INSUREE,
        insuree_pk,
        &json!({"family": family_pk}),
        Some(audit),
    )
    .map_err(db_error)?;
    if cancel {
        cancel_policies(conn, insuree_pk)?;
    }
    Ok((family_pk, insuree_pk))
}
