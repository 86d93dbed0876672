//! The cluster's docker files (issue 21): `docker/docker-compose.cluster.yml` validated against
//! the compose specification's JSON schema (check-jsonschema, which ships that schema), and
//! `docker/nginx.conf` through crossplane (nginx's directives, their contexts and arguments) and
//! gixy (nginx's security checks). No docker engine is needed: the linters come from PyPI,
//! installed into `target/tools` on first use. Each linter is also shown to refuse a broken copy,
//! and the files are held to the contract README.md's "Scaling out" describes.

use openimis_host::settings::{Env, Settings};
use openimis_system_tests::devtools::{python_tools, text};
use openimis_system_tests::workspace;
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// check-jsonschema (its `vendor.compose-spec` schema) and ruamel.yaml, which it brings.
fn compose_tools() -> PathBuf {
    python_tools(
        "check-jsonschema",
        "check_jsonschema/builtin_schemas/vendor/compose-spec.json",
        &["check-jsonschema==0.39.0"],
    )
}

/// crossplane and gixy-ng.
fn nginx_tools() -> PathBuf {
    python_tools(
        "nginx-lint",
        "gixy/__init__.py",
        &["crossplane==0.5.8", "gixy-ng==0.2.59"],
    )
}

fn python(tools: &Path, args: &[&str], file: &Path) -> Output {
    Command::new("python3")
        .env("PYTHONPATH", tools)
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .args(args)
        .arg(file)
        .output()
        .expect("python3 runs")
}

fn check_compose(tools: &Path, file: &Path) -> Output {
    python(
        tools,
        &[
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.compose-spec",
        ],
        file,
    )
}

/// crossplane's parse of `file` (includes not followed: the image has them, this machine
/// not): its status and errors.
fn crossplane(tools: &Path, file: &Path) -> Value {
    let out = python(
        tools,
        &["-m", "crossplane", "parse", "--strict", "--single-file"],
        file,
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "crossplane answers JSON ({e}): {}{}",
            text(&out.stdout),
            text(&out.stderr)
        )
    })
}

fn gixy(tools: &Path, file: &Path) -> Output {
    python(tools, &["-m", "gixy"], file)
}

/// The compose file as JSON (YAML anchors and merge keys resolved), read by ruamel.yaml.
fn compose_json(tools: &Path, file: &Path) -> Value {
    let out = python(
        tools,
        &[
            "-c",
            "import json, sys\nfrom ruamel.yaml import YAML\njson.dump(YAML(typ='safe').load(open(sys.argv[1])), sys.stdout)",
        ],
        file,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap()
}

/// `file`'s text with `from` replaced by `to`, in a file of its own under `dir`.
fn broken(dir: &Path, file: &Path, from: &str, to: &str) -> PathBuf {
    let original = std::fs::read_to_string(file).unwrap();
    assert!(
        original.contains(from),
        "{} contains {from}",
        file.display()
    );
    let copy = dir.join(file.file_name().unwrap());
    std::fs::write(&copy, original.replacen(from, to, 1)).unwrap();
    copy
}

fn docker() -> PathBuf {
    workspace().join("docker")
}

#[test]
fn the_cluster_compose_file_follows_the_compose_specification() {
    let tools = compose_tools();
    let file = docker().join("docker-compose.cluster.yml");
    let out = check_compose(&tools, &file);
    assert!(
        out.status.success(),
        "check-jsonschema: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    // The single-host file too.
    let out = check_compose(&tools, &docker().join("docker-compose.yml"));
    assert!(out.status.success(), "{}", text(&out.stdout));

    // The linter refuses what compose would refuse.
    let scratch = tempfile::tempdir().unwrap();
    for (from, to) in [
        (
            "        condition: service_healthy\n",
            "        condition: service_ready\n",
        ),
        (
            "  stop_grace_period: 40s\n",
            "  stop_grace_period: 40s\n  replica: 2\n",
        ),
        (
            "    restart: unless-stopped\n",
            "    restart: [unless-stopped]\n",
        ),
    ] {
        let out = check_compose(&tools, &broken(scratch.path(), &file, from, to));
        assert!(
            !out.status.success(),
            "check-jsonschema accepted {to:?}: {}",
            text(&out.stdout)
        );
    }
}

#[test]
fn the_cluster_runs_three_hosts_on_shared_services_checked_on_readiness() {
    let compose = compose_json(
        &compose_tools(),
        &docker().join("docker-compose.cluster.yml"),
    );
    let services = &compose["services"];
    for shared in ["db", "redis", "rabbitmq", "nginx"] {
        assert!(services[shared].is_object(), "a {shared} service");
    }
    let max_connections: u32 = services["db"]["command"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .find_map(|arg| arg.strip_prefix("max_connections="))
        .expect("PostgreSQL's max_connections is set")
        .parse()
        .unwrap();
    let backends = ["backend1", "backend2", "backend3"];
    for name in backends {
        let backend = &services[name];
        let env = &backend["environment"];
        let var = |key: &str| env[key].as_str().unwrap_or_default().to_owned();
        assert!(var("CACHE_BACKEND").contains("redis"), "{name}: {env}");
        assert!(var("CACHE_URL").starts_with("redis://redis:"), "{name}");
        assert!(
            var("CELERY_BROKER_URL").starts_with("amqp://")
                && var("CELERY_BROKER_URL").contains("@rabbitmq:5672"),
            "{name}"
        );
        assert_eq!(var("MODE"), "PROD", "{name}");
        assert_eq!(var("SCHEDULER_AUTOSTART"), "True", "{name}");
        assert_eq!(var("DB_HOST"), "db", "{name}");
        // Every host's pools, plus the host's own 3 connections, for the three hosts and one
        // more generation while a host reloads, within PostgreSQL's less its 3 reserved.
        let budget: u32 = var("DB_MAX_CONNECTIONS")
            .parse()
            .expect("DB_MAX_CONNECTIONS");
        assert!(
            (backends.len() as u32 + 1) * (budget + 3) <= max_connections - 3,
            "{name}: DB_MAX_CONNECTIONS={budget} does not fit max_connections={max_connections}"
        );

        // The load balancer's contract: the healthcheck asks for readiness.
        let check = backend["healthcheck"]["test"].as_array().expect("a test");
        assert_eq!(check[0], "CMD", "{name}: exec form, no shell assumed");
        let script = check.last().unwrap().as_str().unwrap();
        assert!(script.contains("GET /ht/ready "), "{name}: {script}");
        let grace: u64 = backend["stop_grace_period"]
            .as_str()
            .and_then(|t| t.strip_suffix('s'))
            .and_then(|t| t.parse().ok())
            .expect("stop_grace_period in seconds");
        let drain: u64 = var("OPENIMIS_SHUTDOWN_TIMEOUT").parse().unwrap();
        assert!(
            grace > drain,
            "{name} drains within OPENIMIS_SHUTDOWN_TIMEOUT before it is killed"
        );
        assert!(
            backend["ports"].is_null(),
            "{name} is reached through nginx"
        );
    }
    // One host migrates; the others start once it is ready.
    assert_eq!(
        services["backend1"]["environment"]["DJANGO_MIGRATE"],
        "True"
    );
    assert_eq!(services["backend1"]["command"][0], "start");
    assert_eq!(
        services["backend1"]["build"]["dockerfile"],
        "docker/Dockerfile"
    );
    for name in ["backend2", "backend3"] {
        let backend = &services[name];
        assert!(backend["environment"]["DJANGO_MIGRATE"].is_null(), "{name}");
        assert_eq!(backend["command"][0], "openimis", "{name}: no `start`");
        assert_eq!(
            backend["depends_on"]["backend1"]["condition"], "service_healthy",
            "{name}"
        );
        assert_eq!(backend["image"], services["backend1"]["image"]);
    }
    let nginx = &services["nginx"];
    assert!(nginx["ports"][0].as_str().unwrap().starts_with("8000:"));
    assert_eq!(nginx["volumes"][0], "./nginx.conf:/etc/nginx/nginx.conf:ro");
}

/// The compose file's healthcheck script, run by bash against a listener answering `status`
/// to `GET /ht/ready` (and 404 to anything else): whether it reports healthy.
fn healthcheck_passes(script: &str, status: &str) -> bool {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let status = status.to_owned();
    let server = std::thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        // The whole request, as a server reads it (closing on unread bytes would reset the
        // connection before the client reads the answer).
        let mut reader = BufReader::new(&stream);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let mut header = String::new();
        while reader.read_line(&mut header).unwrap() > 0 && header != "\r\n" {
            header.clear();
        }
        let answer = if line.starts_with("GET /ht/ready ") {
            status
        } else {
            "404 Not Found".to_owned()
        };
        let mut stream = stream;
        let _ = write!(
            stream,
            "HTTP/1.1 {answer}\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{{}}"
        );
    });
    let script = script.replace(
        "/dev/tcp/127.0.0.1/8000",
        &format!("/dev/tcp/127.0.0.1/{port}"),
    );
    let out = Command::new("bash").arg("-c").arg(script).output().unwrap();
    server.join().unwrap();
    out.status.success()
}

#[test]
fn the_backends_healthcheck_passes_only_on_a_ready_answer() {
    let compose = compose_json(
        &compose_tools(),
        &docker().join("docker-compose.cluster.yml"),
    );
    let check = compose["services"]["backend2"]["healthcheck"]["test"]
        .as_array()
        .unwrap();
    assert_eq!(check[1..3], ["bash", "-c"]);
    let script = check[3].as_str().unwrap();
    assert!(script.contains("/dev/tcp/127.0.0.1/8000"), "{script}");
    assert!(healthcheck_passes(script, "200 OK"));
    assert!(!healthcheck_passes(script, "503 Service Unavailable"));
}

/// The arguments of every `directive` in crossplane's parse, at any depth.
fn directives<'a>(block: &'a Value, directive: &str, found: &mut Vec<&'a Value>) {
    for item in block.as_array().into_iter().flatten() {
        if item["directive"] == directive {
            found.push(&item["args"]);
        }
        directives(&item["block"], directive, found);
    }
}

fn args_of<'a>(parsed: &'a Value, directive: &str) -> Vec<Vec<&'a str>> {
    let mut found = Vec::new();
    directives(parsed, directive, &mut found);
    found
        .into_iter()
        .map(|args| {
            args.as_array()
                .unwrap()
                .iter()
                .map(|a| a.as_str().unwrap())
                .collect()
        })
        .collect()
}

/// nginx's size syntax (`10m`, `512k`, bytes) in bytes.
fn nginx_size(text: &str) -> usize {
    let (digits, unit) = text.split_at(text.trim_end_matches(char::is_alphabetic).len());
    let n: usize = digits.parse().unwrap();
    n * match unit.to_ascii_lowercase().as_str() {
        "" => 1,
        "k" => 1024,
        "m" => 1024 * 1024,
        "g" => 1024 * 1024 * 1024,
        other => panic!("unit {other}"),
    }
}

#[test]
fn the_nginx_example_parses_and_passes_its_security_checks() {
    let tools = nginx_tools();
    let file = docker().join("nginx.conf");
    let parsed = crossplane(&tools, &file);
    assert_eq!(parsed["status"], "ok", "crossplane: {}", parsed["errors"]);
    let out = gixy(&tools, &file);
    assert!(
        out.status.success(),
        "gixy: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );

    // crossplane refuses what `nginx -t` refuses; gixy what it warns of.
    let scratch = tempfile::tempdir().unwrap();
    for (from, to) in [
        ("keepalive 32;", "keepalive 32"),
        ("listen 8000;", "listne 8000;"),
        ("least_conn;", "least_conn 1;"),
        (
            "worker_processes auto;",
            "worker_processes auto;\nproxy_pass http://openimis;",
        ),
        ("client_max_body_size 10m;", "client_max_body_size 10m;\n}"),
    ] {
        let parsed = crossplane(&tools, &broken(scratch.path(), &file, from, to));
        assert_eq!(parsed["status"], "failed", "crossplane accepted {to:?}");
    }
    let spoofable = broken(
        scratch.path(),
        &file,
        "proxy_set_header Host $host:$server_port;",
        "proxy_set_header Host $http_host;",
    );
    assert!(
        !gixy(&tools, &spoofable).status.success(),
        "gixy flags $http_host"
    );

    // Three hosts with passive health checks, kept-alive connections to them.
    let config = &parsed["config"][0]["parsed"];
    let servers: Vec<_> = args_of(config, "server")
        .into_iter()
        .filter(|args| !args.is_empty())
        .collect();
    for (i, args) in servers.iter().enumerate() {
        assert_eq!(args[0], format!("backend{}:8000", i + 1));
        assert!(args.iter().any(|a| a.starts_with("max_fails=")), "{args:?}");
        assert!(
            args.iter().any(|a| a.starts_with("fail_timeout=")),
            "{args:?}"
        );
    }
    assert_eq!(servers.len(), 3);
    assert_eq!(args_of(config, "keepalive").len(), 1);
    assert_eq!(args_of(config, "proxy_http_version"), [["1.1"]]);
    assert_eq!(args_of(config, "proxy_set_header")[0], ["Connection", ""]);

    // Retries on another host: never a request already sent with a non-idempotent method.
    assert_eq!(
        args_of(config, "proxy_next_upstream"),
        [["error", "timeout", "http_502", "http_503"]]
    );

    // The body limit is the hosts' DATA_UPLOAD_MAX_MEMORY_SIZE default.
    let dev = |name: &str| (name == "MODE").then(|| "DEV".to_owned());
    let settings = Settings::from_env(&Env::new(&dev)).unwrap();
    let limit = args_of(config, "client_max_body_size");
    assert_eq!(limit.len(), 1);
    assert_eq!(nginx_size(limit[0][0]), settings.max_body);

    // The active checks it points external balancers to.
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("/ht/ready") && text.contains("/ht/live"));
}
