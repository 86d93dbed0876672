//! `cargo xtask bench`: starts the release server on loopback with the benchmark modules, then
//! measures startup to first response, idle resident memory, and req/s + latency per scenario.

mod pgbench;
mod postgres;

use crate::load;
use crate::tasks::{build_modules, cargo, check, target_dir};
use anyhow::{bail, Context, Result};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The fixture modules the host benchmarks run with (base + ext: one cross-module hop).
const BENCH_MODULES: &[&str] = &["fx_base", "fx_ext"];

struct Server {
    child: Child,
    address: String,
    startup: Duration,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(dir: &std::path::Path) -> Result<Server> {
    let conf = r#"{"modules": [{"name": "base", "library": "fx_base"}, {"name": "ext", "library": "fx_ext"}]}"#;
    let t0 = Instant::now();
    let mut child = Command::new(target_dir().join("release/openimis"))
        .args(["serve", "--bind", "127.0.0.1:0"])
        .current_dir(dir)
        .env_clear()
        .env("OPENIMIS_CONF_JSON", conf)
        .env("MODULES_DIR", dir)
        .env("NO_DATABASE", "True")
        .env("SQLITE_PATH", dir.join("bench.sqlite3"))
        .env("SITE_ROOT", "api")
        .env("MODE", "DEV")
        .env("DJANGO_LOG_LEVEL", "WARNING")
        .env("RUST_LOG", "openimis=info,warn")
        .stderr(Stdio::piped())
        .spawn()
        .context("starting target/release/openimis")?;
    let stderr = child.stderr.take().expect("piped");
    let address = BufReader::new(stderr)
        .lines()
        .map_while(Result::ok)
        .find_map(|l| l.split("listening on ").nth(1).map(str::to_owned))
        .context("the server never said where it listens")?;
    // First response: one request on a fresh connection.
    let mut stream = TcpStream::connect(&address)?;
    let body = r#"{"query":"{ __typename }"}"#;
    write!(
        stream,
        "{}",
        load::graphql_post("/api/graphql", body, "Connection: close\r\n")
    )?;
    let mut reader = BufReader::new(stream);
    let mut status = String::new();
    reader.read_line(&mut status)?;
    if !status.contains(" 200 ") {
        bail!("first response was {status}");
    }
    Ok(Server {
        child,
        address,
        startup: t0.elapsed(),
    })
}

fn rss_kib(pid: u32) -> Result<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next()?.parse().ok())
        .context("no VmRSS")
}

pub fn run(args: &[String]) -> Result<()> {
    let seconds: u64 = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(10);
    check(cargo().args(["build", "--release", "-p", "openimis-host"]))?;
    let dir = tempdir()?;
    let modules: Vec<(String, String)> = BENCH_MODULES
        .iter()
        .map(|s| (s.to_string(), s.to_string()))
        .collect();
    build_modules(&modules, &dir)?;

    let mut startups = Vec::new();
    for _ in 0..5 {
        let _ = std::fs::remove_file(dir.join("bench.sqlite3"));
        startups.push(start_server(&dir)?.startup);
    }
    startups.sort();
    let server = start_server(&dir)?;
    let serving_pid = server_pid(&server.address)?;
    let idle_rss = rss_kib(serving_pid)?;
    let supervisor_rss = rss_kib(server.child.id())?;

    let scenarios = [
        ("{ __typename }", r#"{"query":"{ __typename }"}"#),
        (
            "things(first:100) + ext field",
            r#"{"query":"{ things(first: 100) { edges { node { id code name extra { label } } } } }"}"#,
        ),
    ];
    println!(
        "machine: {} cores; server and load generator share them",
        std::thread::available_parallelism()?.get()
    );
    println!(
        "startup to first response (median of 5): {:.1} ms",
        startups[2].as_secs_f64() * 1000.0
    );
    println!(
        "resident memory idle: {:.1} MiB (the serving process; its supervisor: {:.1} MiB)",
        idle_rss as f64 / 1024.0,
        supervisor_rss as f64 / 1024.0
    );
    println!("| scenario | connections | req/s median (min–max of 3) | p50 ms | p99 ms | errors |");
    println!("|---|---|---|---|---|---|");
    let generator = if wrk::available() {
        "wrk -t2 -c8"
    } else {
        "built-in (8 threads)"
    };
    println!("load generator: {generator}");
    for (name, body) in scenarios {
        measure(&server.address, name, body, "", seconds, &dir)?;
    }
    println!(
        "resident memory after load: {:.1} MiB",
        rss_kib(serving_pid)? as f64 / 1024.0
    );
    reload_under_load(&server, seconds, &dir)?;
    drop(server);
    if args.iter().any(|a| a == "--no-postgres") {
        println!("(the PostgreSQL suite was skipped: --no-postgres)");
    } else {
        postgres::run(seconds, &dir)?;
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

/// Warms up, then measures `body` three times at 8 connections and prints the table row
/// (the median run by req/s, with the spread: this machine is noisy). `headers` are extra
/// request header lines (`Name: value\r\n`).
pub fn measure(
    address: &str,
    name: &str,
    body: &str,
    headers: &str,
    seconds: u64,
    dir: &std::path::Path,
) -> Result<(f64, f64, f64, u64)> {
    let request = load::graphql_post("/api/graphql", body, headers);
    load::run(address, &request, 8, Duration::from_secs(1), u64::MAX)?;
    let mut runs = Vec::new();
    for _ in 0..3 {
        runs.push(if wrk::available() {
            wrk::run(address, body, headers, seconds, dir)?
        } else {
            let r = load::run(
                address,
                &request,
                8,
                Duration::from_secs(seconds),
                50_000_000,
            )?;
            (
                r.per_second(),
                r.percentile_ms(0.5),
                r.percentile_ms(0.99),
                r.errors,
            )
        });
    }
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (rps, p50, p99, errors) = runs[1];
    let (low, high) = (runs[0].0, runs[2].0);
    println!("| {name} | 8 | {rps:.0} ({low:.0}–{high:.0}) | {p50:.2} | {p99:.2} | {errors} |");
    Ok(runs[1])
}

/// The pid of the process serving on `address` (`/ht/live`), the supervisor's child.
fn server_pid(address: &str) -> Result<u32> {
    let mut stream = TcpStream::connect(address)?;
    write!(
        stream,
        "GET /ht/live HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n"
    )?;
    let mut response = String::new();
    std::io::Read::read_to_string(&mut stream, &mut response)?;
    let body = response.split_once("\r\n\r\n").context("no body")?.1;
    let live: serde_json::Value = serde_json::from_str(body)?;
    live["pid"]
        .as_u64()
        .and_then(|pid| u32::try_from(pid).ok())
        .with_context(|| format!("/ht/live answered {body}"))
}

/// Module swaps under load (issue 21): wrk sends `{ __typename }` while `openimis reload`
/// swaps the server's generation three times; every request must be answered 2xx, on a
/// connection that did not fail.
fn reload_under_load(server: &Server, seconds: u64, dir: &std::path::Path) -> Result<()> {
    if !wrk::available() {
        println!("reload under load: skipped (wrk is not installed)");
        return Ok(());
    }
    let seconds = seconds.max(6);
    let address = server.address.clone();
    let wrk_dir = dir.to_path_buf();
    let load = std::thread::spawn(move || {
        wrk::report(&address, r#"{"query":"{ __typename }"}"#, seconds, &wrk_dir)
    });
    let swaps = 3;
    for _ in 0..swaps {
        std::thread::sleep(Duration::from_secs(seconds) / (swaps + 1));
        let out = Command::new(target_dir().join("release/openimis"))
            .args(["reload", "--bind", &server.address])
            .output()
            .context("running openimis reload")?;
        if !out.status.success() {
            bail!(
                "openimis reload failed: {}{}",
                String::from_utf8_lossy(&out.stdout),
                String::from_utf8_lossy(&out.stderr)
            );
        }
    }
    let report = load.join().expect("wrk thread")?;
    let (non_2xx, socket) = wrk::errors(&report);
    let requests = report
        .lines()
        .find(|l| l.contains("requests in"))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or("?");
    println!(
        "reload under load ({swaps} swaps in {seconds} s, wrk -t2 -c8 {{ __typename }}): {requests} requests, non-2xx {non_2xx}, socket errors {socket}"
    );
    if non_2xx + socket > 0 {
        bail!("requests failed while the server reloaded:\n{report}");
    }
    Ok(())
}

fn tempdir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("openimis-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// wrk (Debian's package), when installed: epoll-based, so it leaves the server more CPU than
/// eight blocking threads do on a 2-core machine.
mod wrk {
    use anyhow::{Context, Result};
    use std::process::Command;

    pub fn available() -> bool {
        Command::new("wrk").arg("--version").output().is_ok()
    }

    /// `(req/s, p50 ms, p99 ms, non-2xx)` of a POST of `body` for `seconds`.
    pub fn run(
        address: &str,
        body: &str,
        headers: &str,
        seconds: u64,
        dir: &std::path::Path,
    ) -> Result<(f64, f64, f64, u64)> {
        let script = dir.join("post.lua");
        let quote = |text: &str| text.replace('\\', "\\\\").replace('"', "\\\"");
        let mut lua = format!(
            "wrk.method = \"POST\"\nwrk.body = \"{}\"\nwrk.headers[\"Content-Type\"] = \"application/json\"\n",
            quote(body)
        );
        for (name, value) in headers
            .split("\r\n")
            .filter_map(|line| line.split_once(": "))
        {
            lua.push_str(&format!("wrk.headers[\"{name}\"] = \"{}\"\n", quote(value)));
        }
        std::fs::write(&script, lua)?;
        let out = Command::new("wrk")
            .args(["-t2", "-c8", &format!("-d{seconds}s"), "--latency", "-s"])
            .arg(&script)
            .arg(format!("http://{address}/api/graphql"))
            .output()
            .context("running wrk")?;
        let text = String::from_utf8_lossy(&out.stdout);
        let field = |prefix: &str| -> Option<&str> {
            text.lines()
                .map(str::trim)
                .find(|l| l.starts_with(prefix))
                .and_then(|l| l.split_whitespace().nth(1))
        };
        let rps: f64 = field("Requests/sec:")
            .context("wrk printed no Requests/sec")?
            .parse()?;
        let p50 = millis(field("50%").context("no p50")?)?;
        let p99 = millis(field("99%").context("no p99")?)?;
        let (non_2xx, socket) = errors(&text);
        Ok((rps, p50, p99, non_2xx + socket))
    }

    /// `(non-2xx answers, socket errors)` wrk reports in `text`.
    pub fn errors(text: &str) -> (u64, u64) {
        let line = |prefix: &str| text.lines().map(str::trim).find(|l| l.starts_with(prefix));
        let non_2xx = line("Non-2xx")
            .and_then(|l| l.rsplit(' ').next()?.parse().ok())
            .unwrap_or(0);
        // "Socket errors: connect 0, read 7, write 0, timeout 0"
        let socket = line("Socket errors:").map_or(0, |l| {
            l.split([' ', ','])
                .filter_map(|word| word.parse::<u64>().ok())
                .sum()
        });
        (non_2xx, socket)
    }

    /// wrk's report of POSTing `body` for `seconds` at 8 connections.
    pub fn report(
        address: &str,
        body: &str,
        seconds: u64,
        dir: &std::path::Path,
    ) -> Result<String> {
        let script = dir.join("reload.lua");
        std::fs::write(
            &script,
            format!(
                "wrk.method = \"POST\"\nwrk.body = '{body}'\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"
            ),
        )?;
        let out = Command::new("wrk")
            .args(["-t2", "-c8", &format!("-d{seconds}s"), "-s"])
            .arg(&script)
            .arg(format!("http://{address}/api/graphql"))
            .output()
            .context("running wrk")?;
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    }

    fn millis(value: &str) -> Result<f64> {
        let (number, unit) =
            value.split_at(value.find(|c: char| c.is_alphabetic()).context("no unit")?);
        let n: f64 = number.parse()?;
        Ok(match unit {
            "us" => n / 1000.0,
            "ms" => n,
            "s" => n * 1000.0,
            _ => anyhow::bail!("unknown unit {unit}"),
        })
    }
}
