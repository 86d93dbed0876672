//! Redis for the suites that need one: the shared server on 127.0.0.1:6379 when it answers,
//! else a `redis-server` of the test's own, and key prefixes no other test run shares.

use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// A key prefix no other test run shares.
pub fn unique_prefix() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    format!("test{}-{nanos}", std::process::id())
}

/// A redis-server of this test's own on a free port (stopped when dropped).
pub struct OwnRedis {
    child: Child,
    port: u16,
}

impl OwnRedis {
    pub fn start() -> Self {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1"])
            .args(["--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server is installed");
        // Wait until it accepts connections (bounded: a server that never comes is a failure).
        let deadline = Instant::now() + Duration::from_secs(10);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "redis-server did not start");
            std::thread::yield_now();
        }
        Self { child, port }
    }

    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        self.stop();
    }
}

/// The shared Redis on 127.0.0.1:6379 when it answers, else one of this test's own.
pub fn redis_url() -> (String, Option<OwnRedis>) {
    if TcpStream::connect("127.0.0.1:6379").is_ok() {
        ("redis://127.0.0.1:6379/0".into(), None)
    } else {
        let own = OwnRedis::start();
        (own.url(), Some(own))
    }
}
