//! Tokens whose signature was already checked, by their text: the frontend sends the same
//! token with every request, and checking it (an HMAC or RSA verification and a JSON decode)
//! was a quarter of a `{ __typename }` request. A remembered token is still refused once it
//! expires; revocation (the key fingerprint against the user's key) is the edge's, unchanged.
//! Bounded: forgotten all at once when full.

use super::Claims;
use rustc_hash::FxHashMap;
use std::sync::Mutex;

/// How many verified tokens are remembered at most.
const CAPACITY: usize = 4096;

/// The claims of tokens verified by one set of keys.
#[derive(Default)]
pub struct Verified(Mutex<FxHashMap<Box<str>, Claims>>);

impl Verified {
    /// The claims `token` was verified with, if it was.
    pub fn get(&self, token: &str) -> Option<Claims> {
        self.0.lock().ok()?.get(token).cloned()
    }

    /// Remembers that `token` verified with `claims`.
    pub fn remember(&self, token: &str, claims: &Claims) {
        if let Ok(mut known) = self.0.lock() {
            if known.len() >= CAPACITY {
                known.clear();
            }
            known.insert(token.into(), claims.clone());
        }
    }
}
