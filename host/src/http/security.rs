//! Security headers on every response, as the original sends them.
//!
//! - `MODE=PROD`: the original's `SecurityHeadersMiddleware` (HSTS, CSP, frame, sniffing,
//!   referrer and permissions policies). `Referrer-Policy` is `no-referrer` here, as issue 5
//!   asks; the original sends `strict-origin-when-cross-origin`.
//! - `MODE=DEV`: Django's defaults (`SecurityMiddleware` and `XFrameOptionsMiddleware`).
//!
//! A header a handler set itself is kept (`DefaultHeaders` only adds missing ones).

use crate::settings::Mode;
use actix_web::middleware::DefaultHeaders;

/// The headers every response carries in `mode`.
pub fn headers_for(mode: Mode) -> &'static [(&'static str, &'static str)] {
    match mode {
        Mode::Prod => &[
            (
                "Strict-Transport-Security",
                "max-age=63072000; includeSubDomains",
            ),
            ("Content-Security-Policy", "default-src 'self'"),
            ("X-Frame-Options", "DENY"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "no-referrer"),
            ("Permissions-Policy", "geolocation=(), microphone=()"),
        ],
        Mode::Dev => &[
            ("X-Frame-Options", "DENY"),
            ("X-Content-Type-Options", "nosniff"),
            ("Referrer-Policy", "same-origin"),
            ("Cross-Origin-Opener-Policy", "same-origin"),
        ],
    }
}

/// The middleware adding [`headers_for`] `mode`.
pub fn headers(mode: Mode) -> DefaultHeaders {
    headers_for(mode)
        .iter()
        .fold(DefaultHeaders::new(), |middleware, &header| {
            middleware.add(header)
        })
}
