//! The module manifest: what a library implements and needs. It crosses the boundary as JSON.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What a module library declares about itself, read by the host before anything runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    /// The logical name it implements (`location`), the name `openimis.json` lists.
    pub name: String,
    /// This implementation's id (`location-dhis2`); equals `name` for the reference implementation.
    pub implementation: String,
    /// The implementation's own semver version.
    pub version: String,
    /// The plugin-api version it was built against.
    pub api_version: String,
    /// Logical module names it needs, with semver requirements (`{"core": "^1.0"}`).
    #[serde(default)]
    pub requires: BTreeMap<String, String>,
    /// Modules it uses when present; they start first if listed, but may be absent.
    #[serde(default)]
    pub aware_of: Vec<String>,
    /// Permission codes it declares, grouped by name as the original's `*_perms` settings.
    #[serde(default)]
    pub rights: BTreeMap<String, Vec<u32>>,
    /// Root fields the host guards: `"Query.role"` → codes, any of which lets a user through
    /// (the original's `has_perms`). Anonymous users and users without any are `unauthorized`.
    #[serde(default)]
    pub field_rights: BTreeMap<String, Vec<u32>>,
    /// A one-line description for `openimis modules`.
    #[serde(default)]
    pub description: String,
    /// Scheduled jobs: with `SCHEDULER_AUTOSTART=True` the host calls the module's service
    /// `job.<name>` whenever `cron` fires (UTC).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub jobs: Vec<JobSpec>,
    /// Message catalogues: language → message key → text (see `sdk::translations`). JSON-only
    /// and optional, so older modules and hosts read manifests without it unchanged.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub translations: BTreeMap<String, BTreeMap<String, String>>,
}

/// One scheduled job of a module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobSpec {
    /// The job's name; the host calls the module's service `job.<name>`.
    pub name: String,
    /// When it runs: five fields (`30 8 * * *`: minute hour day month weekday) or six with
    /// seconds first, in UTC.
    pub cron: String,
}

impl Manifest {
    /// A manifest for `name` at `version`, built against this plugin-api.
    pub fn new(name: &str, version: &str) -> Self {
        Self {
            name: name.to_owned(),
            implementation: name.to_owned(),
            version: version.to_owned(),
            api_version: crate::API_VERSION.to_owned(),
            requires: BTreeMap::new(),
            aware_of: Vec::new(),
            rights: BTreeMap::new(),
            field_rights: BTreeMap::new(),
            description: String::new(),
            jobs: Vec::new(),
            translations: BTreeMap::new(),
        }
    }

    pub fn implementation(mut self, id: &str) -> Self {
        self.implementation = id.to_owned();
        self
    }

    pub fn requires(mut self, name: &str, version_req: &str) -> Self {
        self.requires
            .insert(name.to_owned(), version_req.to_owned());
        self
    }

    pub fn aware_of(mut self, name: &str) -> Self {
        self.aware_of.push(name.to_owned());
        self
    }

    pub fn right(mut self, name: &str, codes: &[u32]) -> Self {
        self.rights.insert(name.to_owned(), codes.to_vec());
        self
    }

    /// Guards root field `Type.field` (e.g. `"Query.role"`) with permission codes.
    pub fn field_right(mut self, field: &str, codes: &[u32]) -> Self {
        self.field_rights.insert(field.to_owned(), codes.to_vec());
        self
    }

    /// Declares scheduled job `name` (service `job.<name>`), run when `cron` fires.
    pub fn job(mut self, name: &str, cron: &str) -> Self {
        self.jobs.push(JobSpec {
            name: name.to_owned(),
            cron: cron.to_owned(),
        });
        self
    }

    pub fn description(mut self, text: &str) -> Self {
        self.description = text.to_owned();
        self
    }
}
