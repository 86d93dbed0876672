//! Queued mutations, as the original runs them in MODE=PROD: the module logs the mutation
//! (status 0) and answers at once; a worker runs it later, through RabbitMQ when
//! `CELERY_BROKER_URL` is set, else on an in-process thread. In DEV mutations run in the request.
//!
//! The SDK's `run_logged` asks the host service `mutations.enqueue`; the worker calls the owning
//! module's `graphql_resolve` again with `context.queued_mutation` set, and `run_logged` then
//! runs the mutation and records its outcome.
//!
//! What becomes of an acknowledged mutation is always recorded (issue 13):
//! - a job the module can not run, or whose outcome it could not record (the database went
//!   away), is marked failed by the [`reaper::Reaper`], as soon as the database answers again;
//!   so are the logs of mutations run inline whose request ended with the log still at 0;
//! - a job whose log already left 0 (finished by a recovery, or redelivered by RabbitMQ after
//!   it ran) does not run again;
//! - at startup the logs a stopped process left at 0 are marked failed ([`recovery`]).
//!
//! A request answered 503 `REQUEST_TIMEOUT` never runs a mutation later: `enqueue` refuses the
//! mutation of an abandoned request (its log is marked failed), and a request whose mutation
//! was acknowledged is not abandoned but answered ([`fate`]).

pub mod fate;
mod rabbitmq;
pub mod reaper;
pub mod recovery;

use crate::directory::Directory;
use crate::modules::DATABASE_ERROR;
use crate::settings::Database;
use fate::Fates;
use openimis_plugin_api::{ModuleError, ResolveRequest};
use openimis_sdk::mutation::failure_text;
use reaper::{Reaper, OUTCOME_LOST};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use std::sync::mpsc::{self, Sender};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// One queued mutation: which module owns it, its log row and the original request.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Job {
    pub module: String,
    pub log_id: String,
    pub request: ResolveRequest,
}

/// How mutations run.
enum Backend {
    /// In the request (DEV).
    Inline,
    /// On the host's worker thread.
    InProcess(Mutex<Sender<Job>>),
    /// Through a RabbitMQ queue this process also consumes.
    RabbitMq(rabbitmq::Broker),
}

/// The host's mutation queue. Starts inline; `start` picks the backend once modules are ready.
pub struct MutationQueue {
    backend: OnceLock<Backend>,
    worker: Arc<Worker>,
    /// The requests running now, so `enqueue` knows whether the client still waits.
    fates: Fates,
    /// This process's mark on the database (see [`recovery`]).
    presence: OnceLock<recovery::Presence>,
}

/// The failure recorded on the log of a mutation whose request was answered 503 first.
pub const ABANDONED: &str = "The request took longer than OPENIMIS_REQUEST_TIMEOUT and was abandoned before this mutation ran; it will not run.";

/// What runs jobs: the directory of running modules, a gate (pause) and the count of jobs this
/// process queued that have not finished.
pub struct Worker {
    directory: Arc<Directory>,
    reaper: Arc<Reaper>,
    state: Mutex<WorkerState>,
    changed: Condvar,
}

#[derive(Default)]
struct WorkerState {
    pending: usize,
    paused: usize,
}

/// Why the queue could not start.
#[derive(Debug, thiserror::Error)]
#[error("CELERY_BROKER_URL: {0}")]
pub struct BrokerError(pub String);

impl MutationQueue {
    pub fn new(directory: Arc<Directory>) -> Self {
        Self {
            backend: OnceLock::new(),
            worker: Arc::new(Worker {
                reaper: Reaper::new(directory.clone()),
                directory,
                state: Mutex::default(),
                changed: Condvar::new(),
            }),
            fates: Fates::default(),
            presence: OnceLock::new(),
        }
    }

    /// The fates of the running requests (the HTTP edge registers each GraphQL request's).
    pub fn fates(&self) -> &Fates {
        &self.fates
    }

    /// What marks failed the logs whose outcome was lost.
    pub fn reaper(&self) -> Arc<Reaper> {
        self.worker.reaper.clone()
    }

    /// Once the queue started and the modules are ready: marks this process present on
    /// `database` and, when no one else can still run them, finishes as failed the logs a
    /// stopped process left at status 0 (not with RabbitMQ, whose queue still holds its jobs).
    pub fn recover(&self, database: &Database) {
        if matches!(self.backend.get(), Some(Backend::RabbitMq(_))) {
            return;
        }
        let presence = recovery::join(database, || self.fail_received());
        let _ = self.presence.set(presence);
    }

    fn fail_received(&self) {
        let Some(core) = self
            .worker
            .directory
            .current()
            .and_then(|s| s.get("core").cloned())
        else {
            return;
        };
        let payload = json!({ "error": failure_text(recovery::STOPPED) });
        match core.service("mutation_log.fail_received", &payload.to_string()) {
            Ok(answer) => {
                let count = serde_json::from_str::<Value>(&answer).unwrap_or_default()["count"]
                    .as_u64()
                    .unwrap_or(0);
                if count > 0 {
                    log::warn!(target: "openimis", "{count} mutation log(s) left at status 0 by a stopped process marked failed");
                }
            }
            Err(e) => {
                log::warn!(target: "openimis", "could not finish the mutation logs a stopped process left at status 0: {e}");
            }
        }
    }

    /// Chooses how mutations run from now on: `queued` (MODE=PROD) through `broker_url`'s
    /// `queue` when given, else in-process; inline otherwise.
    pub fn start(
        &self,
        queued: bool,
        broker_url: Option<&str>,
        queue: &str,
    ) -> Result<(), BrokerError> {
        let backend = match (queued, broker_url) {
            (false, _) => Backend::Inline,
            (true, Some(url)) => {
                Backend::RabbitMq(rabbitmq::Broker::connect(url, queue, &self.worker)?)
            }
            (true, None) => {
                let (sender, jobs) = mpsc::channel::<Job>();
                let worker = self.worker.clone();
                std::thread::Builder::new()
                    .name("mutation-worker".into())
                    .spawn(move || jobs.iter().for_each(|job| worker.run(job)))
                    .expect("spawn the mutation worker");
                Backend::InProcess(Mutex::new(sender))
            }
        };
        let _ = self.backend.set(backend);
        Ok(())
    }

    /// `mutations` = how mutations run, for `/ht/` and logs.
    pub fn mode(&self) -> &'static str {
        match self.backend.get() {
            None | Some(Backend::Inline) => "inline",
            Some(Backend::InProcess(_)) => "in-process",
            Some(Backend::RabbitMq(_)) => "rabbitmq",
        }
    }

    /// The host service `mutations.enqueue` `{log_id, request}` from `module`: `{queued}`.
    /// The mutation of a request already answered 503 is refused (`REQUEST_ABANDONED`), and
    /// its log marked failed.
    pub fn enqueue(&self, module: &str, payload: &str) -> Result<Value, ModuleError> {
        #[derive(Deserialize)]
        struct Args {
            log_id: String,
            request: ResolveRequest,
        }
        let args: Args = serde_json::from_str(payload)
            .map_err(|e| ModuleError::new("BAD_PAYLOAD", format!("host.mutations.enqueue: {e}")))?;
        let request_id = args.request.context.request_id.as_str();
        if let Some(fate) = self.fates.of(request_id) {
            if !fate.commit() {
                log::warn!(target: "openimis", "mutation {} ({}) of {module} refused: its request was abandoned", args.request.field.name, args.log_id);
                self.worker.reaper.check(args.log_id, ABANDONED);
                return Err(ModuleError::new("REQUEST_ABANDONED", ABANDONED).with_status(503));
            }
        }
        let backend = match self.backend.get() {
            None | Some(Backend::Inline) => {
                self.fates.ran_inline(request_id, &args.log_id);
                return Ok(json!({"queued": false}));
            }
            Some(backend) => backend,
        };
        let log_id = args.log_id.clone();
        let job = Job {
            module: module.to_owned(),
            log_id: args.log_id,
            request: args.request,
        };
        self.worker.add_pending();
        let sent = match backend {
            Backend::InProcess(sender) => sender
                .lock()
                .expect("queue lock")
                .send(job)
                .map_err(|_| "the mutation worker has stopped".to_owned()),
            Backend::RabbitMq(broker) => broker.publish(&job),
            Backend::Inline => unreachable!("answered above"),
        };
        sent.map_err(|e| {
            self.worker.finish_pending();
            self.worker.reaper.check(log_id, &e);
            ModuleError::new("MUTATION_QUEUE_FAILED", e).with_status(503)
        })?;
        Ok(json!({"queued": true}))
    }

    /// Holds the worker before its next job until the guard drops (maintenance, tests).
    pub fn pause(&self) -> PauseGuard {
        self.worker.state.lock().expect("worker lock").paused += 1;
        PauseGuard {
            worker: self.worker.clone(),
        }
    }

    /// Waits until every mutation this process queued has finished, or `timeout` passes;
    /// `true` when none is left (graceful shutdown and tests).
    pub fn wait_idle(&self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        let mut state = self.worker.state.lock().expect("worker lock");
        while state.pending > 0 {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return false;
            }
            state = self
                .worker
                .changed
                .wait_timeout(state, left)
                .expect("worker lock")
                .0;
        }
        true
    }
}

/// See [`MutationQueue::pause`].
pub struct PauseGuard {
    worker: Arc<Worker>,
}

impl Drop for PauseGuard {
    fn drop(&mut self) {
        self.worker.state.lock().expect("worker lock").paused -= 1;
        self.worker.changed.notify_all();
    }
}

impl Worker {
    fn add_pending(&self) {
        self.state.lock().expect("worker lock").pending += 1;
    }

    fn finish_pending(&self) {
        let mut state = self.state.lock().expect("worker lock");
        state.pending = state.pending.saturating_sub(1);
        self.changed.notify_all();
    }

    /// Runs one job (after any pause) unless its log already left status 0, and has it
    /// marked failed when the module could not run it or record its outcome.
    pub fn run(&self, job: Job) {
        {
            let mut state = self.state.lock().expect("worker lock");
            while state.paused > 0 {
                state = self.changed.wait(state).expect("worker lock");
            }
        }
        if self.settled(&job.log_id) {
            log::warn!(
                "queued mutation {} ({}) of {} not run: its log already left status 0",
                job.request.field.name,
                job.log_id,
                job.module
            );
        } else if let Err(message) = self.execute(&job) {
            log::error!(
                "queued mutation {} ({}) of {} failed: {message}",
                job.request.field.name,
                job.log_id,
                job.module
            );
            self.reaper.check(job.log_id, &message);
        }
        self.finish_pending();
    }

    /// Whether log `log_id` is known to have left status 0 (when core can not tell, it runs).
    fn settled(&self, log_id: &str) -> bool {
        let Some(core) = self
            .directory
            .current()
            .and_then(|s| s.get("core").cloned())
        else {
            return false;
        };
        core.service(
            "mutation_log.pending",
            &json!({ "ids": [log_id] }).to_string(),
        )
        .ok()
        .and_then(|answer| serde_json::from_str::<Value>(&answer).ok())
        .is_some_and(|pending| pending.is_object() && pending.get(log_id).is_none())
    }

    /// Runs the job; the error is what its log may say (never the database's own text).
    fn execute(&self, job: &Job) -> Result<(), String> {
        let set = self
            .directory
            .current()
            .ok_or_else(|| "the server is shutting down".to_owned())?;
        let module = set
            .get(&job.module)
            .ok_or_else(|| format!("module {} is not running", job.module))?;
        let mut request = job.request.clone();
        request.context.queued_mutation = Some(job.log_id.clone());
        module.resolve(&request).map(drop).map_err(|e| {
            // The database's own text never reaches a client (the log is read by the frontend).
            if [DATABASE_ERROR, "DATABASE_UNAVAILABLE"].contains(&e.error.code.as_str()) {
                log::error!("queued mutation {}: {e}", job.log_id);
                OUTCOME_LOST.to_owned()
            } else {
                e.to_string()
            }
        })
    }
}
