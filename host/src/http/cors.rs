//! CORS for the frontend, with credentials (the original's `CORS_ALLOW_CREDENTIALS = True`).
//!
//! - `MODE=PROD`: the origins of `prod.py` (`CORS_ALLOWED_ORIGINS = CSRF_TRUSTED_ORIGINS`, i.e.
//!   `CSRF_TRUSTED_ORIGINS` plus `PROTOS` × `HOSTS`) and the frontend's (`FRONTEND_URL`, else
//!   `SITE_URL`/`SITE_FRONT`).
//! - `MODE=DEV`: every origin, as `dev.py`'s `cors_allow_origin` answers `True`.
//!
//! A request from another origin is not refused here: it gets no CORS headers (so a browser
//! hides the answer), and the CSRF check decides whether it may act.

use crate::settings::{Mode, Origins};
use actix_cors::Cors;

/// How long a browser may cache a preflight answer (seconds).
const PREFLIGHT_MAX_AGE: usize = 86_400;

/// The CORS middleware for `mode` and `origins`.
pub fn cors(mode: Mode, origins: &Origins) -> Cors {
    let base = Cors::default()
        .allow_any_method()
        .allow_any_header()
        .supports_credentials()
        .block_on_origin_mismatch(false)
        .max_age(PREFLIGHT_MAX_AGE);
    match mode {
        Mode::Dev => base.allowed_origin_fn(|_, _| true),
        Mode::Prod => origins
            .cors_allowed()
            .iter()
            .fold(base, |cors, origin| cors.allowed_origin(origin)),
    }
}
