//! `policyEligibilityByInsuree`, `policyItemEligibilityByInsuree` and
//! `policyServiceEligibilityByInsuree` (policy.md §4–5): the original's `EligibilityService`
//! with its `NativeEligibilityService`, what an insuree may still consume. The insuree comes
//! from insuree's `insurees.get` (by CHF id), the item or service from medical's
//! `items.get`/`services.get` (by code), products and their details from product's
//! `products.get`/`products.coverage`; the coverage rows are read from `tblInsureePolicy` and
//! claims from claim's tables when they exist (`claims.rs`).
//!
//! Where the spec and the original's code differ, the code is followed:
//! - the counts left subtract the insuree's claims (any policy, any date) from the product's
//!   `maxNo*`; `tblClaimDedRem` is not read, and the amounts left are the product's
//!   `maxAmount*` as they are, nothing subtracted;
//! - the product is the one of the valid coverage row with the latest expiry (none first, as
//!   PostgreSQL orders `DESC`), whatever the policy's status, its product being valid;
//! - an item's or service's waiting period and limit come only from the rows joining the
//!   insuree's claims of it (inner joins): without such a claim both are null and it is "ok";
//! - nothing is cached (the spec's `eligibility_<familyId>` cache is not in the code), and no
//!   signal is sent (no module listens to them here).

use crate::claims::{self, Kind};
use crate::config::Config;
use crate::dates::add_months;
use crate::eligibility_rules::{self as rules, Category, Group};
use crate::manifest::QUERY;
use crate::products::amount;
use crate::reads::{covering, Covering};
use chrono::{Months, NaiveDate};
use openimis_sdk::db::DbConnection;
use openimis_sdk::decimal::Decimal;
use openimis_sdk::project::project;
use openimis_sdk::sql_filter::text_arg;
use openimis_sdk::{HostHandle, ModuleError, RequestContext, SelectionField};
use serde_json::{json, Map, Value};
use std::collections::hash_map::Entry;
use std::collections::HashMap;

/// The root fields served here.
pub fn serves(name: &str) -> bool {
    matches!(
        name,
        "policyEligibilityByInsuree"
            | "policyItemEligibilityByInsuree"
            | "policyServiceEligibilityByInsuree"
    )
}

fn not_found(what: &str) -> ModuleError {
    ModuleError::new(
        "NOT_FOUND",
        format!("{what} matching query does not exist."),
    )
}

fn day(text: Option<&str>) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text?.get(..10)?, "%Y-%m-%d").ok()
}

/// The valid insuree with this CHF id (`Insuree…filter(validity_to__isnull=True).get(…)`).
fn insuree(host: &HostHandle, chf_id: &str) -> Result<Value, ModuleError> {
    let rows: Vec<Value> = host.call("insuree", "insurees.get", &json!({"chf_ids": [chf_id]}))?;
    rows.into_iter().next().ok_or_else(|| not_found("Insuree"))
}

/// `insuree.is_adult()`: of age (core's `age_of_majority`) today; no birth date is a child.
fn is_adult(dob: Option<NaiveDate>, today: NaiveDate, majority: i64) -> bool {
    let years = Months::new(12 * majority.max(0) as u32);
    let limit = today.checked_sub_months(years).unwrap_or(today);
    dob.is_some_and(|dob| dob <= limit)
}

/// The valid item or service with this code (`code__iexact`: the code as given, upper- or
/// lower-cased, medical matching codes exactly), the first in key order.
fn medical(host: &HostHandle, kind: Kind, code: &str) -> Result<Value, ModuleError> {
    let mut codes = vec![code.to_owned(), code.to_uppercase(), code.to_lowercase()];
    codes.dedup();
    let (method, what) = match kind {
        Kind::Item => ("items.get", "Item"),
        Kind::Service => ("services.get", "Service"),
    };
    let rows: Vec<Value> = host.call("medical", method, &json!({ "codes": codes }))?;
    rows.into_iter().next().ok_or_else(|| not_found(what))
}

/// A group of `get_eligibility`'s query: (effective date, product, waiting period, limit).
type GroupKey = (Option<String>, i64, Option<i64>, Option<f64>);

/// What `get_eligibility` reads of one insuree.
struct Insured<'a> {
    id: i64,
    adult: bool,
    rows: &'a [Covering],
    today: NaiveDate,
}

/// `get_eligibility`: the end of the waiting period and the limit left of `target` under the
/// insuree's active policies whose product covers it, over the insuree's claims of it.
fn limits(
    host: &HostHandle,
    conn: &mut DbConnection,
    who: &Insured,
    kind: Kind,
    target: i64,
) -> Result<(Option<NaiveDate>, Option<f64>), ModuleError> {
    let Some(used) = claims::used(conn, kind, who.id, target)? else {
        return Ok((None, None));
    };
    let (list, ids) = match kind {
        Kind::Item => ("items", "item_ids"),
        Kind::Service => ("services", "service_ids"),
    };
    let age = if who.adult { "Adult" } else { "Child" };
    let mut details: HashMap<i64, Value> = HashMap::new();
    let mut groups: Vec<(GroupKey, i64)> = Vec::new();
    for row in who.rows.iter().filter(|r| r.status == Some(2)) {
        let detail = match details.entry(row.product) {
            Entry::Occupied(known) => known.into_mut(),
            Entry::Vacant(slot) => {
                let payload = json!({"product_id": row.product, ids: [target]});
                let answer: Value = host.call("product", "products.coverage", &payload)?;
                slot.insert(answer[list][target.to_string()].clone())
            }
        };
        if detail.is_null() {
            continue;
        }
        let key = (
            row.effective
                .as_deref()
                .map(|d| d.chars().take(10).collect()),
            row.product,
            detail[format!("waitingPeriod{age}")].as_i64(),
            detail[format!("limitNo{age}")].as_f64(),
        );
        match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => groups.push((key, 1)),
        }
    }
    let groups: Vec<Group> = groups
        .into_iter()
        .map(|((effective, _, waiting, limit), n)| Group {
            min_date: day(effective.as_deref()).map(|e| add_months(e, waiting.unwrap_or(0))),
            left: limit.and_then(|l| used.map(|u| l - n as f64 * u)),
        })
        .collect();
    Ok(rules::limits(&groups, who.today))
}

/// The product of the valid coverage row expiring last (none first), its product valid.
fn latest_product(host: &HostHandle, rows: &[Covering]) -> Result<Option<Value>, ModuleError> {
    let mut ids: Vec<i64> = rows.iter().map(|r| r.product).collect();
    ids.sort_unstable();
    ids.dedup();
    let products = crate::products::by_ids(host, &ids)?;
    let valid = |r: &&Covering| {
        products
            .get(&r.product)
            .is_some_and(|p| p["validityTo"].is_null())
    };
    let mut best: Option<&Covering> = None;
    for row in rows.iter().filter(valid) {
        let later = match (best.map(|b| &b.expiry), &row.expiry) {
            (None, _) => true,
            (Some(Some(_)), None) => true,
            (Some(Some(b)), Some(r)) => r > b,
            (Some(None), _) => false,
        };
        if later {
            best = Some(row);
        }
    }
    Ok(best.and_then(|b| products.get(&b.product).cloned()))
}

/// (answer field, claim category, product count column, product amount column)
const CATEGORIES: [(&str, &str, &str, Option<&str>); 6] = [
    (
        "Admissions",
        "H",
        "maxNoHospitalization",
        Some("hospitalization"),
    ),
    ("Visits", "V", "maxNoVisits", None),
    (
        "Consultations",
        "C",
        "maxNoConsultation",
        Some("consultation"),
    ),
    ("Surgeries", "S", "maxNoSurgery", Some("surgery")),
    ("Deliveries", "D", "maxNoDelivery", Some("delivery")),
    ("Antenatal", "A", "maxNoAntenatal", Some("antenatal")),
];

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// `EligibilityResponse`'s defaults: no product, every count and amount 0, nothing ok.
fn defaults(answer: &mut Map<String, Value>) {
    answer.insert("prodId".into(), Value::Null);
    for (name, _, _, money) in CATEGORIES {
        answer.insert(format!("total{name}Left"), json!(0));
        if let Some(money) = money {
            answer.insert(format!("{money}AmountLeft"), json!(0.0));
        }
    }
    answer.insert("isItemOk".into(), json!(false));
    answer.insert("isServiceOk".into(), json!(false));
}

/// The native computation (`NativeEligibilityService.request`) into `answer`.
fn native(
    host: &HostHandle,
    conn: &mut DbConnection,
    config: &Config,
    codes: (Option<String>, Option<String>),
    chf_id: &str,
    answer: &mut Map<String, Value>,
) -> Result<(), ModuleError> {
    let insuree = insuree(host, chf_id)?;
    let today = chrono::Utc::now().date_naive();
    let id = insuree["id"].as_i64().unwrap_or_default();
    let dob = day(insuree["dob"].as_str());
    let rows = covering(conn, id)?;
    let who = Insured {
        id,
        adult: is_adult(dob, today, config.age_of_majority),
        rows: &rows,
        today,
    };
    let (service_code, item_code) = codes;
    let mut asked = |kind: Kind, code: Option<String>| -> Result<_, ModuleError> {
        match code.filter(|c| !c.is_empty()) {
            None => Ok((None, None, None)),
            Some(code) => {
                let row = medical(host, kind, &code)?;
                let target = row["id"].as_i64().unwrap_or_default();
                let (min_date, left) = limits(host, conn, &who, kind, target)?;
                Ok((Some(row), min_date, left))
            }
        }
    };
    let (service, min_service, service_left) = asked(Kind::Service, service_code)?;
    let (_, min_item, item_left) = asked(Kind::Item, item_code)?;
    let date = |d: Option<NaiveDate>| json!(d.map(|d| d.to_string()));
    answer.insert("minDateService".into(), date(min_service));
    answer.insert("serviceLeft".into(), json!(rules::as_int(service_left)));
    answer.insert("minDateItem".into(), date(min_item));
    answer.insert("itemLeft".into(), json!(rules::as_int(item_left)));
    let Some(product) = latest_product(host, &rows)? else {
        return Ok(());
    };
    let used = claims::per_category(conn, id)?;
    answer.insert(
        "prodId".into(),
        json!(product["id"].as_i64().map(|p| p.to_string())),
    );
    let mut categories = HashMap::new();
    for (name, category, max, money) in CATEGORIES {
        let used = used.get(category).copied().unwrap_or(0);
        let left = rules::left(product[max].as_i64(), used);
        answer.insert(format!("total{name}Left"), json!(left));
        let money_left = money.and_then(|m| {
            amount(&product, &format!("maxAmount{}", capitalized(m))).map(Decimal::to_f64)
        });
        if let Some(money) = money {
            answer.insert(format!("{money}AmountLeft"), json!(money_left));
        }
        categories.insert(
            category,
            Category {
                total_left: left,
                amount: money_left,
            },
        );
    }
    // Only surgeries, consultations and deliveries weigh on a service's verdict.
    let category = service
        .as_ref()
        .and_then(|s| s["category"].as_str())
        .filter(|c| matches!(*c, "S" | "C" | "D"))
        .and_then(|c| categories.get(c).copied());
    let service_ok = match service {
        Some(_) => rules::service_ok(category, service_left, min_service, today),
        None => true,
    };
    answer.insert("isServiceOk".into(), json!(service_ok));
    answer.insert(
        "isItemOk".into(),
        json!(rules::item_ok(item_left, min_item, today)),
    );
    Ok(())
}

/// Resolves one of the three queries: the right (`gql_query_eligibilities_perms`, also
/// guarded by the host) checked again as the original's service does, then the computation,
/// unless `default_eligibility_disabled`.
pub fn resolve(
    host: &HostHandle,
    conn: &mut DbConnection,
    config: &Config,
    field: &SelectionField,
    context: &RequestContext,
) -> Result<Value, ModuleError> {
    if !context.holds(QUERY) {
        return Err(ModuleError::new("UNAUTHORIZED", "unauthorized"));
    }
    let chf_id = text_arg(field, "chfId")?.unwrap_or_default();
    let codes = match field.name.as_str() {
        "policyItemEligibilityByInsuree" => (None, text_arg(field, "itemCode")?),
        "policyServiceEligibilityByInsuree" => (text_arg(field, "serviceCode")?, None),
        _ => (None, None),
    };
    let mut answer = Map::new();
    defaults(&mut answer);
    for key in ["minDateService", "minDateItem"] {
        answer.insert(key.into(), Value::Null);
    }
    for key in ["serviceLeft", "itemLeft"] {
        answer.insert(key.into(), json!(0));
    }
    if !config.default_eligibility_disabled {
        native(host, conn, config, codes, &chf_id, &mut answer)?;
    }
    Ok(project(&field.selection, &Value::Object(answer), "prodId"))
}
