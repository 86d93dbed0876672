//! Services a module answers for other modules (`OpenImisModule::service`).

use crate::abi::ModuleError;

/// The answer to a service method `module` does not have: `NOT_SUPPORTED`, naming both.
pub fn unknown(module: &str, method: &str) -> ModuleError {
    ModuleError::new("NOT_SUPPORTED", format!("{module} has no service {method}"))
}

/// The answer to a service payload `module`'s `method` cannot read: `BAD_PAYLOAD`, saying why.
pub fn bad_payload(module: &str, method: &str, why: impl std::fmt::Display) -> ModuleError {
    ModuleError::new("BAD_PAYLOAD", format!("{module} {method}: {why}"))
}

/// A service payload read as `T`, or the [`bad_payload`] error saying why not.
pub fn payload<T: serde::de::DeserializeOwned>(
    module: &str,
    method: &str,
    payload: serde_json::Value,
) -> Result<T, ModuleError> {
    serde_json::from_value(payload).map_err(|e| bad_payload(module, method, e))
}
