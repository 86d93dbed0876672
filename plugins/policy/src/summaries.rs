//! `policiesByInsuree` and `policiesByFamily` (policy.md §4, the original's
//! `FilteredPoliciesService`): computed `PolicyByFamilyOrInsureeGQLType` rows of a CHF id's
//! covered policies or a family's policies, with the product's code, name, ceilings and
//! installments (product's `products.get`), the officer, the deductions and remainders of
//! claim's `tblClaimDedRem` and the balance, paged in memory as the original's list.
//!
//! Where the spec and the original's code differ, the code is followed: only
//! `policiesByInsuree` sorts by `orderBy` (default `expiryDate`); `policiesByFamily` keeps the
//! query's order. The `ceilingOutPatient` of a treatment ceiling is the in-patient one, and
//! without a policy ceiling both split ceilings end at 0, as `_to_item` computes them.

use crate::products::{amount, by_ids};
use crate::reads::{claim_sums, CLAIM_SUM_COLUMNS};
use crate::specs::POLICY;
use openimis_sdk::db::{self, Bind, DbConnection};
use openimis_sdk::decimal::Decimal;
use openimis_sdk::entity;
use openimis_sdk::project::project;
use openimis_sdk::relay::{global_id, paginate};
use openimis_sdk::sql_filter::{id_list, text_arg, As, Where};
use openimis_sdk::{HostHandle, ModuleError, SelectionField};
use serde_json::{json, Map, Value};
use std::cmp::Ordering;
use std::collections::HashMap;

/// Whose policies.
pub enum Of {
    Insuree,
    Family,
}

#[derive(diesel::QueryableByName)]
struct Officer {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    code: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    last: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    other: Option<String>,
}

/// Officers' codes and names (`Officer.name()`: last and other names); core's table, for
/// which core offers no service.
fn officers(
    conn: &mut DbConnection,
    ids: &[i64],
) -> Result<HashMap<i64, (Value, Value)>, ModuleError> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        r#"SELECT CAST("OfficerID" AS BIGINT) AS id, "Code" AS code, "LastName" AS last, "OtherNames" AS other FROM "tblOfficer" WHERE "OfficerID" IN ({})"#,
        id_list(ids)
    );
    let found: Vec<Officer> = db::load(conn, &sql, &[])?;
    Ok(found
        .into_iter()
        .map(|o| {
            let name: Vec<String> = [o.last, o.other].into_iter().flatten().collect();
            (o.id, (json!(o.code), json!(name.join(" "))))
        })
        .collect())
}

#[derive(diesel::QueryableByName)]
struct Members {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// `family.members.count()`: every row naming the family, whatever its validity (insuree's
/// `family.members` answers the valid ones only).
fn member_counts(
    conn: &mut DbConnection,
    families: &[i64],
) -> Result<HashMap<i64, i64>, ModuleError> {
    if families.is_empty() {
        return Ok(HashMap::new());
    }
    let sql = format!(
        r#"SELECT CAST("FamilyID" AS BIGINT) AS id, COUNT(*) AS n FROM "tblInsuree" WHERE "FamilyID" IN ({}) GROUP BY "FamilyID""#,
        id_list(families)
    );
    let found: Vec<Members> = db::load(conn, &sql, &[])?;
    Ok(found.into_iter().map(|m| (m.id, m.n)).collect())
}

/// The policies the request names, valid (and effective at `targetDate`) unless `showHistory`.
fn matching(
    conn: &mut DbConnection,
    of: &Of,
    field: &SelectionField,
) -> Result<Vec<Value>, ModuleError> {
    let mut w = Where::new();
    match of {
        Of::Insuree => {
            let chf = text_arg(field, "chfId")?.unwrap_or_default();
            let sql = format!(
                r#"{} IN (SELECT ip."PolicyId" FROM "tblInsureePolicy" ip JOIN "tblInsuree" i ON i."InsureeID" = ip."InsureeID" WHERE i."CHFID" = ?)"#,
                POLICY.col("PolicyID")
            );
            w.and(&sql, [Bind::text(chf)]);
        }
        Of::Family => {
            let uuid = text_arg(field, "familyUuid")?.unwrap_or_default();
            let sql = format!(
                r#"{} IN (SELECT f."FamilyID" FROM "tblFamilies" f WHERE f."FamilyUUID" = ?)"#,
                POLICY.col("FamilyID")
            );
            w.and(&sql, [Bind::text(uuid)]);
        }
    }
    if field.arg("showHistory") != Some(&Value::Bool(true)) {
        w.and(&format!("{} IS NULL", POLICY.col("ValidityTo")), []);
        if let Some(target) = field.arg("targetDate").filter(|v| !v.is_null()) {
            let target = openimis_sdk::sql_filter::bind("targetDate", target, As::Date)?;
            let clause = format!(
                "{} > ? AND {} <= ?",
                POLICY.col("ExpiryDate"),
                POLICY.col("EffectiveDate")
            );
            w.and(&clause, [target.clone(), target]);
        }
    }
    entity::find(conn, &POLICY, &w, "")
}

/// `activeOrLastExpiredOnly`: ordered by product code, status, expiry (latest first, none
/// before any), validity end (likewise) and start (latest first); every idle or ready
/// policy, and the first other one per product.
fn active_or_last(mut policies: Vec<Value>, codes: &HashMap<i64, String>) -> Vec<Value> {
    let code = |p: &Value| {
        p["productPk"]
            .as_i64()
            .and_then(|id| codes.get(&id))
            .cloned()
    };
    let latest_first = |a: &Value, b: &Value| match (a.as_str(), b.as_str()) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(a), Some(b)) => b.cmp(a),
    };
    policies.sort_by(|a, b| {
        code(a)
            .cmp(&code(b))
            .then(a["status"].as_i64().cmp(&b["status"].as_i64()))
            .then(latest_first(&a["expiryDate"], &b["expiryDate"]))
            .then(latest_first(&a["validityTo"], &b["validityTo"]))
            .then(b["validityFrom"].as_str().cmp(&a["validityFrom"].as_str()))
    });
    let mut seen: Vec<String> = Vec::new();
    policies
        .into_iter()
        .filter(|p| match p["status"].as_i64() {
            Some(1) | Some(16) => true,
            _ => {
                let c = code(p).unwrap_or_default();
                let first = !seen.contains(&c);
                seen.push(c);
                first
            }
        })
        .collect()
}

fn money(d: Option<Decimal>) -> Option<f64> {
    d.filter(|d| !d.is_zero()).map(Decimal::to_f64)
}

/// `_to_item`'s ceilings: `(ceiling, in-patient, out-patient)`.
fn ceilings(product: &Value, members: i64, rem: [Option<f64>; 3]) -> [Option<f64>; 3] {
    let get = |f: &str| money(amount(product, f));
    let [rem_g, rem_ip, rem_op] = rem.map(|r| r.unwrap_or(0.0));
    let (mut ceiling, mut ip, mut op) = (get("maxTreatment"), get("maxIpTreatment"), None);
    if get("maxOpTreatment").is_some() {
        op = get("maxIpTreatment");
    }
    match get("maxInsuree") {
        Some(max) => ceiling = Some(max - rem_g),
        None => {
            if let Some(max) = get("maxIpInsuree") {
                ip = Some(max - rem_ip);
            }
            if let Some(max) = get("maxOpInsuree") {
                op = Some(max - rem_op);
            }
        }
    }
    let threshold = product["threshold"].as_i64().unwrap_or(0);
    let extra = |f: &str, max: f64| match members > threshold {
        true => max + (members - threshold) as f64 * get(f).unwrap_or(0.0),
        false => max,
    };
    match get("maxPolicy") {
        Some(max) => ceiling = Some(extra("maxPolicyExtraMember", max) - rem_g),
        None => {
            ip = Some(
                get("maxIpPolicy").map_or(0.0, |m| extra("maxPolicyExtraMemberIp", m) - rem_ip),
            );
            op = Some(
                get("maxOpPolicy").map_or(0.0, |m| extra("maxPolicyExtraMemberOp", m) - rem_op),
            );
        }
    }
    [ceiling, ip, op]
}

/// The JSON field `orderBy` names (camelCase or snake_case, `-` for descending).
fn order_key(order: &str) -> (String, bool) {
    let (name, desc) = match order.strip_prefix('-') {
        Some(name) => (name, true),
        None => (order, false),
    };
    let mut camel = String::new();
    let mut upper = false;
    for c in name.chars() {
        match (c, upper) {
            ('_', _) => upper = true,
            (c, true) => {
                camel.extend(c.to_uppercase());
                upper = false;
            }
            (c, false) => camel.push(c),
        }
    }
    (camel, desc)
}

fn compare(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (Value::String(x), Value::String(y)) => x.cmp(y),
        (Value::Null, Value::Null) => Ordering::Equal,
        (Value::Null, _) => Ordering::Less,
        (_, Value::Null) => Ordering::Greater,
        _ => Ordering::Equal,
    }
}

/// Resolves `policiesByInsuree` or `policiesByFamily`.
pub fn resolve(
    host: &HostHandle,
    conn: &mut DbConnection,
    of: Of,
    field: &SelectionField,
) -> Result<Value, ModuleError> {
    let mut policies = matching(conn, &of, field)?;
    let ids = |key: &str, list: &[Value]| {
        let mut ids: Vec<i64> = list.iter().filter_map(|p| p[key].as_i64()).collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    };
    let products = by_ids(host, &ids("productPk", &policies))?;
    if field.arg("activeOrLastExpiredOnly") == Some(&Value::Bool(true)) {
        let codes = products
            .iter()
            .map(|(id, p)| (*id, p["code"].as_str().unwrap_or_default().to_owned()))
            .collect();
        policies = active_or_last(policies, &codes);
    }
    let officers = officers(conn, &ids("officerPk", &policies))?;
    let members = member_counts(conn, &ids("familyPk", &policies))?;
    let keys = ids("pk", &policies);
    let sums = claim_sums(conn, &keys)?;
    let mut rows: Vec<Value> = policies
        .iter()
        .map(|p| {
            let pk = p["pk"].as_i64().unwrap_or_default();
            let sum = |c: &str| {
                let n = CLAIM_SUM_COLUMNS.iter().position(|k| *k == c)?;
                sums.get(&pk).and_then(|s| s[n])
            };
            let product = p["productPk"].as_i64().and_then(|id| products.get(&id));
            let empty = Value::Null;
            let product = product.unwrap_or(&empty);
            let officer = p["officerPk"].as_i64().and_then(|id| officers.get(&id));
            let family = p["familyPk"]
                .as_i64()
                .and_then(|id| members.get(&id))
                .copied();
            let [ceiling, ceiling_ip, ceiling_op] = ceilings(
                product,
                family.unwrap_or(0),
                [sum("RemG"), sum("RemIP"), sum("RemOP")],
            );
            let value = p["value"]
                .as_str()
                .and_then(Decimal::parse)
                .map(Decimal::to_f64);
            let balance = value.map(|v| v - sum("DedG").unwrap_or(0.0));
            let date = |v: &Value| json!(v.as_str().and_then(|s| s.get(..10)));
            let mut row = Map::new();
            for (key, value) in [
                ("pk", json!(pk)),
                ("id", json!(global_id("PolicyByFamilyOrInsureeGQLType", pk))),
                ("policyId", json!(pk)),
                ("policyUuid", p["uuid"].clone()),
                ("policyValue", json!(value)),
                ("productCode", product["code"].clone()),
                ("productName", product["name"].clone()),
                ("startDate", p["startDate"].clone()),
                ("enrollDate", p["enrollDate"].clone()),
                ("effectiveDate", p["effectiveDate"].clone()),
                ("expiryDate", p["expiryDate"].clone()),
                ("officerCode", officer.map_or(Value::Null, |o| o.0.clone())),
                ("officerName", officer.map_or(Value::Null, |o| o.1.clone())),
                ("status", p["status"].clone()),
                ("ded", json!(sum("DedG"))),
                ("dedInPatient", json!(sum("DedIP"))),
                ("dedOutPatient", json!(sum("DedOP"))),
                ("ceiling", json!(ceiling)),
                ("ceilingInPatient", json!(ceiling_ip)),
                ("ceilingOutPatient", json!(ceiling_op)),
                ("balance", json!(balance)),
                ("validityFrom", date(&p["validityFrom"])),
                ("validityTo", date(&p["validityTo"])),
                ("maxInstallments", product["maxInstallments"].clone()),
                ("contributionPlanCode", Value::Null),
                ("contributionPlanName", Value::Null),
            ] {
                row.insert(key.to_owned(), value);
            }
            Value::Object(row)
        })
        .collect();
    if let Of::Insuree = of {
        let order = field
            .arg("orderBy")
            .and_then(Value::as_str)
            .unwrap_or("expiryDate");
        let (key, desc) = order_key(order);
        if rows.first().is_some_and(|r| r.get(&key).is_none()) {
            let text = format!("'ByFamilyOrInsureeResponseItem' object has no attribute '{key}'");
            return Err(ModuleError::new("BAD_ORDER_BY", text));
        }
        rows.sort_by(|a, b| match desc {
            false => compare(&a[&key], &b[&key]),
            true => compare(&b[&key], &a[&key]),
        });
    }
    paginate(field, &rows, |sel, row| project(sel, row, "pk"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceilings_follow_to_item() {
        // Treatment ceilings 300 (IP) and 200 (OP): the OP one reads the IP one (300). A policy
        // ceiling 1000 with 5 members, threshold 3, 100 per extra member, 50 used:
        // 1000 + 2 × 100 − 50 = 1150; the split ceilings stay.
        let product = json!({"maxPolicy": "1000.00", "threshold": 3, "maxPolicyExtraMember": "100.00",
            "maxIpTreatment": "300.00", "maxOpTreatment": "200.00"});
        let got = ceilings(&product, 5, [Some(50.0), None, None]);
        assert_eq!(got, [Some(1150.0), Some(300.0), Some(300.0)]);
        // An insuree ceiling 800 (nothing used): 800. No policy ceiling: the IP one is
        // 500 + 2 × 10 − 20 = 500 (threshold none = 0), the OP one 0 (none set).
        let product = json!({"maxInsuree": "800.00", "maxIpPolicy": "500.00",
            "maxPolicyExtraMemberIp": "10.00"});
        let got = ceilings(&product, 2, [None, Some(20.0), None]);
        assert_eq!(got, [Some(800.0), Some(500.0), Some(0.0)]);
    }

    #[test]
    fn order_names_are_read_as_the_original() {
        assert_eq!(order_key("expiryDate"), ("expiryDate".to_owned(), false));
        assert_eq!(order_key("-expiry_date"), ("expiryDate".to_owned(), true));
    }
}
