//! Password hashes in `tblUsers.StoredPassword`: new passwords as argon2id PHC strings, and the
//! original's legacy scheme (uppercase SHA-256 of the right-trimmed password plus `PrivateKey`)
//! still verified, so existing operators' users keep logging in. A password argon2id verified is
//! remembered in process memory for a while (`verified_memo`, whose doc gives the threat model),
//! so logging in again skips argon2id; a wrong password always runs it.

use crate::verified_memo;
use argon2::password_hash::{PasswordHash, PasswordHasher, SaltString};
use argon2::{Argon2, PasswordVerifier};
use openimis_sdk::log;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::time::Instant;

/// What the original stores for a user created without a password: nothing verifies against it.
pub const LOCKED: &str = "locked";

/// The argon2id hash of a new password (OWASP's minimum: 19 MiB, 2 passes, 1 lane), as a PHC
/// string (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`). The password is right-trimmed as the
/// original's `set_password` does, so both schemes accept the same input.
pub fn hash_new(raw: &str) -> String {
    // A salt needs to be unique, not secret: a v4 uuid's 122 random bits are plenty.
    let salt = SaltString::encode_b64(uuid::Uuid::new_v4().as_bytes())
        .expect("16 bytes are a valid salt length");
    Argon2::default()
        .hash_password(raw.trim_end().as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .expect("argon2 with default parameters hashes any password")
}

/// Whether `raw` is the password behind `stored`: an argon2 PHC string, or else the legacy
/// digest salted with `private_key`. `locked` and empty stored passwords never verify.
/// Callers check the login lockout first.
pub fn verify(stored: &str, private_key: &str, raw: &str) -> bool {
    if stored.is_empty() || stored == LOCKED {
        return false;
    }
    if stored.starts_with("$argon2") {
        return verify_argon2(stored, raw.trim_end());
    }
    legacy_hash(raw, private_key).eq_ignore_ascii_case(stored)
}

/// The memo answers for a password argon2id verified lately; anything else runs argon2id, and
/// a success is remembered. Each path logs one DEBUG line (no password, no hash).
fn verify_argon2(stored: &str, password: &str) -> bool {
    let memo = verified_memo::shared();
    let started = Instant::now();
    if memo.remembers(stored, password, started) {
        log::debug!("password verified from the memo (argon2id skipped)");
        return true;
    }
    let verified = PasswordHash::new(stored).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    });
    if verified {
        memo.remember(stored, password, Instant::now());
    }
    log::debug!(
        "argon2id verification ran: {} in {:.1} ms",
        if verified { "verified" } else { "refused" },
        started.elapsed().as_secs_f64() * 1000.0
    );
    verified
}

/// The legacy scheme: `upper(sha256(password.rstrip() + PrivateKey))`, compared without case.
pub fn legacy_hash(password: &str, private_key: &str) -> String {
    let digest = Sha256::digest(format!("{}{}", password.trim_end(), private_key).as_bytes());
    digest.iter().map(|b| format!("{b:02X}")).collect()
}

/// Why `raw` breaks the password policy (the host's `password_policy` settings, as
/// `passwordPolicy` declares them), in the original's `CustomPasswordValidator` help text; `None`
/// when it complies. A requirement counts as on when its number is above zero, as the original's.
pub fn policy_problem(policy: &Value, raw: &str) -> Option<String> {
    let number = |name: &str| policy[name].as_u64().unwrap_or(0);
    let required =
        |name: &str, present: &dyn Fn(char) -> bool| number(name) == 0 || raw.chars().any(present);
    let complies = raw.chars().count() as u64 >= number("min_length")
        && required("uppercase", &|c| c.is_uppercase())
        && required("lowercase", &|c| c.is_lowercase())
        && required("digits", &|c| c.is_ascii_digit())
        && required("symbols", &|c| !c.is_alphanumeric() && !c.is_whitespace());
    (!complies).then(|| {
        format!(
            "Your password must be at least {} characters long, contain at least {} uppercase letter(s), {} lowercase letter(s), {} number(s), and {} special character(s).",
            number("min_length"),
            number("uppercase"),
            number("lowercase"),
            number("digits"),
            number("symbols")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_legacy_hash_trims_the_password_and_is_uppercase_hex() {
        let hash = legacy_hash("admin123  ", "salt");
        assert_eq!(hash, legacy_hash("admin123", "salt"));
        assert_eq!(hash.len(), 64);
        assert_eq!(hash, hash.to_uppercase());
        assert_ne!(hash, legacy_hash("admin123", "pepper"));
    }

    #[test]
    fn a_new_hash_is_an_argon2id_phc_string_that_verifies_only_its_password() {
        let stored = hash_new("S3cret!pass");
        assert!(
            stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{stored}"
        );
        assert!(verify(&stored, "", "S3cret!pass"));
        assert!(verify(&stored, "ignored", "S3cret!pass  "));
        assert!(!verify(&stored, "", "S3cret!pasS"));
        assert_ne!(
            stored,
            hash_new("S3cret!pass"),
            "each hash has its own salt"
        );
    }

    #[test]
    fn a_remembered_password_still_verifies_and_a_wrong_one_still_fails() {
        let stored = hash_new("Memo-Pass1");
        assert!(
            verify(&stored, "", "Memo-Pass1"),
            "argon2id, then remembered"
        );
        assert!(verified_memo::shared().remembers(&stored, "Memo-Pass1", Instant::now()));
        assert!(
            verify(&stored, "", "Memo-Pass1  "),
            "from the memo, trimmed as argon2id"
        );
        assert!(
            !verify(&stored, "", "Memo-Pass2"),
            "a wrong password runs argon2id"
        );
        assert!(!verify(&hash_new("Other-Pass1"), "", "Memo-Pass1"));
    }

    #[test]
    fn the_policy_wants_length_and_each_kind_of_character_it_names() {
        let policy = serde_json::json!({"min_length": 8, "uppercase": 1, "lowercase": 1, "digits": 1, "symbols": 1});
        assert_eq!(policy_problem(&policy, "N3w-Passw0rd!"), None);
        for weak in [
            "N3w-Pas",
            "n3w-passw0rd!",
            "N3W-PASSW0RD!",
            "New-Password!",
            "N3wPassw0rd",
        ] {
            assert_eq!(
                policy_problem(&policy, weak).as_deref(),
                Some("Your password must be at least 8 characters long, contain at least 1 uppercase letter(s), 1 lowercase letter(s), 1 number(s), and 1 special character(s)."),
                "{weak}"
            );
        }
        let lax = serde_json::json!({"min_length": 4, "uppercase": 0, "lowercase": 1, "digits": 0, "symbols": 0});
        assert_eq!(policy_problem(&lax, "abcd"), None);
    }

    #[test]
    fn legacy_hashes_verify_in_either_case_and_locked_never_does() {
        let stored = legacy_hash("admin123", "salt");
        assert!(verify(&stored, "salt", "admin123"));
        assert!(verify(&stored.to_lowercase(), "salt", "admin123"));
        assert!(!verify(&stored, "pepper", "admin123"));
        assert!(!verify(LOCKED, "", LOCKED));
        assert!(!verify("", "", ""));
    }
}
