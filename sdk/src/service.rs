//! Services a module answers for other modules (`OpenImisModule::service`).

use crate::abi::ModuleError;

/// The answer to a service method `module` does not have: `NOT_SUPPORTED`, naming both.
pub fn unknown(module: &str, method: &str) -> ModuleError {
    ModuleError::new("NOT_SUPPORTED", format!("{module} has no service {method}"))
}
