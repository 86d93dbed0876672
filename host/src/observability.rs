//! Error reports to Sentry when `SENTRY_DSN` is set (and `IS_SENTRY_ENABLED` is not False), as
//! the original's `sentry_sdk.init` with `traces_sample_rate = SENTRY_SAMPLE_RATE` and
//! `send_default_pii = True`.
//!
//! - HTTP: `sentry-actix` ([`middleware`]) reports 5xx answers and traces requests.
//! - Modules: a module error that is a panic (`PANIC`) or asks for a 5xx status is reported
//!   with the tag `module = <logical name>` ([`module_error`]), wherever the call came from
//!   (GraphQL, a module route, a service call).
//!
//! Without a DSN nothing is bound and every function here is a no-op.

use crate::settings::{Mode, Settings};
use openimis_plugin_api::ModuleError;

/// Starts the client; keep the guard alive until exit (dropping it flushes pending reports).
pub fn init(settings: &Settings) -> Option<::sentry::ClientInitGuard> {
    let config = settings.sentry.as_ref()?;
    let environment = match settings.mode {
        Mode::Dev => "development",
        Mode::Prod => "production",
    };
    let options = ::sentry::ClientOptions::new()
        .dsn(&config.dsn)
        .traces_sample_rate(config.traces_sample_rate)
        .send_default_pii(true)
        .release(concat!("openimis@", env!("CARGO_PKG_VERSION")))
        .environment(environment);
    let guard = ::sentry::init(options);
    // Module calls run on worker threads, whose hubs derive from the main hub: bind it there
    // too when `init` runs elsewhere than on the main thread (the tests).
    ::sentry::Hub::main().bind_client(::sentry::Hub::current().client());
    log::info!(target: "openimis", "reporting errors to Sentry (traces sample rate {})", config.traces_sample_rate);
    Some(guard)
}

/// The request middleware: a hub per request, 5xx answers reported.
pub fn middleware() -> sentry_actix::Sentry {
    sentry_actix::Sentry::builder()
        .capture_server_errors(true)
        .finish()
}

/// Whether a module error is the module's fault (reported) rather than the caller's.
pub fn is_server_error(error: &ModuleError) -> bool {
    error.code.as_str() == openimis_plugin_api::module::guard::PANIC_CODE || error.status >= 500
}

/// Reports a module's server error, tagged with the module's logical name.
pub fn module_error(module: &str, error: &ModuleError) {
    if !is_server_error(error) || ::sentry::Hub::current().client().is_none() {
        return;
    }
    ::sentry::with_scope(
        |scope| {
            scope.set_tag("module", module);
            scope.set_tag("code", error.code.as_str());
        },
        || {
            ::sentry::capture_message(
                &format!("module `{module}`: {}: {}", error.code, error.message),
                ::sentry::Level::Error,
            )
        },
    );
}
