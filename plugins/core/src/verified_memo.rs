//! A memory-only memo of passwords argon2id has verified, so a user logging in again skips the
//! ~24 ms argon2id costs (`tokenAuth` throughput) while the stored hash keeps its cost.
//!
//! What it holds: per stored hash string (a PHC string, which carries its own random salt), one
//! tag `HMAC-SHA256(process_key, stored_hash || 0x00 || password)` and when it was made. The
//! process key is 48 random bytes drawn once per process and never written anywhere.
//!
//! Threat model:
//! - The memo holds no password, and no tag that means anything outside this process: without
//!   the process key a tag can not be tested against guesses, and the key dies with the process.
//!   The stored hashes it is keyed by are the database's own. Nothing is persisted, shared
//!   between processes or put in the cache.
//! - Anyone able to read this process's memory already holds `SECRET_KEY` (and so can forge any
//!   token) and sees passwords in request buffers: the memo gives such an attacker nothing new.
//! - Online guessing costs what it cost before: only a tag equal to the remembered one (compared
//!   in constant time) answers without argon2id; every other password runs the full argon2id
//!   verification (see `passwords::verify`). The login lockout runs before any verification.
//! - A password change writes a new hash with a new salt, so entries of the old password become
//!   unreachable. Entries expire [`TTL`] after their argon2id verification (a hit does not renew
//!   them), and the memo holds at most [`CAPACITY`] entries, cleared all at once when full.

use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

/// How long a verified password is remembered.
pub const TTL: Duration = Duration::from_secs(10 * 60);
/// How many stored hashes are remembered at most.
pub const CAPACITY: usize = 10_000;

const BLOCK: usize = 64;
type Tag = [u8; 32];

/// Stored hash → (tag, when argon2id verified it).
pub struct VerifiedMemo {
    key: [u8; 48],
    ttl: Duration,
    capacity: usize,
    entries: Mutex<HashMap<String, (Tag, Instant)>>,
}

/// The process's memo.
pub fn shared() -> &'static VerifiedMemo {
    static MEMO: OnceLock<VerifiedMemo> = OnceLock::new();
    MEMO.get_or_init(|| VerifiedMemo::new(TTL, CAPACITY))
}

/// 48 random bytes: three v4 uuids, 366 random bits from the OS's generator (uuid's getrandom).
fn random_key() -> [u8; 48] {
    let mut key = [0; 48];
    for chunk in key.chunks_mut(16) {
        chunk.copy_from_slice(uuid::Uuid::new_v4().as_bytes());
    }
    key
}

/// HMAC-SHA256 (RFC 2104) of the parts, concatenated; the key is shorter than a block.
fn hmac_sha256(key: &[u8; 48], parts: &[&[u8]]) -> Tag {
    let pad = |byte: u8| {
        let mut block = [byte; BLOCK];
        block.iter_mut().zip(key).for_each(|(b, k)| *b ^= k);
        block
    };
    let mut inner = Sha256::new().chain_update(pad(0x36));
    for part in parts {
        inner.update(part);
    }
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner.finalize())
        .finalize()
        .into()
}

/// Equality whose time does not depend on where the tags differ.
fn same_tag(a: &Tag, b: &Tag) -> bool {
    let difference = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(difference) == 0
}

impl VerifiedMemo {
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Self {
            key: random_key(),
            ttl,
            capacity,
            entries: Mutex::new(HashMap::new()),
        }
    }

    fn tag(&self, stored: &str, password: &str) -> Tag {
        hmac_sha256(&self.key, &[stored.as_bytes(), &[0], password.as_bytes()])
    }

    fn entries(&self) -> std::sync::MutexGuard<'_, HashMap<String, (Tag, Instant)>> {
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether argon2id verified `password` against `stored` less than the TTL before `now`.
    pub fn remembers(&self, stored: &str, password: &str, now: Instant) -> bool {
        let tag = self.tag(stored, password);
        let mut entries = self.entries();
        match entries.get(stored) {
            Some((remembered, at)) if now.saturating_duration_since(*at) < self.ttl => {
                same_tag(remembered, &tag)
            }
            Some(_) => {
                entries.remove(stored);
                false
            }
            None => false,
        }
    }

    /// Remembers that argon2id verified `password` against `stored` at `now`.
    pub fn remember(&self, stored: &str, password: &str, now: Instant) {
        let tag = self.tag(stored, password);
        let mut entries = self.entries();
        if entries.len() >= self.capacity && !entries.contains_key(stored) {
            entries.clear();
        }
        entries.insert(stored.to_owned(), (tag, now));
    }

    /// How many entries are held (expired ones until they are looked up or cleared).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries().len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA";

    #[test]
    fn hmac_sha256_reproduces_rfc_4231_test_case_2() {
        // RFC 4231 test case 2 uses the 4-byte key "Jefe"; a key padded with zeros to any length
        // up to a block gives the same HMAC, so the 48-byte form must reproduce it.
        let mut key = [0u8; 48];
        key[..4].copy_from_slice(b"Jefe");
        let tag = hmac_sha256(&key, &[b"what do ya want ", b"for nothing?"]);
        let hex: String = tag.iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(
            hex,
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn only_the_remembered_password_of_the_remembered_hash_is_recognised() {
        let memo = VerifiedMemo::new(TTL, CAPACITY);
        let now = Instant::now();
        assert!(!memo.remembers(HASH, "S3cret!", now));
        memo.remember(HASH, "S3cret!", now);
        assert!(memo.remembers(HASH, "S3cret!", now));
        assert!(!memo.remembers(HASH, "S3cret?", now), "another password");
        assert!(
            !memo.remembers(&format!("{HASH}x"), "S3cret!", now),
            "another hash"
        );
        assert!(
            memo.remembers(HASH, "S3cret!", now),
            "a wrong guess leaves the entry alone"
        );
    }

    #[test]
    fn the_separator_keeps_hash_and_password_apart() {
        let memo = VerifiedMemo::new(TTL, CAPACITY);
        assert_ne!(memo.tag("ab", "c"), memo.tag("a", "bc"));
    }

    #[test]
    fn each_memo_draws_its_own_key() {
        let (one, two) = (
            VerifiedMemo::new(TTL, CAPACITY),
            VerifiedMemo::new(TTL, CAPACITY),
        );
        assert_ne!(one.tag(HASH, "S3cret!"), two.tag(HASH, "S3cret!"));
    }

    #[test]
    fn entries_expire_after_the_ttl_and_a_hit_does_not_renew_them() {
        let memo = VerifiedMemo::new(Duration::from_secs(600), CAPACITY);
        let start = Instant::now();
        memo.remember(HASH, "S3cret!", start);
        assert!(memo.remembers(HASH, "S3cret!", start + Duration::from_secs(599)));
        assert!(!memo.remembers(HASH, "S3cret!", start + Duration::from_secs(600)));
        assert_eq!(memo.len(), 0, "the expired entry is dropped when looked up");
        memo.remember(HASH, "S3cret!", start + Duration::from_secs(600));
        assert!(memo.remembers(HASH, "S3cret!", start + Duration::from_secs(1199)));
    }

    #[test]
    fn a_full_memo_is_cleared_at_once_before_it_grows_past_its_capacity() {
        let memo = VerifiedMemo::new(TTL, 3);
        let now = Instant::now();
        for n in 0..3 {
            memo.remember(&format!("{HASH}{n}"), "pw", now);
        }
        assert_eq!(memo.len(), 3);
        memo.remember(&format!("{HASH}1"), "pw2", now);
        assert_eq!(memo.len(), 3, "renewing a held hash does not clear");
        assert!(memo.remembers(&format!("{HASH}1"), "pw2", now));
        memo.remember(&format!("{HASH}3"), "pw", now);
        assert_eq!(memo.len(), 1, "a fourth hash clears the full memo first");
        assert!(memo.remembers(&format!("{HASH}3"), "pw", now));
        assert!(!memo.remembers(&format!("{HASH}0"), "pw", now));
    }
}
