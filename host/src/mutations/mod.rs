//! Queued mutations, as the original runs them in MODE=PROD: the module logs the mutation
//! (status 0) and answers at once; a worker runs it later, through RabbitMQ when
//! `CELERY_BROKER_URL` is set, else on an in-process thread. In DEV mutations run in the request.
//!
//! The SDK's `run_logged` asks the host service `mutations.enqueue`; the worker calls the owning
//! module's `graphql_resolve` again with `context.queued_mutation` set, and `run_logged` then
//! runs the mutation and records its outcome. A job the module can not even start (module gone,
//! panic outside the guard) is marked failed here, so no log stays at 0.

mod rabbitmq;

use crate::directory::Directory;
use openimis_plugin_api::{ModuleError, ResolveRequest};
use openimis_sdk::mutation::{failure_text, FAILED};
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
}

/// What runs jobs: the directory of running modules, a gate (pause) and the count of jobs this
/// process queued that have not finished.
pub struct Worker {
    directory: Arc<Directory>,
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
                directory,
                state: Mutex::default(),
                changed: Condvar::new(),
            }),
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
    pub fn enqueue(&self, module: &str, payload: &str) -> Result<Value, ModuleError> {
        #[derive(Deserialize)]
        struct Args {
            log_id: String,
            request: ResolveRequest,
        }
        let backend = match self.backend.get() {
            None | Some(Backend::Inline) => return Ok(json!({"queued": false})),
            Some(backend) => backend,
        };
        let args: Args = serde_json::from_str(payload)
            .map_err(|e| ModuleError::new("BAD_PAYLOAD", format!("host.mutations.enqueue: {e}")))?;
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

    /// Runs one job (after any pause) and marks it failed when the module could not run it.
    pub fn run(&self, job: Job) {
        {
            let mut state = self.state.lock().expect("worker lock");
            while state.paused > 0 {
                state = self.changed.wait(state).expect("worker lock");
            }
        }
        if let Err(message) = self.execute(&job) {
            log::error!(
                "queued mutation {} ({}) of {} failed: {message}",
                job.request.field.name,
                job.log_id,
                job.module
            );
            self.mark_failed(&job.log_id, &message);
        }
        self.finish_pending();
    }

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
        module
            .resolve(&request)
            .map(drop)
            .map_err(|e| e.to_string())
    }

    fn mark_failed(&self, log_id: &str, message: &str) {
        let Some(core) = self
            .directory
            .current()
            .and_then(|s| s.get("core").cloned())
        else {
            return;
        };
        let payload = json!({"id": log_id, "status": FAILED, "error": failure_text(message)});
        if let Err(e) = core.service("mutation_log.finish", &payload.to_string()) {
            log::error!("could not mark mutation {log_id} failed: {e}");
        }
    }
}
