//! The module plan: `openimis.json` parsed, every library's manifest read, then all of it
//! checked at once (names, ABI, dependencies, versions, order) before any module runs.

pub mod config_file;
pub mod order;
pub mod validate;

pub use config_file::{ModuleEntry, ModulesFile};
pub use validate::{validate, Candidate, ModulePlan, PlannedModule};
