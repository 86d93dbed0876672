//! Operating the server (issue 5, items 7, 8 and 12): the log handlers and the SQL statement
//! log, module names on module log lines, Sentry reports tagged with the module (against a
//! local endpoint that records what the SDK sends), and graceful shutdown of a real
//! `openimis serve` process.

use actix_web::test as web_test;
use diesel::{QueryableByName, RunQueryDsl, SqliteConnection};
use openimis_system_tests::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A safety net against a hung server; every wait below ends on an event long before it.
const PATIENCE: Duration = Duration::from_secs(60);

/// An `openimis serve` process on a free port, its standard error read line by line.
struct Server {
    child: Child,
    lines: Receiver<String>,
    address: String,
    seen: Vec<String>,
}

impl Server {
    fn start(dir: &ModulesDir, modules: Value, vars: &[(&str, &str)]) -> Self {
        let mut command = Command::new(openimis_binary());
        command
            .args(["serve", "--bind", "127.0.0.1:0"])
            .current_dir(dir.path())
            .env_clear()
            .env("OPENIMIS_CONF_JSON", modules.to_string())
            .env("MODULES_DIR", dir.path())
            .env("NO_DATABASE", "True")
            .env("SQLITE_PATH", dir.path().join("serve.sqlite3"))
            .env("SITE_ROOT", "api")
            .env("MODE", "DEV")
            .env("OPENIMIS_WORKERS", "1")
            .stderr(Stdio::piped());
        for (name, value) in vars {
            command.env(name, value);
        }
        let mut child = command.spawn().expect("openimis starts");
        let stderr = child.stderr.take().unwrap();
        let (send, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let mut server = Self {
            child,
            lines,
            address: String::new(),
            seen: Vec::new(),
        };
        let line = server.wait_for("listening on ");
        server.address = line.split("listening on ").nth(1).unwrap().to_owned();
        server
    }

    /// The next standard error line containing `text`.
    fn wait_for(&mut self, text: &str) -> String {
        loop {
            match self.lines.recv_timeout(PATIENCE) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(text) {
                        return line;
                    }
                }
                Err(e) => panic!("no line with {text:?} ({e}); seen: {:#?}", self.seen),
            }
        }
    }

    /// Sends a GraphQL POST on a new connection, without reading the answer.
    fn send(&self, query: &str) -> TcpStream {
        self.send_as(query, None)
    }

    /// Sends a GraphQL POST, with `Authorization: Bearer token` when given.
    fn send_as(&self, query: &str, token: Option<&str>) -> TcpStream {
        let body = json!({ "query": query }).to_string();
        let authorization =
            token.map_or(String::new(), |t| format!("Authorization: Bearer {t}\r\n"));
        let mut stream = TcpStream::connect(&self.address).unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        write!(
            stream,
            "POST /api/graphql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n{authorization}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        stream
    }

    /// A GraphQL POST and its JSON answer (which must be a 200).
    fn ask(&self, query: &str, token: Option<&str>) -> Value {
        let response = answer(self.send_as(query, token));
        assert!(response.starts_with("HTTP/1.1 200 OK"), "{response}");
        let body = response.split_once("\r\n\r\n").unwrap().1;
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {response}"))
    }

    fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// Waits for the exit (bounded by [`PATIENCE`]); the exit code.
    fn exit_code(mut self) -> Option<i32> {
        let until = std::time::Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            assert!(std::time::Instant::now() < until, "the server did not exit");
            // Drain the log while waiting, so the server never blocks on a full pipe.
            let _ = self.lines.recv_timeout(Duration::from_millis(50));
        }
    }
}

fn answer(mut stream: TcpStream) -> String {
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

#[test]
fn sigterm_lets_the_running_request_finish_and_exits_zero() {
    let dir = ModulesDir::with(&["fx_base"]);
    let modules = modules_json(&[json!({"name": "base", "library": "fx_base"})]);
    let mut server = Server::start(&dir, modules, &[("DJANGO_LOG_LEVEL", "INFO")]);
    let in_flight = server.send("{ slow(ms: 1500) }");
    let started = server.wait_for("slow request started");
    assert!(started.starts_with("module::base: "), "{started}");
    server.terminate();
    let response = answer(in_flight);
    assert!(response.starts_with("HTTP/1.1 200 OK"), "{response}");
    assert!(
        response.ends_with(r#"{"data":{"slow":1500}}"#),
        "{response}"
    );
    assert_eq!(server.exit_code(), Some(0));
}

#[test]
fn sql_statements_go_to_the_db_query_log_and_other_records_to_debug_log() {
    let dir = ModulesDir::with(&["core"]);
    let modules = modules_json(&[json!({"name": "core"})]);
    let queries = dir.path().join("queries.log");
    let debug = dir.path().join("debug-records.log");
    let server = Server::start(
        &dir,
        modules,
        &[
            ("DEMO_DATASET", "True"),
            ("RUST_LOG", "warn,openimis=info,module=debug"),
            ("DJANGO_DB_LOG_HANDLER", "db-queries"),
            ("DB_QUERIES_LOG_FILE", queries.to_str().unwrap()),
            ("DEBUG_LOG_FILE", debug.to_str().unwrap()),
        ],
    );
    let login = r#"mutation { tokenAuth(username: "Admin", password: "admin123") { token } }"#;
    let response = answer(server.send(login));
    assert!(response.contains(r#""token":""#), "{response}");
    server.terminate();
    assert_eq!(server.exit_code(), Some(0));
    let log = std::fs::read_to_string(&queries).expect("the query log was written");
    let statement = log
        .lines()
        .find(|line| line.contains("module::core: [db.query] SELECT"))
        .unwrap_or_else(|| panic!("no core SELECT in {log}"));
    assert!(statement.contains(" [DEBUG] "), "{statement}");
    assert!(
        !debug.exists(),
        "records other than SQL went to the console"
    );
}

#[test]
fn the_debug_log_handler_writes_the_file_with_the_standard_format() {
    let dir = ModulesDir::with(&["fx_base"]);
    let debug = dir.path().join("debug.log");
    let modules = modules_json(&[
        json!({"name": "base", "library": "fx_base"}),
        json!({"name": "absent", "library": "fx_nothing_here", "required": false}),
    ]);
    let output = Command::new(openimis_binary())
        .arg("check")
        .current_dir(dir.path())
        .env_clear()
        .env("OPENIMIS_CONF_JSON", modules.to_string())
        .env("MODULES_DIR", dir.path())
        .env("NO_DATABASE", "True")
        .env("MODE", "DEV")
        .env("DJANGO_LOG_LEVEL", "WARNING")
        .env("DJANGO_LOG_HANDLER", "debug-log")
        .env("DEBUG_LOG_FILE", &debug)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains("MODULE_NOT_FOUND"),
        "the record went to the console: {stderr}"
    );
    let log = std::fs::read_to_string(&debug).unwrap();
    let line = log.lines().next().expect("a record");
    // `2026-11-23 03:07:00,123 [WARNING] openimis: ...`
    let (time, rest) = line.split_at(23);
    assert!(
        time.as_bytes()[4] == b'-' && time.as_bytes()[19] == b',',
        "{line}"
    );
    assert!(rest.starts_with(" [WARNING] openimis: "), "{line}");
    assert!(rest.contains("MODULE_NOT_FOUND"), "{line}");
}

/// A local HTTP endpoint keeping every request body it receives (the Sentry SDK's envelopes).
struct Recorder {
    port: u16,
    bodies: Arc<Mutex<Vec<String>>>,
}

impl Recorder {
    fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let bodies = Arc::new(Mutex::new(Vec::new()));
        let kept = bodies.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().map_while(Result::ok) {
                let kept = kept.clone();
                std::thread::spawn(move || serve_connection(stream, &kept));
            }
        });
        Self { port, bodies }
    }
}

/// Reads requests (Content-Length bodies) until the client closes, answering each 200.
fn serve_connection(stream: TcpStream, kept: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    loop {
        let mut length = 0usize;
        let mut line = String::new();
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().unwrap();
                }
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        kept.lock()
            .unwrap()
            .push(String::from_utf8_lossy(&body).into_owned());
        let answer =
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
        if writer.write_all(answer.as_bytes()).is_err() {
            return;
        }
    }
}

#[actix_rt::test]
async fn module_errors_reach_sentry_tagged_with_the_module() {
    let recorder = Recorder::start();
    let dsn = format!("http://public@127.0.0.1:{}/42", recorder.port);
    let dir = ModulesDir::with(&["fx_base"]);
    let conf = modules_json(&[json!({"name": "base", "library": "fx_base"})]);
    let settings = settings(
        &conf,
        &dir,
        &[("SENTRY_DSN", &dsn), ("SENTRY_SAMPLE_RATE", "0")],
    );
    let guard = openimis_host::observability::init(&settings).expect("a DSN starts Sentry");
    let (_rt, app) = service(start(settings).unwrap()).await;
    let boom = web_test::TestRequest::get()
        .uri("/api/base/boom")
        .to_request();
    // The module's error asks for 500; its own exception handler answers 418.
    assert_eq!(web_test::call_service(&app, boom).await.status(), 418);
    let fine = web_test::TestRequest::get()
        .uri("/api/base/count")
        .to_request();
    assert_eq!(web_test::call_service(&app, fine).await.status(), 200);
    drop(guard); // flushes what is queued

    let events: Vec<Value> = recorder
        .bodies
        .lock()
        .unwrap()
        .iter()
        .flat_map(|envelope| envelope.lines().map(str::to_owned).collect::<Vec<_>>())
        .filter_map(|line| serde_json::from_str::<Value>(&line).ok())
        .filter(|item| item.get("tags").is_some())
        .collect();
    let reported: Vec<&Value> = events
        .iter()
        .filter(|event| event["tags"]["module"] == "base")
        .collect();
    assert_eq!(reported.len(), 1, "{events:#?}");
    let event = reported[0];
    assert_eq!(event["tags"]["code"], "BOOM", "{event}");
    // `error` is the SDK's default level, which it leaves out.
    assert!(
        event["level"].is_null() || event["level"] == "error",
        "{event}"
    );
    let message = event["message"]
        .as_str()
        .or_else(|| event["logentry"]["message"].as_str())
        .unwrap_or_default();
    assert_eq!(message, "module `base`: BOOM: kaboom", "{event}");
}

/// A mutation log row's status, read from the server's SQLite file after it exited.
fn mutation_status(conn: &mut SqliteConnection, client_id: &str) -> i32 {
    #[derive(QueryableByName)]
    struct Row {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        status: i32,
        #[diesel(sql_type = diesel::sql_types::Text)]
        error: String,
    }
    let rows: Vec<Row> = diesel::sql_query(
        r#"SELECT "status" + 0 AS status, COALESCE("error", '') AS error FROM "core_Mutation_Log" WHERE "client_mutation_id" = ?"#,
    )
    .bind::<diesel::sql_types::Text, _>(client_id)
    .load(conn)
    .unwrap();
    assert_eq!(rows.len(), 1, "one log row for {client_id}");
    assert_eq!(rows[0].error, "", "{client_id} failed");
    rows[0].status
}

#[test]
fn sigterm_in_prod_finishes_the_running_and_the_waiting_queued_mutations_before_exiting() {
    let dir = ModulesDir::with(&["core", "fx_panicky"]);
    let modules = modules_json(&[
        json!({"name": "core"}),
        json!({"name": "panicky", "library": "fx_panicky"}),
    ]);
    let mut server = Server::start(
        &dir,
        modules,
        &[
            ("MODE", "PROD"),
            ("DEMO_DATASET", "True"),
            ("ALLOWED_HOSTS", "*"),
            ("SECRET_KEY", "sigterm-test-secret"),
            ("DJANGO_LOG_LEVEL", "INFO"),
        ],
    );
    let login = server.ask(
        r#"mutation { tokenAuth(username: "Admin", password: "admin123") { token } }"#,
        None,
    );
    let token = login["data"]["tokenAuth"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("{login}"))
        .to_owned();
    for (client_id, code) in [("slow", "SLOW"), ("waiting", "FINE")] {
        let mutation = format!(
            r#"mutation {{ explodeMidway(input: {{ clientMutationId: "{client_id}", code: "{code}" }}) {{ clientMutationId }} }}"#
        );
        let body = server.ask(&mutation, Some(&token));
        assert_eq!(
            body["data"]["explodeMidway"]["clientMutationId"], client_id,
            "answered at once: {body}"
        );
    }
    // The worker is inside the slow mutation (the other one waits behind it) when the signal
    // comes.
    server.wait_for("slow mutation started");
    server.terminate();
    assert_eq!(server.exit_code(), Some(0));

    let db = dir.path().join("serve.sqlite3");
    let mut conn = open_sqlite(&db);
    assert_eq!(
        mutation_status(&mut conn, "slow"),
        2,
        "the running mutation committed"
    );
    assert_eq!(
        mutation_status(&mut conn, "waiting"),
        2,
        "the waiting one ran too"
    );
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let count: Vec<Count> = diesel::sql_query(r#"SELECT COUNT(*) AS n FROM "fixture_Panicky""#)
        .load(&mut conn)
        .unwrap();
    assert_eq!(count[0].n, 2, "both mutations' rows are there");
}
