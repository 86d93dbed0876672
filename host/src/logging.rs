//! Logging as the original's `LOGGING` dictionary: one level (`DJANGO_LOG_LEVEL`, or an
//! env_logger filter in `RUST_LOG`), records sent to the `DJANGO_LOG_HANDLER` handler and SQL
//! statements to the `DJANGO_DB_LOG_HANDLER` one.
//!
//! - `console`: standard error, `name: message` (the original's `short` format).
//! - `debug-log`: `DEBUG_LOG_FILE`, `time [LEVEL] name: message`, rotated at 5 MB, 3 kept.
//! - `db-queries`: `DB_QUERIES_LOG_FILE`, same format, rotated at 5 MB, 10 kept.
//!
//! A module's records carry the target `module::<name>` (see `module_host`); SQL statements
//! are the records of target [`DB_QUERY_TARGET`], from the host or, bracketed, from a module.

use crate::settings::{LogHandler, Logging};
use openimis_sdk::time::civil_from_days;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The target of SQL statement records (the original's `django.db.backends`).
pub const DB_QUERY_TARGET: &str = "db.query";

/// The rotation of both log files: 5 MB each, as the original's `RotatingFileHandler`s.
const MAX_BYTES: u64 = 5 * 1024 * 1024;

/// A file that moves to `<file>.1` (`.1` to `.2`, ...) before it would grow past its limit.
pub struct RotatingFile {
    path: PathBuf,
    max_bytes: u64,
    backups: usize,
    file: Option<File>,
    size: u64,
}

impl RotatingFile {
    pub fn new(path: impl Into<PathBuf>, max_bytes: u64, backups: usize) -> Self {
        Self {
            path: path.into(),
            max_bytes,
            backups,
            file: None,
            size: 0,
        }
    }

    /// Appends one line, rotating first when it would not fit.
    pub fn write_line(&mut self, line: &str) -> std::io::Result<()> {
        let len = line.len() as u64 + 1;
        if self.file.is_none() {
            self.open()?;
        }
        if self.size > 0 && self.size + len > self.max_bytes {
            self.rotate()?;
        }
        let file = self.file.as_mut().expect("opened above");
        writeln!(file, "{line}")?;
        self.size += len;
        Ok(())
    }

    fn open(&mut self) -> std::io::Result<()> {
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)?;
        self.size = file.metadata()?.len();
        self.file = Some(file);
        Ok(())
    }

    fn rotate(&mut self) -> std::io::Result<()> {
        self.file = None;
        if self.backups > 0 {
            for n in (1..self.backups).rev() {
                let from = backup(&self.path, n);
                if from.exists() {
                    std::fs::rename(&from, backup(&self.path, n + 1))?;
                }
            }
            std::fs::rename(&self.path, backup(&self.path, 1))?;
        } else {
            std::fs::remove_file(&self.path)?;
        }
        self.open()
    }
}

fn backup(path: &Path, n: usize) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(format!(".{n}"));
    PathBuf::from(name)
}

/// The host's `log::Log`: an env_logger filter in front of the three handlers.
pub struct HostLogger {
    /// Used only as the filter: its `matches` and `filter`.
    filter: env_logger::Logger,
    handler: LogHandler,
    db_handler: LogHandler,
    debug_log: Mutex<RotatingFile>,
    db_queries: Mutex<RotatingFile>,
}

impl HostLogger {
    pub fn new(logging: &Logging) -> Self {
        Self {
            filter: env_logger::Builder::new()
                .parse_filters(&logging.filter)
                .build(),
            handler: logging.handler,
            db_handler: logging.db_handler,
            debug_log: Mutex::new(RotatingFile::new(&logging.debug_log_file, MAX_BYTES, 3)),
            db_queries: Mutex::new(RotatingFile::new(
                &logging.db_queries_log_file,
                MAX_BYTES,
                10,
            )),
        }
    }

    /// Installs this logger for the process (once; later calls keep the first).
    pub fn install(logging: &Logging) {
        let logger = Self::new(logging);
        let max = logger.filter.filter();
        if log::set_boxed_logger(Box::new(logger)).is_ok() {
            log::set_max_level(max);
        }
    }

    fn write(&self, handler: LogHandler, record: &log::Record<'_>, message: &str) {
        let standard = || {
            format!(
                "{} [{}] {}: {message}",
                asctime(),
                level_name(record.level()),
                record.target()
            )
        };
        let outcome = match handler {
            LogHandler::Console => {
                writeln!(std::io::stderr().lock(), "{}: {message}", record.target())
            }
            LogHandler::DebugLog => lock(&self.debug_log).write_line(&standard()),
            LogHandler::DbQueries => lock(&self.db_queries).write_line(&standard()),
        };
        if let Err(e) = outcome {
            let _ = writeln!(std::io::stderr(), "openimis: cannot write the log: {e}");
        }
    }
}

fn lock(file: &Mutex<RotatingFile>) -> std::sync::MutexGuard<'_, RotatingFile> {
    file.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Python's level names, as the original's files show them.
fn level_name(level: log::Level) -> &'static str {
    match level {
        log::Level::Error => "ERROR",
        log::Level::Warn => "WARNING",
        log::Level::Info => "INFO",
        log::Level::Debug | log::Level::Trace => "DEBUG",
    }
}

/// `2026-11-23 03:07:00,123` in UTC (the original's `asctime`).
fn asctime() -> String {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let (days, rest) = (now.as_secs() / 86400, now.as_secs() % 86400);
    let (y, m, d) = civil_from_days(days as i64);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02},{:03}",
        rest / 3600,
        rest / 60 % 60,
        rest % 60,
        now.subsec_millis()
    )
}

/// Whether a record is an SQL statement: the host's own, or a module's (bracketed target).
fn is_db_query(record: &log::Record<'_>, message: &str) -> bool {
    record.target() == DB_QUERY_TARGET
        || message.strip_prefix('[').is_some_and(|rest| {
            rest.starts_with(DB_QUERY_TARGET) && rest[DB_QUERY_TARGET.len()..].starts_with(']')
        })
}

impl log::Log for HostLogger {
    fn enabled(&self, metadata: &log::Metadata<'_>) -> bool {
        log::Log::enabled(&self.filter, metadata)
    }

    fn log(&self, record: &log::Record<'_>) {
        if !self.filter.matches(record) {
            return;
        }
        let message = record.args().to_string();
        let handler = if is_db_query(record, &message) {
            self.db_handler
        } else {
            self.handler
        };
        self.write(handler, record, &message);
    }

    fn flush(&self) {
        let _ = std::io::stderr().flush();
        for file in [&self.debug_log, &self.db_queries] {
            if let Some(f) = lock(file).file.as_mut() {
                let _ = f.flush();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_file_moves_to_dot_one_and_older_ones_shift() {
        let dir = std::env::temp_dir().join(format!("openimis-rotate-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("debug.log");
        let mut file = RotatingFile::new(&path, 20, 2);
        for line in ["first line", "second line", "third line", "fourth line"] {
            file.write_line(line).unwrap();
        }
        let read = |p: &Path| std::fs::read_to_string(p).unwrap();
        assert_eq!(read(&path), "fourth line\n");
        assert_eq!(read(&backup(&path, 1)), "third line\n");
        assert_eq!(read(&backup(&path, 2)), "second line\n");
        assert!(!backup(&path, 3).exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn module_sql_is_recognised_by_its_bracketed_target() {
        let record = log::Record::builder().target("module::core").build();
        assert!(is_db_query(&record, "[db.query] SELECT 1"));
        assert!(!is_db_query(&record, "[db.queryx] SELECT 1"));
        assert!(!is_db_query(&record, "[core] hello"));
    }

    #[test]
    fn dates_are_civil() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(20_780), (2026, 11, 23));
    }
}
