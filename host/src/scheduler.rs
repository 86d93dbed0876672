//! Scheduled jobs: modules declare them in their manifest (`jobs`: name + cron, UTC); with
//! `SCHEDULER_AUTOSTART=True` the host calls each module's service `job.<name>` when its cron
//! fires. A job runs one at a time: a tick that finds it still running is skipped (logged).
//! Each run is logged with its duration and outcome.
//!
//! [`Scheduler::tick`] runs what is due at a given time, so tests drive the clock; the
//! background loop ([`Scheduler::spawn`]) only calls it with the wall clock.

use crate::modules::ModuleSet;
/// The time library the scheduler's API speaks (for callers driving [`Scheduler::tick`]).
pub use chrono;
use chrono::{DateTime, Utc};
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
}

impl Dispatch {
    pub fn job(&self) -> &str {
        match self {
            Dispatch::Started { job, .. } | Dispatch::Skipped { job } => job,
        }
    }
}

/// The jobs of the running modules.
pub struct Scheduler {
    jobs: Vec<Arc<Job>>,
    runner: Arc<dyn Runner>,
    stop: Arc<(Mutex<bool>, Condvar)>,
}

impl Scheduler {
    /// Jobs from `(module, spec)` pairs, first due after `now`. Specs whose cron does not
    /// parse are left out (startup reports them as MANIFEST_INVALID).
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
            stop: Arc::default(),
        }
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
    /// many of its times passed), skipping those still running, and moves each to its next time.
    pub fn tick(&self, now: DateTime<Utc>) -> Vec<Dispatch> {
        let mut dispatched = Vec::new();
        for job in &self.jobs {
            let mut next = job.next.lock().expect("job lock");
            if !next.is_some_and(|at| at <= now) {
                continue;
            }
            *next = job.schedule.after(&now).next();
            drop(next);
            let name = format!("{}.{}", job.module, job.spec.name);
            if job.running.swap(true, Ordering::AcqRel) {
                log::info!(target: "openimis::scheduler", "job {name} is still running: skipped the run due at {now}");
                dispatched.push(Dispatch::Skipped { job: name });
                continue;
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
}
