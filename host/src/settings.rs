//! Server settings from the environment (and `.env`), with the original's names and defaults.
//! A bad value stops startup with a message naming the variable.

use std::path::PathBuf;

/// `MODE`: DEV serves GraphiQL and runs mutations in-line; PROD hardens everything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Dev,
    Prod,
}

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
            Database::Sqlite { path } => path.display().to_string(),
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
    /// `EMAIL_HOST`, `EMAIL_PORT`, `EMAIL_HOST_USER`, `EMAIL_HOST_PASSWORD`, `EMAIL_USE_TLS`,
    /// `EMAIL_USE_SSL`: outgoing mail (see `mail.rs` for DEV's console rule).
    pub mail: crate::mail::MailSettings,
    /// `LOGIN_LOCKOUT_FAILURE_LIMIT` (5) failed logins lock a username out for
    /// `LOGIN_LOCKOUT_COOLOFF_TIME` (5) minutes, in MODE=PROD only (the original's django-axes).
    pub login_lockout: LoginLockout,
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

/// The development default of `SECRET_KEY`; PROD without a real one is refused.
pub const INSECURE_SECRET_KEY: &str = "openimis-insecure-development-secret-key";

/// A setting with a bad value, named.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("setting {name}={value:?} is invalid: {reason}")]
pub struct SettingError {
    pub name: String,
    pub value: String,
    pub reason: String,
}

/// Reads variables through a lookup function (the process environment, or a map in tests).
pub struct Env<'a> {
    lookup: &'a dyn Fn(&str) -> Option<String>,
}

impl<'a> Env<'a> {
    pub fn new(lookup: &'a dyn Fn(&str) -> Option<String>) -> Self {
        Self { lookup }
    }

    pub fn get(&self, name: &str) -> Option<String> {
        (self.lookup)(name).filter(|v| !v.is_empty())
    }

    pub fn string(&self, name: &str, default: &str) -> String {
        self.get(name).unwrap_or_else(|| default.to_owned())
    }

    /// Django-style booleans: True/true/1/yes/on and False/false/0/no/off.
    pub fn flag(&self, name: &str, default: bool) -> Result<bool, SettingError> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => match v.to_ascii_lowercase().as_str() {
                "true" | "1" | "yes" | "on" => Ok(true),
                "false" | "0" | "no" | "off" => Ok(false),
                _ => Err(bad(name, &v, "expected True or False")),
            },
        }
    }

    pub fn number<T: std::str::FromStr>(&self, name: &str, default: T) -> Result<T, SettingError> {
        match self.get(name) {
            None => Ok(default),
            Some(v) => v
                .trim()
                .parse()
                .map_err(|_| bad(name, &v, "expected a whole number")),
        }
    }
}

fn bad(name: &str, value: &str, reason: &str) -> SettingError {
    SettingError {
        name: name.into(),
        value: value.into(),
        reason: reason.into(),
    }
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
        Ok(Self {
            modules,
            modules_dir: env.string("MODULES_DIR", "modules").into(),
            migrate_on_start: site_root == "api" || env.flag("DJANGO_MIGRATE", false)?,
            site_root,
            mode,
            database,
            demo_dataset: env.flag("DEMO_DATASET", false)?,
            module_pool_size: env.number("DB_POOL_SIZE", 4)?,
            max_connections: env.number("DB_MAX_CONNECTIONS", 90)?,
            workers: env.number(
                "OPENIMIS_WORKERS",
                std::thread::available_parallelism().map_or(2, |n| n.get()),
            )?,
            blocking_threads: env.number("OPENIMIS_BLOCKING_THREADS", 2)?,
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
            jwt_keys_dir: env.string("JWT_KEYS_DIR", "keys").into(),
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
            mail: crate::mail::MailSettings::from_env(env, mode)?,
            login_lockout: LoginLockout {
                failure_limit: positive(env, "LOGIN_LOCKOUT_FAILURE_LIMIT", 5)? as u32,
                cooloff_minutes: env.number("LOGIN_LOCKOUT_COOLOFF_TIME", 5)?,
            },
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

fn postgres_url(env: &Env<'_>) -> Result<String, SettingError> {
    if let Some(engine) = env.get("DB_ENGINE") {
        if !engine.contains("postgres") {
            return Err(bad(
                "DB_ENGINE",
                &engine,
                "only PostgreSQL is supported (or NO_DATABASE=True for SQLite)",
            ));
        }
    }
    let host = env.string("DB_HOST", "localhost");
    let port: u16 = env.number("DB_PORT", 5432)?;
    let name = env.string("DB_NAME", "imis");
    let user = env.string("DB_USER", "postgres");
    let password = env.get("DB_PASSWORD");
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
                url: "postgres://postgres@localhost:5432/imis".into()
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
}
