//! Signing keys: RS256 from `keys/jwt_private_key.pem` + `keys/jwt_public_key.pem` when both
//! exist, else HS256 with `SECRET_KEY` (the original's rule).

use super::verified::Verified;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey};
use std::path::Path;
use std::sync::Arc;

/// The keys tokens are signed and verified with.
#[derive(Clone)]
pub struct JwtKeys {
    pub algorithm: Algorithm,
    pub(super) encoding: EncodingKey,
    pub(super) decoding: DecodingKey,
    /// Tokens these keys verified already.
    pub(super) verified: Arc<Verified>,
}

/// A key file that can not be used, named.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {reason}")]
pub struct KeyError {
    pub file: String,
    pub reason: String,
}

impl JwtKeys {
    pub fn hs256(secret: &str) -> Self {
        Self {
            algorithm: Algorithm::HS256,
            encoding: EncodingKey::from_secret(secret.as_bytes()),
            decoding: DecodingKey::from_secret(secret.as_bytes()),
            verified: Arc::default(),
        }
    }

    /// RS256 when both PEM files are in `dir`, else HS256 with `secret`.
    pub fn load(dir: &Path, secret: &str) -> Result<Self, KeyError> {
        let private = dir.join("jwt_private_key.pem");
        let public = dir.join("jwt_public_key.pem");
        if !(private.is_file() && public.is_file()) {
            return Ok(Self::hs256(secret));
        }
        let read = |path: &Path| {
            std::fs::read(path).map_err(|e| KeyError {
                file: path.display().to_string(),
                reason: e.to_string(),
            })
        };
        let private_pem = read(&private)?;
        if String::from_utf8_lossy(&private_pem).contains("ENCRYPTED") {
            return Err(KeyError {
                file: private.display().to_string(),
                reason: "the private key is encrypted; store it decrypted (openssl pkey -in it -out it.decrypted) with restricted permissions".into(),
            });
        }
        let encoding = EncodingKey::from_rsa_pem(&private_pem).map_err(|e| KeyError {
            file: private.display().to_string(),
            reason: format!("not an RSA private key in PEM: {e}"),
        })?;
        let decoding = DecodingKey::from_rsa_pem(&read(&public)?).map_err(|e| KeyError {
            file: public.display().to_string(),
            reason: format!("not an RSA public key in PEM: {e}"),
        })?;
        Ok(Self {
            algorithm: Algorithm::RS256,
            encoding,
            decoding,
            verified: Arc::default(),
        })
    }
}
