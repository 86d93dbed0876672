//! `premium_updated(premium, action)`: what a saved premium does to its policy
//! (contribution/services.py), inside the premium's transaction:
//! 1. the policy is copied to history (always, whatever follows);
//! 2. `SUSPEND`: status 4, saved; nothing else;
//! 3. balance = the policy's value − the other valid premiums that are not photo fees (the
//!    premium itself is compared whatever its `isPhotoFee`, as the original);
//! 4. amount = balance: `policy_status_premium_paid(policy, max(payDate, startDate))`; amount <
//!    balance: only with `ENFORCE`, at `payDate`; amount > balance: at `payDate`;
//! 5. when the policy has a status and its effective date is the pay date or its start date,
//!    it is saved (if it is offline or the premium is not) and, when active, its valid
//!    coverage rows get its effective, start and expiry dates (saved or not, as the original);
//!    else, when it has an effective date, its coverage rows become effective at the pay date.
//!
//! `policy_status_premium_paid` is policy's rule (its `activation_option`): asked through
//! policy's service `policy_status.premium_paid`. The writes are contribution's own, in the
//! premium's transaction: a service runs on its module's own connection, which could neither
//! see the premium not yet committed nor (on SQLite) write while this transaction holds the
//! lock, and the original saves the premium and activates its policy together or not at all.
//! The same reason keeps the rows' shape here (`policy_rows.rs`), as policy writes insuree's
//! coverage rows.

use crate::policy_rows::{set_coverage, POLICY_ROW};
use chrono::NaiveDate;
use openimis_sdk::db::DbConnection;
use openimis_sdk::decimal::Decimal;
use openimis_sdk::{entity, HostHandle, ModuleError};
use serde_json::{json, Value};

/// `Policy.STATUS_ACTIVE`, `STATUS_SUSPENDED`.
pub const ACTIVE: i64 = 2;
pub const SUSPENDED: i64 = 4;

/// What the save needs to know of the policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyState {
    pub status: Option<i64>,
    pub effective: Option<NaiveDate>,
    pub start: NaiveDate,
    pub offline: Option<bool>,
}

/// What the save needs to know of the premium.
#[derive(Debug, Clone, Copy)]
pub struct Premium {
    pub amount: Decimal,
    pub pay_date: NaiveDate,
    pub offline: Option<bool>,
}

/// What happens to the coverage rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    Unchanged,
    /// `_update_policy_insurees`: the policy's effective, start and expiry dates.
    PolicyDates,
    /// `_activate_insurees`: effective at the pay date.
    EffectiveAt(NaiveDate),
}

/// The outcome: the policy's status and effective date as the save leaves them in memory,
/// whether they are saved, and the coverage rows' change. The policy is copied to history in
/// every case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub status: Option<i64>,
    pub effective: Option<NaiveDate>,
    pub save: bool,
    pub coverage: Coverage,
}

/// `policy_status_premium_paid(policy, date)`: the status and effective date policy's rule
/// gives the policy (`state`) paid from `date`.
pub type PremiumPaid<'a> =
    dyn Fn(&PolicyState, NaiveDate) -> Result<(Option<i64>, Option<NaiveDate>), ModuleError> + 'a;

/// `premium_updated`'s decisions for a premium of `premium` on the policy `state`, its value
/// less the other premiums being `balance`, under `action`.
pub fn plan(
    state: &PolicyState,
    premium: Premium,
    balance: Decimal,
    action: Option<&str>,
    paid: &PremiumPaid,
) -> Result<Plan, ModuleError> {
    if action == Some("SUSPEND") {
        return Ok(Plan {
            status: Some(SUSPENDED),
            effective: state.effective,
            save: true,
            coverage: Coverage::Unchanged,
        });
    }
    let enforce = action == Some("ENFORCE");
    let paid_from = match premium.amount.cmp(&balance) {
        std::cmp::Ordering::Equal => Some(premium.pay_date.max(state.start)),
        std::cmp::Ordering::Less => enforce.then_some(premium.pay_date),
        std::cmp::Ordering::Greater => Some(premium.pay_date),
    };
    let (status, effective) = match paid_from {
        Some(date) => paid(state, date)?,
        None => (state.status, state.effective),
    };
    let enforcing =
        status.is_some() && (effective == Some(premium.pay_date) || effective == Some(state.start));
    if enforcing {
        let save = state.offline == Some(true) || premium.offline != Some(true);
        let coverage = match status == Some(ACTIVE) {
            true => Coverage::PolicyDates,
            false => Coverage::Unchanged,
        };
        return Ok(Plan {
            status,
            effective,
            save,
            coverage,
        });
    }
    let coverage = match effective {
        Some(_) => Coverage::EffectiveAt(premium.pay_date),
        None => Coverage::Unchanged,
    };
    Ok(Plan {
        status,
        effective,
        save: false,
        coverage,
    })
}

fn date(value: &Value) -> Option<NaiveDate> {
    value
        .as_str()
        .and_then(|d| NaiveDate::parse_from_str(d.get(..10).unwrap_or(d), "%Y-%m-%d").ok())
}

/// The state of the policy row `row` (as `POLICY_ROW` reads it).
pub fn state_of(row: &Value) -> Result<PolicyState, ModuleError> {
    let start = date(&row["startDate"])
        .ok_or_else(|| ModuleError::new("BAD_POLICY", "the policy has no start date"))?;
    Ok(PolicyState {
        status: row["status"].as_i64(),
        effective: date(&row["effectiveDate"]),
        start,
        offline: row["offline"].as_bool(),
    })
}

/// policy's `policy_status.premium_paid`.
pub fn premium_paid_by(
    host: &HostHandle,
) -> impl Fn(&PolicyState, NaiveDate) -> Result<(Option<i64>, Option<NaiveDate>), ModuleError> + '_
{
    move |state, at| {
        let answer: Value = host.call(
            "policy",
            "policy_status.premium_paid",
            &json!({
                "status": state.status,
                "effective_date": state.effective.map(|d| d.to_string()),
                "date": at.to_string(),
            }),
        )?;
        Ok((answer["status"].as_i64(), date(&answer["effective_date"])))
    }
}

/// Applies premium `premium`'s save to policy row `policy` (as `POLICY_ROW` reads it), the other
/// premiums of the policy summing `others`.
pub fn premium_updated(
    conn: &mut DbConnection,
    paid: &PremiumPaid,
    policy: &Value,
    premium: Premium,
    others: Decimal,
    action: Option<&str>,
) -> Result<(), ModuleError> {
    let pk = policy["pk"].as_i64().unwrap_or_default();
    let state = state_of(policy)?;
    let value = policy["value"]
        .as_str()
        .and_then(Decimal::parse)
        .ok_or_else(|| {
            let uuid = policy["uuid"].as_str().unwrap_or_default();
            ModuleError::new("BAD_POLICY", format!("policy {uuid} has no value"))
        })?;
    let balance = value.minus(others);
    entity::copy_to_history(conn, &POLICY_ROW, pk)?;
    let plan = plan(&state, premium, balance, action, paid)?;
    let effective = plan.effective.map(|d| d.to_string());
    if plan.save {
        let values = json!({ "status": plan.status, "effectiveDate": effective });
        let audit = policy["auditUserId"].as_i64();
        entity::update_in_place(conn, &POLICY_ROW, pk, &values, audit)?;
    }
    match plan.coverage {
        Coverage::Unchanged => Ok(()),
        Coverage::PolicyDates => {
            // The policy's dates as the plan leaves them, saved or not (as the original).
            let values = json!({
                "effectiveDate": effective,
                "startDate": policy["startDate"], "expiryDate": policy["expiryDate"],
            });
            set_coverage(conn, pk, &values)
        }
        Coverage::EffectiveAt(at) => {
            set_coverage(conn, pk, &json!({ "effectiveDate": at.to_string() }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn amount(text: &str) -> Decimal {
        Decimal::parse(text).unwrap()
    }

    /// `policy_status_premium_paid` with activation option 1 (a premium activates).
    fn on_premium(
        _: &PolicyState,
        at: NaiveDate,
    ) -> Result<(Option<i64>, Option<NaiveDate>), ModuleError> {
        Ok((Some(ACTIVE), Some(at)))
    }

    /// … with activation option 2 or 3: ready (16), the effective date left as it is.
    fn ready(
        state: &PolicyState,
        _: NaiveDate,
    ) -> Result<(Option<i64>, Option<NaiveDate>), ModuleError> {
        Ok((Some(16), state.effective))
    }

    /// The policy's status and effective date, whether it is saved, the coverage rows' change.
    type Expected = (Option<i64>, Option<NaiveDate>, bool, Coverage);
    /// (case, policy, amount, pay date, premium offline, balance, action, rule) → expected.
    type Case<'a> = (
        &'a str,
        &'a PolicyState,
        &'a str,
        &'a str,
        Option<bool>,
        &'a str,
        Option<&'a str>,
        &'a PremiumPaid<'a>,
        Expected,
    );

    #[test]
    fn a_premium_activates_its_policy_as_premium_updated_does() {
        let idle = PolicyState {
            status: Some(1),
            effective: None,
            start: day("2024-06-01"),
            offline: Some(false),
        };
        let active = PolicyState {
            status: Some(ACTIVE),
            effective: Some(day("2024-06-01")),
            ..idle.clone()
        };
        let late = PolicyState {
            effective: Some(day("2024-06-03")),
            ..active.clone()
        };
        let suspended = Some(SUSPENDED);
        let (option1, option3): (&PremiumPaid, &PremiumPaid) = (&on_premium, &ready);
        let paid = |s: &str| Some(day(s));
        use Coverage::*;
        // (case, policy, amount, pay date, premium offline, balance, action, rule) →
        // (status, effective, saved, coverage)
        #[rustfmt::skip]
        let cases: Vec<Case> = vec![
            ("below the balance: an idle policy stays idle", &idle, "5000", "2024-06-05", None, "10000", None, option1, (Some(1), None, false, Unchanged)),
            ("WAIT is no action", &idle, "5000", "2024-06-05", None, "10000", Some("WAIT"), option1, (Some(1), None, false, Unchanged)),
            ("below, ENFORCE: active from the pay date", &idle, "5000", "2024-06-05", None, "10000", Some("ENFORCE"), option1, (Some(2), paid("2024-06-05"), true, PolicyDates)),
            ("covering, paid before the start: active from the start", &idle, "10000", "2024-05-20", None, "10000.00", None, option1, (Some(2), paid("2024-06-01"), true, PolicyDates)),
            ("covering, paid after the start: active from the pay date", &idle, "10000", "2024-06-10", None, "10000", None, option1, (Some(2), paid("2024-06-10"), true, PolicyDates)),
            ("above the balance: active from the pay date", &idle, "12000", "2024-05-20", None, "10000", None, option1, (Some(2), paid("2024-05-20"), true, PolicyDates)),
            ("the rest of the value: active from the pay date", &idle, "5000", "2024-06-10", Some(false), "5000", None, option1, (Some(2), paid("2024-06-10"), true, PolicyDates)),
            ("SUSPEND, whatever the amount", &active, "10000", "2024-06-10", None, "10000", Some("SUSPEND"), option1, (suspended, paid("2024-06-01"), true, Unchanged)),
            ("an offline premium does not save an online policy", &idle, "10000", "2024-06-10", Some(true), "10000", None, option1, (Some(2), paid("2024-06-10"), false, PolicyDates)),
            ("below, on an active policy: saved as it is", &active, "100", "2024-06-10", None, "5000", None, option1, (Some(2), paid("2024-06-01"), true, PolicyDates)),
            ("below, effective neither at the pay date nor the start", &late, "100", "2024-06-10", None, "5000", None, option1, (Some(2), paid("2024-06-03"), false, EffectiveAt(day("2024-06-10")))),
            ("option 3: ready, not saved without an effective date", &idle, "10000", "2024-06-10", None, "10000", None, option3, (Some(16), None, false, Unchanged)),
            ("option 3 on an active policy: ready, saved", &active, "10000", "2024-05-20", None, "10000", None, option3, (Some(16), paid("2024-06-01"), true, Unchanged)),
        ];
        for (case, state, given, pay, offline, balance, action, rule, expected) in cases {
            let premium = Premium {
                amount: amount(given),
                pay_date: day(pay),
                offline,
            };
            let got = plan(state, premium, amount(balance), action, rule).unwrap();
            let (status, effective, save, coverage) = expected;
            assert_eq!(
                got,
                Plan {
                    status,
                    effective,
                    save,
                    coverage
                },
                "{case}"
            );
        }
    }
}
