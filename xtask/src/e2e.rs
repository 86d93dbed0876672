//! `cargo xtask e2e [scenario...]`: the real frontend in headless Chromium against this server.
//! Builds the frontend (if stale), the host and the modules (debug), starts `openimis serve` on
//! a free port (SQLite, demo data, FRONTEND_DIR, openimis.json with the insurees' photos kept
//! in target/e2e/photos), runs the scenario scripts of tests/e2e/ (playwright-core driving
//! /usr/bin/chromium; all of them, or those named) one after the other against it, and stops
//! the server. Screenshots land in target/e2e/<scenario>/, the server log in
//! target/e2e/server.log.

use crate::frontend;
use crate::tasks::{cargo, check, library_file, plugins, root, target_dir};
use anyhow::{bail, Context, Result};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Debian's `chromium` package; playwright-core drives it, nothing is downloaded.
const DEFAULT_CHROMIUM: &str = "/usr/bin/chromium";
/// How long the server may take to migrate and load the demo data.
const STARTUP_LIMIT: Duration = Duration::from_secs(180);
/// The scenarios, each a script `tests/e2e/<name>.mjs` on the shared harness.mjs, in the order
/// they run: the shell (login, locations, users), then the medical pages (items, services,
/// services price list, a facility's price list), then the products (a product for a region
/// with a lump sum, a covered item and a limited service; its duplicate, renamed), then the
/// insurees (a family in a village with a head and a photo, a second member, searches by number
/// and last name, a new head), the policies, the payers and contributions, then a claim from
/// entry to valuation (a demo insuree covered, the claim entered and submitted by the demo claim
/// administrator, reviewed and processed by Admin).
const SCENARIOS: &[&str] = &[
    "frontend", "medical", "product", "insuree", "policy", "payer", "claim",
];

pub fn run(extra: &[String]) -> Result<()> {
    let scenarios = selected(extra)?;
    let chromium = std::env::var("CHROMIUM_PATH").unwrap_or_else(|_| DEFAULT_CHROMIUM.into());
    if !Path::new(&chromium).is_file() {
        bail!("no browser at {chromium}: apt-get install chromium chromium-driver (or set CHROMIUM_PATH)");
    }
    let build = frontend::ensure_built()?;
    let artifacts = target_dir().join("e2e");
    let _ = std::fs::remove_dir_all(&artifacts);
    std::fs::create_dir_all(&artifacts)?;
    let modules_dir = install_debug_modules(&artifacts.join("modules"))?;

    let conf = configuration(&artifacts)?;
    let port = free_port()?;
    let mut server = start_server(&artifacts, &modules_dir, &build, &conf, port)?;
    let outcome = wait_until_healthy(&mut server, port).and_then(|()| {
        let script_dir = root().join("tests/e2e");
        frontend::npm_ci(&script_dir)?;
        let mut failed = Vec::new();
        for scenario in &scenarios {
            let ran = check(
                Command::new("node")
                    .current_dir(&script_dir)
                    .arg(format!("{scenario}.mjs"))
                    .env("E2E_BASE_URL", format!("http://127.0.0.1:{port}"))
                    .env("E2E_ARTIFACTS", &artifacts)
                    .env("CHROMIUM_PATH", &chromium),
            );
            if let Err(error) = ran {
                eprintln!("xtask: scenario {scenario}: {error:#}");
                failed.push(*scenario);
            }
        }
        if !failed.is_empty() {
            bail!("scenario(s) failed: {}", failed.join(", "));
        }
        Ok(())
    });
    let _ = server.kill();
    let _ = server.wait();
    outcome.with_context(|| {
        format!(
            "the end-to-end run failed; screenshots and server.log are in {}",
            artifacts.display()
        )
    })
}

/// The scenarios named on the command line (all when none is), in their running order.
fn selected(names: &[String]) -> Result<Vec<&'static str>> {
    if let Some(unknown) = names.iter().find(|n| !SCENARIOS.contains(&n.as_str())) {
        bail!(
            "no e2e scenario {unknown:?}; the scenarios are {}",
            SCENARIOS.join(", ")
        );
    }
    Ok(SCENARIOS
        .iter()
        .copied()
        .filter(|s| names.is_empty() || names.iter().any(|n| n == s))
        .collect())
}

/// Builds the host and every plugins/ module (debug) and copies the libraries into `dir`.
fn install_debug_modules(dir: &Path) -> Result<PathBuf> {
    let plugins = plugins()?;
    let mut build = cargo();
    build.args(["build", "-p", "openimis-host"]);
    for plugin in &plugins {
        build.args(["-p", &plugin.package]);
    }
    check(&mut build)?;
    std::fs::create_dir_all(dir)?;
    for plugin in &plugins {
        let file = library_file(&plugin.library);
        let from = target_dir().join("debug").join(&file);
        std::fs::copy(&from, dir.join(&file))
            .with_context(|| format!("installing {}", from.display()))?;
    }
    Ok(dir.to_path_buf())
}

/// openimis.json as the server runs it, written into `artifacts`: the insuree module keeps the
/// photos the scenarios upload in `artifacts`/photos (its default root is relative to the
/// working directory, the source tree).
fn configuration(artifacts: &Path) -> Result<PathBuf> {
    let source = root().join("openimis.json");
    let mut conf: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&source)?)
        .with_context(|| format!("reading {}", source.display()))?;
    let photos = artifacts.join("photos");
    let modules = conf["modules"].as_array_mut().into_iter().flatten();
    for module in modules.filter(|m| m["name"] == "insuree") {
        if !module["config"].is_object() {
            module["config"] = serde_json::json!({});
        }
        module["config"]["insuree_photos_root_path"] = photos.to_string_lossy().into();
    }
    let path = artifacts.join("openimis.json");
    std::fs::write(&path, serde_json::to_string_pretty(&conf)?)?;
    Ok(path)
}

fn free_port() -> Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

fn start_server(
    artifacts: &Path,
    modules_dir: &Path,
    build: &Path,
    conf: &Path,
    port: u16,
) -> Result<Child> {
    let log = std::fs::File::create(artifacts.join("server.log"))?;
    Command::new(target_dir().join("debug/openimis"))
        .current_dir(root())
        .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
        .env("MODE", "DEV")
        .env("SITE_ROOT", "api")
        .env("NO_DATABASE", "True")
        .env("SQLITE_PATH", artifacts.join("e2e.sqlite3"))
        .env("DEMO_DATASET", "True")
        .env("MODULES_DIR", modules_dir)
        .env("OPENIMIS_CONF", conf)
        .env("FRONTEND_DIR", build)
        .env("SECRET_KEY", "e2e-secret-key")
        .env_remove("OPENIMIS_CONF_JSON")
        .stdin(Stdio::null())
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .context("starting target/debug/openimis")
}

/// Polls `/ht/` until it answers 200; fails early when the server exits.
fn wait_until_healthy(server: &mut Child, port: u16) -> Result<()> {
    let started = Instant::now();
    while started.elapsed() < STARTUP_LIMIT {
        if let Some(status) = server.try_wait()? {
            bail!("the server exited during startup ({status}); see target/e2e/server.log");
        }
        if health_status(port).is_some_and(|status| status == 200) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    bail!("the server did not become healthy within {STARTUP_LIMIT:?}")
}

fn health_status(port: u16) -> Option<u16> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET /ht/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    answer.split_whitespace().nth(1)?.parse().ok()
}
