//! The module's message catalogues, `translations/<lang>.json`, embedded in the library and
//! declared in its manifest. The host serves them in the user's language
//! (`GET /api/translations/`) and translates module errors whose message is one of their keys;
//! `openimis extract-translations` gathers the same files.

/// `(language, JSON text)` of every language the module ships.
pub const CATALOGUES: &[(&str, &str)] = openimis_sdk::translations!["en", "fr"];

/// The message `key` in `language` (English when that language lacks it, else the key).
pub fn message(language: &str, key: &str) -> String {
    openimis_sdk::translations::message(CATALOGUES, language, key)
}
