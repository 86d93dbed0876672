//! While the first generation starts (loads its modules, migrates), the supervisor answers on
//! the socket itself, so a load balancer learns "not ready" instead of waiting: `/ht/live` is
//! 200 (the process lives), everything else 503 `{"ready": false, "reason": ...}`, each on a
//! connection it then closes. It stops answering before the first generation's address is
//! announced; during a reload it never answers (the serving generation does).

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// How often the accept loop looks whether it should stop.
const POLL: Duration = Duration::from_millis(10);
const READ_TIMEOUT: Duration = Duration::from_secs(2);

/// The supervisor's answers while starting; stopped by [`Starting::stop`].
pub struct Starting {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Starting {
    /// Answers on `listener` until stopped; `None` when the socket can not be shared.
    pub fn answer(listener: &TcpListener) -> Option<Self> {
        let listener = listener.try_clone().ok()?;
        // Non-blocking on the shared open file: the generations' actix sets it again.
        listener.set_nonblocking(true).ok()?;
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let thread = std::thread::spawn(move || {
            while !stopping.load(Ordering::Acquire) {
                match listener.accept() {
                    Ok((stream, _)) => answer_one(stream),
                    Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                        std::thread::sleep(POLL)
                    }
                    Err(_) => std::thread::sleep(POLL),
                }
            }
        });
        Some(Self {
            stop,
            thread: Some(thread),
        })
    }

    /// Stops answering; returns once no connection is taken any more.
    pub fn stop(mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Starting {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
    }
}

fn answer_one(stream: TcpStream) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let mut reader = BufReader::new(&stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    // The rest of the head; a body, if any, is left unread (the connection closes).
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let path = request_line.split_whitespace().nth(1).unwrap_or("");
    let (status, body) = if path == "/ht/live" {
        (
            "200 OK",
            format!(
                r#"{{"status": "starting", "pid": {}, "generation": 0}}"#,
                std::process::id()
            ),
        )
    } else {
        (
            "503 Service Unavailable",
            r#"{"ready": false, "reason": "starting: loading modules and migrating"}"#.to_owned(),
        )
    };
    let _ = write!(
        &stream,
        "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nRetry-After: 1\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
}
