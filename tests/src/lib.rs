//! Helpers for the system tests: build the fixture libraries once, lay out a modules directory
//! with exactly the libraries a test wants, start the host on it, and talk to it over actix.

mod backends;
pub mod calls;
pub mod conformance;
pub mod devtools;
pub mod over_tcp;
pub mod postgres_db;
pub mod redis_server;
pub mod session;
pub mod smtp;
pub mod test_rows;

use actix_web::{body::MessageBody, dev::ServiceResponse, test};
use openimis_host::problems::StartupError;
use openimis_host::runtime::{Runtime, StartOptions};
use openimis_host::settings::{Env, Settings};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Arc, OnceLock};

/// A direct connection to a test's SQLite file, locking as the server's own connections do
/// (dot-file locks, see `sdk::sqlite_uri`), so it never reads under a running transaction.
pub fn open_sqlite(path: &Path) -> diesel::SqliteConnection {
    use diesel::Connection;
    use diesel::RunQueryDsl;
    let uri = openimis_sdk::sqlite_uri::sqlite_uri(path);
    let mut conn = diesel::SqliteConnection::establish(&uri)
        .unwrap_or_else(|e| panic!("the test database {} opens: {e}", path.display()));
    // The server may be writing at that moment (a mutation, the scheduler): wait for its lock
    // as the server's own connections do, instead of failing with "database is locked".
    diesel::sql_query("PRAGMA busy_timeout = 5000")
        .execute(&mut conn)
        .expect("busy_timeout");
    conn
}

/// Runs a raw statement on a test's SQLite file (setting up users, reading history rows).
pub fn sqlite_execute(path: &Path, statement: &str) {
    use diesel::RunQueryDsl;
    diesel::sql_query(statement)
        .execute(&mut open_sqlite(path))
        .unwrap_or_else(|e| panic!("{statement}: {e}"));
}

#[derive(diesel::QueryableByName)]
struct Number {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// The numbers a `SELECT ... AS n` answers, read from a test's SQLite file.
pub fn sqlite_numbers(path: &Path, query: &str) -> Vec<i64> {
    use diesel::RunQueryDsl;
    let rows: Vec<Number> = diesel::sql_query(query)
        .load(&mut open_sqlite(path))
        .unwrap_or_else(|e| panic!("{query}: {e}"));
    rows.into_iter().map(|r| r.n).collect()
}

/// The one number a `SELECT COUNT(*) AS n ...` answers, from a test's SQLite file.
pub fn sqlite_count(path: &Path, query: &str) -> i64 {
    sqlite_numbers(path, query)[0]
}

/// The workspace root.
pub fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is in the workspace")
        .to_path_buf()
}

/// Where cargo puts debug artifacts.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| workspace().join("target"), PathBuf::from)
        .join("debug")
}

/// Builds every fixture library and the `openimis` binary once per test process.
pub fn built() -> &'static Path {
    static BUILT: OnceLock<PathBuf> = OnceLock::new();
    BUILT.get_or_init(|| {
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
        let status = Command::new(cargo)
            .args(["build", "--quiet", "--workspace", "--lib", "--bins"])
            .current_dir(workspace())
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building the fixture libraries failed");
        target_dir()
    })
}

/// The path of the built `openimis` binary.
pub fn openimis_binary() -> PathBuf {
    built().join(format!("openimis{}", std::env::consts::EXE_SUFFIX))
}

/// The built library file of fixture crate `crate_name` (e.g. `fx_base`).
pub fn library(crate_name: &str) -> PathBuf {
    built().join(openimis_host::loader::library_file_name(crate_name))
}

/// A temporary modules directory holding links to the named fixture libraries.
pub struct ModulesDir {
    pub dir: tempfile::TempDir,
}

impl ModulesDir {
    pub fn with(libraries: &[&str]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        for name in libraries {
            std::os::unix::fs::symlink(
                library(name),
                dir.path()
                    .join(openimis_host::loader::library_file_name(name)),
            )
            .expect("link library");
        }
        Self { dir }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file that only pretends to be library `stem`.
    pub fn fake_library(&self, stem: &str, content: &str) {
        std::fs::write(
            self.path()
                .join(openimis_host::loader::library_file_name(stem)),
            content,
        )
        .expect("write");
    }
}

/// Settings for a test: SQLite in the modules dir (or, with `OPENIMIS_TEST_ON_POSTGRES=1`, a
/// fresh PostgreSQL database on `OPENIMIS_TEST_POSTGRES_URL`, so CI runs the same suites on
/// both backends), DEV mode, `SITE_ROOT=api`, unless `vars` say otherwise.
pub fn settings(modules_json: &Value, dir: &ModulesDir, vars: &[(&str, &str)]) -> Settings {
    let mut map: HashMap<String, String> = HashMap::new();
    map.insert("OPENIMIS_CONF_JSON".into(), modules_json.to_string());
    map.insert("MODULES_DIR".into(), dir.path().display().to_string());
    map.insert("NO_DATABASE".into(), "True".into());
    map.insert(
        "SQLITE_PATH".into(),
        dir.path().join("test.sqlite3").display().to_string(),
    );
    if on_postgres()
        && !vars
            .iter()
            .any(|(k, _)| *k == "NO_DATABASE" || k.starts_with("DB_"))
    {
        static DATABASES: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = DATABASES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        map.extend(postgres_db::fresh_database(&format!("s{n}")));
    }
    map.insert("MODE".into(), "DEV".into());
    map.insert("SECRET_KEY".into(), "test-secret".into());
    map.insert("SITE_ROOT".into(), "api".into());
    // `…Export` files stay in the test's own directory.
    map.insert(
        "EXPORTS_ROOT_PATH".into(),
        dir.path().join("exports").display().to_string(),
    );
    for (k, v) in vars {
        map.insert((*k).into(), (*v).into());
    }
    Settings::from_env(&Env::new(&move |name| map.get(name).cloned()))
        .expect("test settings are valid")
}

/// Whether this run puts every test's database on PostgreSQL (`OPENIMIS_TEST_ON_POSTGRES=1`).
pub fn on_postgres() -> bool {
    std::env::var("OPENIMIS_TEST_ON_POSTGRES").is_ok_and(|v| v == "1")
}

/// `{"modules": [...]}` from `(name, library)` pairs.
pub fn modules_json(entries: &[Value]) -> Value {
    json!({ "modules": entries })
}

/// Starts a runtime the way `serve` does (ready, and migrations as settings say).
pub fn start(settings: Settings) -> Result<Runtime, StartupError> {
    let migrate = settings.migrate_on_start;
    Runtime::start(
        settings,
        StartOptions {
            migrate,
            ready: true,
        },
    )
}

/// The modules `names` (each under its own name, no config) on the demo data
/// (`DEMO_DATASET=True`), with `vars`: a PostgreSQL database's DB_* variables, or none for
/// SQLite. Panics naming the modules when they do not start.
pub fn started_on_demo(names: &[&str], vars: &[(String, String)]) -> (ModulesDir, Runtime) {
    started_on_demo_configured(names, &[], vars)
}

/// [`started_on_demo`] with `configs`, the `"config"` entries of the modules they name.
pub fn started_on_demo_configured(
    names: &[&str],
    configs: &[(&str, Value)],
    vars: &[(String, String)],
) -> (ModulesDir, Runtime) {
    let mut all: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    all.push(("DEMO_DATASET", "True"));
    let dir = ModulesDir::with(names);
    let entry = |name: &&str| match configs.iter().find(|(n, _)| n == name) {
        Some((_, config)) => json!({"name": name, "config": config}),
        None => json!({ "name": name }),
    };
    let entries: Vec<Value> = names.iter().map(entry).collect();
    let runtime = start(settings(&modules_json(&entries), &dir, &all))
        .unwrap_or_else(|e| panic!("{} start: {e:?}", names.join(" + ")));
    (dir, runtime)
}

/// The standard pair: base (original) and ext, both required.
pub fn base_and_ext() -> (ModulesDir, Runtime) {
    let dir = ModulesDir::with(&["fx_base", "fx_ext"]);
    let conf = modules_json(&[
        json!({"name": "base", "library": "fx_base"}),
        json!({"name": "ext", "library": "fx_ext"}),
    ]);
    let runtime = start(settings(&conf, &dir, &[])).expect("base and ext start");
    (dir, runtime)
}

/// An in-process actix service over the whole server (`openimis_host::http::app`: routes plus
/// security headers, metrics and the JSON 413).
pub async fn service(
    runtime: Runtime,
) -> (
    Arc<Runtime>,
    impl actix_web::dev::Service<
        actix_http::Request,
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
    >,
) {
    let runtime = Arc::new(runtime);
    let app = test::init_service(openimis_host::http::app(runtime.clone())).await;
    (runtime, app)
}

/// Reads a response as `(status, JSON body)`.
pub async fn json_of(response: ServiceResponse<impl MessageBody>) -> (u16, Value) {
    let status = response.status().as_u16();
    let bytes = test::read_body(response).await;
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, body)
}

/// A POST of `{query, variables}` to `/api/graphql`.
pub fn graphql_request(query: &str, variables: Value) -> actix_http::Request {
    test::TestRequest::post()
        .uri("/api/graphql")
        .set_json(json!({"query": query, "variables": variables}))
        .to_request()
}

/// A POST of `{query, variables}` to `/api/graphql` as the holder of `token` (Bearer).
pub fn graphql_as(query: &str, variables: Value, token: &str) -> actix_http::Request {
    test::TestRequest::post()
        .uri("/api/graphql")
        .insert_header(("Authorization", format!("Bearer {token}")))
        .set_json(json!({"query": query, "variables": variables}))
        .to_request()
}

/// The in-process server as tests call it (what [`service`] answers): helpers take
/// `app: &impl TestApp<B>` instead of repeating actix's bounds.
pub trait TestApp<B: MessageBody>:
    actix_web::dev::Service<
    actix_http::Request,
    Response = ServiceResponse<B>,
    Error = actix_web::Error,
>
{
}

impl<S, B: MessageBody> TestApp<B> for S where
    S: actix_web::dev::Service<
        actix_http::Request,
        Response = ServiceResponse<B>,
        Error = actix_web::Error,
    >
{
}

/// Logs in through core's `tokenAuth` and answers the token (panics with the answer if not).
pub async fn login<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    username: &str,
    password: &str,
) -> String {
    let mutation =
        "mutation ($u: String!, $p: String!) { tokenAuth(username: $u, password: $p) { token } }";
    let (_, body) = json_of(
        test::call_service(
            app,
            graphql_request(mutation, json!({"u": username, "p": password})),
        )
        .await,
    )
    .await;
    body["data"]["tokenAuth"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("login failed: {body}"))
        .to_owned()
}

pub use actix_http;
