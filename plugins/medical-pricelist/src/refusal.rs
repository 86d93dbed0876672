//! Why a price-list mutation stops: a rule of the original (its text becomes the log's
//! detail) or a database failure; either way the mutation's transaction rolls back.

use openimis_sdk::mutation::MutationError;
use openimis_sdk::ModuleError;

pub enum Refused {
    Rule(String),
    Failed(ModuleError),
}

impl From<ModuleError> for Refused {
    fn from(error: ModuleError) -> Self {
        Refused::Failed(error)
    }
}

impl Refused {
    /// The log's errors: `message` (the original's key for the mutation) with this detail.
    pub fn logged(self, message: &str) -> Vec<MutationError> {
        let detail = match self {
            Refused::Rule(text) => text,
            Refused::Failed(error) => error.message.to_string(),
        };
        openimis_sdk::input::failure(message, detail)
    }
}
