//! The scheduler (issue 5 item 11): jobs declared in manifests run through the module's
//! `job.<name>` service when their cron is due, one run at a time per job; `openimis jobs`
//! lists them; a bad cron refuses startup. The clock is driven by `Scheduler::tick(T)`.
//! Hosts sharing a database (issue 21) run each due instant once between them, on SQLite and
//! PostgreSQL; a database that does not answer skips the run and the scheduler goes on.

use actix_web::test as web_test;
use openimis_host::db::HostDb;
use openimis_host::runtime::Runtime;
use openimis_host::scheduler::chrono::{DateTime, Duration, Utc};
use openimis_host::scheduler::{Claims, DbClaims, Dispatch, Runner, Scheduler};
use openimis_host::settings::Database;
use openimis_plugin_api::manifest::JobSpec;
use openimis_system_tests::*;
use serde_json::json;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

fn base() -> (ModulesDir, openimis_host::runtime::Runtime) {
    let dir = ModulesDir::with(&["fx_base"]);
    let conf = modules_json(&[json!({"name": "base", "library": "fx_base"})]);
    let runtime = start(settings(&conf, &dir, &[])).expect("base starts");
    (dir, runtime)
}

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

/// Joins every started run and answers the jobs that ran, with their outcomes.
fn finish(dispatched: Vec<Dispatch>) -> Vec<(String, Result<(), String>)> {
    dispatched
        .into_iter()
        .map(|d| match d {
            Dispatch::Started { job, run } => (job, run.join().expect("the run ends")),
            Dispatch::Skipped { job } => (job, Err("skipped".into())),
            Dispatch::Elsewhere { job } => (job, Err("elsewhere".into())),
            Dispatch::Unclaimed { job, error } => (job, Err(format!("unclaimed: {error}"))),
        })
        .collect()
}

#[actix_rt::test]
async fn due_jobs_run_through_the_module_service() {
    let (_dir, runtime) = base();
    let jobs = runtime.scheduler.jobs();
    assert_eq!(jobs.len(), 1);
    let job = &jobs[0];
    assert_eq!(
        (job.module.as_str(), job.name.as_str(), job.cron.as_str()),
        ("base", "count", "*/5 * * * *")
    );
    let first = at(job.next_run.as_deref().expect("a next run"));
    assert_eq!(first.timestamp() % 300, 0, "on a five-minute boundary");
    assert!(first > Utc::now() - Duration::minutes(1));

    // Not due a second early; due at its time; then moved five minutes on.
    assert!(runtime
        .scheduler
        .tick(first - Duration::seconds(1))
        .is_empty());
    assert_eq!(
        finish(runtime.scheduler.tick(first)),
        vec![("base.count".to_owned(), Ok(()))]
    );
    assert!(runtime.scheduler.tick(first).is_empty(), "ran once");
    let next = at(runtime.scheduler.jobs()[0].next_run.as_deref().unwrap());
    assert_eq!(next - first, Duration::minutes(5));
    // Missed times are not run again: one run for the hour that passed.
    assert_eq!(
        finish(runtime.scheduler.tick(first + Duration::hours(1))).len(),
        1
    );

    let services = runtime.services.clone();
    let (_rt, app) = service(runtime).await;
    let (_, body) =
        json_of(web_test::call_service(&app, graphql_request("{ jobRuns }", json!(null))).await)
            .await;
    assert_eq!(body["data"]["jobRuns"], 2, "{body}");
    // Other modules see the same list through the host service.
    let listed = services.call("scheduler.jobs", json!(null)).unwrap();
    assert_eq!(listed[0]["module"], "base");
    assert_eq!(listed[0]["name"], "count");
}

/// A runner whose runs wait until the test lets them finish.
struct Gate {
    started: Mutex<mpsc::Sender<String>>,
    release: Mutex<mpsc::Receiver<Result<(), String>>>,
}

impl Runner for Gate {
    fn run(&self, module: &str, job: &str) -> Result<(), String> {
        self.started
            .lock()
            .unwrap()
            .send(format!("{module}.{job}"))
            .unwrap();
        self.release.lock().unwrap().recv().unwrap()
    }
}

#[test]
fn a_run_still_going_skips_the_next_tick() {
    let (started_tx, started) = mpsc::channel();
    let (release, release_rx) = mpsc::channel();
    let gate = Arc::new(Gate {
        started: Mutex::new(started_tx),
        release: Mutex::new(release_rx),
    });
    let t0 = at("2026-01-01T00:00:00Z");
    let scheduler = Scheduler::new(
        vec![(
            "policy".into(),
            JobSpec {
                name: "renewal".into(),
                cron: "* * * * *".into(),
            },
        )],
        gate,
        t0,
    );
    let first = scheduler.tick(t0 + Duration::minutes(1));
    assert!(matches!(first.as_slice(), [Dispatch::Started { .. }]));
    assert_eq!(started.recv().unwrap(), "policy.renewal");
    assert!(scheduler.jobs()[0].running);

    // The next minute comes while the first run is still going: skipped.
    let second = scheduler.tick(t0 + Duration::minutes(2));
    assert!(matches!(second.as_slice(), [Dispatch::Skipped { job }] if job == "policy.renewal"));

    release.send(Err("no policies to renew".into())).unwrap();
    assert_eq!(
        finish(first),
        vec![(
            "policy.renewal".to_owned(),
            Err("no policies to renew".into())
        )]
    );
    assert!(!scheduler.jobs()[0].running);
    let third = scheduler.tick(t0 + Duration::minutes(3));
    assert_eq!(started.recv().unwrap(), "policy.renewal");
    release.send(Ok(())).unwrap();
    assert_eq!(finish(third), vec![("policy.renewal".to_owned(), Ok(()))]);
}

#[test]
fn a_bad_cron_is_a_startup_problem_naming_module_and_job() {
    let dir = ModulesDir::with(&["fx_bad_job"]);
    let conf = modules_json(&[json!({"name": "base", "library": "fx_bad_job"})]);
    let error = start(settings(&conf, &dir, &[])).err().expect("refused");
    let text = error.to_string();
    assert!(
        text.contains(
            "[MANIFEST_INVALID] module `base`: job `nightly` has a bad cron \"61 25 * * *\""
        ),
        "{text}"
    );
}

#[test]
fn openimis_jobs_lists_module_job_cron_and_next_run() {
    let dir = ModulesDir::with(&["fx_base"]);
    let out = Command::new(openimis_binary())
        .arg("jobs")
        .env_clear()
        .env(
            "OPENIMIS_CONF_JSON",
            modules_json(&[json!({"name": "base", "library": "fx_base"})]).to_string(),
        )
        .env("MODULES_DIR", dir.path())
        .env("NO_DATABASE", "True")
        .env("SQLITE_PATH", dir.path().join("jobs.sqlite3"))
        .env("MODE", "DEV")
        .output()
        .expect("openimis runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<&str> = stdout.lines().collect();
    assert!(lines[0].starts_with("MODULE"), "{stdout}");
    let fields: Vec<&str> = lines[1].split_whitespace().collect();
    assert_eq!(fields[..2], ["base", "count"], "{stdout}");
    assert!(lines[1].contains("*/5 * * * *"), "{stdout}");
    let next = at(fields.last().unwrap());
    assert!(next > Utc::now() - Duration::minutes(1) && next <= Utc::now() + Duration::minutes(5));
}

#[actix_rt::test]
async fn core_lists_the_jobs_at_scheduled_jobs() {
    let dir = ModulesDir::with(&["core", "fx_base"]);
    let conf = modules_json(&[
        json!({"name": "core"}),
        json!({"name": "base", "library": "fx_base"}),
    ]);
    let runtime = start(settings(&conf, &dir, &[])).expect("core and base start");
    let (_rt, app) = service(runtime).await;
    let request = web_test::TestRequest::get()
        .uri("/api/core/scheduled_jobs")
        .to_request();
    let (status, body) = json_of(web_test::call_service(&app, request).await).await;
    assert_eq!(status, 200, "{body}");
    let line = body[0].as_str().expect("one line per job");
    assert!(
        line.starts_with("name: base.count, trigger: cron[*/5 * * * *], next run: 20"),
        "{line}"
    );
    assert!(line.ends_with(", handler: base.job.count"), "{line}");
}

#[test]
fn serve_starts_the_scheduler_only_with_scheduler_autostart() {
    use std::io::{BufRead, BufReader};
    let dir = ModulesDir::with(&["fx_base"]);
    for (autostart, expected) in [("True", true), ("False", false)] {
        let mut child = Command::new(openimis_binary())
            .args(["serve", "--bind", "127.0.0.1:0"])
            .env_clear()
            .env(
                "OPENIMIS_CONF_JSON",
                modules_json(&[json!({"name": "base", "library": "fx_base"})]).to_string(),
            )
            .env("MODULES_DIR", dir.path())
            .env("NO_DATABASE", "True")
            .env("SQLITE_PATH", dir.path().join("serve.sqlite3"))
            .env("MODE", "DEV")
            .env("DJANGO_LOG_LEVEL", "INFO")
            .env("SCHEDULER_AUTOSTART", autostart)
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("openimis runs");
        // Everything logged up to the line that says the server listens.
        let lines: Vec<String> = BufReader::new(child.stderr.take().unwrap())
            .lines()
            .map_while(Result::ok)
            .take_while(|line| !line.contains("listening on"))
            .collect();
        child.kill().unwrap();
        child.wait().unwrap();
        assert_eq!(
            lines
                .iter()
                .any(|l| l.contains("scheduler started with 1 job(s)")),
            expected,
            "SCHEDULER_AUTOSTART={autostart}: {lines:#?}"
        );
    }
}

/// fx_base on `dir`'s database: its SQLite file (`vars` empty), or the PostgreSQL database
/// `vars` name.
fn base_on(dir: &ModulesDir, vars: &[(String, String)]) -> Runtime {
    let mut all: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    if all.is_empty() {
        // Both hosts on the SQLite file, also when the suite runs everything on PostgreSQL.
        all.push(("NO_DATABASE", "True"));
    }
    let conf = modules_json(&[json!({"name": "base", "library": "fx_base"})]);
    start(settings(&conf, dir, &all)).expect("base starts")
}

/// The runs of `base.count` a host made, as its `jobRuns` answers.
async fn job_runs(runtime: Runtime) -> u64 {
    let (_rt, app) = service(runtime).await;
    let (status, body) =
        json_of(web_test::call_service(&app, graphql_request("{ jobRuns }", json!(null))).await)
            .await;
    assert_eq!(status, 200, "{body}");
    body["data"]["jobRuns"].as_u64().expect("a count")
}

/// Two hosts (two runtimes, as two processes have) on one database tick for the same due
/// instant: once at the same moment with clocks 300 ms apart, once after the first host's run
/// already finished. Each instant runs once.
async fn each_due_instant_runs_once_across_hosts(vars: &[(String, String)]) {
    let dir = ModulesDir::with(&["fx_base"]);
    let one = base_on(&dir, vars);
    let other = base_on(&dir, vars);
    let next = |runtime: &Runtime| at(runtime.scheduler.jobs()[0].next_run.as_deref().unwrap());
    // The hosts started moments apart: a time due on both.
    let first = next(&one).max(next(&other));

    let (on_one, on_other) = std::thread::scope(|s| {
        let a = s.spawn(|| finish(one.scheduler.tick(first)));
        let b = s.spawn(|| finish(other.scheduler.tick(first + Duration::milliseconds(300))));
        (a.join().unwrap(), b.join().unwrap())
    });
    let mut outcomes: Vec<_> = on_one.into_iter().chain(on_other).collect();
    outcomes.sort_by_key(|(_, outcome)| outcome.is_err());
    assert_eq!(
        outcomes,
        vec![
            ("base.count".to_owned(), Ok(())),
            ("base.count".to_owned(), Err("elsewhere".to_owned()))
        ]
    );

    // The next instant: the run ends before the other host ticks (late by 800 ms).
    let second = first + Duration::minutes(5);
    assert_eq!(
        finish(other.scheduler.tick(second)),
        vec![("base.count".to_owned(), Ok(()))]
    );
    assert_eq!(
        finish(one.scheduler.tick(second + Duration::milliseconds(800))),
        vec![("base.count".to_owned(), Err("elsewhere".to_owned()))]
    );
    assert_eq!(
        job_runs(one).await + job_runs(other).await,
        2,
        "one run per instant"
    );
}

on_sqlite_and_postgres! {
    each_due_instant_runs_once_across_hosts:
        two_hosts_on_one_sqlite_file_run_each_due_instant_once,
        two_hosts_on_one_database_run_each_due_instant_once_on_postgres,
        "scheduler_claims"
}

/// Claims on a database that does not answer while `down`, granted otherwise.
struct Outage {
    down: AtomicBool,
    unreachable: DbClaims,
}

impl Claims for Outage {
    fn claim(&self, module: &str, job: &str, due: DateTime<Utc>) -> Result<bool, String> {
        if self.down.load(Ordering::SeqCst) {
            self.unreachable.claim(module, job, due)
        } else {
            Ok(true)
        }
    }
}

/// Counts runs.
#[derive(Default)]
struct Counter(AtomicUsize);

impl Runner for Counter {
    fn run(&self, _: &str, _: &str) -> Result<(), String> {
        self.0.fetch_add(1, Ordering::SeqCst);
        Ok(())
    }
}

#[test]
fn a_database_that_does_not_answer_skips_the_run_and_the_scheduler_goes_on() {
    // Nothing listens on port 1.
    let database = Database::Postgres {
        url: "postgres://openimis@127.0.0.1:1/openimis".into(),
    };
    let outage = Arc::new(Outage {
        down: AtomicBool::new(true),
        unreachable: DbClaims::new(HostDb::new(&database)),
    });
    let runs = Arc::new(Counter::default());
    let t0 = at("2026-01-01T00:00:00Z");
    let scheduler = Scheduler::new(
        vec![(
            "policy".into(),
            JobSpec {
                name: "renewal".into(),
                cron: "* * * * *".into(),
            },
        )],
        runs.clone(),
        t0,
    )
    .with_claims(outage.clone());

    let skipped = finish(scheduler.tick(t0 + Duration::minutes(1)));
    let [(job, Err(error))] = skipped.as_slice() else {
        panic!("the run is skipped: {skipped:?}")
    };
    assert_eq!(job, "policy.renewal");
    assert!(
        error.starts_with("unclaimed: cannot connect to the database"),
        "{error}"
    );
    assert_eq!(runs.0.load(Ordering::SeqCst), 0);
    // The job is neither left running nor stuck: it is due again at its next time.
    assert!(!scheduler.jobs()[0].running);
    assert_eq!(
        scheduler.jobs()[0].next_run.as_deref(),
        Some("2026-01-01T00:02:00+00:00")
    );

    outage.down.store(false, Ordering::SeqCst);
    assert_eq!(
        finish(scheduler.tick(t0 + Duration::minutes(2))),
        vec![("policy.renewal".to_owned(), Ok(()))]
    );
    assert_eq!(runs.0.load(Ordering::SeqCst), 1);
}
