//! product's `DEFAULT_CFG` values served by `pageDisplayRules` and `limitDefaults`, overridden by
//! the module's entry in `openimis.json` (`"config": {"max_limit_value": "50", ...}`).

use serde::Deserialize;
use serde_json::{json, Value};

/// The configurable defaults (product.md §1).
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct Config {
    pub min_limit_value: Value,
    pub max_limit_value: Value,
    pub default_price_origin: String,
    pub default_limit: String,
    pub default_limit_co_insurance_value: i64,
    pub default_limit_fixed_value: i64,
}

impl Default for Config {
    fn default() -> Self {
        // `Decimal(0.00)` and `Decimal(100.00)` print as "0" and "100".
        Config {
            min_limit_value: json!("0"),
            max_limit_value: json!("100"),
            default_price_origin: "P".into(),
            default_limit: "C".into(),
            default_limit_co_insurance_value: 100,
            default_limit_fixed_value: 0,
        }
    }
}

impl Config {
    /// The module's config (a malformed one is the defaults, as the original's fallback).
    pub fn from(value: &Value) -> Self {
        serde_json::from_value(value.clone()).unwrap_or_default()
    }

    /// A decimal setting as GraphQL's `Decimal` answers it: text.
    fn decimal(value: &Value) -> Value {
        match value {
            Value::Number(n) => json!(n.to_string()),
            other => other.clone(),
        }
    }

    /// `PageDisplayRulesGQLType`.
    pub fn page_display_rules(&self) -> Value {
        json!({
            "minLimitValue": Self::decimal(&self.min_limit_value),
            "maxLimitValue": Self::decimal(&self.max_limit_value),
        })
    }

    /// `ProductItemOrServiceDefaultValuesGQLType`.
    pub fn limit_defaults(&self) -> Value {
        json!({
            "defaultPriceOrigin": self.default_price_origin,
            "defaultLimit": self.default_limit,
            "defaultLimitCoInsuranceValue": self.default_limit_co_insurance_value,
            "defaultLimitFixedValue": self.default_limit_fixed_value,
        })
    }
}
