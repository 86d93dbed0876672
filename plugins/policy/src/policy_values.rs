//! `policyValues` (policy.md §4, the original's `resolve_policy_values` and `policy_values`):
//! an unsaved policy of a family under a product at an enrolment date, with its start and
//! expiry dates and value computed (`dates.rs`, `counts.rs`, `value.rs`), and the warning
//! when the family has more members than the product covers. The product comes from product's
//! `products.get`, the members from insuree's `family.members`.

use crate::config::Config;
use crate::counts::{count, family_counts, Member};
use crate::dates::{expiry_date, start_date, Stage};
use crate::reads::{family_exists, policy_by_uuid};
use crate::value::{value, Dates};
use chrono::{Months, NaiveDate};
use openimis_sdk::db::DbConnection;
use openimis_sdk::project::project;
use openimis_sdk::sql_filter::text_arg;
use openimis_sdk::{HostHandle, ModuleError, SelectionField};
use serde_json::{json, Value};

fn value_error(text: impl Into<String>) -> ModuleError {
    ModuleError::new("VALUE_ERROR", text.into())
}

/// A `Date` or `DateTime` argument's day.
fn day_of(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.get(..10)?, "%Y-%m-%d").ok()
}

/// The valid product `id` whose validity or `dateFrom` starts on or before `enroll`.
fn product(host: &HostHandle, id: i64, enroll: NaiveDate) -> Result<Value, ModuleError> {
    let found = crate::products::by_ids(host, &[id])?.remove(&id);
    let started = |row: &Value, field: &str| {
        row[field]
            .as_str()
            .and_then(day_of)
            .is_some_and(|d| d <= enroll)
    };
    found
        .filter(|row| row["validityTo"].is_null())
        .filter(|row| started(row, "validityFrom") || started(row, "dateFrom"))
        .ok_or_else(|| value_error(format!("product {id} not found")))
}

/// The family's valid members, through insuree's `family.members`.
fn members(host: &HostHandle, family: i64) -> Result<Vec<Member>, ModuleError> {
    let rows: Vec<Value> = host.call("insuree", "family.members", &json!({"family_id": family}))?;
    Ok(rows
        .iter()
        .map(|row| Member {
            dob: row["dob"].as_str().and_then(day_of),
        })
        .collect())
}

/// Resolves `policyValues`.
pub fn resolve(
    host: &HostHandle,
    conn: &mut DbConnection,
    config: &Config,
    field: &SelectionField,
) -> Result<Value, ModuleError> {
    let stage_text = text_arg(field, "stage")?.unwrap_or_default();
    let stage = Stage::of(&stage_text);
    let enroll = text_arg(field, "enrollDate")?
        .as_deref()
        .and_then(day_of)
        .ok_or_else(|| ModuleError::new("BAD_ARGUMENT", "`enrollDate` must be a date"))?;
    // A contribution plan is contribution_plan's: none is found without that module.
    if let Some(plan) = text_arg(field, "contributionPlanUuid")? {
        return Err(value_error(format!("Contribution plan {plan} not found")));
    }
    let product_id = field
        .arg("productId")
        .and_then(Value::as_i64)
        .ok_or_else(|| value_error("Product or contribution plan is mandatory"))?;
    let product = product(host, product_id, enroll)?;
    let family = field
        .arg("familyId")
        .and_then(Value::as_i64)
        .unwrap_or_default();
    if !family_exists(conn, family)? {
        return Err(value_error("Family matching query does not exist."));
    }
    let previous_expiry = match text_arg(field, "prevUuid")? {
        Some(uuid) => {
            let previous = policy_by_uuid(conn, &uuid)?
                .ok_or_else(|| value_error("Policy matching query does not exist."))?;
            previous["expiryDate"].as_str().and_then(day_of)
        }
        None => None,
    };
    let members = members(host, family)?;
    let max_members = product["maxMembers"].as_i64().unwrap_or_default();
    let mut warnings = Vec::new();
    if members.len() as i64 > max_members {
        warnings.push(format!(
            "Number of insurees {} is above policy maximum: {max_members}",
            members.len()
        ));
    }
    let periods = crate::products::periods(&product);
    let start = start_date(&periods, stage, enroll).map_err(value_error)?;
    let expiry = expiry_date(start, periods.insurance_period);
    let today = chrono::Utc::now().date_naive();
    let years = Months::new(12 * config.age_of_majority.max(0) as u32);
    let majority = today.checked_sub_months(years).unwrap_or(today);
    let raw = count(&members, majority).map_err(value_error)?;
    let counts = family_counts(raw, Some(max_members), product["threshold"].as_i64());
    let prices = crate::products::prices(&product);
    let dates = Dates {
        enroll,
        start,
        previous_expiry,
    };
    let amount = value(&prices, &counts, stage, dates).map_err(value_error)?;
    let policy = json!({
        "uuid": uuid::Uuid::new_v4().to_string(), "stage": stage_text, "status": null,
        "enrollDate": enroll.to_string(), "startDate": start.to_string(),
        "expiryDate": expiry.to_string(), "effectiveDate": null, "value": amount.to_string(),
        "product": {"pk": product_id}, "family": null, "officer": null,
    });
    let answer = json!({"policy": policy, "warnings": warnings});
    Ok(project(&field.selection, &answer, "pk"))
}
