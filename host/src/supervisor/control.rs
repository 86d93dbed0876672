//! The supervisor's control socket (a Unix socket, `OPENIMIS_CONTROL_SOCKET`, by default
//! `/tmp/openimis-<port>.sock`) and `openimis reload`, its one client: the client writes
//! `reload`, the supervisor answers progress lines and a last line starting `OK` or `FAILED`.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};

/// The variable naming the control socket.
pub const CONTROL_SOCKET: &str = "OPENIMIS_CONTROL_SOCKET";

/// The control socket of the server on `bind`'s port, unless `OPENIMIS_CONTROL_SOCKET` says.
pub fn socket_path(port: u16) -> PathBuf {
    match std::env::var_os(CONTROL_SOCKET) {
        Some(path) if !path.is_empty() => PathBuf::from(path),
        _ => std::env::temp_dir().join(format!("openimis-{port}.sock")),
    }
}

/// The port of a `host:port` bind address.
pub fn port_of(bind: &str) -> Result<u16, String> {
    bind.rsplit_once(':')
        .and_then(|(_, port)| port.parse().ok())
        .ok_or_else(|| format!("`{bind}` is not a host:port address"))
}

/// Listens on `path`; a socket file left by a supervisor that is gone is replaced, one that
/// still answers is another server's, and refused.
pub fn listen(path: &Path) -> Result<UnixListener, String> {
    if path.exists() {
        if UnixStream::connect(path).is_ok() {
            return Err(format!(
                "error [CONTROL_SOCKET_IN_USE] another openimis serve answers on {}; set {CONTROL_SOCKET} to use another path",
                path.display()
            ));
        }
        let _ = std::fs::remove_file(path);
    }
    UnixListener::bind(path).map_err(|e| {
        format!(
            "error [CONTROL_SOCKET_FAILED] cannot listen on {}: {e}",
            path.display()
        )
    })
}

/// A request read from a control connection, and where to answer it.
pub struct Request {
    pub command: String,
    pub reply: UnixStream,
}

impl Request {
    /// Reads one command line from `stream`.
    pub fn read(stream: UnixStream) -> std::io::Result<Self> {
        let mut command = String::new();
        BufReader::new(&stream).read_line(&mut command)?;
        Ok(Self {
            command: command.trim().to_owned(),
            reply: stream,
        })
    }

    /// One progress line to the client (ignored once the client is gone).
    pub fn say(&mut self, line: &str) {
        let _ = writeln!(self.reply, "{line}");
    }
}

/// `openimis reload`: asks the supervisor on `path` to reload, printing what it says; `Ok`
/// when the new generation serves.
pub fn reload(path: &Path) -> Result<(), String> {
    let mut stream = UnixStream::connect(path).map_err(|e| {
        format!(
            "error [NOT_SERVING] no openimis serve answers on {} ({e}); set {CONTROL_SOCKET} to its control socket",
            path.display()
        )
    })?;
    writeln!(stream, "reload").map_err(|e| e.to_string())?;
    let mut last = String::new();
    for line in BufReader::new(stream).lines() {
        let line = line.map_err(|e| e.to_string())?;
        println!("{line}");
        last = line;
    }
    if last.starts_with("OK") {
        Ok(())
    } else if last.is_empty() {
        Err("error [RELOAD_FAILED] the supervisor closed the connection without an answer".into())
    } else {
        Err("error [RELOAD_FAILED] nothing changed".into())
    }
}
