//! One server generation: `openimis serve` run again as a child process that inherits the
//! supervisor's listening socket and tells it, through a pipe, once it accepts ("ready") or
//! why it could not start ("failed ..."). A generation dies with its supervisor (Linux's
//! parent-death signal), so killing `openimis serve` never leaves a server behind.

use std::io::{BufRead, BufReader, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};

/// The variables a generation finds its handed-over socket and pipe in.
pub const LISTEN_FD: &str = "OPENIMIS_LISTEN_FD";
pub const READY_FD: &str = "OPENIMIS_READY_FD";
pub const GENERATION: &str = "OPENIMIS_GENERATION";

/// What a child process learns from its environment when it runs as a generation.
pub struct Handoff {
    pub listener: std::net::TcpListener,
    pub generation: u64,
    ready: std::fs::File,
}

impl Handoff {
    /// The handed-over socket and pipe, when this process was started as a generation.
    pub fn from_env() -> Result<Option<Self>, String> {
        let Ok(listen) = std::env::var(LISTEN_FD) else {
            return Ok(None);
        };
        let fd = |name: &str, value: &str| {
            value
                .parse::<RawFd>()
                .map_err(|_| format!("{name}={value} is not a file descriptor"))
        };
        let listen = fd(LISTEN_FD, &listen)?;
        let ready = fd(READY_FD, &std::env::var(READY_FD).unwrap_or_default())?;
        let generation = std::env::var(GENERATION)
            .ok()
            .and_then(|g| g.parse().ok())
            .unwrap_or(1);
        // The variables were set by the supervisor for these two descriptors, left open
        // across exec for this process only; nothing else in this process owns them.
        let (listener, ready) = unsafe {
            (
                std::net::TcpListener::from_raw_fd(listen),
                std::fs::File::from_raw_fd(ready),
            )
        };
        for name in [LISTEN_FD, READY_FD, GENERATION] {
            // Single-threaded still (before any runtime starts): nothing reads the
            // environment concurrently.
            unsafe { std::env::remove_var(name) };
        }
        Ok(Some(Self {
            listener,
            generation,
            ready,
        }))
    }

    /// Splits off the pipe that tells the supervisor how the start went.
    pub fn split(self) -> (std::net::TcpListener, u64, Announce) {
        let announce = Announce(Arc::new(Mutex::new(Some(self.ready))));
        (self.listener, self.generation, announce)
    }
}

/// The write end of the readiness pipe: "ready" once it accepts, then "paused" once it stopped
/// accepting (draining); or "failed ..." when it could not start.
#[derive(Clone)]
pub struct Announce(Arc<Mutex<Option<std::fs::File>>>);

impl Announce {
    fn say(&self, line: &str, last: bool) {
        let Ok(mut pipe) = self.0.lock() else { return };
        if let Some(file) = pipe.as_mut() {
            let _ = file.write_all(line.as_bytes());
        }
        if last {
            pipe.take();
        }
    }

    /// This generation accepts connections.
    pub fn ready(&self) {
        self.say("ready\n", false);
    }

    /// This generation accepts no more connections (it drains).
    pub fn paused(&self) {
        self.say("paused\n", true);
    }

    /// This generation could not start, and why.
    pub fn failed(&self, why: &str) {
        self.say(&format!("failed {}\n", why.replace('\n', " | ")), true);
    }
}

/// A started generation: the process and the read end of its readiness pipe.
pub struct Started {
    pub child: Child,
    pub announcements: std::io::PipeReader,
}

/// Starts `exe serve --bind <bind>` as generation `generation` on `listener`.
pub fn spawn(
    exe: &Path,
    bind: &str,
    listener: &std::net::TcpListener,
    generation: u64,
) -> std::io::Result<Started> {
    let (announcements, announce) = std::io::pipe()?;
    let announce: OwnedFd = announce.into();
    let listen_fd = listener.as_raw_fd();
    let ready_fd = announce.as_raw_fd();
    let mut command = Command::new(exe);
    command
        .args(["serve", "--bind", bind])
        .env(LISTEN_FD, listen_fd.to_string())
        .env(READY_FD, ready_fd.to_string())
        .env(GENERATION, generation.to_string());
    // Between fork and exec only async-signal-safe calls: fcntl and prctl.
    unsafe {
        command.pre_exec(move || {
            use nix::fcntl::{fcntl, FcntlArg, FdFlag};
            use std::os::fd::BorrowedFd;
            for fd in [listen_fd, ready_fd] {
                fcntl(
                    BorrowedFd::borrow_raw(fd),
                    FcntlArg::F_SETFD(FdFlag::empty()),
                )?;
            }
            nix::sys::prctl::set_pdeathsig(nix::sys::signal::Signal::SIGKILL)?;
            Ok(())
        });
    }
    let child = command.spawn()?;
    drop(announce);
    Ok(Started {
        child,
        announcements,
    })
}

/// What a generation announced.
pub enum Announced {
    Ready,
    Failed(String),
    Paused,
}

/// Reads what a generation announces, line by line, until it closes the pipe; a generation
/// that exits before it was ready is announced failed.
pub fn announcements(pipe: std::io::PipeReader, mut tell: impl FnMut(Announced)) {
    let mut ready = false;
    for line in BufReader::new(pipe).lines() {
        let Ok(line) = line else { break };
        match line.trim_end() {
            "ready" => {
                ready = true;
                tell(Announced::Ready);
            }
            "paused" => tell(Announced::Paused),
            other => {
                let why = other.strip_prefix("failed ").unwrap_or(other);
                tell(Announced::Failed(why.to_owned()));
                return;
            }
        }
    }
    if !ready {
        tell(Announced::Failed(
            "it exited before it was ready (see the server log)".to_owned(),
        ));
    }
}
