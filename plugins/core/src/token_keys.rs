//! A user's own token key: the original signs a user's tokens with `tblUsers.PrivateKey` and
//! gives it a new one on every password set, so tokens issued before stop working. Here the
//! host alone signs (with one key); core renews `PrivateKey` on every password set and tells
//! the host only its fingerprint (`auth.context`'s `token_key`, which `jwt.issue` puts in the
//! token as `keyFingerprint`). The host refuses a token whose fingerprint is no longer the
//! user's. The key itself never leaves core: it also salts legacy password hashes.

use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::ModuleError;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// A fresh `PrivateKey`: 64 hex digits from two v4 uuids (244 random bits).
pub fn new_private_key() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// What the host sees of `private_key`: the first 16 bytes of a SHA-256 of it, in hex. `None`
/// for a user without a key, whose tokens then carry no fingerprint (the original signs
/// those with the global key).
pub fn fingerprint(private_key: Option<&str>) -> Option<String> {
    let key = private_key.filter(|k| !k.is_empty())?;
    let digest = Sha256::digest(format!("openimis token key\0{key}").as_bytes());
    Some(digest[..16].iter().map(|b| format!("{b:02x}")).collect())
}

#[derive(diesel::QueryableByName)]
struct KeyRow {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    private_key: Option<String>,
}

/// The fingerprint of the current key of the valid interactive user behind `username`.
pub fn current(conn: &mut Conn, username: &str) -> Result<Option<String>, ModuleError> {
    let rows: Vec<KeyRow> = db::load(
        conn,
        r#"SELECT i."PrivateKey" AS private_key
           FROM "core_User" u JOIN "tblUsers" i ON i."id" = u."i_user_id" AND i."ValidityTo" IS NULL
           WHERE u."username" = ?"#,
        &[Bind::text(username)],
    )?;
    Ok(rows
        .into_iter()
        .next()
        .and_then(|row| fingerprint(row.private_key.as_deref())))
}

/// Refuses `claims` (a verified token's payload) issued under an older key of its user, with
/// the error the host gives any invalid token.
pub fn ensure_current(conn: &mut Conn, claims: &Value) -> Result<(), ModuleError> {
    let username = claims["username"].as_str().unwrap_or_default();
    let carried = claims.get("keyFingerprint").and_then(Value::as_str);
    if current(conn, username)?.as_deref() == carried {
        Ok(())
    } else {
        Err(ModuleError::new("JWT_INVALID", "Error decoding signature").with_status(401))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_tell_keys_apart_and_hide_them() {
        let key = new_private_key();
        assert_eq!(key.len(), 64);
        assert_ne!(key, new_private_key());
        let print = fingerprint(Some(&key)).unwrap();
        assert_eq!(print.len(), 32);
        assert_eq!(fingerprint(Some(&key)), Some(print.clone()));
        assert_ne!(fingerprint(Some(&new_private_key())), Some(print));
        assert_eq!(fingerprint(None), None);
        assert_eq!(fingerprint(Some("")), None);
    }
}
