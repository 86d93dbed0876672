//! policy's `DEFAULT_CFG` values (policy.md §1) read from the module's entry in
//! `openimis.json` (`"config": {"policy_location_via": "product", ...}`), plus core's
//! `age_of_majority` the value computation reads.

use serde::Deserialize;
use serde_json::Value;

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct Config {
    /// Days before expiry at which a renewal is proposed.
    pub policy_renewal_interval: i64,
    /// `family` or `product`: the path of the `regionId`/`districtId` filter.
    pub policy_location_via: String,
    /// 1: a premium activates the policy; 2: a payment; 3: "ready".
    pub activation_option: i64,
    /// Digits of an auto-generated receipt number.
    pub contribution_receipt_length: usize,
    /// core's `CoreConfig.age_of_majority`.
    pub age_of_majority: i64,
    /// Skips the native eligibility computation (the answer stays `EligibilityResponse`'s
    /// defaults, for a module listening to the eligibility signals, none here).
    pub default_eligibility_disabled: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            policy_renewal_interval: 14,
            policy_location_via: "family".into(),
            activation_option: 1,
            contribution_receipt_length: 5,
            age_of_majority: 18,
            default_eligibility_disabled: false,
        }
    }
}

impl Config {
    /// The module's config (a malformed one is the defaults, as the original's fallback).
    pub fn from(value: &Value) -> Self {
        serde_json::from_value(value.clone()).unwrap_or_default()
    }
}
