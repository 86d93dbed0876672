//! The scheduler (issue 5 item 11): jobs declared in manifests run through the module's
//! `job.<name>` service when their cron is due, one run at a time per job; `openimis jobs`
//! lists them; a bad cron refuses startup. The clock is driven by `Scheduler::tick(T)`.

use actix_web::test as web_test;
use openimis_host::scheduler::chrono::{DateTime, Duration, Utc};
use openimis_host::scheduler::{Dispatch, Runner, Scheduler};
use openimis_plugin_api::manifest::JobSpec;
use openimis_system_tests::*;
use serde_json::json;
use std::process::Command;
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
