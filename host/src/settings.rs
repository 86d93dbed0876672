//! Server settings from the environment (and `.env`), with the original's names and defaults.
//! A bad value stops startup with a message naming the variable.

pub mod env;

pub use env::{Env, Mode, SettingError};

use env::bad;
use std::path::PathBuf;

/// Where the data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Database {
    /// `NO_DATABASE=True`: an embedded SQLite file.
    Sqlite { path: PathBuf },
    /// PostgreSQL from `DB_HOST`/`DB_PORT`/`DB_NAME`/`DB_USER`/`DB_PASSWORD`/`DB_OPTIONS`.
    Postgres { url: String },
}

impl Database {
    pub fn url(&self) -> String {
        match self {
            // Every SQLite connection in the process opens the same URI (see `sqlite_uri`).
            Database::Sqlite { path } => openimis_sdk::sqlite_uri::sqlite_uri(path),
            Database::Postgres { url } => url.clone(),
        }
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Database::Sqlite { .. } => "sqlite",
            Database::Postgres { .. } => "postgresql",
        }
    }
}

/// Where `openimis.json` comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModulesSource {
    File(PathBuf),
    Inline(String),
}

/// Everything the host reads from its environment.
#[derive(Debug, Clone)]
pub struct Settings {
    pub modules: ModulesSource,
    pub modules_dir: PathBuf,
    /// `SITE_ROOT` without slashes (`api`), or empty.
    pub site_root: String,
    pub mode: Mode,
    pub database: Database,
    pub migrate_on_start: bool,
    pub demo_dataset: bool,
    /// `ROW_SECURITY` (default on): users see only the locations under their districts.
    pub row_security: bool,
    /// Connections each module's pool may open unless its config says otherwise.
    pub module_pool_size: u32,
    /// What all module pools together may open (`DB_MAX_CONNECTIONS`).
    pub max_connections: u32,
    /// HTTP worker threads (`OPENIMIS_WORKERS`; default: the number of cores).
    pub workers: usize,
    /// Threads per worker that run GraphQL and module calls (`OPENIMIS_BLOCKING_THREADS`).
    /// Module calls are CPU-bound or wait on the database; more threads than that needs only
    /// adds context switches (measured: 1–2 per worker beat 512 by a third, docs/BENCHMARKS.md).
    pub blocking_threads: usize,
    /// `SECRET_KEY`: signs HS256 tokens when no RSA keys are present.
    pub secret_key: String,
    /// Where `jwt_private_key.pem` / `jwt_public_key.pem` are looked for (`JWT_KEYS_DIR`).
    pub jwt_keys_dir: PathBuf,
    /// `PASSWORD_MIN_LENGTH`, `PASSWORD_UPPERCASE`, `PASSWORD_LOWERCASE`, `PASSWORD_DIGITS`,
    /// `PASSWORD_SYMBOLS` (8, 1, 1, 1, 1): core's password policy.
    pub password_policy: [u32; 5],
    /// `RATELIMIT_RATE` (`150/m`): requests per client on the GraphQL endpoint in PROD.
    pub rate_limit: RateLimit,
    /// `RATELIMIT_KEY` (`ip`): what identifies a client for the rate limit.
    pub rate_limit_key: RateLimitKey,
    /// `DATA_UPLOAD_MAX_MEMORY_SIZE` (10 MB, the original's): the largest request body.
    pub max_body: usize,
    /// `GRAPHQL_MAX_DEPTH` (15): the deepest field nesting a GraphQL operation may have.
    pub graphql_max_depth: usize,
    /// `CACHE_BACKEND` / `CACHE_URL` / `CACHE_OPTIONS`: in memory unless both of the first two
    /// are set (see `cache/config.rs`).
    pub cache: crate::cache::CacheConfig,
    /// `SCHEDULER_AUTOSTART` (False): run the modules' scheduled jobs while serving.
    pub scheduler_autostart: bool,
    /// `EMAIL_HOST`, `EMAIL_PORT`, `EMAIL_HOST_USER`, `EMAIL_HOST_PASSWORD`, `EMAIL_USE_TLS`,
    /// `EMAIL_USE_SSL`: outgoing mail (see `mail.rs` for DEV's console rule).
    pub mail: crate::mail::MailSettings,
    /// `LOGIN_LOCKOUT_FAILURE_LIMIT` (5) failed logins lock a username out for
    /// `LOGIN_LOCKOUT_COOLOFF_TIME` (5) minutes, in MODE=PROD only (the original's django-axes).
    pub login_lockout: LoginLockout,
    /// `EXPORTS_ROOT_PATH` (`exports` in the working directory, made absolute): where
    /// `…Export` fields write their files (`query_exports/user_<id>/<name>`, the original's
    /// `MEDIA_ROOT`), and the only directory a module may have the host send a file from
    /// (`http/send_file.rs`).
    pub exports_root: PathBuf,
    /// `FRONTEND_DIR` (unset): a built openIMIS frontend (`cargo xtask frontend`) served at
    /// `/front/` on the API's origin, so its cookies reach the API without a proxy.
    pub frontend_dir: Option<PathBuf>,
    /// `CELERY_BROKER_URL` (unset): in MODE=PROD, queued mutations travel through this RabbitMQ
    /// broker (`amqp://...`); unset, an in-process worker runs them.
    pub celery_broker_url: Option<String>,
    /// `OPENIMIS_MUTATION_QUEUE` (`openimis.mutations`): the RabbitMQ queue the servers of one
    /// installation share for queued mutations.
    pub mutation_queue: String,
    /// `GRAPHQL_MAX_COMPLEXITY` (5000): the most fields an operation may select, fragments
    /// expanded and connection pages (`first`/`last`) multiplying what they select.
    pub graphql_max_complexity: u64,
    /// `OPENIMIS_REQUEST_TIMEOUT` (30 s, gunicorn's worker timeout): the longest a GraphQL
    /// request may run before it is answered 503.
    pub request_timeout: std::time::Duration,
    /// `OPENIMIS_SHUTDOWN_TIMEOUT` (30 s): how long SIGTERM/SIGINT wait for in-flight requests.
    pub shutdown_timeout: std::time::Duration,
    /// Who may call the server from where: hosts, CSRF origins, CORS (`HOSTS`, ...).
    pub origins: Origins,
    /// `DJANGO_LOG_LEVEL`, `DJANGO_LOG_HANDLER`, `DJANGO_DB_LOG_HANDLER`, and the log files.
    pub logging: Logging,
    /// `SENTRY_DSN` (+ `SENTRY_SAMPLE_RATE`, `IS_SENTRY_ENABLED`): where errors are reported.
    pub sentry: Option<Sentry>,
    /// The original's settings that only modules use (`PHOTO_ROOT_PATH`, `MASTER_DATA_PASSWORD`,
    /// `OPEHNHIM_*`, `CLAIMDOC_TOKEN`, `OPENSEARCH_*`), by name, as set: modules read them
    /// through `settings.get` (`env`).
    pub module_env: std::collections::BTreeMap<String, String>,
}

/// The variables only modules use; the host passes them on unchanged (`settings.get` → `env`).
pub const MODULE_VARIABLES: [&str; 10] = [
    "PHOTO_ROOT_PATH",
    "MASTER_DATA_PASSWORD",
    "OPEHNHIM_URL",
    "OPEHNHIM_USER",
    "OPEHNHIM_PASSWORD",
    "CLAIMDOC_TOKEN",
    "OPENSEARCH_HOSTS",
    "OPENSEARCH_HOST",
    "OPENSEARCH_ADMIN",
    "OPENSEARCH_PASSWORD",
];

/// Which hosts and origins the server trusts, as the original's `prod.py`/`dev.py` derive them.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Origins {
    /// `HOSTS`, `ALLOWED_HOST` (commas) and `ALLOWED_HOSTS` (JSON list or commas): the `Host`
    /// headers PROD answers. Empty (or `*`) allows every host, as the original.
    pub allowed_hosts: Vec<String>,
    /// `CSRF_TRUSTED_ORIGINS` plus `<proto>://<host>` for every `PROTOS` × `HOSTS`: the origins
    /// whose cookie-authenticated unsafe requests PROD accepts.
    pub csrf_trusted: Vec<String>,
    /// `SITE_URL` without its trailing slash (links built by modules).
    pub site_url: String,
    /// `FRONTEND_URL`, else `<http|https>://SITE_URL/SITE_FRONT` as the original builds it.
    pub frontend_url: String,
}

impl Origins {
    /// Whether `host` (a `Host` header, port included or not) may be served.
    pub fn host_allowed(&self, host: &str) -> bool {
        let name = host_name(host);
        self.allowed_hosts.is_empty()
            || self.allowed_hosts.iter().any(|allowed| {
                allowed == "*"
                    || allowed.eq_ignore_ascii_case(host)
                    || allowed.eq_ignore_ascii_case(name)
                    || allowed.strip_prefix('.').is_some_and(|domain| {
                        name.eq_ignore_ascii_case(domain)
                            || name
                                .to_ascii_lowercase()
                                .ends_with(&format!(".{}", domain.to_ascii_lowercase()))
                    })
            })
    }

    /// The origins CORS answers with credentials in PROD: the CSRF-trusted ones and the
    /// frontend's (the original sets `CORS_ALLOWED_ORIGINS = CSRF_TRUSTED_ORIGINS`).
    pub fn cors_allowed(&self) -> Vec<String> {
        let mut origins = self.csrf_trusted.clone();
        if let Some(frontend) = origin_of(&self.frontend_url) {
            if !origins.contains(&frontend) {
                origins.push(frontend);
            }
        }
        origins
    }
}

/// `example.org` of `example.org:8000` (and `[::1]` of `[::1]:8000`).
fn host_name(host: &str) -> &str {
    match host.rsplit_once(':') {
        Some((name, port)) if !name.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => name,
        _ => host,
    }
}

/// `scheme://host[:port]` of a URL, or `None` when it has no scheme and host.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    (!scheme.is_empty() && !authority.is_empty()).then(|| {
        format!(
            "{}://{}",
            scheme.to_ascii_lowercase(),
            authority.to_ascii_lowercase()
        )
    })
}

/// Where a log record goes: the original's handler names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogHandler {
    /// `console`: standard error, `name: message`.
    Console,
    /// `debug-log`: `DEBUG_LOG_FILE`, rotated at 5 MB, 3 kept.
    DebugLog,
    /// `db-queries`: `DB_QUERIES_LOG_FILE`, rotated at 5 MB, 10 kept.
    DbQueries,
}

impl LogHandler {
    fn parse(env: &Env<'_>, name: &str, default: LogHandler) -> Result<Self, SettingError> {
        match env.get(name).as_deref() {
            None => Ok(default),
            Some("console") => Ok(LogHandler::Console),
            Some("debug-log") => Ok(LogHandler::DebugLog),
            Some("db-queries") => Ok(LogHandler::DbQueries),
            Some(other) => Err(bad(
                name,
                other,
                "expected console, debug-log or db-queries",
            )),
        }
    }
}

/// The original's `LOGGING` dictionary, as settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logging {
    /// An env_logger filter: `RUST_LOG` when set, else `DJANGO_LOG_LEVEL` (DEBUG in DEV,
    /// WARNING in PROD, as the original).
    pub filter: String,
    /// `DJANGO_LOG_HANDLER` (`console`): where every record but SQL statements goes.
    pub handler: LogHandler,
    /// `DJANGO_DB_LOG_HANDLER` (`db-queries`): where SQL statements go.
    pub db_handler: LogHandler,
    /// `DEBUG_LOG_FILE` (`debug.log`).
    pub debug_log_file: PathBuf,
    /// `DB_QUERIES_LOG_FILE` (`db-queries.log`).
    pub db_queries_log_file: PathBuf,
}

/// Error reporting to Sentry.
#[derive(Debug, Clone, PartialEq)]
pub struct Sentry {
    /// `SENTRY_DSN`.
    pub dsn: String,
    /// `SENTRY_SAMPLE_RATE` (0.2): the share of requests traced (errors are all sent).
    pub traces_sample_rate: f32,
}

/// Login lockout after repeated failures (django-axes' `AXES_FAILURE_LIMIT`/`AXES_COOLOFF_TIME`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginLockout {
    pub failure_limit: u32,
    pub cooloff_minutes: u32,
}

/// A rate as django-ratelimit writes it: `count` requests per `period` (`150/m`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    pub count: u32,
    pub period: std::time::Duration,
}

impl RateLimit {
    /// Parses `N/s`, `N/m`, `N/h` or `N/d` (N at least 1).
    pub fn parse(text: &str) -> Option<Self> {
        let (count, unit) = text.trim().split_once('/')?;
        let count: u32 = count.trim().parse().ok().filter(|n| *n > 0)?;
        let seconds = match unit.trim() {
            "s" => 1,
            "m" => 60,
            "h" => 3600,
            "d" => 86400,
            _ => return None,
        };
        Some(Self {
            count,
            period: std::time::Duration::from_secs(seconds),
        })
    }
}

/// `RATELIMIT_KEY`: the client a rate applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimitKey {
    /// The peer's IP address (an IPv6 client's /56 prefix).
    Ip,
}

/// The `SECRET_KEY` of the offline commands when none is set: they sign nothing with it.
const OFFLINE_SECRET_KEY: &str = "openimis-offline-command-signs-nothing";

/// The development default of `SECRET_KEY`; PROD without a real one is refused.
pub const INSECURE_SECRET_KEY: &str = "openimis-insecure-development-secret-key";

/// `FRONTEND_DIR`: a directory holding the built frontend's `index.html`.
/// `EXPORTS_ROOT_PATH`, absolute (relative to the working directory when given relative).
fn exports_root(env: &Env<'_>) -> Result<PathBuf, SettingError> {
    let text = env.string("EXPORTS_ROOT_PATH", "exports");
    if text.trim().is_empty() {
        return Err(bad("EXPORTS_ROOT_PATH", &text, "must name a directory"));
    }
    std::path::absolute(&text).map_err(|e| bad("EXPORTS_ROOT_PATH", &text, &e.to_string()))
}

fn frontend_dir(env: &Env<'_>) -> Result<Option<PathBuf>, SettingError> {
    let Some(text) = env.get("FRONTEND_DIR") else {
        return Ok(None);
    };
    let dir = PathBuf::from(&text);
    if !dir.is_dir() {
        return Err(bad(
            "FRONTEND_DIR",
            &text,
            "no such directory (build the frontend with `cargo xtask frontend`)",
        ));
    }
    if !dir.join("index.html").is_file() {
        return Err(bad(
            "FRONTEND_DIR",
            &text,
            "the directory has no index.html (build the frontend with `cargo xtask frontend`)",
        ));
    }
    Ok(Some(dir))
}

/// A whole number of at least 1.
fn positive(env: &Env<'_>, name: &str, default: usize) -> Result<usize, SettingError> {
    match env.number(name, default)? {
        0 => Err(bad(name, "0", "expected a whole number of at least 1")),
        n => Ok(n),
    }
}

impl Settings {
    /// Loads `.env` (real environment variables win), then reads the process environment.
    pub fn from_process_env() -> Result<Self, SettingError> {
        let _ = dotenvy::dotenv();
        Self::from_env(&Env::new(&|name| std::env::var(name).ok()))
    }

    /// As [`Self::from_process_env`], for commands that serve nothing and sign no token
    /// (`check`, `modules`, `inspect`, `schema`): PROD without `SECRET_KEY` is not refused, so a
    /// module developer can inspect a library on a fresh machine.
    pub fn from_process_env_offline() -> Result<Self, SettingError> {
        let _ = dotenvy::dotenv();
        Self::from_env(&Env::new(&|name| match std::env::var(name).ok() {
            None if name == "SECRET_KEY" => Some(OFFLINE_SECRET_KEY.to_owned()),
            value => value,
        }))
    }

    pub fn from_env(env: &Env<'_>) -> Result<Self, SettingError> {
        let modules = match env.get("OPENIMIS_CONF_JSON") {
            Some(json) => ModulesSource::Inline(json),
            None => ModulesSource::File(env.string("OPENIMIS_CONF", "openimis.json").into()),
        };
        let mode = match env.string("MODE", "PROD").to_ascii_uppercase().as_str() {
            "DEV" => Mode::Dev,
            "PROD" => Mode::Prod,
            _ => return Err(bad("MODE", &env.string("MODE", ""), "expected DEV or PROD")),
        };
        let site_root = env.string("SITE_ROOT", "").trim_matches('/').to_owned();
        let database = if env.flag("NO_DATABASE", false)? {
            Database::Sqlite {
                path: env.string("SQLITE_PATH", "sqlite.db3").into(),
            }
        } else {
            Database::Postgres {
                url: postgres_url(env)?,
            }
        };
        // HTTP workers parse and write HTTP: every request runs on the blocking pool, or,
        // answered by the host alone, inline. One per core (with one for two cores the single
        // HTTP thread held list requests back: 100 rows across two modules +10%, locations +3%,
        // `{ __typename }` -5% on the 2-core bench box), and two blocking threads per core in all.
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let workers: usize = env.number("OPENIMIS_WORKERS", cores)?;
        let workers = workers.max(1);
        Ok(Self {
            modules,
            modules_dir: env.string("MODULES_DIR", "modules").into(),
            migrate_on_start: site_root == "api" || env.flag("DJANGO_MIGRATE", false)?,
            site_root,
            mode,
            database,
            demo_dataset: env.flag("DEMO_DATASET", false)?,
            row_security: env.flag("ROW_SECURITY", true)?,
            module_pool_size: env.number("DB_POOL_SIZE", 4)?,
            max_connections: env.number("DB_MAX_CONNECTIONS", 90)?,
            workers,
            blocking_threads: env
                .number("OPENIMIS_BLOCKING_THREADS", (2 * cores).div_ceil(workers))?,
            secret_key: match (env.get("SECRET_KEY"), mode) {
                (Some(key), _) => key,
                (None, Mode::Dev) => INSECURE_SECRET_KEY.to_owned(),
                (None, Mode::Prod) => {
                    return Err(bad(
                        "SECRET_KEY",
                        "",
                        "must be set when MODE=PROD (it signs login tokens)",
                    ))
                }
            },
            jwt_keys_dir: {
                let dir: PathBuf = env.string("JWT_KEYS_DIR", "keys").into();
                readable_keys(&dir)?;
                dir
            },
            password_policy: [
                env.number("PASSWORD_MIN_LENGTH", 8)?,
                env.number("PASSWORD_UPPERCASE", 1)?,
                env.number("PASSWORD_LOWERCASE", 1)?,
                env.number("PASSWORD_DIGITS", 1)?,
                env.number("PASSWORD_SYMBOLS", 1)?,
            ],
            rate_limit: {
                let text = env.string("RATELIMIT_RATE", "150/m");
                RateLimit::parse(&text).ok_or_else(|| {
                    bad(
                        "RATELIMIT_RATE",
                        &text,
                        "expected N/s, N/m, N/h or N/d with N at least 1 (e.g. 150/m)",
                    )
                })?
            },
            rate_limit_key: match env.string("RATELIMIT_KEY", "ip").as_str() {
                "ip" => RateLimitKey::Ip,
                other => {
                    return Err(bad(
                        "RATELIMIT_KEY",
                        other,
                        "only `ip` is supported (the original's default)",
                    ))
                }
            },
            max_body: positive(env, "DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)?,
            graphql_max_depth: positive(env, "GRAPHQL_MAX_DEPTH", 15)?,
            cache: crate::cache::CacheConfig::from_env(env)?,
            scheduler_autostart: env.flag("SCHEDULER_AUTOSTART", false)?,
            mail: crate::mail::MailSettings::from_env(env, mode)?,
            login_lockout: LoginLockout {
                failure_limit: positive(env, "LOGIN_LOCKOUT_FAILURE_LIMIT", 5)? as u32,
                cooloff_minutes: env.number("LOGIN_LOCKOUT_COOLOFF_TIME", 5)?,
            },
            exports_root: exports_root(env)?,
            frontend_dir: frontend_dir(env)?,
            celery_broker_url: env
                .get("CELERY_BROKER_URL")
                .filter(|url| !url.trim().is_empty()),
            mutation_queue: env.string("OPENIMIS_MUTATION_QUEUE", "openimis.mutations"),
            graphql_max_complexity: positive(env, "GRAPHQL_MAX_COMPLEXITY", 5000)? as u64,
            request_timeout: seconds(env, "OPENIMIS_REQUEST_TIMEOUT", 30)?,
            shutdown_timeout: seconds(env, "OPENIMIS_SHUTDOWN_TIMEOUT", 30)?,
            origins: {
                fixed_answers(env)?;
                origins(env)?
            },
            logging: logging(env, mode)?,
            sentry: sentry(env)?,
            module_env: MODULE_VARIABLES
                .iter()
                .filter_map(|name| env.get(name).map(|value| (name.to_string(), value)))
                .collect(),
        })
    }

    /// The URL prefix every route lives under: `/api/` for `SITE_ROOT=api`, `/` when empty.
    pub fn prefix(&self) -> String {
        if self.site_root.is_empty() {
            "/".to_owned()
        } else {
            format!("/{}/", self.site_root)
        }
    }
}

/// A whole number of seconds, at least 1.
fn seconds(env: &Env<'_>, name: &str, default: u64) -> Result<std::time::Duration, SettingError> {
    Ok(std::time::Duration::from_secs(
        positive(env, name, default as usize)? as u64,
    ))
}

/// A comma-separated list, blanks dropped.
fn list(env: &Env<'_>, name: &str) -> Vec<String> {
    env.get(name)
        .map(|v| {
            v.split(',')
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

fn origins(env: &Env<'_>) -> Result<Origins, SettingError> {
    let hosts = list(env, "HOSTS");
    let mut allowed_hosts = hosts.clone();
    allowed_hosts.extend(list(env, "ALLOWED_HOST"));
    if let Some(text) = env.get("ALLOWED_HOSTS") {
        // The original reads a JSON list; a comma list is accepted too.
        if text.trim_start().starts_with('[') {
            let parsed: Vec<String> = serde_json::from_str(&text).map_err(|e| {
                bad(
                    "ALLOWED_HOSTS",
                    &text,
                    &format!("expected a JSON list of host names: {e}"),
                )
            })?;
            allowed_hosts.extend(parsed);
        } else {
            allowed_hosts.extend(list(env, "ALLOWED_HOSTS"));
        }
    }
    let protos = match env.get("PROTOS") {
        None => vec!["http".to_owned(), "https".to_owned()],
        Some(_) => list(env, "PROTOS"),
    };
    if let Some(wrong) = protos.iter().find(|p| *p != "http" && *p != "https") {
        return Err(bad(
            "PROTOS",
            wrong,
            "expected http and/or https, separated by commas",
        ));
    }
    let mut csrf_trusted = Vec::new();
    for origin in list(env, "CSRF_TRUSTED_ORIGINS") {
        csrf_trusted.push(origin_of(&origin).ok_or_else(|| {
            bad(
                "CSRF_TRUSTED_ORIGINS",
                &origin,
                "expected origins with a scheme, e.g. https://example.org",
            )
        })?);
    }
    for proto in &protos {
        for host in hosts.iter().filter(|h| *h != "*") {
            csrf_trusted.push(format!("{proto}://{}", host.to_ascii_lowercase()));
        }
    }
    let site_url = env.string("SITE_URL", "").trim_end_matches('/').to_owned();
    let frontend_url = match env.get("FRONTEND_URL") {
        Some(url) => url,
        None if site_url.is_empty() => String::new(),
        None => {
            let scheme = if protos.iter().any(|p| p == "https") && env.get("PROTOS").is_some() {
                "https"
            } else {
                "http"
            };
            let host = site_url
                .split_once("://")
                .map_or(site_url.as_str(), |(_, h)| h);
            format!("{scheme}://{host}/{}", env.string("SITE_FRONT", "front"))
        }
    };
    Ok(Origins {
        allowed_hosts,
        csrf_trusted,
        site_url,
        frontend_url,
    })
}

fn logging(env: &Env<'_>, mode: Mode) -> Result<Logging, SettingError> {
    let level = match env.get("DJANGO_LOG_LEVEL") {
        None if mode == Mode::Dev => "debug",
        None => "warn",
        Some(level) => match level.to_ascii_uppercase().as_str() {
            "DEBUG" => "debug",
            "INFO" => "info",
            "WARNING" | "WARN" => "warn",
            "ERROR" | "CRITICAL" => "error",
            "NOTSET" => "trace",
            _ => {
                return Err(bad(
                    "DJANGO_LOG_LEVEL",
                    &level,
                    "expected DEBUG, INFO, WARNING, ERROR or CRITICAL",
                ))
            }
        },
    };
    Ok(Logging {
        filter: env.get("RUST_LOG").unwrap_or_else(|| level.to_owned()),
        handler: LogHandler::parse(env, "DJANGO_LOG_HANDLER", LogHandler::Console)?,
        db_handler: LogHandler::parse(env, "DJANGO_DB_LOG_HANDLER", LogHandler::DbQueries)?,
        debug_log_file: env.string("DEBUG_LOG_FILE", "debug.log").into(),
        db_queries_log_file: env.string("DB_QUERIES_LOG_FILE", "db-queries.log").into(),
    })
}

/// The original's settings this server has exactly one answer to: their default passes, any
/// other value stops startup rather than being silently ignored.
fn fixed_answers(env: &Env<'_>) -> Result<(), SettingError> {
    let fixed = [
        (
            "RATELIMIT_METHOD",
            "ALL",
            "the GraphQL rate limit counts every method",
        ),
        (
            "RATELIMIT_GROUP",
            "graphql",
            "there is one rate limit, the GraphQL endpoint's",
        ),
        (
            "RATELIMIT_CACHE",
            "default",
            "the rate limit counts in memory, per server",
        ),
        (
            "RATELIMIT_SKIP_TIMEOUT",
            "False",
            "the in-memory counters never time out",
        ),
        (
            "REMOTE_USER_AUTHENTICATION",
            "false",
            "only JWTs authenticate (a proxy's REMOTE_USER is not trusted)",
        ),
    ];
    for (name, only, reason) in fixed {
        if let Some(value) = env.get(name) {
            if !value.trim().eq_ignore_ascii_case(only) {
                return Err(bad(
                    name,
                    &value,
                    &format!("only {only} is supported: {reason}"),
                ));
            }
        }
    }
    Ok(())
}

fn sentry(env: &Env<'_>) -> Result<Option<Sentry>, SettingError> {
    let rate_text = env.string("SENTRY_SAMPLE_RATE", "0.2");
    let traces_sample_rate = rate_text
        .trim()
        .parse::<f32>()
        .ok()
        .filter(|r| (0.0..=1.0).contains(r))
        .ok_or_else(|| {
            bad(
                "SENTRY_SAMPLE_RATE",
                &rate_text,
                "expected a number from 0 to 1",
            )
        })?;
    let enabled = env.flag("IS_SENTRY_ENABLED", true)?;
    let Some(dsn) = env.get("SENTRY_DSN").filter(|_| enabled) else {
        return Ok(None);
    };
    let (scheme, rest) = dsn.split_once("://").unwrap_or(("", ""));
    let well_formed = matches!(scheme, "http" | "https")
        && rest.split_once('@').is_some_and(|(key, place)| {
            !key.is_empty() && place.trim_end_matches('/').rsplit_once('/').is_some()
        });
    if !well_formed {
        return Err(bad(
            "SENTRY_DSN",
            &dsn,
            "expected https://<key>@<host>/<project id>",
        ));
    }
    Ok(Some(Sentry {
        dsn,
        traces_sample_rate,
    }))
}

/// An RS256 key file that exists must be readable, or tokens could not be signed.
fn readable_keys(dir: &std::path::Path) -> Result<(), SettingError> {
    for file in ["jwt_private_key.pem", "jwt_public_key.pem"] {
        let path = dir.join(file);
        if path.exists() {
            std::fs::read(&path).map_err(|e| {
                bad(
                    "JWT_KEYS_DIR",
                    &dir.display().to_string(),
                    &format!("{} cannot be read: {e}", path.display()),
                )
            })?;
        }
    }
    Ok(())
}

fn postgres_url(env: &Env<'_>) -> Result<String, SettingError> {
    if let Some(default) = env.get("DB_DEFAULT") {
        if default != "postgresql" {
            return Err(bad(
                "DB_DEFAULT",
                &default,
                "only postgresql is supported (MS SQL Server is not)",
            ));
        }
    }
    // The original picks `PSQL_DB_ENGINE`, else `DB_ENGINE`; each must name PostgreSQL.
    for name in ["PSQL_DB_ENGINE", "DB_ENGINE"] {
        if let Some(engine) = env.get(name) {
            if !engine.contains("postgres") {
                return Err(bad(
                    name,
                    &engine,
                    "only PostgreSQL is supported (or NO_DATABASE=True for SQLite)",
                ));
            }
        }
    }
    // `PSQL_DB_<X>` wins over `DB_<X>`, and the defaults are the original's.
    let pick = |name: &str, default: &str| -> (String, String) {
        let psql = format!("PSQL_{name}");
        match env.get(&psql) {
            Some(value) => (psql, value),
            None => (name.to_owned(), env.string(name, default)),
        }
    };
    let host = pick("DB_HOST", "db").1;
    let (port_name, port_text) = pick("DB_PORT", "5432");
    let port: u16 = port_text
        .trim()
        .parse()
        .map_err(|_| bad(&port_name, &port_text, "expected a whole number"))?;
    let name = pick("DB_NAME", "imis").1;
    let user = pick("DB_USER", "IMISuser").1;
    let password = env
        .get("PSQL_DB_PASSWORD")
        .or_else(|| env.get("DB_PASSWORD"));
    let mut url = format!("postgres://{}", encode(&user));
    if let Some(p) = password {
        url.push(':');
        url.push_str(&encode(&p));
    }
    url.push_str(&format!("@{host}:{port}/{}", encode(&name)));
    if let Some(options) = env.get("DB_OPTIONS") {
        let parsed: serde_json::Map<String, serde_json::Value> = serde_json::from_str(&options)
            .map_err(|e| {
                bad(
                    "DB_OPTIONS",
                    &options,
                    &format!("expected a JSON object of libpq options: {e}"),
                )
            })?;
        let query: Vec<String> = parsed
            .iter()
            .map(|(k, v)| {
                format!(
                    "{}={}",
                    encode(k),
                    encode(&v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                )
            })
            .collect();
        if !query.is_empty() {
            url.push('?');
            url.push_str(&query.join("&"));
        }
    }
    Ok(url)
}

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    /// Settings from `vars`, with a `SECRET_KEY` unless the test gives one (PROD needs it).
    fn settings(vars: &[(&str, &str)]) -> Result<Settings, SettingError> {
        let mut map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        map.entry("SECRET_KEY".into()).or_insert_with(|| "k".into());
        Settings::from_env(&Env::new(&move |n| map.get(n).cloned()))
    }

    #[test]
    fn prod_needs_a_secret_key() {
        let none = |_: &str| None;
        assert_eq!(
            Settings::from_env(&Env::new(&none)).unwrap_err().name,
            "SECRET_KEY"
        );
        let dev = |n: &str| (n == "MODE").then(|| "DEV".to_owned());
        assert_eq!(
            Settings::from_env(&Env::new(&dev)).unwrap().secret_key,
            INSECURE_SECRET_KEY
        );
    }

    #[test]
    fn defaults_match_the_original() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.mode, Mode::Prod);
        assert_eq!(s.prefix(), "/");
        assert!(!s.migrate_on_start);
        assert_eq!(
            s.database,
            Database::Postgres {
                url: "postgres://IMISuser@db:5432/imis".into()
            }
        );
    }

    #[test]
    fn site_root_api_always_migrates() {
        let s = settings(&[
            ("SITE_ROOT", "api"),
            ("DJANGO_MIGRATE", "False"),
            ("NO_DATABASE", "True"),
        ])
        .unwrap();
        assert!(s.migrate_on_start);
        assert_eq!(s.prefix(), "/api/");
        assert_eq!(s.database.backend(), "sqlite");
    }

    #[test]
    fn postgres_url_from_db_variables() {
        let s = settings(&[
            ("DB_HOST", "db"),
            ("DB_PORT", "5433"),
            ("DB_NAME", "openimis"),
            ("DB_USER", "u"),
            ("DB_PASSWORD", "p@ss"),
            ("DB_OPTIONS", r#"{"sslmode": "require"}"#),
        ])
        .unwrap();
        assert_eq!(
            s.database.url(),
            "postgres://u:p%40ss@db:5433/openimis?sslmode=require"
        );
    }

    #[test]
    fn bad_values_name_the_variable() {
        assert_eq!(settings(&[("DB_PORT", "abc")]).unwrap_err().name, "DB_PORT");
        assert_eq!(settings(&[("MODE", "staging")]).unwrap_err().name, "MODE");
        assert_eq!(
            settings(&[("NO_DATABASE", "maybe")]).unwrap_err().name,
            "NO_DATABASE"
        );
        assert_eq!(
            settings(&[("DB_OPTIONS", "sslmode")]).unwrap_err().name,
            "DB_OPTIONS"
        );
    }

    #[test]
    fn operating_defaults_match_the_original() {
        let s = settings(&[]).unwrap();
        assert_eq!(
            s.rate_limit,
            RateLimit {
                count: 150,
                period: std::time::Duration::from_secs(60)
            }
        );
        assert_eq!(s.rate_limit_key, RateLimitKey::Ip);
        assert_eq!(s.max_body, 10_485_760);
        assert_eq!(s.graphql_max_depth, 15);
    }

    #[test]
    fn every_core_serves_http_and_two_blocking_threads_per_core_run_requests() {
        let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
        let s = settings(&[]).unwrap();
        assert_eq!(s.workers, cores);
        assert_eq!(s.blocking_threads, 2);
        assert!(s.workers * s.blocking_threads >= 2 * cores);
        assert!(s.workers * s.blocking_threads < 2 * cores + s.workers);
        let s = settings(&[
            ("OPENIMIS_WORKERS", "3"),
            ("OPENIMIS_BLOCKING_THREADS", "5"),
        ])
        .unwrap();
        assert_eq!((s.workers, s.blocking_threads), (3, 5));
        assert_eq!(settings(&[("OPENIMIS_WORKERS", "0")]).unwrap().workers, 1);
    }

    #[test]
    fn rates_read_as_django_ratelimit_writes_them() {
        for (text, count, seconds) in [("5/s", 5, 1), ("150/m", 150, 60), (" 2/h", 2, 3600)] {
            let s = settings(&[("RATELIMIT_RATE", text)]).unwrap();
            assert_eq!(
                (s.rate_limit.count, s.rate_limit.period.as_secs()),
                (count, seconds),
                "{text}"
            );
        }
    }

    #[test]
    fn bad_operating_values_name_the_variable() {
        for (name, value) in [
            ("RATELIMIT_RATE", "lots"),
            ("RATELIMIT_RATE", "0/m"),
            ("RATELIMIT_RATE", "10/w"),
            ("RATELIMIT_RATE", "10"),
            ("RATELIMIT_KEY", "user"),
            ("DATA_UPLOAD_MAX_MEMORY_SIZE", "10MB"),
            ("DATA_UPLOAD_MAX_MEMORY_SIZE", "0"),
            ("GRAPHQL_MAX_DEPTH", "deep"),
            ("GRAPHQL_MAX_DEPTH", "0"),
        ] {
            let error = settings(&[(name, value)]).unwrap_err();
            assert_eq!(error.name, name, "{value}");
            assert!(error.to_string().contains(name), "{error}");
        }
    }
    #[test]
    fn hosts_make_the_allowed_hosts_and_trusted_origins_as_prod_py_does() {
        let s = settings(&[
            ("HOSTS", "imis.example.org, 10.0.0.5"),
            ("CSRF_TRUSTED_ORIGINS", "http://localhost:3000"),
            ("FRONTEND_URL", "https://front.example.org/front"),
        ])
        .unwrap();
        let o = &s.origins;
        assert_eq!(o.allowed_hosts, ["imis.example.org", "10.0.0.5"]);
        assert_eq!(
            o.csrf_trusted,
            [
                "http://localhost:3000",
                "http://imis.example.org",
                "http://10.0.0.5",
                "https://imis.example.org",
                "https://10.0.0.5"
            ]
        );
        assert!(o.host_allowed("imis.example.org:8000"));
        assert!(!o.host_allowed("evil.example.org"));
        assert!(o
            .cors_allowed()
            .contains(&"https://front.example.org".to_owned()));
    }

    #[test]
    fn no_hosts_allow_every_host_and_allowed_hosts_reads_json() {
        assert!(settings(&[]).unwrap().origins.host_allowed("anything"));
        let s = settings(&[("ALLOWED_HOSTS", r#"[".example.org"]"#)]).unwrap();
        assert!(s.origins.host_allowed("api.example.org"));
        assert!(!s.origins.host_allowed("example.com"));
        let s = settings(&[("ALLOWED_HOST", "a.org,b.org")]).unwrap();
        assert!(s.origins.host_allowed("b.org"));
    }

    #[test]
    fn the_frontend_url_defaults_to_site_url_and_site_front() {
        let s = settings(&[("SITE_URL", "imis.example.org/"), ("PROTOS", "https")]).unwrap();
        assert_eq!(s.origins.frontend_url, "https://imis.example.org/front");
        assert_eq!(s.origins.site_url, "imis.example.org");
    }

    #[test]
    fn logging_follows_the_original_defaults() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.logging.filter, "warn");
        assert_eq!(s.logging.handler, LogHandler::Console);
        assert_eq!(s.logging.db_handler, LogHandler::DbQueries);
        assert_eq!(s.logging.debug_log_file, PathBuf::from("debug.log"));
        let s = settings(&[("MODE", "DEV"), ("DJANGO_DB_LOG_HANDLER", "console")]).unwrap();
        assert_eq!(s.logging.filter, "debug");
        assert_eq!(s.logging.db_handler, LogHandler::Console);
    }

    #[test]
    fn sentry_needs_a_dsn_and_can_be_switched_off() {
        assert_eq!(settings(&[]).unwrap().sentry, None);
        let dsn = "http://public@127.0.0.1:9/1";
        let s = settings(&[("SENTRY_DSN", dsn)]).unwrap();
        assert_eq!(s.sentry.as_ref().map(|s| s.traces_sample_rate), Some(0.2));
        let off = settings(&[("SENTRY_DSN", dsn), ("IS_SENTRY_ENABLED", "False")]).unwrap();
        assert_eq!(off.sentry, None);
    }

    #[test]
    fn the_original_database_variables_are_honoured() {
        let s = settings(&[
            ("PSQL_DB_HOST", "pg"),
            ("DB_HOST", "ignored"),
            ("DB_DEFAULT", "postgresql"),
        ])
        .unwrap();
        assert_eq!(s.database.url(), "postgres://IMISuser@pg:5432/imis");
        assert_eq!(
            settings(&[("DB_DEFAULT", "mssql")]).unwrap_err().name,
            "DB_DEFAULT"
        );
        assert_eq!(
            settings(&[("PSQL_DB_ENGINE", "mssql")]).unwrap_err().name,
            "PSQL_DB_ENGINE"
        );
    }

    #[test]
    fn an_unreadable_key_file_names_jwt_keys_dir() {
        let dir = std::env::temp_dir().join(format!("openimis-keys-{}", std::process::id()));
        std::fs::create_dir_all(dir.join("jwt_private_key.pem")).unwrap();
        let error = settings(&[("JWT_KEYS_DIR", dir.to_str().unwrap())]).unwrap_err();
        std::fs::remove_dir_all(&dir).unwrap();
        assert_eq!(error.name, "JWT_KEYS_DIR");
    }

    #[test]
    fn bad_operating_values_of_part_a_name_the_variable() {
        for (name, value) in [
            ("SENTRY_SAMPLE_RATE", "often"),
            ("SENTRY_SAMPLE_RATE", "2"),
            ("SENTRY_DSN", "not a dsn"),
            ("IS_SENTRY_ENABLED", "perhaps"),
            ("DJANGO_LOG_LEVEL", "LOUD"),
            ("DJANGO_LOG_HANDLER", "syslog"),
            ("DJANGO_DB_LOG_HANDLER", "file"),
            ("ALLOWED_HOSTS", "[broken"),
            ("CSRF_TRUSTED_ORIGINS", "localhost:3000"),
            ("PROTOS", "ftp"),
            ("OPENIMIS_REQUEST_TIMEOUT", "soon"),
            ("OPENIMIS_SHUTDOWN_TIMEOUT", "0"),
            ("GRAPHQL_MAX_COMPLEXITY", "big"),
            ("RATELIMIT_METHOD", "POST"),
            ("REMOTE_USER_AUTHENTICATION", "True"),
        ] {
            let error = settings(&[(name, value)]).unwrap_err();
            assert_eq!(error.name, name, "{value}");
        }
    }

    #[test]
    fn module_variables_are_passed_on_as_set() {
        let s = settings(&[("PHOTO_ROOT_PATH", "/photos"), ("RATELIMIT_METHOD", "all")]).unwrap();
        assert_eq!(
            s.module_env.into_iter().collect::<Vec<_>>(),
            [("PHOTO_ROOT_PATH".to_owned(), "/photos".to_owned())]
        );
    }
}
