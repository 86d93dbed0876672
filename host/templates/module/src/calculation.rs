//! The calculation-rule interface the original's calcrule modules implement (`AbsStrategy` of
//! `openimis-be-calculation`), and this module's rule.
//!
//! Other modules reach a rule through the host: `host.call("{{name}}", "calculate", payload)`.
//! The methods of [`METHODS`] answer those calls, one per `AbsStrategy` class method.

use openimis_sdk::ModuleError;
use serde_json::{json, Value};

/// What every calculation rule provides, as the original's `AbsStrategy`.
pub trait CalculationRule: Send + Sync {
    /// The rule's fixed UUID (`uuid` of the original's calcrule class).
    fn uuid(&self) -> &str;
    /// `calculation_rule_name`.
    fn name(&self) -> &str;
    fn description(&self) -> &str;
    /// `type` (e.g. `account_payable`) and `sub_type` (e.g. `third_party_payment`).
    fn kind(&self) -> (&str, &str);
    /// `impacted_class_parameter`: per class, the parameters the rule reads.
    fn impacted_class_parameter(&self) -> Value;
    /// `from_to`: the conversions `convert` offers.
    fn conversions(&self) -> Value;
    /// Whether the rule applies to `instance` in `context` (`create`, `update`, `submit`...).
    fn active_for_object(&self, instance: &Value, context: &str, kind: &str, sub_kind: &str) -> bool;
    /// Whether `instance` has what `calculate` needs.
    fn check_calculation(&self, instance: &Value) -> bool;
    /// The calculated value for `instance`.
    fn calculate(&self, instance: &Value, parameters: &Value) -> Result<Value, ModuleError>;
    /// The classes linked to `class_name` (all impacted classes when `None`).
    fn get_linked_class(&self, class_name: Option<&str>) -> Vec<String>;
    /// The parameters of `class_name` for `instance`.
    fn get_parameters(&self, class_name: &str, instance: &Value) -> Value;
    /// Converts `instance` into `convert_to` (e.g. `Bill`).
    fn convert(&self, instance: &Value, convert_to: &str) -> Result<Value, ModuleError>;
}

/// The service methods a calcrule module answers (`Host::call(module, method, payload)`).
pub const METHODS: &[&str] = &[
    "calculation_rule",
    "active_for_object",
    "check_calculation",
    "calculate",
    "get_linked_class",
    "get_parameters",
    "convert",
];

/// Answers one service call with `rule`.
pub fn serve(rule: &dyn CalculationRule, method: &str, payload: &Value) -> Result<Value, ModuleError> {
    let instance = payload.get("instance").cloned().unwrap_or(Value::Null);
    let text = |name: &str| payload.get(name).and_then(Value::as_str).unwrap_or_default();
    match method {
        "calculation_rule" => {
            let (kind, sub_kind) = rule.kind();
            Ok(json!({
                "uuid": rule.uuid(),
                "calculationRuleName": rule.name(),
                "description": rule.description(),
                "type": kind,
                "subType": sub_kind,
                "impactedClassParameter": rule.impacted_class_parameter(),
                "fromTo": rule.conversions(),
            }))
        }
        "active_for_object" => Ok(json!(rule.active_for_object(
            &instance,
            text("context"),
            text("type"),
            text("sub_type")
        ))),
        "check_calculation" => Ok(json!(rule.check_calculation(&instance))),
        "calculate" => {
            if !rule.check_calculation(&instance) {
                return Err(ModuleError::new(
                    "CALCULATION_NOT_APPLICABLE",
                    format!("{} cannot calculate this instance", rule.name()),
                ));
            }
            let parameters = payload.get("parameters").cloned().unwrap_or(Value::Null);
            rule.calculate(&instance, &parameters)
        }
        "get_linked_class" => Ok(json!(rule.get_linked_class(payload.get("class_name").and_then(Value::as_str)))),
        "get_parameters" => Ok(rule.get_parameters(text("class_name"), &instance)),
        "convert" => rule.convert(&instance, text("convert_to")),
        other => Err(ModuleError::new("NOT_SUPPORTED", format!("no calculation method {other}"))),
    }
}

/// This module's rule: a percentage of the instance's `amount` (parameter `rate`, in %).
pub struct {{Pascal}}Rule;

impl CalculationRule for {{Pascal}}Rule {
    fn uuid(&self) -> &str {
        "{{uuid}}"
    }

    fn name(&self) -> &str {
        "{{name}}"
    }

    fn description(&self) -> &str {
        "{{description}}"
    }

    fn kind(&self) -> (&str, &str) {
        ("account_payable", "third_party_payment")
    }

    fn impacted_class_parameter(&self) -> Value {
        json!([{
            "class": "ContributionPlan",
            "parameters": [{
                "type": "number",
                "name": "rate",
                "label": {"en": "Rate (%)", "fr": "Taux (%)"},
                "rights": {"read": "151201", "write": "151202", "update": "151203", "replace": "151206"},
                "relevance": "1",
                "condition": "INPUT>=0",
                "default": "100"
            }]
        }])
    }

    fn conversions(&self) -> Value {
        json!([{"from": "ContributionPlan", "to": "Bill"}])
    }

    fn active_for_object(&self, instance: &Value, context: &str, kind: &str, sub_kind: &str) -> bool {
        let (own_kind, own_sub_kind) = self.kind();
        instance.get("calculation").and_then(Value::as_str) == Some(self.uuid())
            && ["create", "update", "submit"].contains(&context)
            && (kind.is_empty() || kind == own_kind)
            && (sub_kind.is_empty() || sub_kind == own_sub_kind)
    }

    fn check_calculation(&self, instance: &Value) -> bool {
        instance.get("amount").and_then(Value::as_f64).is_some()
    }

    fn calculate(&self, instance: &Value, parameters: &Value) -> Result<Value, ModuleError> {
        let amount = instance.get("amount").and_then(Value::as_f64).unwrap_or_default();
        let rate = match parameters.get("rate") {
            None | Some(Value::Null) => 100.0,
            Some(value) => value
                .as_f64()
                .or_else(|| value.as_str()?.parse().ok())
                .ok_or_else(|| ModuleError::new("BAD_PARAMETER", "`rate` must be a number"))?,
        };
        Ok(json!(amount * rate / 100.0))
    }

    fn get_linked_class(&self, class_name: Option<&str>) -> Vec<String> {
        match class_name {
            None | Some("ContributionPlan") => vec!["ContributionPlan".to_owned()],
            Some(_) => Vec::new(),
        }
    }

    fn get_parameters(&self, class_name: &str, _instance: &Value) -> Value {
        let all = self.impacted_class_parameter();
        all.as_array()
            .and_then(|classes| classes.iter().find(|c| c["class"] == class_name))
            .map_or(Value::Array(Vec::new()), |c| c["parameters"].clone())
    }

    fn convert(&self, instance: &Value, convert_to: &str) -> Result<Value, ModuleError> {
        match convert_to {
            "Bill" => Ok(json!({"type": "Bill", "amount": self.calculate(instance, &Value::Null)?})),
            other => Err(ModuleError::new("NOT_SUPPORTED", format!("cannot convert to {other}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calculates_a_rate_of_the_amount() {
        let rule = {{Pascal}}Rule;
        let out = serve(&rule, "calculate", &json!({"instance": {"amount": 200}, "parameters": {"rate": "25"}}));
        assert_eq!(out.unwrap(), json!(50.0));
    }

    #[test]
    fn refuses_an_instance_without_amount() {
        let out = serve(&{{Pascal}}Rule, "calculate", &json!({"instance": {}}));
        assert_eq!(out.unwrap_err().code.as_str(), "CALCULATION_NOT_APPLICABLE");
    }

    #[test]
    fn is_active_only_for_its_own_uuid() {
        let rule = {{Pascal}}Rule;
        let mine = json!({"calculation": rule.uuid()});
        assert!(rule.active_for_object(&mine, "create", "", ""));
        assert!(!rule.active_for_object(&json!({"calculation": "other"}), "create", "", ""));
        assert!(!rule.active_for_object(&mine, "delete", "", ""));
    }

    #[test]
    fn describes_itself_and_converts_to_a_bill() {
        let rule = {{Pascal}}Rule;
        let info = serve(&rule, "calculation_rule", &Value::Null).unwrap();
        assert_eq!(info["calculationRuleName"], "{{name}}");
        assert_eq!(serve(&rule, "get_parameters", &json!({"class_name": "ContributionPlan"})).unwrap()[0]["name"], "rate");
        let bill = serve(&rule, "convert", &json!({"instance": {"amount": 10}, "convert_to": "Bill"})).unwrap();
        assert_eq!(bill, json!({"type": "Bill", "amount": 10.0}));
    }
}
