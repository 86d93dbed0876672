//! The running modules' message catalogues (each manifest's `translations`), merged in start
//! order so later modules override earlier ones, and read in a user's language with English as
//! the fallback. Module errors whose message is a catalogue key are translated with them.

use crate::modules::{CallError, ModuleSet};
use openimis_plugin_api::module::translations::{self, Catalogue, Catalogues};

fn catalogues(modules: &ModuleSet) -> Vec<&Catalogues> {
    modules.iter().map(|m| &m.manifest.translations).collect()
}

/// Every message of every running module in `language`, English filling the gaps.
pub fn catalogue(modules: &ModuleSet, language: &str) -> Catalogue {
    translations::merged(&catalogues(modules), language)
}

/// The text of message `key` in `language` (or English), if a running module has it.
pub fn message<'a>(modules: &'a ModuleSet, language: &str, key: &str) -> Option<&'a str> {
    translations::lookup(&catalogues(modules), language, key)
}

/// `error` with its message translated into `language` when the message is a catalogue key
/// (gettext's rule: a message without a translation is left as it is).
pub fn translate_error(modules: &ModuleSet, language: &str, mut error: CallError) -> CallError {
    if let Some(text) = message(modules, language, error.error.message.as_str()) {
        error.error.message = text.into();
    }
    error
}
