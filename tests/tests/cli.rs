//! The `openimis` binary: check, modules, inspect, schema, migrate and serve, as operators run them.

use openimis_system_tests::*;
use serde_json::json;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Output, Stdio};

struct Setup {
    dir: ModulesDir,
}

impl Setup {
    fn new(libraries: &[&str], modules: serde_json::Value) -> Self {
        let dir = ModulesDir::with(libraries);
        std::fs::write(dir.path().join("openimis.json"), modules.to_string()).unwrap();
        Self { dir }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(openimis_binary());
        cmd.args(args)
            .current_dir(self.dir.path())
            .env_clear()
            .env("OPENIMIS_CONF", self.dir.path().join("openimis.json"))
            .env("MODULES_DIR", self.dir.path())
            .env("NO_DATABASE", "True")
            .env("SQLITE_PATH", self.dir.path().join("cli.sqlite3"))
            .env("MODE", "DEV")
            .env("DJANGO_LOG_LEVEL", "INFO");
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command(args).output().expect("openimis runs")
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn base_and_ext() -> Setup {
    Setup::new(
        &["fx_base", "fx_ext"],
        modules_json(&[
            json!({"name": "ext", "library": "fx_ext"}),
            json!({"name": "base", "library": "fx_base"}),
        ]),
    )
}

#[test]
fn offline_commands_run_in_prod_without_a_secret_key_and_serve_does_not() {
    let setup = base_and_ext();
    let library = library("fx_base");
    let library = library.to_str().unwrap();
    for args in [
        vec!["check"],
        vec!["modules"],
        vec!["schema"],
        vec!["inspect", library],
    ] {
        let out = setup.command(&args).env("MODE", "PROD").output().unwrap();
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
    }
    let out = setup
        .command(&["serve", "--bind", "127.0.0.1:0"])
        .env("MODE", "PROD")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("SECRET_KEY"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn check_reports_order_schema_and_migrations() {
    let out = base_and_ext().run(&["check"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("start order: base, ext"), "{stdout}");
    assert!(
        stdout.contains("migrations: base:0001, ext:0001"),
        "{stdout}"
    );
    assert!(stdout.trim_end().ends_with("OK"), "{stdout}");
}

#[test]
fn check_lists_every_problem_and_fails() {
    let setup = Setup::new(
        &["fx_ext", "fx_old_api"],
        modules_json(&[
            json!({"name": "ext", "library": "fx_ext"}),
            json!({"name": "old", "library": "fx_old_api"}),
            json!({"name": "gone"}),
        ]),
    );
    let out = setup.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    for needle in [
        "error [MISSING_DEPENDENCY] module `ext`",
        "error [ABI_MISMATCH] module `old`",
        "error [MODULE_NOT_FOUND] module `gone`",
        "startup refused, 3 problem(s)",
    ] {
        assert!(stderr.contains(needle), "{needle} not in:\n{stderr}");
    }
}

#[test]
fn a_broken_openimis_json_is_a_clear_error() {
    let setup = Setup::new(&[], json!({}));
    std::fs::write(setup.dir.path().join("openimis.json"), "{\"modules\": [").unwrap();
    let out = setup.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("[CONFIG_INVALID]"),
        "{}",
        text(&out.stderr)
    );
    assert!(
        text(&out.stderr).contains("openimis.json: EOF while parsing a list at line 1 column 13"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_bad_setting_names_the_variable() {
    let out = base_and_ext()
        .command(&["check"])
        .env("NO_DATABASE", "False")
        .env("DB_PORT", "abc")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr).trim(),
        "error [CONFIG_INVALID] setting DB_PORT=\"abc\" is invalid: expected a whole number"
    );
}

#[test]
fn modules_shows_a_table_with_status_and_errors() {
    let setup = Setup::new(
        &["fx_base", "fx_conflict"],
        modules_json(&[
            json!({"name": "base", "library": "fx_base"}),
            json!({"name": "conflict", "library": "fx_conflict", "required": false}),
        ]),
    );
    let out = setup.run(&["modules"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let lines: Vec<String> = text(&out.stdout)
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(lines[0], "NAME IMPLEMENTATION VERSION STATUS ERROR");
    assert_eq!(lines[1], "base base 1.2.0 ok");
    assert!(lines[2].starts_with("conflict - - disabled [SCHEMA_CONFLICT] type `ThingGQLType` is already defined by `base`"), "{}", lines[2]);
}

#[test]
fn inspect_prints_a_manifest_or_says_why_not() {
    let setup = base_and_ext();
    let out = setup.run(&["inspect", &library("fx_ext").display().to_string()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let manifest: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(manifest["name"], "ext");
    assert_eq!(manifest["version"], "0.4.0");
    assert_eq!(manifest["requires"], json!({"base": "^1.0"}));
    assert_eq!(manifest["api_version"], openimis_plugin_api::API_VERSION);
    let out = setup.run(&["inspect", &library("fx_not_module").display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("[NOT_A_MODULE]"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn schema_prints_the_composed_sdl() {
    let out = base_and_ext().run(&["schema"]);
    assert!(out.status.success());
    let sdl = text(&out.stdout);
    assert!(sdl.contains("type ThingGQLType implements Node"), "{sdl}");
    assert!(
        sdl.contains("extend type ThingGQLType {\n  extra: ExtraGQLType\n}"),
        "{sdl}"
    );
    assert!(sdl.contains("node(id: ID!): Node"), "{sdl}");
}

#[test]
fn migrate_applies_then_has_nothing_left() {
    let setup = base_and_ext();
    let first = setup.run(&["migrate"]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert_eq!(
        text(&first.stdout).trim(),
        "applied 2 migration(s): base:0001, ext:0001"
    );
    let second = setup.run(&["migrate"]);
    assert_eq!(text(&second.stdout).trim(), "applied 0 migration(s)");
}

#[test]
fn serve_answers_graphql_over_real_http() {
    let setup = base_and_ext();
    let mut child = setup
        .command(&["serve", "--bind", "127.0.0.1:0"])
        .env("SITE_ROOT", "api")
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let address = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| line.split("listening on ").nth(1).map(str::to_owned))
        .expect("the server reports where it listens");
    let body = r#"{"query": "{ things(first: 1) { edges { node { code extra { label } } } } }"}"#;
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    write!(stream, "POST /api/graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(response.starts_with("HTTP/1.1 200 OK"), "{response}");
    assert!(response.ends_with(r#"{"data":{"things":{"edges":[{"node":{"code":"T001","extra":{"label":"extra of 1"}}}]}}}"#), "{response}");
    assert!(
        setup.dir.path().join("cli.sqlite3").exists(),
        "SITE_ROOT=api migrates before serving"
    );
}

#[test]
fn serve_refuses_to_start_with_the_full_report() {
    let setup = Setup::new(
        &["fx_ext"],
        modules_json(&[json!({"name": "ext", "library": "fx_ext"})]),
    );
    let out = setup.run(&["serve", "--bind", "127.0.0.1:0"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("error [MISSING_DEPENDENCY] module `ext`: requires `base` ^1.0"),
        "{}",
        text(&out.stderr)
    );
}

/// Issue 14: one allocator for the process. The host binary exports mimalloc's `malloc` and
/// `free`, and a module library loaded by `openimis check` binds its own calls to them, not to
/// glibc's (the dynamic linker's own account of its bindings, `LD_DEBUG=bindings`).
#[cfg(target_os = "linux")]
#[test]
fn module_libraries_allocate_through_the_hosts_mimalloc() {
    let setup = base_and_ext();
    let output = setup
        .command(&["check"])
        .env("LD_DEBUG", "bindings")
        .env("LD_BIND_NOW", "1")
        .output()
        .expect("openimis runs");
    assert!(output.status.success(), "{}", text(&output.stderr));
    let log = text(&output.stderr);
    let binary = openimis_binary();
    let binary = binary.file_name().unwrap().to_str().unwrap();
    for symbol in ["malloc", "free"] {
        let bound: Vec<&str> = log
            .lines()
            .filter(|l| l.contains("libfx_base.so") && l.contains(&format!("symbol `{symbol}'")))
            .collect();
        assert!(!bound.is_empty(), "fx_base never bound `{symbol}`:\n{log}");
        assert!(
            bound
                .iter()
                .all(|l| l.contains(&format!("/{binary} [0]: normal symbol"))),
            "fx_base's `{symbol}` is not the host's: {bound:#?}"
        );
    }
}
