//! Authentication at the host: JWTs as the original issues them (HS256 with `SECRET_KEY`, or
//! RS256 when `keys/jwt_private_key.pem` and `keys/jwt_public_key.pem` exist), read from the
//! `Authorization: Bearer` header or the `JWT` cookie. Modules (core) issue tokens through the
//! host's `jwt.issue` service; the host verifies every request's token.

pub mod keys;
mod verified;

pub use keys::{JwtKeys, KeyError};

use jsonwebtoken::{decode, encode, errors::ErrorKind, Header, Validation};
use serde::{Deserialize, Serialize};
use std::time::{SystemTime, UNIX_EPOCH};

/// Tokens live one day (`JWT_EXPIRATION_DELTA`) and refresh for 30 days from first issue
/// (`JWT_REFRESH_EXPIRATION_DELTA`), as the original.
pub const EXPIRATION_SECONDS: u64 = 24 * 3600;
pub const REFRESH_SECONDS: u64 = 30 * 24 * 3600;

/// The payload the original signs: `{username, exp, origIat}` (plus jti/nbf we add likewise),
/// and `keyFingerprint`: the fingerprint of the user's own key when the token was issued. The
/// original signs with that key (`tblUsers.PrivateKey`, renewed by every password set); here
/// the host signs with one key and the edge refuses a token whose fingerprint is no longer the
/// user's (see `http/auth.rs`). Absent for users without a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub username: String,
    pub exp: u64,
    #[serde(rename = "origIat")]
    pub orig_iat: u64,
    #[serde(default)]
    pub jti: String,
    #[serde(default)]
    pub nbf: u64,
    #[serde(
        default,
        rename = "keyFingerprint",
        skip_serializing_if = "Option::is_none"
    )]
    pub key_fingerprint: Option<String>,
}

/// A token that can not be used, with the original's messages (the frontend logs out on 401).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    #[error("Signature has expired")]
    Expired,
    #[error("Error decoding signature")]
    Invalid,
    #[error("Refresh has expired")]
    RefreshExpired,
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// A uuid4, as the original's `jti`.
fn jti() -> String {
    uuid::Uuid::new_v4().to_string()
}

/// An issued token: the JWT, its payload, and when refreshing stops (epoch seconds).
#[derive(Debug, Clone, Serialize)]
pub struct Issued {
    pub token: String,
    pub payload: Claims,
    #[serde(rename = "refreshExpiresIn")]
    pub refresh_expires_in: u64,
}

impl JwtKeys {
    /// Issues a token for `username`; a refresh keeps `orig_iat` (and fails 30 days after it).
    pub fn issue(&self, username: &str, orig_iat: Option<u64>) -> Result<Issued, TokenError> {
        self.issue_keyed(username, orig_iat, None)
    }

    /// [`Self::issue`], the token carrying the fingerprint of the user's current key.
    pub fn issue_keyed(
        &self,
        username: &str,
        orig_iat: Option<u64>,
        key_fingerprint: Option<&str>,
    ) -> Result<Issued, TokenError> {
        let now = now();
        let orig_iat = orig_iat.unwrap_or(now);
        if now > orig_iat + REFRESH_SECONDS {
            return Err(TokenError::RefreshExpired);
        }
        let payload = Claims {
            username: username.to_owned(),
            exp: now + EXPIRATION_SECONDS,
            orig_iat,
            jti: jti(),
            nbf: now,
            key_fingerprint: key_fingerprint.map(str::to_owned),
        };
        let token = encode(&Header::new(self.algorithm), &payload, &self.encoding)
            .map_err(|_| TokenError::Invalid)?;
        Ok(Issued {
            token,
            payload,
            refresh_expires_in: orig_iat + REFRESH_SECONDS,
        })
    }

    /// Verifies signature, expiry and not-before (a token whose `nbf` is still to come is not
    /// valid yet).
    /// A token verified before answers from memory, its expiry checked as decoding checks it.
    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        if let Some(claims) = self.verified.get(token) {
            return match claims.exp < now() {
                true => Err(TokenError::Expired),
                false => Ok(claims),
            };
        }
        let mut validation = Validation::new(self.algorithm);
        validation.leeway = 0;
        validation.validate_nbf = true;
        validation.set_required_spec_claims(&["exp"]);
        let claims = decode::<Claims>(token, &self.decoding, &validation)
            .map(|d| d.claims)
            .map_err(|e| match e.kind() {
                ErrorKind::ExpiredSignature => TokenError::Expired,
                _ => TokenError::Invalid,
            })?;
        self.verified.remember(token, &claims);
        Ok(claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_tokens_verify_and_carry_the_originals_payload() {
        let keys = JwtKeys::hs256("secret");
        let issued = keys.issue("Admin", None).unwrap();
        let claims = keys.verify(&issued.token).unwrap();
        assert_eq!(claims.username, "Admin");
        assert_eq!(claims.exp - claims.orig_iat, EXPIRATION_SECONDS);
        assert_eq!(issued.refresh_expires_in, claims.orig_iat + REFRESH_SECONDS);
        assert_eq!(
            JwtKeys::hs256("other").verify(&issued.token),
            Err(TokenError::Invalid)
        );
        assert_eq!(keys.verify("garbage"), Err(TokenError::Invalid));
    }

    #[test]
    fn a_token_verified_before_still_expires_and_a_forged_one_is_never_remembered() {
        let keys = JwtKeys::hs256("secret");
        let soon = Claims {
            username: "u".into(),
            exp: now() + 1,
            orig_iat: now(),
            jti: String::new(),
            nbf: 0,
            key_fingerprint: None,
        };
        let token = encode(&Header::new(keys.algorithm), &soon, &keys.encoding).unwrap();
        assert_eq!(keys.verify(&token), Ok(soon.clone()));
        assert_eq!(keys.verify(&token), Ok(soon), "answered from memory");
        std::thread::sleep(std::time::Duration::from_millis(2100));
        assert_eq!(keys.verify(&token), Err(TokenError::Expired));
        let forged = JwtKeys::hs256("other").issue("u", None).unwrap().token;
        assert_eq!(keys.verify(&forged), Err(TokenError::Invalid));
        assert_eq!(keys.verify(&forged), Err(TokenError::Invalid));
    }

    #[test]
    fn expiry_and_refresh_windows_are_enforced() {
        let keys = JwtKeys::hs256("secret");
        let old = Claims {
            username: "u".into(),
            exp: now() - 10,
            orig_iat: now() - 100,
            jti: String::new(),
            nbf: 0,
            key_fingerprint: None,
        };
        let token = encode(&Header::new(keys.algorithm), &old, &keys.encoding).unwrap();
        assert_eq!(keys.verify(&token), Err(TokenError::Expired));
        assert_eq!(
            keys.issue("u", Some(now() - REFRESH_SECONDS - 1))
                .unwrap_err(),
            TokenError::RefreshExpired
        );
        let refreshed = keys.issue("u", Some(now() - 1000)).unwrap();
        assert_eq!(refreshed.payload.orig_iat, now() - 1000);
    }

    #[test]
    fn a_token_not_valid_yet_is_refused() {
        let keys = JwtKeys::hs256("secret");
        let early = Claims {
            username: "u".into(),
            exp: now() + 600,
            orig_iat: now(),
            jti: String::new(),
            nbf: now() + 300,
            key_fingerprint: None,
        };
        let token = encode(&Header::new(keys.algorithm), &early, &keys.encoding).unwrap();
        assert_eq!(keys.verify(&token), Err(TokenError::Invalid));
        let now_valid = Claims {
            nbf: now(),
            ..early
        };
        let token = encode(&Header::new(keys.algorithm), &now_valid, &keys.encoding).unwrap();
        assert!(keys.verify(&token).is_ok());
    }
}
