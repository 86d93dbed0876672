//! Scheduled jobs: modules declare them in their manifest (`jobs`: name + cron, UTC); with
//! `SCHEDULER_AUTOSTART=True` the host calls each module's service `job.<name>` when its cron
//! fires. A job runs one at a time in a process: a tick that finds it still running is skipped
//! (logged), leaving that instant to another process. Each run is logged with its duration and
//! outcome.
//!
//! Several hosts on one database run each due instant of a job once between them: before
//! starting a run, a process claims `(module, job, due instant)` in the database ([`claims`]:
//! a row of the host table `openimis_scheduler_claim` inserted with `ON CONFLICT DO NOTHING`,
//! on PostgreSQL and on SQLite alike); only the process whose insert lands runs it. The due
//! instant is the cron's latest time at or before the tick, so hosts whose clocks or ticks are
//! a few hundred ms (or seconds) apart claim the same instant, and a run that finished before
//! another host ticked still holds its claim. When the database does not answer, the run is
//! skipped with a warning and the scheduler goes on to the next time.
//!
//! [`Scheduler::tick`] runs what is due at a given time, so tests drive the clock; the
//! background loop ([`Scheduler::spawn`]) only calls it with the wall clock.

pub mod claims;

use crate::modules::ModuleSet;
/// The time library the scheduler's API speaks (for callers driving [`Scheduler::tick`]).
pub use chrono;
use chrono::{DateTime, Timelike, Utc};
pub use claims::{Claims, DbClaims, ThisProcessOnly};
use cron::Schedule;
use openimis_plugin_api::manifest::JobSpec;
use serde::Serialize;
use std::str::FromStr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, Weak};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Parses a job's cron: five fields (minute hour day month weekday) or six/seven with seconds
/// first (and a year last), as the `cron` crate reads them. Weekday numbers are 1 (Sunday) to
/// 7; names (`MON-FRI`) read the same everywhere.
pub fn parse_cron(text: &str) -> Result<Schedule, String> {
    let full = match text.split_whitespace().count() {
        5 => format!("0 {text}"),
        6 | 7 => text.to_owned(),
        n => {
            return Err(format!(
            "expected 5 fields (minute hour day month weekday) or 6 with seconds first, found {n}"
        ))
        }
    };
    Schedule::from_str(&full).map_err(|e| e.to_string())
}

/// Runs one job: the module's service `job.<name>`.
pub trait Runner: Send + Sync {
    fn run(&self, module: &str, job: &str) -> Result<(), String>;
}

/// Calls jobs in the running modules (held weakly: the modules outlive no runtime).
pub struct ModuleRunner {
    modules: Weak<ModuleSet>,
}

impl ModuleRunner {
    pub fn new(modules: &Arc<ModuleSet>) -> Self {
        Self {
            modules: Arc::downgrade(modules),
        }
    }
}

impl Runner for ModuleRunner {
    fn run(&self, module: &str, job: &str) -> Result<(), String> {
        let modules = self.modules.upgrade().ok_or("the server is stopping")?;
        let target = modules
            .get(module)
            .ok_or_else(|| format!("module `{module}` is not running"))?;
        target
            .service(&format!("job.{job}"), "{}")
            .map(drop)
            .map_err(|e| e.error.to_string())
    }
}

/// One declared job and its state.
struct Job {
    module: String,
    spec: JobSpec,
    schedule: Schedule,
    running: Arc<AtomicBool>,
    next: Mutex<Option<DateTime<Utc>>>,
}

/// A job as `openimis jobs` and `scheduler.jobs` list it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JobInfo {
    pub module: String,
    pub name: String,
    pub cron: String,
    /// ISO 8601, UTC; `None` when the cron never fires again.
    pub next_run: Option<String>,
    pub running: bool,
}

/// What a tick did with a due job.
pub enum Dispatch {
    /// Started on its own thread; the handle answers how the run went.
    Started {
        job: String,
        run: JoinHandle<Result<(), String>>,
    },
    /// Still running from an earlier tick: this one is skipped.
    Skipped { job: String },
    /// Another process claimed this due instant (and runs it).
    Elsewhere { job: String },
    /// The claim could not be recorded (the database does not answer): not run this time.
    Unclaimed { job: String, error: String },
}

impl Dispatch {
    pub fn job(&self) -> &str {
        match self {
            Dispatch::Started { job, .. }
            | Dispatch::Skipped { job }
            | Dispatch::Elsewhere { job }
            | Dispatch::Unclaimed { job, .. } => job,
        }
    }
}

/// The instant a tick at `now` runs for: the cron's latest time at or before `now` (never
/// before `scheduled`, the job's next time as this process computed it). Every host ticking
/// for the same time, early or late by a little, names the same instant.
fn due_instant(schedule: &Schedule, scheduled: DateTime<Utc>, now: DateTime<Utc>) -> DateTime<Utc> {
    let second = now.with_nanosecond(0).unwrap_or(now);
    let latest = if schedule.includes(second) {
        Some(second)
    } else {
        schedule.after(&second).next_back()
    };
    latest.map_or(scheduled, |at| at.max(scheduled))
}

/// The jobs of the running modules.
pub struct Scheduler {
    jobs: Vec<Arc<Job>>,
    runner: Arc<dyn Runner>,
    claims: Arc<dyn Claims>,
    stop: Arc<(Mutex<bool>, Condvar)>,
}

impl Scheduler {
    /// Jobs from `(module, spec)` pairs, first due after `now`, run by this process alone
    /// (see [`Scheduler::with_claims`]). Specs whose cron does not parse are left out (startup
    /// reports them as MANIFEST_INVALID).
    pub fn new(jobs: Vec<(String, JobSpec)>, runner: Arc<dyn Runner>, now: DateTime<Utc>) -> Self {
        let jobs = jobs
            .into_iter()
            .filter_map(|(module, spec)| {
                let schedule = parse_cron(&spec.cron).ok()?;
                let next = schedule.after(&now).next();
                Some(Arc::new(Job {
                    module,
                    spec,
                    schedule,
                    running: Arc::default(),
                    next: Mutex::new(next),
                }))
            })
            .collect();
        Self {
            jobs,
            runner,
            claims: Arc::new(ThisProcessOnly),
            stop: Arc::default(),
        }
    }

    /// Runs a due instant only when `claims` grants it to this process (the runtime gives
    /// [`DbClaims`] on its database, so hosts sharing it run each instant once).
    pub fn with_claims(mut self, claims: Arc<dyn Claims>) -> Self {
        self.claims = claims;
        self
    }

    /// The jobs every running module declares, run through their services.
    pub fn for_modules(modules: &Arc<ModuleSet>, now: DateTime<Utc>) -> Self {
        let jobs = modules
            .iter()
            .flat_map(|m| {
                m.manifest
                    .jobs
                    .iter()
                    .map(|spec| (m.name().to_owned(), spec.clone()))
            })
            .collect();
        Self::new(jobs, Arc::new(ModuleRunner::new(modules)), now)
    }

    /// Every job with its next run.
    pub fn jobs(&self) -> Vec<JobInfo> {
        self.jobs
            .iter()
            .map(|job| JobInfo {
                module: job.module.clone(),
                name: job.spec.name.clone(),
                cron: job.spec.cron.clone(),
                next_run: job.next.lock().expect("job lock").map(|at| at.to_rfc3339()),
                running: job.running.load(Ordering::Acquire),
            })
            .collect()
    }

    /// Starts every job due at `now` (missed runs are not repeated: a job runs once however
    /// many of its times passed), skipping those still running and those another process
    /// claimed, and moves each to its next time.
    pub fn tick(&self, now: DateTime<Utc>) -> Vec<Dispatch> {
        let mut dispatched = Vec::new();
        for job in &self.jobs {
            let mut next = job.next.lock().expect("job lock");
            let Some(scheduled) = next.filter(|at| *at <= now) else {
                continue;
            };
            *next = job.schedule.after(&now).next();
            drop(next);
            let due = due_instant(&job.schedule, scheduled, now);
            let name = format!("{}.{}", job.module, job.spec.name);
            if job.running.swap(true, Ordering::AcqRel) {
                log::info!(target: "openimis::scheduler", "job {name} is still running: skipped the run due at {due}");
                dispatched.push(Dispatch::Skipped { job: name });
                continue;
            }
            match self.claims.claim(&job.module, &job.spec.name, due) {
                Ok(true) => {}
                Ok(false) => {
                    job.running.store(false, Ordering::Release);
                    log::info!(target: "openimis::scheduler", "job {name} due at {due} is run by another process");
                    dispatched.push(Dispatch::Elsewhere { job: name });
                    continue;
                }
                Err(error) => {
                    job.running.store(false, Ordering::Release);
                    log::warn!(target: "openimis::scheduler", "job {name} due at {due} skipped: {error}");
                    dispatched.push(Dispatch::Unclaimed { job: name, error });
                    continue;
                }
            }
            let (running_job, runner, label) = (job.clone(), self.runner.clone(), name.clone());
            let run = std::thread::Builder::new()
                .name(format!("job {name}"))
                .spawn(move || {
                    let started = Instant::now();
                    let outcome = runner.run(&running_job.module, &running_job.spec.name);
                    let took = started.elapsed();
                    running_job.running.store(false, Ordering::Release);
                    match &outcome {
                        Ok(()) => {
                            log::info!(target: "openimis::scheduler", "job {label} succeeded in {took:?}")
                        }
                        Err(e) => {
                            log::error!(target: "openimis::scheduler", "job {label} failed in {took:?}: {e}")
                        }
                    }
                    outcome
                });
            match run {
                Ok(run) => dispatched.push(Dispatch::Started { job: name, run }),
                Err(e) => {
                    job.running.store(false, Ordering::Release);
                    log::error!(target: "openimis::scheduler", "job {name} could not start a thread: {e}");
                }
            }
        }
        dispatched
    }

    /// The earliest next run of any job.
    pub fn next_due(&self) -> Option<DateTime<Utc>> {
        self.jobs
            .iter()
            .filter_map(|job| *job.next.lock().expect("job lock"))
            .min()
    }

    /// Runs the jobs on the wall clock in a background thread until [`Scheduler::stop`].
    pub fn spawn(self: &Arc<Self>) -> std::io::Result<JoinHandle<()>> {
        let scheduler = self.clone();
        log::info!(target: "openimis::scheduler", "scheduler started with {} job(s)", self.jobs.len());
        std::thread::Builder::new()
            .name("scheduler".into())
            .spawn(move || {
                let (stopped, wake) = &*scheduler.stop;
                loop {
                    scheduler.tick(Utc::now());
                    let wait = scheduler
                        .next_due()
                        .map_or(Duration::from_secs(3600), |at| {
                            (at - Utc::now()).to_std().unwrap_or(Duration::ZERO)
                        });
                    let guard = stopped.lock().expect("scheduler lock");
                    let (guard, _) = wake
                        .wait_timeout_while(guard, wait, |stop| !*stop)
                        .expect("scheduler lock");
                    if *guard {
                        return;
                    }
                }
            })
    }

    /// Stops the background loop (runs in progress finish on their own threads).
    pub fn stop(&self) {
        let (stopped, wake) = &*self.stop;
        *stopped.lock().expect("scheduler lock") = true;
        wake.notify_all();
    }
}

/// The jobs as `openimis jobs` prints them: one line each, under a header.
pub fn table(jobs: &[JobInfo]) -> String {
    let mut out = format!(
        "{:<16} {:<24} {:<20} NEXT RUN (UTC)\n",
        "MODULE", "JOB", "CRON"
    );
    for job in jobs {
        out.push_str(&format!(
            "{:<16} {:<24} {:<20} {}\n",
            job.module,
            job.name,
            job.cron,
            job.next_run.as_deref().unwrap_or("never")
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_and_six_field_crons_parse_and_bad_ones_say_why() {
        assert!(parse_cron("30 8 * * *").is_ok());
        assert!(parse_cron("0 30 8 * * *").is_ok());
        assert!(parse_cron("every day")
            .unwrap_err()
            .contains("expected 5 fields"));
        assert!(parse_cron("61 * * * *").is_err());
    }

    #[test]
    fn the_due_instant_is_the_latest_cron_time_at_or_before_the_tick() {
        let at = |text: &str| {
            DateTime::parse_from_rfc3339(text)
                .unwrap()
                .with_timezone(&Utc)
        };
        let every_five = parse_cron("*/5 * * * *").unwrap();
        let scheduled = at("2026-01-01T10:05:00Z");
        for tick in [
            "2026-01-01T10:05:00Z",
            "2026-01-01T10:05:00.300Z",
            "2026-01-01T10:07:59.999Z",
        ] {
            assert_eq!(
                due_instant(&every_five, scheduled, at(tick)),
                scheduled,
                "{tick}"
            );
        }
        // A late tick (missed times) runs for the latest one.
        assert_eq!(
            due_instant(&every_five, scheduled, at("2026-01-01T11:02:10Z")),
            at("2026-01-01T11:00:00Z")
        );
    }
}
