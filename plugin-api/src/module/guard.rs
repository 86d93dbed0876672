//! The panic guard: every entry point runs under `catch_unwind`, so a panic becomes an error.

use crate::abi::ModuleError;
use std::panic::{catch_unwind, AssertUnwindSafe};

/// The code every caught panic is reported with.
pub const PANIC_CODE: &str = "PANIC";

/// Runs `f`; a panic becomes `ModuleError { code: "PANIC" }` with the panic message.
pub fn guard<T>(f: impl FnOnce() -> Result<T, ModuleError>) -> Result<T, ModuleError> {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(result) => result,
        Err(payload) => {
            Err(ModuleError::new(PANIC_CODE, panic_message(&*payload)).with_status(500))
        }
    }
}

/// Runs `f` where no error can be returned; a panic yields `fallback` (and was logged by the hook).
pub fn guard_or<T>(fallback: T, f: impl FnOnce() -> T) -> T {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(fallback)
}

fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        format!("module panicked: {s}")
    } else if let Some(s) = payload.downcast_ref::<String>() {
        format!("module panicked: {s}")
    } else {
        "module panicked".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_a_panic_error_with_its_message() {
        let err = guard::<()>(|| panic!("boom {}", 7)).unwrap_err();
        assert_eq!(err.code.as_str(), PANIC_CODE);
        assert_eq!(err.message.as_str(), "module panicked: boom 7");
    }

    #[test]
    fn results_pass_through() {
        assert_eq!(guard(|| Ok::<_, ModuleError>(5)).unwrap(), 5);
        assert_eq!(guard_or(1, || 2), 2);
        assert_eq!(guard_or(1, || -> i32 { panic!("x") }), 1);
    }
}
