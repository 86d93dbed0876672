//! Three hosts behave as one server (issue 21, item 1): three `openimis serve` processes on one
//! PostgreSQL database, one Redis cache and one RabbitMQ queue, in MODE=PROD with the
//! scheduler on. A mutation accepted by any host runs once and its log reads the same on every
//! host; a host killed (SIGKILL) in the middle of a mutation leaves it to RabbitMQ, which hands
//! it to another host that finishes it once (one row, log at 2); the per-second job runs once
//! per second between the three; a password changed through one host refuses the old token on
//! the others at once (the user contexts live in the shared cache). Rate limits across hosts
//! are `rate_limit_across_hosts`'s.
#![cfg(feature = "postgres")]

use openimis_system_tests::over_tcp;
use openimis_system_tests::postgres_db::{fresh_database, url};
use openimis_system_tests::redis_server::{redis_url, unique_prefix};
use openimis_system_tests::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(60);
const POLL: &str = "query ($id: String) { mutationLogs(clientMutationId: $id) { edges { node { status error } } } }";

/// One host: `openimis serve` (a supervisor and its server process), its log lines kept.
struct Host {
    child: Child,
    address: String,
    log: Arc<Mutex<Vec<String>>>,
}

impl Drop for Host {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Host {
    fn start(name: &str, dir: &ModulesDir, vars: &[(String, String)]) -> Self {
        let mut child = Command::new(openimis_binary())
            .args(["serve", "--bind", "127.0.0.1:0"])
            .current_dir(dir.path())
            .env_clear()
            .envs(vars.iter().cloned())
            .env("RUST_LOG", "openimis=info,module::panicky=info,warn")
            .stderr(Stdio::piped())
            .spawn()
            .expect("openimis starts");
        let stderr = child.stderr.take().unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (listening, address) = mpsc::channel();
        let (kept, name) = (log.clone(), name.to_owned());
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("{name}: {line}");
                if let Some(address) = line.split("listening on ").nth(1) {
                    let _ = listening.send(address.trim().to_owned());
                }
                kept.lock().unwrap().push(line);
            }
        });
        let address = address
            .recv_timeout(Duration::from_secs(180))
            .expect("the host listens");
        Self {
            child,
            address,
            log,
        }
    }

    /// `(status, body)` of a GraphQL POST, as `token`'s holder when given.
    fn graphql(&self, query: &str, variables: Value, token: Option<&str>) -> (u16, Value) {
        over_tcp::graphql(&self.address, query, variables, token)
    }

    fn login(&self, password: &str) -> String {
        let (status, body) = self.graphql(
            "mutation ($p: String!) { tokenAuth(username: \"Admin\", password: $p) { token } }",
            json!({ "p": password }),
            None,
        );
        assert_eq!(status, 200, "{body}");
        body["data"]["tokenAuth"]["token"]
            .as_str()
            .unwrap_or_else(|| panic!("no token: {body}"))
            .to_owned()
    }

    /// The status of the mutation log of `client_id`, as this host reads it.
    fn log_status(&self, token: &str, client_id: &str) -> Option<i64> {
        let (_, body) = self.graphql(POLL, json!({ "id": client_id }), Some(token));
        body["data"]["mutationLogs"]["edges"][0]["node"]["status"].as_i64()
    }

    fn logged(&self, text: &str) -> bool {
        self.log
            .lock()
            .unwrap()
            .iter()
            .any(|line| line.contains(text))
    }

    /// The pid of the process serving (the supervisor's child).
    fn server_pid(&self) -> u32 {
        over_tcp::live(&self.address).1
    }
}

fn explode_midway(client_id: &str, code: &str) -> String {
    format!(
        r#"mutation {{ explodeMidway(input: {{ clientMutationId: "{client_id}", code: "{code}" }}) {{ internalId }} }}"#
    )
}

/// Rows of the panicky fixture table with `code`, straight from the database.
fn rows(database: &str, code: &str) -> i64 {
    use diesel::{Connection, RunQueryDsl};
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = diesel::PgConnection::establish(database).unwrap();
    diesel::sql_query(format!(
        r#"SELECT COUNT(*) AS n FROM "fixture_Panicky" WHERE "Code" = '{code}'"#
    ))
    .get_result::<N>(&mut conn)
    .unwrap()
    .n
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + WAIT;
    while !done() {
        assert!(Instant::now() < deadline, "{what}: not within {WAIT:?}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn three_hosts_on_one_database_cache_and_queue_behave_as_one_server() {
    let database = fresh_database("cluster");
    let database_url = url(&database);
    let (redis, _own_redis) = redis_url();
    let queue = format!("openimis.test.{}", uuid::Uuid::new_v4());
    let broker = std::env::var("OPENIMIS_TEST_AMQP_URL")
        .unwrap_or_else(|_| "amqp://guest:guest@127.0.0.1:5672//".into());
    let dir = ModulesDir::with(&["core", "fx_panicky"]);
    let conf = modules_json(&[
        json!({"name": "core"}),
        json!({"name": "panicky", "library": "fx_panicky"}),
    ]);
    let mut vars = database.clone();
    vars.extend(
        [
            ("OPENIMIS_CONF_JSON", conf.to_string()),
            ("MODULES_DIR", dir.path().display().to_string()),
            ("MODE", "PROD".into()),
            ("SECRET_KEY", "cluster-secret".into()),
            ("ALLOWED_HOSTS", "*".into()),
            ("SITE_ROOT", "api".into()),
            ("DEMO_DATASET", "True".into()),
            ("RATELIMIT_RATE", "100000/m".into()),
            ("SCHEDULER_AUTOSTART", "True".into()),
            (
                "CACHE_BACKEND",
                "django.core.cache.backends.redis.RedisCache".into(),
            ),
            ("CACHE_URL", redis),
            (
                "CACHE_OPTIONS",
                json!({ "KEY_PREFIX": unique_prefix() }).to_string(),
            ),
            ("CELERY_BROKER_URL", broker),
            ("OPENIMIS_MUTATION_QUEUE", queue),
            ("OPENIMIS_WORKERS", "2".into()),
        ]
        .map(|(k, v)| (k.to_owned(), v)),
    );
    // The first host migrates and seeds the demo data; the others find it done.
    let first = Host::start("host1", &dir, &vars);
    let mut hosts = vec![
        first,
        Host::start("host2", &dir, &vars),
        Host::start("host3", &dir, &vars),
    ];
    let tokens: Vec<String> = hosts.iter().map(|h| h.login("admin123")).collect();

    // 1. A mutation accepted by each host runs once; every host reads its log at 2.
    for (i, host) in hosts.iter().enumerate() {
        let (status, body) = host.graphql(
            &explode_midway(&format!("each-{i}"), &format!("EACH{i}")),
            json!(null),
            Some(&tokens[i]),
        );
        assert_eq!(status, 200, "{body}");
    }
    for i in 0..hosts.len() {
        let id = format!("each-{i}");
        wait_until(&format!("mutation {id} finished"), || {
            hosts[0].log_status(&tokens[0], &id) == Some(2)
        });
        for (h, host) in hosts.iter().enumerate() {
            assert_eq!(
                host.log_status(&tokens[h], &id),
                Some(2),
                "{id} on host {h}"
            );
        }
        assert_eq!(rows(&database_url, &format!("EACH{i}")), 1);
    }

    // 2. A host killed in the middle of a mutation: another one finishes it, once.
    let (status, body) = hosts[0].graphql(
        &explode_midway("killed", "SLOW"),
        json!(null),
        Some(&tokens[0]),
    );
    assert_eq!(status, 200, "{body}");
    wait_until("some host started the slow mutation", || {
        hosts.iter().any(|h| h.logged("slow mutation started"))
    });
    let running = hosts
        .iter()
        .position(|h| h.logged("slow mutation started"))
        .unwrap();
    let victim = hosts.remove(running);
    let victim_pid = victim.server_pid();
    Command::new("kill")
        .args(["-KILL", &victim_pid.to_string()])
        .status()
        .unwrap();
    drop(victim);
    let tokens: Vec<String> = hosts.iter().map(|h| h.login("admin123")).collect();
    wait_until("the killed host's mutation finished elsewhere", || {
        hosts[0].log_status(&tokens[0], "killed") == Some(2)
    });
    assert!(
        hosts.iter().any(|h| h.logged("slow mutation started")),
        "a surviving host ran the redelivered mutation"
    );
    assert_eq!(
        rows(&database_url, "SLOW"),
        1,
        "the mutation ran to its end once"
    );
    for (h, host) in hosts.iter().enumerate() {
        assert_eq!(host.log_status(&tokens[h], "killed"), Some(2));
    }

    // 3. The per-second job: once per second between the hosts, not once per host.
    let before = rows(&database_url, "TICK");
    let started = Instant::now();
    std::thread::sleep(Duration::from_secs(6));
    let ticks = rows(&database_url, "TICK") - before;
    let seconds = started.elapsed().as_secs_f64();
    assert!(
        (ticks as f64) <= seconds + 1.0 && (ticks as f64) >= seconds - 3.0,
        "{ticks} runs in {seconds:.1} s with {} hosts",
        hosts.len()
    );

    // 4. A password changed through one host: the old token is refused on the others at once.
    let change = "mutation ($input: ChangePasswordMutationInput!) { changePassword(input: $input) { success error } }";
    let (status, body) = hosts[0].graphql(
        change,
        json!({"input": {"clientMutationId": "pw", "oldPassword": "admin123", "newPassword": "Cluster-Pass2"}}),
        Some(&tokens[0]),
    );
    assert_eq!(status, 200, "{body}");
    wait_until("the password change ran", || {
        hosts[0].login_works("Cluster-Pass2")
    });
    for (h, host) in hosts.iter().enumerate() {
        let (status, body) = host.graphql("{ languages { code } }", json!(null), Some(&tokens[h]));
        assert_eq!(status, 401, "host {h} still accepts the old token: {body}");
    }
}

impl Host {
    fn login_works(&self, password: &str) -> bool {
        let (_, body) = self.graphql(
            "mutation ($p: String!) { tokenAuth(username: \"Admin\", password: $p) { token } }",
            json!({ "p": password }),
            None,
        );
        body["data"]["tokenAuth"]["token"].is_string()
    }
}
