//! insuree's `DEFAULT_CFG` values, overridden by the module's entry in `openimis.json`
//! (`"config": {"insuree_number_length": 9, "insuree_number_modulo_root": 7, ...}`).

use serde::Deserialize;

/// The configurable behaviour (insuree.md §1).
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct Config {
    pub insuree_photos_root_path: String,
    pub excluded_insuree_chfids: Vec<String>,
    /// The original's `insuree_number_length` (`get_insuree_number_length`): the exact length.
    pub insuree_number_length: Option<usize>,
    pub insuree_number_modulo_root: Option<i64>,
    pub insuree_fsp_mandatory: bool,
    pub insuree_as_worker: bool,
    pub is_insuree_photo_required: bool,
    pub use_contextual_enrolment_officer_selection: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            insuree_photos_root_path: "./images/insurees".into(),
            excluded_insuree_chfids: vec!["999999999".into()],
            insuree_number_length: None,
            insuree_number_modulo_root: None,
            insuree_fsp_mandatory: false,
            insuree_as_worker: false,
            is_insuree_photo_required: false,
            use_contextual_enrolment_officer_selection: false,
        }
    }
}

impl Config {
    /// The module's config (a malformed one is the defaults); `PHOTO_ROOT_PATH` when the
    /// configured root is empty, as the original.
    pub fn from(value: &serde_json::Value) -> Self {
        let mut config: Config = serde_json::from_value(value.clone()).unwrap_or_default();
        if config.insuree_photos_root_path.is_empty() {
            config.insuree_photos_root_path = std::env::var("PHOTO_ROOT_PATH").unwrap_or_default();
        }
        config
    }
}
