//! What a module's database pools hold right now, for the host's `/metrics`: the SDK answers
//! the reserved service `sdk.db.pools` itself with one `{connections, idle, max}` per pool the
//! module built through `sdk::db::pool`.

use crate::abi::ModuleError;
use serde::Serialize;
use serde_json::Value;
use std::sync::Mutex;

/// The reserved service name.
pub const POOLS: &str = "sdk.db.pools";

/// One pool's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PoolState {
    /// Connections open (idle or in use).
    pub connections: u32,
    pub idle: u32,
    /// The most the pool may open (the host's budget for the module).
    pub max: u32,
}

type Probe = Box<dyn Fn() -> PoolState + Send + Sync>;

/// This library's pools (each module library has its own copy of this static).
static PROBES: Mutex<Vec<Probe>> = Mutex::new(Vec::new());

/// Registers a pool's probe (`sdk::db::pool` does it).
pub fn register(probe: impl Fn() -> PoolState + Send + Sync + 'static) {
    PROBES.lock().expect("pool probes").push(Box::new(probe));
}

/// Answers the reserved service, or `None` for any other method.
pub fn reserved_service(method: &str) -> Option<Result<Value, ModuleError>> {
    (method == POOLS).then(|| {
        let states: Vec<PoolState> = PROBES
            .lock()
            .expect("pool probes")
            .iter()
            .map(|probe| probe())
            .collect();
        serde_json::to_value(states).map_err(|e| ModuleError::new("BAD_RESPONSE", e.to_string()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registered_pools_are_reported() {
        register(|| PoolState {
            connections: 2,
            idle: 1,
            max: 4,
        });
        let answer = reserved_service(POOLS).unwrap().unwrap();
        assert!(answer
            .as_array()
            .unwrap()
            .contains(&serde_json::json!({"connections": 2, "idle": 1, "max": 4})));
        assert!(reserved_service("other").is_none());
    }
}
