//! Startup problems: values with stable codes, collected and reported all at once.

use serde::Serialize;
use std::fmt;

/// The stable codes of everything that can go wrong before the server serves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Code {
    ConfigInvalid,
    ModuleNotFound,
    NotAModule,
    AbiMismatch,
    ManifestInvalid,
    NameMismatch,
    DuplicateModule,
    MissingDependency,
    VersionMismatch,
    DependencyCycle,
    DependencyDisabled,
    InitFailed,
    SchemaInvalid,
    SchemaConflict,
    MigrationFailed,
    ReadyFailed,
    DatabaseUnavailable,
    PoolBudgetExceeded,
    BrokerUnavailable,
}

impl Code {
    pub fn as_str(self) -> &'static str {
        match self {
            Code::ConfigInvalid => "CONFIG_INVALID",
            Code::ModuleNotFound => "MODULE_NOT_FOUND",
            Code::NotAModule => "NOT_A_MODULE",
            Code::AbiMismatch => "ABI_MISMATCH",
            Code::ManifestInvalid => "MANIFEST_INVALID",
            Code::NameMismatch => "NAME_MISMATCH",
            Code::DuplicateModule => "DUPLICATE_MODULE",
            Code::MissingDependency => "MISSING_DEPENDENCY",
            Code::VersionMismatch => "VERSION_MISMATCH",
            Code::DependencyCycle => "DEPENDENCY_CYCLE",
            Code::DependencyDisabled => "DEPENDENCY_DISABLED",
            Code::InitFailed => "INIT_FAILED",
            Code::SchemaInvalid => "SCHEMA_INVALID",
            Code::SchemaConflict => "SCHEMA_CONFLICT",
            Code::MigrationFailed => "MIGRATION_FAILED",
            Code::ReadyFailed => "READY_FAILED",
            Code::DatabaseUnavailable => "DATABASE_UNAVAILABLE",
            Code::PoolBudgetExceeded => "POOL_BUDGET_EXCEEDED",
            Code::BrokerUnavailable => "BROKER_UNAVAILABLE",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem, naming the module it concerns (if any). `fatal` problems stop startup;
/// the others disable an optional module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub code: Code,
    pub module: Option<String>,
    pub message: String,
    pub fatal: bool,
}

impl Problem {
    pub fn new(code: Code, module: Option<&str>, message: impl Into<String>) -> Self {
        Self {
            code,
            module: module.map(str::to_owned),
            message: message.into(),
            fatal: true,
        }
    }

    pub fn for_module(code: Code, module: &str, message: impl Into<String>) -> Self {
        Self::new(code, Some(module), message)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = if self.fatal { "error" } else { "warning" };
        match &self.module {
            Some(m) => write!(
                f,
                "{severity} [{}] module `{m}`: {}",
                self.code, self.message
            ),
            None => write!(f, "{severity} [{}] {}", self.code, self.message),
        }
    }
}

/// Every problem found, in the order found. Startup fails when any is fatal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    pub problems: Vec<Problem>,
}

impl Report {
    pub fn push(&mut self, problem: Problem) {
        self.problems.push(problem);
    }

    pub fn is_fatal(&self) -> bool {
        self.problems.iter().any(|p| p.fatal)
    }

    pub fn codes(&self) -> Vec<Code> {
        self.problems.iter().map(|p| p.code).collect()
    }

    pub fn has(&self, code: Code, module: &str) -> bool {
        self.problems
            .iter()
            .any(|p| p.code == code && p.module.as_deref() == Some(module))
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for p in &self.problems {
            writeln!(f, "{p}")?;
        }
        Ok(())
    }
}

/// The error startup ends with: the full report.
#[derive(Debug, thiserror::Error)]
#[error("startup refused, {} problem(s):\n{report}", report.problems.len())]
pub struct StartupError {
    pub report: Report,
}
