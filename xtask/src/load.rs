//! A small HTTP/1.1 keep-alive load generator: N connections on threads, each sending the same
//! request until a deadline or a request budget, recording every latency. Loopback only.

use anyhow::{bail, Context, Result};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// What one run measured.
pub struct LoadResult {
    pub requests: u64,
    pub errors: u64,
    pub seconds: f64,
    pub latencies_us: Vec<u32>,
}

impl LoadResult {
    pub fn per_second(&self) -> f64 {
        self.requests as f64 / self.seconds
    }

    pub fn percentile_ms(&self, p: f64) -> f64 {
        if self.latencies_us.is_empty() {
            return f64::NAN;
        }
        let i = ((self.latencies_us.len() as f64 - 1.0) * p).round() as usize;
        self.latencies_us[i] as f64 / 1000.0
    }
}

/// Reads one response; returns its status.
fn read_response(reader: &mut BufReader<TcpStream>) -> Result<u16> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .context("no status line")?
        .parse()?;
    let mut length = 0usize;
    loop {
        line.clear();
        reader.read_line(&mut line)?;
        if line == "\r\n" || line.is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse()?;
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(status)
}

/// Sends `request` (a full HTTP/1.1 request text) over `connections` keep-alive connections
/// for `duration`, at most `max_requests` in all.
pub fn run(
    address: &str,
    request: &str,
    connections: usize,
    duration: Duration,
    max_requests: u64,
) -> Result<LoadResult> {
    let started = Instant::now();
    let deadline = started + duration;
    let per_connection = max_requests / connections as u64;
    let handles: Vec<_> = (0..connections)
        .map(|_| {
            let address = address.to_owned();
            let request = request.as_bytes().to_vec();
            std::thread::spawn(move || -> Result<(u64, u64, Vec<u32>)> {
                let stream = TcpStream::connect(&address)?;
                stream.set_nodelay(true)?;
                stream.set_read_timeout(Some(Duration::from_secs(10)))?;
                let mut writer = stream.try_clone()?;
                let mut reader = BufReader::new(stream);
                let (mut ok, mut errors, mut latencies) = (0u64, 0u64, Vec::new());
                while Instant::now() < deadline && ok + errors < per_connection {
                    let t = Instant::now();
                    writer.write_all(&request)?;
                    let status = read_response(&mut reader)?;
                    latencies.push(t.elapsed().as_micros().min(u32::MAX as u128) as u32);
                    if status == 200 {
                        ok += 1;
                    } else {
                        errors += 1;
                    }
                }
                Ok((ok, errors, latencies))
            })
        })
        .collect();
    let mut result = LoadResult {
        requests: 0,
        errors: 0,
        seconds: 0.0,
        latencies_us: Vec::new(),
    };
    for handle in handles {
        let (ok, errors, latencies) = handle
            .join()
            .map_err(|_| anyhow::anyhow!("a load thread panicked"))??;
        result.requests += ok;
        result.errors += errors;
        result.latencies_us.extend(latencies);
    }
    result.seconds = started.elapsed().as_secs_f64();
    result.latencies_us.sort_unstable();
    if result.requests == 0 {
        bail!("no request succeeded");
    }
    Ok(result)
}

/// One POST of `body` to `path` on its own connection (`headers` are extra header lines); the
/// answer's JSON body.
pub fn post_json(
    address: &str,
    path: &str,
    body: &str,
    headers: &str,
) -> anyhow::Result<serde_json::Value> {
    use anyhow::Context;
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(address)?;
    let request = graphql_post(path, body, &format!("{headers}Connection: close\r\n"));
    stream.write_all(request.as_bytes())?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let json = response
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .context("no response body")?;
    serde_json::from_str(json).with_context(|| format!("not JSON: {json}"))
}

/// A POST of a GraphQL body as one HTTP/1.1 keep-alive request.
pub fn graphql_post(path: &str, body: &str, headers: &str) -> String {
    format!(
        "POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n{headers}Content-Length: {}\r\n\r\n{body}",
        body.len()
    )
}
