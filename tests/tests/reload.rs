//! `openimis serve` swaps its modules without dropping a request (issue 21, item 3): the real
//! binary under supervision, a keep-alive load from several client threads, then `openimis
//! reload` (a new generation takes the socket, the old drains), a reload refused by its check
//! (nothing changes), a module removed from openimis.json, SIGHUP, and SIGTERM. Every request
//! sent meanwhile must be answered 200 on a connection that did not fail. Also the load
//! balancer's view: `/ht/live` and `/ht/ready` across generations and while starting.

use openimis_system_tests::over_tcp;
use openimis_system_tests::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

const TYPENAME: &str = r#"{"query":"{ __typename }"}"#;

struct Server {
    child: Child,
    address: String,
    control: PathBuf,
    dir: ModulesDir,
    _lines: mpsc::Receiver<String>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn conf(with_ext: bool) -> String {
    let mut modules = vec![json!({"name": "base", "library": "fx_base"})];
    if with_ext {
        modules.push(json!({"name": "ext", "library": "fx_ext"}));
    }
    modules_json(&modules).to_string()
}

impl Server {
    fn start() -> Self {
        let dir = ModulesDir::with(&["fx_base", "fx_ext"]);
        std::fs::write(dir.path().join("openimis.json"), conf(true)).unwrap();
        let control = dir.path().join("control.sock");
        let mut child = Command::new(openimis_binary())
            .args(["serve", "--bind", "127.0.0.1:0"])
            .envs(env(dir.path(), &control))
            .env_clear()
            .envs(env(dir.path(), &control))
            .stderr(Stdio::piped())
            .spawn()
            .expect("openimis starts");
        let stderr = child.stderr.take().unwrap();
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("server: {line}");
                if line.contains("listening on ") && send.send(line).is_err() {
                    break;
                }
            }
        });
        let line = lines
            .recv_timeout(Duration::from_secs(120))
            .expect("the server listens");
        let address = line.split("listening on ").nth(1).unwrap().trim().into();
        Self {
            child,
            address,
            control,
            dir,
            _lines: lines,
        }
    }

    fn get(&self, path: &str) -> (u16, Value) {
        over_tcp::request(&self.address, "GET", path, "", "")
    }

    fn live(&self) -> (u64, u32) {
        over_tcp::live(&self.address)
    }

    /// Waits until new connections reach `generation` (the old one stops accepting moments
    /// after `openimis reload` answered).
    fn wait_generation(&self, generation: u64) {
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.live().0 != generation {
            assert!(
                Instant::now() < deadline,
                "generation {generation} never took over"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// `openimis reload`: (success, what it printed).
    fn reload(&self) -> (bool, String) {
        let out = Command::new(openimis_binary())
            .args(["reload", "--bind", &self.address])
            .env("OPENIMIS_CONTROL_SOCKET", &self.control)
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (out.status.success(), text)
    }

    fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([signal, &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }
}

fn env(dir: &Path, control: &Path) -> Vec<(String, String)> {
    [
        ("OPENIMIS_CONF", dir.join("openimis.json")),
        ("MODULES_DIR", dir.to_path_buf()),
        ("SQLITE_PATH", dir.join("db.sqlite3")),
        ("OPENIMIS_CONTROL_SOCKET", control.to_path_buf()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v.display().to_string()))
    .chain(
        [
            ("NO_DATABASE", "True"),
            ("SITE_ROOT", "api"),
            ("MODE", "DEV"),
            ("OPENIMIS_WORKERS", "2"),
            ("RUST_LOG", "openimis=info,warn"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned())),
    )
    .collect()
}

/// Keep-alive clients posting `{ __typename }` until stopped: how many answers were 200, and
/// every failure (a refused or broken connection, another status).
struct Load {
    stop: Arc<AtomicBool>,
    answered: Arc<AtomicU64>,
    failures: Arc<Mutex<Vec<String>>>,
    threads: Vec<std::thread::JoinHandle<()>>,
}

impl Load {
    fn start(address: &str, clients: usize) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let answered = Arc::new(AtomicU64::new(0));
        let failures = Arc::new(Mutex::new(Vec::new()));
        let threads = (0..clients)
            .map(|_| {
                let (address, stop, answered, failures) = (
                    address.to_owned(),
                    stop.clone(),
                    answered.clone(),
                    failures.clone(),
                );
                std::thread::spawn(move || {
                    let mut connection: Option<BufReader<TcpStream>> = None;
                    while !stop.load(Ordering::Relaxed) {
                        let reader = match connection.as_mut() {
                            Some(reader) => reader,
                            None => match TcpStream::connect(&address) {
                                Ok(stream) => connection.insert(BufReader::new(stream)),
                                Err(e) => {
                                    failures.lock().unwrap().push(format!("connect: {e}"));
                                    continue;
                                }
                            },
                        };
                        match exchange(reader) {
                            Ok((200, keep_alive)) => {
                                answered.fetch_add(1, Ordering::Relaxed);
                                if !keep_alive {
                                    connection = None;
                                }
                            }
                            Ok((status, _)) => {
                                failures.lock().unwrap().push(format!("status {status}"));
                                connection = None;
                            }
                            Err(e) => {
                                failures.lock().unwrap().push(format!("exchange: {e}"));
                                connection = None;
                            }
                        }
                    }
                })
            })
            .collect();
        Self {
            stop,
            answered,
            failures,
            threads,
        }
    }

    /// Stops the clients: (answers, failures).
    fn finish(self) -> (u64, Vec<String>) {
        self.stop.store(true, Ordering::Relaxed);
        for thread in self.threads {
            thread.join().unwrap();
        }
        let failures = self.failures.lock().unwrap().clone();
        (self.answered.load(Ordering::Relaxed), failures)
    }
}

/// One POST on a kept-alive connection: (status, whether the connection stays open).
fn exchange(reader: &mut BufReader<TcpStream>) -> std::io::Result<(u16, bool)> {
    write!(
        reader.get_mut(),
        "POST /api/graphql HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{TYPENAME}",
        TYPENAME.len()
    )?;
    let mut line = String::new();
    if reader.read_line(&mut line)? == 0 {
        return Err(std::io::Error::other("closed before the answer"));
    }
    let status: u16 = line.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    let (mut length, mut keep_alive) = (0, true);
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        let header = line.trim_end().to_ascii_lowercase();
        if header.is_empty() {
            break;
        }
        if let Some(value) = header.strip_prefix("content-length:") {
            length = value.trim().parse().unwrap_or(0);
        }
        if header == "connection: close" {
            keep_alive = false;
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok((status, keep_alive))
}

fn process_exits(pid: u32, within: Duration) -> bool {
    let deadline = Instant::now() + within;
    while Instant::now() < deadline {
        let gone = std::fs::read_to_string(format!("/proc/{pid}/status"))
            .map_or(true, |status| status.contains("State:\tZ"));
        if gone {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

fn graphql(server: &Server, query: &str) -> Value {
    over_tcp::graphql(&server.address, query, Value::Null, None).1
}

#[test]
fn a_reload_swaps_generations_without_a_failed_request() {
    let server = Server::start();
    let (generation, first_pid) = server.live();
    assert_eq!(generation, 1);
    assert_ne!(first_pid, server.child.id(), "a supervisor runs the server");
    assert_eq!(
        server.get("/ht/ready"),
        (200, json!({"ready": true, "generation": 1}))
    );

    let load = Load::start(&server.address, 4);
    std::thread::sleep(Duration::from_millis(500));
    let (ok, said) = server.reload();
    assert!(ok, "{said}");
    assert!(said.contains("OK generation 2 serves"), "{said}");
    std::thread::sleep(Duration::from_millis(500));
    // A second swap under the same load, this time by SIGHUP.
    server.signal("-HUP");
    server.wait_generation(3);
    std::thread::sleep(Duration::from_millis(500));
    let (answered, failures) = load.finish();
    assert!(answered > 100, "only {answered} answers");
    assert_eq!(failures, Vec::<String>::new(), "after {answered} answers");

    let (generation, pid) = server.live();
    assert_eq!(generation, 3);
    assert_ne!(pid, first_pid);
    assert!(
        process_exits(first_pid, Duration::from_secs(30)),
        "generation 1 did not exit after draining"
    );
}

#[test]
fn a_reload_checks_first_and_a_failing_check_changes_nothing() {
    let server = Server::start();
    assert_eq!(
        graphql(
            &server,
            "{ things(first: 1) { edges { node { extra { label } } } } }"
        )["errors"],
        Value::Null
    );
    let conf_file = server.dir.path().join("openimis.json");

    std::fs::write(&conf_file, "{ not json").unwrap();
    let (ok, said) = server.reload();
    assert!(!ok, "{said}");
    assert!(said.contains("FAILED"), "{said}");
    assert!(said.contains("openimis check"), "{said}");
    assert!(said.contains("openimis.json"), "says which file: {said}");
    assert_eq!(server.live().0, 1, "still the first generation");
    assert_eq!(server.get("/ht/ready").0, 200);

    // A module the new set no longer lists is gone from the new generation's schema.
    std::fs::write(&conf_file, conf(false)).unwrap();
    let (ok, said) = server.reload();
    assert!(ok, "{said}");
    server.wait_generation(2);
    let answer = graphql(
        &server,
        "{ things(first: 1) { edges { node { extra { label } } } } }",
    );
    assert!(
        answer["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("extra")),
        "{answer}"
    );

    // SIGTERM: the generation drains and the supervisor ends cleanly.
    let (_, pid) = server.live();
    server.signal("-TERM");
    let mut server = server;
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status}");
    assert!(process_exits(pid, Duration::from_secs(30)));
    assert!(!server.control.exists(), "the control socket is removed");
}

#[actix_rt::test]
async fn a_draining_host_is_not_ready_and_closes_each_connection_after_its_answer() {
    use actix_web::test as web_test;
    use openimis_host::http::{app_with, lifecycle::Lifecycle, Edge};
    let dir = ModulesDir::with(&["fx_base"]);
    let conf = modules_json(&[json!({"name": "base", "library": "fx_base"})]);
    let runtime = Arc::new(start(settings(&conf, &dir, &[])).expect("starts"));
    let lifecycle = Arc::new(Lifecycle::new(7));
    let edge = Edge {
        lifecycle: lifecycle.clone(),
        ..Edge::new(&runtime)
    };
    let app = web_test::init_service(app_with(runtime, edge)).await;
    let get = |path: &str| web_test::TestRequest::get().uri(path).to_request();

    let live = web_test::call_service(&app, get("/ht/live")).await;
    assert_eq!(live.status(), 200);
    let live: Value = web_test::read_body_json(live).await;
    assert_eq!(
        (&live["status"], &live["generation"], live["pid"].as_u64()),
        (
            &json!("alive"),
            &json!(7),
            Some(u64::from(std::process::id()))
        )
    );
    let ready = web_test::call_service(&app, get("/ht/ready")).await;
    assert_eq!(ready.status(), 200);
    assert!(!ready
        .response()
        .head()
        .connection_type()
        .eq(&actix_web::http::ConnectionType::Close));

    lifecycle.drain();
    let ready = web_test::call_service(&app, get("/ht/ready")).await;
    assert_eq!(ready.status(), 503);
    assert_eq!(
        ready.response().head().connection_type(),
        actix_web::http::ConnectionType::Close
    );
    let body: Value = web_test::read_body_json(ready).await;
    assert_eq!(
        body,
        json!({"ready": false, "reason": "draining", "generation": 7})
    );
    // Every other answer too: the client's next request goes to a new connection.
    let answer = web_test::call_service(&app, get("/ht/live")).await;
    assert_eq!(answer.status(), 200);
    assert_eq!(
        answer.response().head().connection_type(),
        actix_web::http::ConnectionType::Close
    );
}
