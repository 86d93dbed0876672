//! Message catalogues. A module ships `translations/<lang>.json` (an object of message key →
//! text), embeds them with [`translations!`](crate::translations) and declares them in its
//! manifest with [`Manifest::translations`]. The host merges every module's catalogues (later
//! modules override earlier ones) and serves the user's language; a lookup falls back to
//! English, then to the key itself, as gettext does.

use crate::manifest::Manifest;
use serde_json::Value;
use std::collections::BTreeMap;

/// The language of anonymous users and the fallback of every lookup.
pub const DEFAULT_LANGUAGE: &str = "en";

/// One language's messages: key → text.
pub type Catalogue = BTreeMap<String, String>;

/// One module's catalogues: language → messages (the manifest's `translations`).
pub type Catalogues = BTreeMap<String, Catalogue>;

/// Embeds `translations/<lang>.json` of the calling crate for each language, as the
/// `(language, JSON text)` pairs [`Manifest::translations`] takes.
///
/// ```text
/// Manifest::new("my", "1.0.0").translations(openimis_plugin_api::translations!["en", "fr"])
/// ```
#[macro_export]
macro_rules! translations {
    ($($language:literal),* $(,)?) => {
        &[$(
            (
                $language,
                include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/translations/", $language, ".json")),
            )
        ),*]
    };
}

/// Reads one catalogue file's text: a JSON object whose values are all strings.
pub fn parse(language: &str, text: &str) -> Result<Catalogue, String> {
    let file = format!("translations/{language}.json");
    let value: Value = serde_json::from_str(text).map_err(|e| format!("{file}: {e}"))?;
    let object = value
        .as_object()
        .ok_or_else(|| format!("{file}: expected an object of message keys"))?;
    object
        .iter()
        .map(|(key, message)| match message.as_str() {
            Some(text) => Ok((key.clone(), text.to_owned())),
            None => Err(format!("{file}: the message of `{key}` is not a string")),
        })
        .collect()
}

/// Reads every `(language, JSON text)` pair.
pub fn parse_all(catalogues: &[(&str, &str)]) -> Result<Catalogues, String> {
    catalogues
        .iter()
        .map(|(language, text)| Ok(((*language).to_owned(), parse(language, text)?)))
        .collect()
}

impl Manifest {
    /// Declares the module's catalogues, `(language, JSON text)` pairs (see
    /// [`translations!`](crate::translations)). A catalogue that is not an object of strings
    /// panics with the file's name: the module's own manifest test fails, and the host reports
    /// the library's manifest as invalid.
    pub fn translations(mut self, catalogues: &[(&str, &str)]) -> Self {
        match parse_all(catalogues) {
            Ok(parsed) => self.translations.extend(parsed),
            Err(e) => panic!("module `{}`: {e}", self.name),
        }
        self
    }
}

/// The languages a lookup for `language` tries, best first: `fr-FR` → `fr-FR`, `fr`, `en`.
pub fn candidates(language: &str) -> Vec<String> {
    let language = language.trim().replace('_', "-").to_ascii_lowercase();
    let mut out = Vec::with_capacity(3);
    for candidate in [
        language.clone(),
        language.split('-').next().unwrap_or_default().to_owned(),
        DEFAULT_LANGUAGE.to_owned(),
    ] {
        if !candidate.is_empty() && !out.contains(&candidate) {
            out.push(candidate);
        }
    }
    out
}

/// The text of `key` in `language` over several modules' catalogues (in load order, the last
/// one winning), falling back to English; `None` when no catalogue has the key.
pub fn lookup<'a>(modules: &[&'a Catalogues], language: &str, key: &str) -> Option<&'a str> {
    candidates(language).iter().find_map(|language| {
        modules
            .iter()
            .rev()
            .find_map(|catalogues| catalogues.get(language)?.get(key))
            .map(String::as_str)
    })
}

/// Every message in `language`, English filling the keys the language lacks.
pub fn merged(modules: &[&Catalogues], language: &str) -> Catalogue {
    let mut out = Catalogue::new();
    for language in candidates(language).iter().rev() {
        for catalogues in modules {
            if let Some(catalogue) = catalogues.get(language) {
                out.extend(catalogue.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
        }
    }
    out
}

/// The message `key` in `language` from a module's embedded catalogues, or the key itself
/// (for texts a module stores, such as mutation-log errors, in the user's language).
pub fn message(catalogues: &[(&str, &str)], language: &str, key: &str) -> String {
    let parsed = parse_all(catalogues).unwrap_or_default();
    lookup(&[&parsed], language, key).unwrap_or(key).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CORE: &[(&str, &str)] = &[
        ("en", r#"{"a": "A", "b": "B"}"#),
        ("fr", r#"{"a": "A (fr)"}"#),
    ];

    #[test]
    fn a_lookup_falls_back_to_the_primary_language_then_english_then_none() {
        let core = parse_all(CORE).unwrap();
        assert_eq!(lookup(&[&core], "fr-FR", "a"), Some("A (fr)"));
        assert_eq!(lookup(&[&core], "fr", "b"), Some("B"));
        assert_eq!(lookup(&[&core], "xx", "a"), Some("A"));
        assert_eq!(lookup(&[&core], "fr", "zz"), None);
        assert_eq!(message(CORE, "fr", "zz"), "zz");
    }

    #[test]
    fn later_modules_override_earlier_ones() {
        let core = parse_all(CORE).unwrap();
        let later = parse_all(&[("fr", r#"{"a": "autre"}"#)]).unwrap();
        assert_eq!(lookup(&[&core, &later], "fr", "a"), Some("autre"));
        let fr = merged(&[&core, &later], "fr");
        assert_eq!(fr.get("a").map(String::as_str), Some("autre"));
        assert_eq!(
            fr.get("b").map(String::as_str),
            Some("B"),
            "English fills gaps"
        );
    }

    #[test]
    fn a_bad_catalogue_is_named_precisely() {
        assert_eq!(
            parse("fr", r#"{"a": 1}"#).unwrap_err(),
            "translations/fr.json: the message of `a` is not a string"
        );
        assert_eq!(
            parse("en", "[]").unwrap_err(),
            "translations/en.json: expected an object of message keys"
        );
        let manifest = Manifest::new("demo", "1.0.0").translations(CORE);
        assert_eq!(manifest.translations["fr"]["a"], "A (fr)");
        let panic = std::panic::catch_unwind(|| {
            Manifest::new("demo", "1.0.0").translations(&[("en", "[]")])
        });
        assert!(panic.is_err());
    }
}
