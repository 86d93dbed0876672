//! The module's message catalogues: `locale/<lang>.json`, embedded in the library.
//!
//! `openimis extract-translations` gathers these files from every module's sources.

use serde_json::{Map, Value};

/// `(language, catalogue)` for every language the module ships.
pub const CATALOGUES: &[(&str, &str)] = &[
    ("en", include_str!("../locale/en.json")),
    ("fr", include_str!("../locale/fr.json")),
];

/// The catalogue of `language`, falling back to English.
pub fn catalogue(language: &str) -> Value {
    let text = CATALOGUES
        .iter()
        .find(|(lang, _)| *lang == language)
        .or_else(|| CATALOGUES.iter().find(|(lang, _)| *lang == "en"))
        .map_or("{}", |(_, text)| text);
    serde_json::from_str(text).unwrap_or_else(|_| Value::Object(Map::new()))
}

/// The message `key` in `language`, or the key itself when no catalogue has it.
pub fn message(language: &str, key: &str) -> String {
    catalogue(language)
        .get(key)
        .and_then(Value::as_str)
        .map_or_else(|| key.to_owned(), str::to_owned)
}
