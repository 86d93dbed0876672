//! `openimis serve` as a supervisor: a small process that binds the listening socket, runs one
//! server generation on it (a child process, [`generation`]) and swaps generations without
//! dropping a request. On `openimis reload` (the [`control`] socket) or SIGHUP it:
//! 1. checks the new module set with `openimis check` (openimis.json, libraries, schema,
//!    migrations); a failing check changes nothing and answers why;
//! 2. starts a new generation on the same socket and waits until it accepts (it migrates
//!    first when DJANGO_MIGRATE says so); one that fails is stopped, the old one keeps serving;
//! 3. tells the old generation to drain (SIGTERM: it stops accepting, answers its in-flight
//!    requests with `Connection: close`, runs its queued mutations to their end); its module
//!    libraries stay loaded in it until it exits.
//!
//! SIGTERM/SIGINT stop every generation gracefully and then the supervisor. A generation that
//! exits on its own ends the supervisor with its exit status, for the service manager (docker,
//! systemd) to restart. The supervisor loads no module and opens no database.

pub mod control;
pub mod generation;

use generation::Announced;
mod starting;

use nix::sys::signal::{kill, Signal};
use nix::unistd::Pid;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use std::collections::VecDeque;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};
use std::sync::mpsc::{channel, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant};

/// How long a new generation may take to accept (it may migrate first): `OPENIMIS_RELOAD_TIMEOUT`.
const READY_TIMEOUT: Duration = Duration::from_secs(600);
/// How long a draining generation may take to stop accepting.
const PAUSE_TIMEOUT: Duration = Duration::from_secs(10);

/// What the supervisor's loop reacts to.
enum Event {
    Signal(i32),
    Control(control::Request),
    Ready(u64, Result<(), String>),
    /// The generation stopped accepting (it drains).
    Paused(u64),
    Exited(u64, ExitStatus),
}

/// A running generation.
struct Running {
    generation: u64,
    pid: u32,
}

struct Supervisor {
    exe: PathBuf,
    bind: String,
    listener: TcpListener,
    events: Receiver<Event>,
    sender: Sender<Event>,
    current: Running,
    /// Generations told to drain, not yet exited.
    draining: Vec<Running>,
    ready_timeout: Duration,
}

/// Serves on `bind` under supervision until SIGTERM/SIGINT or until the serving generation
/// exits; returns the exit code to end with.
pub fn run(bind: &str) -> Result<u8, String> {
    let exe = std::env::current_exe()
        .map_err(|e| format!("error [SUPERVISOR_FAILED] cannot find this program: {e}"))?;
    let listener = TcpListener::bind(bind)
        .map_err(|e| format!("error [BIND_FAILED] cannot serve on {bind}: {e}"))?;
    let address = listener.local_addr().map_err(|e| e.to_string())?;
    let control_path = control::socket_path(address.port());
    let control = control::listen(&control_path)?;
    let _remove_on_exit = RemoveOnExit(control_path.clone());
    let (sender, events) = channel();
    forward_signals(&sender)?;
    accept_control(control, &sender);
    let ready_timeout = std::env::var("OPENIMIS_RELOAD_TIMEOUT")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(READY_TIMEOUT, Duration::from_secs);
    // Generations bind nothing: they serve the address this process bound.
    let bind = address.to_string();
    let mut supervisor = Supervisor {
        exe,
        bind,
        listener,
        events,
        sender,
        current: Running {
            generation: 0,
            pid: 0,
        },
        draining: Vec::new(),
        ready_timeout,
    };
    let answering = starting::Starting::answer(&supervisor.listener);
    let first = supervisor.start_generation(1);
    if let Some(answering) = answering {
        answering.stop();
    }
    match first {
        Ok(first) => {
            supervisor.current = first;
            // Announced only now: whoever waits for this line finds the server ready.
            log::info!(target: "openimis", "listening on {address}");
        }
        // The generation said why on the log already.
        Err(Failure::Exited(status, _)) => return Ok(exit_code(status)),
        Err(Failure::Other(why)) => return Err(format!("error [STARTUP_FAILED] {why}")),
    }
    log::info!(target: "openimis", "control socket {} (`openimis reload` or SIGHUP swaps the modules)", control_path.display());
    Ok(supervisor.serve())
}

/// Why a generation did not take over.
enum Failure {
    /// It exited, having said why or not.
    Exited(ExitStatus, Option<String>),
    Other(String),
}

impl Supervisor {
    fn serve(&mut self) -> u8 {
        let mut deferred = VecDeque::new();
        loop {
            let event = match deferred.pop_front() {
                Some(event) => event,
                None => match self.events.recv() {
                    Ok(event) => event,
                    Err(_) => return 1,
                },
            };
            match event {
                Event::Signal(SIGHUP) => {
                    let outcome = self.reload(
                        &mut |line| log::info!(target: "openimis", "reload: {line}"),
                        &mut deferred,
                    );
                    if let Err(why) = outcome {
                        log::error!(target: "openimis", "reload: {why}");
                    }
                }
                Event::Signal(_) => return self.stop(),
                Event::Control(mut request) => {
                    if request.command != "reload" {
                        request.say(&format!("FAILED unknown command `{}`", request.command));
                        continue;
                    }
                    let outcome = self.reload(&mut |line| request.say(line), &mut deferred);
                    match outcome {
                        Ok(done) => request.say(&format!("OK {done}")),
                        Err(why) => request.say(&format!("FAILED {why}")),
                    }
                }
                Event::Ready(..) | Event::Paused(_) => {}
                Event::Exited(generation, status) => {
                    if generation == self.current.generation {
                        log::error!(target: "openimis", "the serving generation {generation} exited ({status}); stopping");
                        self.stop_draining();
                        return exit_code(status);
                    }
                    self.draining.retain(|g| g.generation != generation);
                    log::info!(target: "openimis", "generation {generation} drained and exited ({status})");
                }
            }
        }
    }

    /// Checks the module set, starts the next generation and drains the current one.
    fn reload(
        &mut self,
        say: &mut dyn FnMut(&str),
        deferred: &mut VecDeque<Event>,
    ) -> Result<String, String> {
        say("checking the module set (openimis check)");
        check(&self.exe)?;
        let next = self.current.generation + 1;
        say(&format!("starting generation {next}"));
        let started = match self.start_generation_deferring(next, deferred) {
            Ok(started) => started,
            Err(Failure::Exited(status, why)) => {
                return Err(format!(
                "generation {next} exited before it was ready ({}); generation {} keeps serving",
                why.unwrap_or_else(|| status.to_string()),
                self.current.generation
            ))
            }
            Err(Failure::Other(why)) => {
                return Err(format!(
                    "generation {next} did not start: {why}; generation {} keeps serving",
                    self.current.generation
                ))
            }
        };
        let old = std::mem::replace(&mut self.current, started);
        say(&format!(
            "generation {next} (pid {}) serves; generation {} (pid {}) drains",
            self.current.pid, old.generation, old.pid
        ));
        terminate(old.pid);
        // Answered once the old generation takes no new connection: from then on every
        // connection reaches the new one.
        self.wait_paused(old.generation, deferred);
        self.draining.push(old);
        Ok(format!(
            "generation {next} serves (pid {})",
            self.current.pid
        ))
    }

    /// The first generation; what arrives meanwhile is answered "not yet" (a reload) or, for
    /// a stop signal, ends the start.
    fn start_generation(&mut self, generation: u64) -> Result<Running, Failure> {
        let mut deferred = VecDeque::new();
        let outcome = self.start_generation_deferring(generation, &mut deferred);
        for event in deferred {
            match event {
                Event::Signal(SIGHUP) | Event::Ready(..) | Event::Paused(_) | Event::Exited(..) => {
                }
                Event::Signal(_) => return Err(Failure::Other("stopped while starting".into())),
                Event::Control(mut request) => {
                    request.say("FAILED the server is still starting its first generation")
                }
            }
        }
        outcome
    }

    /// Spawns `generation` and waits until it is ready; other events meanwhile are kept in
    /// `deferred` for the loop.
    fn start_generation_deferring(
        &mut self,
        generation: u64,
        deferred: &mut VecDeque<Event>,
    ) -> Result<Running, Failure> {
        let started = generation::spawn(&self.exe, &self.bind, &self.listener, generation)
            .map_err(|e| Failure::Other(format!("cannot start a server process: {e}")))?;
        let pid = started.child.id();
        let (sender, sender2) = (self.sender.clone(), self.sender.clone());
        let pipe = started.announcements;
        std::thread::spawn(move || {
            generation::announcements(pipe, |announced| {
                let _ = sender.send(match announced {
                    Announced::Ready => Event::Ready(generation, Ok(())),
                    Announced::Failed(why) => Event::Ready(generation, Err(why)),
                    Announced::Paused => Event::Paused(generation),
                });
            })
        });
        let mut child = started.child;
        std::thread::spawn(move || {
            if let Ok(status) = child.wait() {
                let _ = sender2.send(Event::Exited(generation, status));
            }
        });
        let deadline = Instant::now() + self.ready_timeout;
        let mut failed = None;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok(Event::Ready(g, Ok(()))) if g == generation => {
                    return Ok(Running { generation, pid })
                }
                Ok(Event::Ready(g, Err(why))) if g == generation => failed = Some(why),
                Ok(Event::Exited(g, status)) if g == generation => {
                    return Err(Failure::Exited(status, failed))
                }
                Ok(Event::Signal(signal)) if signal != SIGHUP => {
                    terminate(pid);
                    deferred.push_back(Event::Signal(signal));
                    return Err(Failure::Other("the server is stopping".into()));
                }
                Ok(other) => deferred.push_back(other),
                Err(RecvTimeoutError::Timeout) => {
                    terminate(pid);
                    return Err(Failure::Other(format!(
                        "not ready within {:?} (OPENIMIS_RELOAD_TIMEOUT)",
                        self.ready_timeout
                    )));
                }
                Err(RecvTimeoutError::Disconnected) => {
                    return Err(Failure::Other("the supervisor lost its events".into()))
                }
            }
        }
    }

    /// Waits (a few seconds at most) until `generation` stopped accepting or exited.
    fn wait_paused(&mut self, generation: u64, deferred: &mut VecDeque<Event>) {
        let deadline = Instant::now() + PAUSE_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok(Event::Paused(g)) if g == generation => return,
                Ok(event @ Event::Exited(g, _)) if g == generation => {
                    deferred.push_back(event);
                    return;
                }
                Ok(other) => deferred.push_back(other),
                Err(_) => {
                    log::warn!(target: "openimis", "generation {generation} did not say it stopped accepting within {PAUSE_TIMEOUT:?}");
                    return;
                }
            }
        }
    }

    /// SIGTERM to every generation, then waits for them all; the serving one's status is ours.
    fn stop(&mut self) -> u8 {
        terminate(self.current.pid);
        self.stop_draining();
        let mut code = 0;
        let mut left: Vec<u64> = self.draining.iter().map(|g| g.generation).collect();
        left.push(self.current.generation);
        while !left.is_empty() {
            match self.events.recv() {
                Ok(Event::Exited(generation, status)) => {
                    left.retain(|g| *g != generation);
                    if generation == self.current.generation {
                        code = exit_code(status);
                    }
                }
                Ok(Event::Control(mut request)) => {
                    request.say("FAILED the server is stopping");
                }
                Ok(_) => {}
                Err(_) => break,
            }
        }
        code
    }

    fn stop_draining(&mut self) {
        self.draining.iter().for_each(|g| terminate(g.pid));
    }
}

/// Runs `openimis check` with this process's environment; its output is the reason it fails.
fn check(exe: &Path) -> Result<(), String> {
    let output = Command::new(exe)
        .arg("check")
        .output()
        .map_err(|e| format!("cannot run `openimis check`: {e}"))?;
    if output.status.success() {
        return Ok(());
    }
    let text = [output.stderr, output.stdout]
        .iter()
        .map(|bytes| String::from_utf8_lossy(bytes).trim().to_owned())
        .filter(|text| !text.is_empty())
        .collect::<Vec<_>>()
        .join(" | ");
    Err(format!(
        "the new module set does not pass `openimis check`: {text}"
    ))
}

fn terminate(pid: u32) {
    if pid != 0 {
        let _ = kill(Pid::from_raw(pid as i32), Signal::SIGTERM);
    }
}

fn exit_code(status: ExitStatus) -> u8 {
    use std::os::unix::process::ExitStatusExt;
    match (status.code(), status.signal()) {
        (Some(code), _) => u8::try_from(code).unwrap_or(1),
        (None, Some(signal)) => 128u8.saturating_add(signal as u8),
        (None, None) => 1,
    }
}

/// SIGHUP, SIGTERM and SIGINT become events.
fn forward_signals(sender: &Sender<Event>) -> Result<(), String> {
    let mut signals = signal_hook::iterator::Signals::new([SIGHUP, SIGTERM, SIGINT])
        .map_err(|e| format!("error [SUPERVISOR_FAILED] cannot handle signals: {e}"))?;
    let sender = sender.clone();
    std::thread::spawn(move || {
        for signal in signals.forever() {
            if sender.send(Event::Signal(signal)).is_err() {
                break;
            }
        }
    });
    Ok(())
}

/// Every control connection becomes an event.
fn accept_control(control: std::os::unix::net::UnixListener, sender: &Sender<Event>) {
    let sender = sender.clone();
    std::thread::spawn(move || {
        for stream in control.incoming().flatten() {
            match control::Request::read(stream) {
                Ok(request) => {
                    if sender.send(Event::Control(request)).is_err() {
                        break;
                    }
                }
                Err(e) => log::warn!(target: "openimis", "a control connection failed: {e}"),
            }
        }
    });
}

/// Removes the control socket file when the supervisor ends.
struct RemoveOnExit(PathBuf);

impl Drop for RemoveOnExit {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}
