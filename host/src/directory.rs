//! The directory of running modules: what a module's host and the mutation worker look modules
//! up in. Data both hold, so neither calls the other to find a module.

use crate::modules::ModuleSet;
use std::sync::{Arc, RwLock, Weak};

/// Where modules find each other once they run. Holds a weak reference: modules hold host
/// handles, so a strong one would be a cycle.
#[derive(Default)]
pub struct Directory {
    set: RwLock<Weak<ModuleSet>>,
}

impl Directory {
    pub fn publish_set(&self, set: &Arc<ModuleSet>) {
        *self.set.write().expect("directory lock") = Arc::downgrade(set);
    }

    pub(crate) fn current(&self) -> Option<Arc<ModuleSet>> {
        self.set.read().expect("directory lock").upgrade()
    }
}
