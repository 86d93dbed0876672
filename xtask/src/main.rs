//! `cargo xtask`: the project's tasks (build, run, test, bench, dist), in Rust so they run the
//! same everywhere with nothing else installed.

mod bench;
mod dist;
mod e2e;
mod frontend;
mod load;
mod shell;
mod tasks;

use std::process::ExitCode;

const USAGE: &str = "usage: cargo xtask <build|run|test|bench|dist|frontend|e2e>
  build        build the host and every plugins/* module in release; install modules into ./modules
  run          build, then serve on 127.0.0.1:8000 (SQLite, demo data, MODE=DEV, SITE_ROOT=api);
               --with-frontend also serves the built frontend at /front/
  test         build every library the tests load, then run the whole test suite
  bench        measure req/s, latency, startup time and memory (see docs/BENCHMARKS.md)
  dist         build, then pack the binary, modules, openimis.json and the packaged plugin-api and
               SDK crates (what create-module builds against) into dist/; --debug: from the
               debug build, --out <dir>: elsewhere
  frontend     npm ci + build the openIMIS frontend (frontend/package-lock.json) into frontend/build
  e2e          the frontend in headless Chromium against this server (artifacts in target/e2e/)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("build") => tasks::build().map(drop),
        Some("run") => tasks::run(&args[1..]),
        Some("test") => tasks::test(&args[1..]),
        Some("bench") => bench::run(&args[1..]),
        Some("dist") => dist::run(&args[1..]),
        Some("frontend") => frontend::build().map(drop),
        Some("e2e") => e2e::run(&args[1..]),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e:#}");
            ExitCode::FAILURE
        }
    }
}
