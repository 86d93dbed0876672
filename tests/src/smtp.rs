//! A tiny SMTP server on 127.0.0.1:<ephemeral> for mail tests: it speaks just enough SMTP for
//! lettre (EHLO, MAIL, RCPT, DATA, RSET, NOOP, QUIT) and hands each received message over.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{channel, Receiver, Sender};
use std::time::Duration;

/// One message as the server received it.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub from: String,
    pub to: Vec<String>,
    /// Headers and body as sent (dot-unstuffed).
    pub data: String,
}

impl ReceivedMail {
    /// The body with quoted-printable soft breaks and `=XX` escapes decoded (lettre encodes
    /// long lines that way).
    pub fn body(&self) -> String {
        let body = self
            .data
            .split_once("\r\n\r\n")
            .map_or(self.data.as_str(), |(_, b)| b);
        if !self
            .data
            .contains("Content-Transfer-Encoding: quoted-printable")
        {
            return body.to_owned();
        }
        let joined = body.replace("=\r\n", "");
        let bytes = joined.as_bytes();
        let mut out = Vec::with_capacity(bytes.len());
        let mut i = 0;
        while i < bytes.len() {
            let escaped = (bytes[i] == b'=' && i + 2 < bytes.len())
                .then(|| std::str::from_utf8(&bytes[i + 1..i + 3]).ok())
                .flatten()
                .and_then(|hex| u8::from_str_radix(hex, 16).ok());
            match escaped {
                Some(byte) => {
                    out.push(byte);
                    i += 3;
                }
                None => {
                    out.push(bytes[i]);
                    i += 1;
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    }
}

/// The running server; it lives until the test process ends.
pub struct SmtpServer {
    pub port: u16,
    received: Receiver<ReceivedMail>,
}

impl SmtpServer {
    /// A server that accepts every message.
    pub fn start() -> Self {
        Self::answering_rcpt("250 OK")
    }

    /// A server that answers every `RCPT TO` with `reply` (e.g. `550 5.1.1 no such user`).
    pub fn answering_rcpt(reply: &'static str) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind an ephemeral port");
        let port = listener.local_addr().expect("local address").port();
        let (sender, received) = channel();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let _ = session(stream, reply, &sender);
            }
        });
        Self { port, received }
    }

    /// The next message received (panics when none arrives within 30 s).
    pub fn next_mail(&self) -> ReceivedMail {
        self.received
            .recv_timeout(Duration::from_secs(30))
            .expect("a mail reaches the SMTP server")
    }

    /// A message already received, if any (no waiting).
    pub fn try_mail(&self) -> Option<ReceivedMail> {
        self.received.try_recv().ok()
    }
}

fn address(argument: &str) -> String {
    argument
        .split_once('<')
        .and_then(|(_, rest)| rest.split_once('>'))
        .map_or_else(|| argument.trim().to_owned(), |(a, _)| a.to_owned())
}

fn session(
    stream: TcpStream,
    rcpt_reply: &str,
    sender: &Sender<ReceivedMail>,
) -> std::io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    writer.write_all(b"220 localhost test SMTP\r\n")?;
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let command = line.trim_end();
        let verb = command
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let reply = match verb.as_str() {
            "EHLO" | "HELO" => "250 localhost".to_owned(),
            "MAIL" => {
                from = address(&command[5..]);
                "250 OK".to_owned()
            }
            "RCPT" => {
                to.push(address(&command[5..]));
                rcpt_reply.to_owned()
            }
            "DATA" => {
                writer.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n")?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if reader.read_line(&mut line)? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" {
                        // The CRLF before the dot belongs to the terminator.
                        if data.ends_with("\r\n") {
                            data.truncate(data.len() - 2);
                        }
                        break;
                    }
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                }
                let _ = sender.send(ReceivedMail {
                    from: std::mem::take(&mut from),
                    to: std::mem::take(&mut to),
                    data,
                });
                "250 OK queued".to_owned()
            }
            "RSET" | "NOOP" => "250 OK".to_owned(),
            "QUIT" => {
                writer.write_all(b"221 Bye\r\n")?;
                return Ok(());
            }
            _ => "502 Command not implemented".to_owned(),
        };
        writer.write_all(format!("{reply}\r\n").as_bytes())?;
    }
}
