//! The `log` bridge: each library has its own `log` statics, so the SDK installs a logger that
//! forwards every record to `Host::log`, plus a panic hook that logs the panic the same way.

use crate::abi::HostBox;
use abi_stable::std_types::RStr;
use std::sync::OnceLock;

struct HostLogger {
    host: HostBox,
}

impl log::Log for HostLogger {
    fn enabled(&self, _metadata: &log::Metadata<'_>) -> bool {
        true
    }

    fn log(&self, record: &log::Record<'_>) {
        let message = record.args().to_string();
        self.host.log(
            record.level() as u8,
            RStr::from(record.target()),
            RStr::from(message.as_str()),
        );
    }

    fn flush(&self) {}
}

static INSTALLED: OnceLock<()> = OnceLock::new();

/// Installs the bridge once per library (later calls are no-ops).
pub fn install(host: &HostBox) {
    INSTALLED.get_or_init(|| {
        let logger = HostLogger { host: host.clone() };
        if log::set_boxed_logger(Box::new(logger)).is_ok() {
            log::set_max_level(log::LevelFilter::Trace);
        }
        let hook_host = host.clone();
        std::panic::set_hook(Box::new(move |info| {
            let message = format!("panic: {info}");
            hook_host.log(
                log::Level::Error as u8,
                RStr::from("panic"),
                RStr::from(message.as_str()),
            );
        }));
    });
}
