//! The DHIS2 block of location-dhis2's `config` in `openimis.json`: where the server is, how to
//! log in, which organisation-unit levels become which location types, and which level holds
//! the health facilities.

use openimis_sdk::ModuleError;
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::Duration;

#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct Dhis2Config {
    /// `https://dhis2.example.org` (the API is under `/api/`).
    pub base_url: String,
    pub username: Option<String>,
    pub password: Option<String>,
    /// DHIS2 level (1 = top) → openIMIS location type (`R`, `D`, `W`, `V`).
    pub levels: BTreeMap<u32, String>,
    /// The DHIS2 level whose units are health facilities (attached to their parent unit).
    pub facility_level: Option<u32>,
    /// Legal form, level and care type given to facilities DHIS2 does not describe.
    pub facility_legal_form: String,
    pub facility_hf_level: String,
    pub facility_care_type: String,
    pub page_size: u32,
    /// Seconds for connecting and for each page.
    pub timeout_seconds: u64,
}

impl Default for Dhis2Config {
    fn default() -> Self {
        Self {
            base_url: String::new(),
            username: None,
            password: None,
            levels: BTreeMap::from([
                (1, "R".into()),
                (2, "D".into()),
                (3, "W".into()),
                (4, "V".into()),
            ]),
            facility_level: None,
            facility_legal_form: "G".into(),
            facility_hf_level: "D".into(),
            facility_care_type: "O".into(),
            page_size: 500,
            timeout_seconds: 30,
        }
    }
}

impl Dhis2Config {
    /// Reads the module's `config` block (location's own keys are ignored here).
    pub fn from_json(config: &Value) -> Result<Self, ModuleError> {
        let parsed: Self = if config.is_null() {
            Self::default()
        } else {
            serde_json::from_value(config.clone()).map_err(|e| {
                ModuleError::new("BAD_CONFIG", format!("location-dhis2 config: {e}"))
            })?
        };
        if let Some((level, bad)) = parsed
            .levels
            .iter()
            .find(|(_, t)| !matches!(t.as_str(), "R" | "D" | "W" | "V"))
        {
            return Err(ModuleError::new(
                "BAD_CONFIG",
                format!(
                    "location-dhis2 config: level {level} maps to {bad:?}, not one of R, D, W, V"
                ),
            ));
        }
        Ok(parsed)
    }

    pub fn timeout(&self) -> Duration {
        Duration::from_secs(self.timeout_seconds.max(1))
    }
}
