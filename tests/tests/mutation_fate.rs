//! A mutation's fate around a database outage and a restart (issue 13, item 9): an
//! acknowledged mutation ends done (2) or failed (1), also when the database went away while it
//! ran and across a restart; a request answered 503 `REQUEST_TIMEOUT` never runs its mutation
//! later. The database is stopped by a TCP proxy between the server and PostgreSQL that the
//! test stalls (bytes held, as a database that hangs) or cuts (connections closed and refused).

use actix_web::test as web;
use openimis_host::runtime::Runtime;
use openimis_system_tests::*;
use serde_json::{json, Value};
use std::time::Duration;

const POLL: &str =
    "query ($id: String) { mutationLogs(clientMutationId: $id) { edges { node { status error } } } }";
/// The longest a log may take to leave status 0 once the database answers again.
const SETTLED_WITHIN: Duration = Duration::from_secs(30);

fn create_role(client_id: &str, name: &str) -> String {
    format!(
        r#"mutation {{ createRole(input: {{ clientMutationId: "{client_id}", name: "{name}", isSystem: false, isBlocked: false, rightsId: [101001] }}) {{ clientMutationId internalId }} }}"#
    )
}

fn runtime(dir: &ModulesDir, modules: &[&str], vars: &[(&str, &str)]) -> Runtime {
    let mut all = vec![
        ("MODE", "PROD"),
        ("DEMO_DATASET", "True"),
        ("ALLOWED_HOSTS", "*"),
        // The tests poll logs; PROD's default rate would refuse the polls, not the fate.
        ("RATELIMIT_RATE", "100000/m"),
    ];
    all.extend_from_slice(vars);
    let entries: Vec<Value> = modules.iter().map(|m| json!({ "name": m })).collect();
    start(settings(&modules_json(&entries), dir, &all)).expect("the server starts")
}

/// `(status, error)` of the log of `client_id`, `None` while there is none.
async fn log_of<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    client_id: &str,
) -> Option<(i64, String)> {
    let (status, body) =
        json_of(web::call_service(app, graphql_as(POLL, json!({ "id": client_id }), token)).await)
            .await;
    assert_eq!(status, 200, "{body}");
    let node = &body["data"]["mutationLogs"]["edges"][0]["node"];
    let status = node["status"].as_i64()?;
    Some((
        status,
        node["error"].as_str().unwrap_or_default().to_owned(),
    ))
}

async fn count<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    query: &str,
) -> i64 {
    let (status, body) =
        json_of(web::call_service(app, graphql_as(query, json!(null), token)).await).await;
    assert_eq!(status, 200, "{body}");
    body["data"]
        .as_object()
        .and_then(|data| data.values().next())
        .and_then(|field| {
            field["totalCount"]
                .as_i64()
                .or_else(|| field["edges"].as_array().map(|e| e.len() as i64))
        })
        .unwrap_or_else(|| panic!("no count: {body}"))
}

/// A process stops with a mutation acknowledged but not run (its worker never gets to it):
/// the next process to start on the database finishes the log as failed, and the job, should
/// it ever come back (a broker redelivering it), does not run.
#[actix_rt::test]
async fn a_log_left_at_received_by_a_stopped_process_is_failed_at_the_next_start() {
    let dir = ModulesDir::with(&["core"]);
    let (stopped, app) = service(runtime(&dir, &["core"], &[])).await;
    let token = login(&app, "Admin", "admin123").await;
    let paused = stopped.mutations.pause();
    let (status, body) = json_of(
        web::call_service(
            &app,
            graphql_as(&create_role("r-1", "Left behind"), json!(null), &token),
        )
        .await,
    )
    .await;
    assert_eq!(
        (status, &body["data"]["createRole"]["clientMutationId"]),
        (200, &json!("r-1")),
        "{body}"
    );
    assert_eq!(log_of(&app, &token, "r-1").await.map(|l| l.0), Some(0));

    // The next process on this (SQLite, one-process) database.
    let (_next, next_app) = service(runtime(&dir, &["core"], &[])).await;
    let token = login(&next_app, "Admin", "admin123").await;
    let (status, error) = log_of(&next_app, &token, "r-1").await.expect("the log");
    assert_eq!(status, 1, "{error}");
    assert!(error.contains("The server stopped before"), "{error}");

    // The stopped process's job comes back: its log left 0, so it does not run.
    drop(paused);
    assert!(stopped.mutations.wait_idle(SETTLED_WITHIN));
    let roles = r#"{ role(name: "Left behind") { totalCount } }"#;
    assert_eq!(count(&next_app, &token, roles).await, 0);
    assert_eq!(log_of(&next_app, &token, "r-1").await.map(|l| l.0), Some(1));
}

#[cfg(feature = "postgres")]
mod on_postgres {
    use super::*;
    use std::io::{Read, Write};
    use std::net::{Shutdown, TcpListener, TcpStream};
    use std::sync::{Arc, Condvar, Mutex};
    use std::time::Instant;

    #[derive(Clone, Copy, PartialEq, Eq)]
    enum Mode {
        Open,
        /// Bytes are held (a database that hangs), then passed on when opened again.
        Stalled,
        /// Connections are closed and new ones refused (a database that stopped).
        Cut,
    }

    #[derive(Default)]
    struct Shared {
        mode: Mutex<Option<Mode>>,
        changed: Condvar,
        streams: Mutex<Vec<TcpStream>>,
    }

    /// A TCP proxy in front of PostgreSQL.
    struct Proxy {
        port: u16,
        shared: Arc<Shared>,
    }

    impl Proxy {
        fn start(upstream: String) -> Self {
            let listener = TcpListener::bind("127.0.0.1:0").unwrap();
            let port = listener.local_addr().unwrap().port();
            let shared = Arc::new(Shared::default());
            *shared.mode.lock().unwrap() = Some(Mode::Open);
            let accepting = shared.clone();
            std::thread::spawn(move || {
                for client in listener.incoming().flatten() {
                    if accepting.mode() == Mode::Cut {
                        let _ = client.shutdown(Shutdown::Both);
                        continue;
                    }
                    let Ok(server) = TcpStream::connect(&upstream) else {
                        continue;
                    };
                    {
                        let mut streams = accepting.streams.lock().unwrap();
                        streams.push(client.try_clone().unwrap());
                        streams.push(server.try_clone().unwrap());
                    }
                    for (from, to) in [
                        (client.try_clone().unwrap(), server.try_clone().unwrap()),
                        (server, client),
                    ] {
                        let shared = accepting.clone();
                        std::thread::spawn(move || shared.pump(from, to));
                    }
                }
            });
            Self { port, shared }
        }

        fn set(&self, mode: Mode) {
            *self.shared.mode.lock().unwrap() = Some(mode);
            if mode == Mode::Cut {
                for stream in self.shared.streams.lock().unwrap().drain(..) {
                    let _ = stream.shutdown(Shutdown::Both);
                }
            }
            self.shared.changed.notify_all();
        }
    }

    impl Shared {
        fn mode(&self) -> Mode {
            self.mode.lock().unwrap().unwrap_or(Mode::Open)
        }

        fn pump(&self, mut from: TcpStream, mut to: TcpStream) {
            let mut buffer = [0u8; 16 * 1024];
            loop {
                let n = match from.read(&mut buffer) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => n,
                };
                let mut mode = self.mode.lock().unwrap();
                while *mode == Some(Mode::Stalled) {
                    mode = self.changed.wait(mode).unwrap();
                }
                if *mode == Some(Mode::Cut) || to.write_all(&buffer[..n]).is_err() {
                    break;
                }
            }
            let _ = from.shutdown(Shutdown::Both);
            let _ = to.shutdown(Shutdown::Both);
        }
    }

    /// A fresh database, and the variables that reach it through a new proxy.
    fn behind_a_proxy(tag: &str) -> (Proxy, Vec<(String, String)>) {
        let vars = postgres_db::fresh_database(tag);
        let get = |name: &str| {
            vars.iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap()
        };
        let proxy = Proxy::start(format!("{}:{}", get("DB_HOST"), get("DB_PORT")));
        let mut proxied: Vec<(String, String)> =
            vars.into_iter().filter(|(k, _)| k != "DB_PORT").collect();
        proxied.push(("DB_PORT".into(), proxy.port.to_string()));
        (proxy, proxied)
    }

    fn borrowed(vars: &[(String, String)]) -> Vec<(&str, &str)> {
        vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect()
    }

    /// Waits until the database has seen every connection of the stopped processes go (their
    /// advisory locks released), as it does when a process dies.
    fn until_no_process_is_present(vars: &[(String, String)]) {
        use diesel::{Connection, RunQueryDsl};
        #[derive(diesel::QueryableByName)]
        struct Holders {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let mut connection = diesel::PgConnection::establish(&postgres_db::url(vars)).unwrap();
        let deadline = Instant::now() + SETTLED_WITHIN;
        loop {
            let holders: Holders = diesel::sql_query(
                "SELECT count(*) AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database \
                 WHERE l.locktype = 'advisory' AND l.classid = 28521 AND l.objid = 1 \
                 AND d.datname = current_database()",
            )
            .get_result(&mut connection)
            .unwrap();
            if holders.n == 0 {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "{} process(es) still present",
                holders.n
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The log of `client_id` once it left status 0 (panics if it stays there).
    async fn settled<B: actix_web::body::MessageBody>(
        app: &impl TestApp<B>,
        token: &str,
        client_id: &str,
    ) -> (i64, String) {
        let deadline = Instant::now() + SETTLED_WITHIN;
        loop {
            let log = log_of(app, token, client_id).await;
            if let Some((status, error)) = log.clone().filter(|(status, _)| *status != 0) {
                return (status, error);
            }
            assert!(
                Instant::now() < deadline,
                "the log of {client_id} is still {log:?} after {SETTLED_WITHIN:?}"
            );
            actix_rt::time::sleep(Duration::from_millis(100)).await;
        }
    }

    const LOCATIONS: &str = r#"{ locations(code: "ZQ1") { edges { node { id } } } }"#;

    fn create_location(client_id: &str) -> String {
        format!(
            r#"mutation {{ createLocation(input: {{ clientMutationId: "{client_id}", code: "ZQ1", name: "Fate", type: "R" }}) {{ clientMutationId internalId }} }}"#
        )
    }

    /// The database hangs while a `createLocation` waits for it; the client is answered 503
    /// after OPENIMIS_REQUEST_TIMEOUT. When the database answers again, the mutation's log is
    /// marked failed and the location is never created (a retrying client creates it once).
    async fn a_refused_mutation_never_runs_later(mode: &str) {
        let (proxy, mut vars) = behind_a_proxy(&format!("abandoned_{}", mode.to_lowercase()));
        vars.push(("MODE".into(), mode.into()));
        vars.push(("OPENIMIS_REQUEST_TIMEOUT".into(), "1".into()));
        let dir = ModulesDir::with(&["core", "location"]);
        let (rt, app) = service(runtime(&dir, &["core", "location"], &borrowed(&vars))).await;
        let token = login(&app, "Admin", "admin123").await;
        assert_eq!(count(&app, &token, LOCATIONS).await, 0);

        proxy.set(Mode::Stalled);
        let (status, body) = json_of(
            web::call_service(
                &app,
                graphql_as(&create_location("a-1"), json!(null), &token),
            )
            .await,
        )
        .await;
        assert_eq!(
            (status, &body["code"]),
            (503, &json!("REQUEST_TIMEOUT")),
            "{body}"
        );
        proxy.set(Mode::Open);

        let (status, error) = settled(&app, &token, "a-1").await;
        assert_eq!(status, 1, "{mode}: {error}");
        assert!(error.contains("abandoned"), "{mode}: {error}");
        assert!(rt.mutations.wait_idle(SETTLED_WITHIN));
        assert_eq!(
            count(&app, &token, LOCATIONS).await,
            0,
            "{mode}: it never ran"
        );
    }

    #[actix_rt::test]
    async fn a_mutation_answered_503_never_runs_later_when_queued() {
        a_refused_mutation_never_runs_later("PROD").await;
    }

    #[actix_rt::test]
    async fn a_mutation_answered_503_never_runs_later_when_inline() {
        a_refused_mutation_never_runs_later("DEV").await;
    }

    /// A `createLocation` is acknowledged (200, log at 0), then the database stops before the
    /// worker runs it: the job fails and its outcome can not be recorded. The log does not stay
    /// at 0: it is marked failed once the database is back.
    #[actix_rt::test]
    async fn an_acknowledged_mutation_ends_failed_when_the_database_stopped_under_it() {
        let (proxy, vars) = behind_a_proxy("acknowledged");
        let dir = ModulesDir::with(&["core", "location"]);
        let (rt, app) = service(runtime(&dir, &["core", "location"], &borrowed(&vars))).await;
        let token = login(&app, "Admin", "admin123").await;

        let paused = rt.mutations.pause();
        let (status, body) = json_of(
            web::call_service(
                &app,
                graphql_as(&create_location("b-1"), json!(null), &token),
            )
            .await,
        )
        .await;
        assert_eq!(
            (status, &body["data"]["createLocation"]["clientMutationId"]),
            (200, &json!("b-1")),
            "{body}"
        );
        proxy.set(Mode::Cut);
        drop(paused);
        assert!(rt.mutations.wait_idle(SETTLED_WITHIN));
        proxy.set(Mode::Open);

        let (status, error) = settled(&app, &token, "b-1").await;
        assert_eq!(status, 1, "{error}");
        assert!(error.contains("could not record the outcome"), "{error}");
        assert_eq!(count(&app, &token, LOCATIONS).await, 0);
    }

    /// On PostgreSQL a starting process finishes the logs left at 0 only when no other
    /// process serves the database: a live process's queued job is left to it (and runs),
    /// a dead one's (its connections gone) is failed by the next process to start.
    #[actix_rt::test]
    async fn only_a_stopped_process_s_logs_are_failed_at_startup() {
        let (proxy, proxied) = behind_a_proxy("restart");
        let direct = {
            let mut direct: Vec<(String, String)> = proxied
                .iter()
                .filter(|(k, _)| k != "DB_PORT")
                .cloned()
                .collect();
            let url = std::env::var("OPENIMIS_TEST_POSTGRES_URL").unwrap();
            let port = url
                .rsplit_once(':')
                .and_then(|(_, p)| p.split('/').next())
                .filter(|p| p.parse::<u16>().is_ok())
                .unwrap_or("5432")
                .to_owned();
            direct.push(("DB_PORT".into(), port));
            direct
        };
        let dir = ModulesDir::with(&["core"]);
        let (first, app) = service(runtime(&dir, &["core"], &borrowed(&proxied))).await;
        let token = login(&app, "Admin", "admin123").await;

        // A live process's queued job survives another process's start, and runs.
        let paused = first.mutations.pause();
        json_of(
            web::call_service(
                &app,
                graphql_as(&create_role("p-1", "Still queued"), json!(null), &token),
            )
            .await,
        )
        .await;
        let (_second, second_app) = service(runtime(&dir, &["core"], &borrowed(&direct))).await;
        let second_token = login(&second_app, "Admin", "admin123").await;
        assert_eq!(
            log_of(&second_app, &second_token, "p-1").await.map(|l| l.0),
            Some(0)
        );
        drop(paused);
        assert!(first.mutations.wait_idle(SETTLED_WITHIN));
        assert_eq!(settled(&second_app, &second_token, "p-1").await.0, 2);
        drop(second_app);
        drop(_second);

        // The first process dies with a job queued: its connections go.
        let paused = first.mutations.pause();
        json_of(
            web::call_service(
                &app,
                graphql_as(&create_role("p-2", "Left behind"), json!(null), &token),
            )
            .await,
        )
        .await;
        proxy.set(Mode::Cut);
        std::mem::forget(paused);
        until_no_process_is_present(&direct);
        let (_third, third_app) = service(runtime(&dir, &["core"], &borrowed(&direct))).await;
        let third_token = login(&third_app, "Admin", "admin123").await;
        let (status, error) = log_of(&third_app, &third_token, "p-2")
            .await
            .expect("the log");
        assert_eq!(status, 1, "{error}");
        assert!(error.contains("The server stopped before"), "{error}");
    }
}
