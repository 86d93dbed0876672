//! The services other modules call (documented in docs/MODULES.md, "## policy"): the
//! original's activation helpers, which contribution applies to a policy a premium pays
//! (`policy/services.py`). They decide from policy's `activation_option`; the caller writes the
//! outcome in its own transaction, with the premium (a service runs on this module's
//! connection, which could not see the caller's uncommitted rows).
//! - `policy_status.premium_paid` `{status, effective_date, date}` →
//!   `{status, effective_date}`: `policy_status_premium_paid(policy, date)`: with activation
//!   option 1 (`ACTIVATION_OPTION_CONTRIBUTION`) the policy is active (2) from `date`;
//!   otherwise it is ready (16), its effective date unchanged.
//! - `policy_status.payment_matched` `{status}` → `{status}`:
//!   `policy_status_payment_matched(policy)`, which the original never lets activate: its
//!   `DEFAULT_CFG` spells the key `CTIVATION_OPTION_PAYMENT`, so `ACTIVATION_OPTION_PAYMENT`
//!   stays `None` and no `activation_option` equals it. The status is answered unchanged.

use crate::config::Config;
use openimis_sdk::service::{payload, unknown};
use openimis_sdk::ModuleError;
use serde::Deserialize;
use serde_json::{json, Value};

/// `Policy.STATUS_ACTIVE`, `STATUS_READY`.
const ACTIVE: i64 = 2;
const READY: i64 = 16;
/// `ACTIVATION_OPTION_CONTRIBUTION`.
const ON_CONTRIBUTION: i64 = 1;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PremiumPaid {
    /// The policy's status: the rule does not read it.
    #[serde(rename = "status")]
    _status: Option<i64>,
    effective_date: Option<String>,
    date: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PaymentMatched {
    status: Option<i64>,
}

fn premium_paid(config: &Config, paid: PremiumPaid) -> Value {
    match config.activation_option == ON_CONTRIBUTION {
        true => json!({"status": ACTIVE, "effective_date": paid.date}),
        false => json!({"status": READY, "effective_date": paid.effective_date}),
    }
}

/// Answers service `method`.
pub fn call(config: &Config, method: &str, body: Value) -> Result<Value, ModuleError> {
    match method {
        "policy_status.premium_paid" => {
            let paid: PremiumPaid = payload("policy", method, body)?;
            Ok(premium_paid(config, paid))
        }
        "policy_status.payment_matched" => {
            let matched: PaymentMatched = payload("policy", method, body)?;
            Ok(json!({ "status": matched.status }))
        }
        other => Err(unknown("policy", other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(option: i64) -> Config {
        Config {
            activation_option: option,
            ..Config::default()
        }
    }

    #[test]
    fn a_paid_premium_activates_only_with_option_1() {
        let body = json!({"status": 1, "effective_date": null, "date": "2024-06-02"});
        let active = call(&config(1), "policy_status.premium_paid", body.clone()).unwrap();
        assert_eq!(active, json!({"status": 2, "effective_date": "2024-06-02"}));
        for option in [2, 3] {
            let ready = call(&config(option), "policy_status.premium_paid", body.clone());
            assert_eq!(
                ready.unwrap(),
                json!({"status": 16, "effective_date": null})
            );
        }
        let matched = call(
            &config(2),
            "policy_status.payment_matched",
            json!({"status": 1}),
        );
        assert_eq!(
            matched.unwrap(),
            json!({"status": 1}),
            "the original's typo"
        );
        let bad = call(&config(1), "policy_status.premium_paid", json!({"date": 3})).unwrap_err();
        assert_eq!(bad.code.as_str(), "BAD_PAYLOAD");
        let none = call(&config(1), "policy_status.nope", json!({})).unwrap_err();
        assert_eq!(none.code.as_str(), "NOT_SUPPORTED");
    }
}
