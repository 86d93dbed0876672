//! `premium_action(data, user)` inside the caller's transaction (createPremium, updatePremium
//! and the `premiums.create` service share it), as the original's `update_or_create_premium`:
//! - the valid policy of `policyUuid` (`policy_uuid_not_found`), the valid payer of
//!   `payerUuid` (none when unknown);
//! - an existing valid premium is the one the input's `uuid` or `id` names: create and update
//!   alike update it (history copy, then every field overwritten as `Premium(**data).save()`
//!   does: `ValidityFrom` and `CreatedDate` now, the audit user, the fields the input does not
//!   carry back to their defaults), its receipt checked only when it changes; otherwise a
//!   premium is inserted, its receipt checked;
//! - then `premium_updated` (`activation.rs`).
//!
//! Where this differs from the original's code: a premium named by `id` alone keeps its uuid
//! (the original gives the overwritten row a fresh one), and an insert never takes the input's
//! `id` as its key (keys are the database's).

use crate::activation::{self, PremiumPaid};
use crate::computed::other_premiums;
use crate::inputs::Checked;
use crate::payers::valid_payer;
use crate::policy_rows::valid_policy;
use crate::receipts::receipt_taken;
use crate::specs::PREMIUM;
use openimis_sdk::db::{Bind, DbConnection};
use openimis_sdk::decimal::Decimal;
use openimis_sdk::entity;
use openimis_sdk::input::validation;
use openimis_sdk::sql_filter::Where;
use openimis_sdk::ModuleError;
use serde_json::{json, Value};

/// The premium a save wrote.
#[derive(Debug, Clone)]
pub struct Saved {
    pub pk: i64,
    pub uuid: String,
    pub created: bool,
}

fn text(e: ModuleError) -> String {
    e.message.to_string()
}

/// The valid premium the input names by `uuid` or `id`.
fn existing(conn: &mut DbConnection, input: &Checked) -> Result<Option<Value>, ModuleError> {
    if input.uuid.is_none() && input.id.is_none() {
        return Ok(None);
    }
    let mut w = Where::new();
    w.and(
        &format!(
            "CAST({} AS TEXT) = ? OR {} = ?",
            PREMIUM.col("PremiumUUID"),
            PREMIUM.col("PremiumId")
        ),
        [Bind::Text(input.uuid.clone()), Bind::BigInt(input.id)],
    );
    w.and(&format!("{} IS NULL", PREMIUM.col("ValidityTo")), []);
    Ok(entity::find(conn, &PREMIUM, &w, "")?.into_iter().next())
}

/// Every field of the premium as `Premium(**data)` builds it.
fn values(input: &Checked, policy: i64, payer: Option<i64>) -> Value {
    json!({
        "policy": policy, "payer": payer, "amount": input.amount.round_half_even(2).to_string(),
        "receipt": input.receipt, "payDate": input.pay_date.to_string(),
        "payType": input.pay_type, "isPhotoFee": input.is_photo_fee,
        "isOffline": input.is_offline, "reportingId": null, "reportingCommissionId": null,
        "overviewCommissionReport": null, "allDetailsCommissionReport": null, "source": null,
        "sourceVersion": null, "createdDate": chrono::Utc::now().date_naive().to_string(),
    })
}

/// Saves the premium `input` describes, by `audit`, and activates its policy as
/// `paid` (policy's rule) says. `Err` carries the failure's detail.
pub fn premium_action(
    conn: &mut DbConnection,
    paid: &PremiumPaid,
    input: &Checked,
    audit: i64,
) -> Result<Saved, String> {
    let policy = valid_policy(conn, &input.policy_uuid)
        .map_err(text)?
        .ok_or("policy_uuid_not_found")?;
    let policy_pk = policy["pk"].as_i64().unwrap_or_default();
    let product = policy["productId"].as_i64().unwrap_or_default();
    let payer = match &input.payer_uuid {
        Some(uuid) => valid_payer(conn, uuid).map_err(text)?,
        None => None,
    };
    let taken = |conn: &mut DbConnection| -> Result<(), String> {
        match receipt_taken(conn, &input.receipt, product).map_err(text)? {
            true => Err(validation("mutation.code_already_taken")),
            false => Ok(()),
        }
    };
    let mut values = values(input, policy_pk, payer);
    let saved = match existing(conn, input).map_err(text)? {
        Some(row) => {
            if row["receipt"].as_str() != Some(input.receipt.as_str()) {
                taken(conn)?;
            }
            let pk = row["pk"].as_i64().unwrap_or_default();
            entity::update(conn, &PREMIUM, pk, &values, audit).map_err(text)?;
            entity::restamp(conn, &PREMIUM, pk).map_err(text)?;
            let uuid = row["uuid"].as_str().unwrap_or_default().to_owned();
            Saved {
                pk,
                uuid,
                created: false,
            }
        }
        None => {
            taken(conn)?;
            let uuid = input
                .uuid
                .clone()
                .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
            values["uuid"] = json!(uuid);
            let pk = entity::insert(conn, &PREMIUM, &values, audit).map_err(text)?;
            Saved {
                pk,
                uuid,
                created: true,
            }
        }
    };
    let others = other_premiums(conn, &[saved.pk]).map_err(text)?;
    let premium = activation::Premium {
        amount: input.amount,
        pay_date: input.pay_date,
        offline: input.is_offline,
    };
    let others = others.get(&saved.pk).copied().unwrap_or(Decimal::ZERO);
    activation::premium_updated(
        conn,
        paid,
        &policy,
        premium,
        others,
        input.action.as_deref(),
    )
    .map_err(text)?;
    Ok(saved)
}
