//! Operating the server (issue 5, item 1): every variable of the original's environment tables
//! is honoured or documented as not applicable, `.env` is read (the real environment wins), and
//! a bad value stops `openimis` naming the variable.

use openimis_system_tests::conformance::shared_openimis;
use openimis_system_tests::*;
use std::collections::BTreeSet;
use std::process::{Command, Output};

/// The variable names of the seeds' environment tables (`NAME | values | description |`).
fn seed_variables() -> BTreeSet<String> {
    let dir = shared_openimis().join("seeds");
    let mut names = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        for line in text.lines() {
            let Some((name, rest)) = line.split_once(" | ") else {
                continue;
            };
            let is_name = !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_');
            if is_name && name != "ENV" && rest.trim_end().ends_with('|') {
                names.insert(name.to_owned());
            }
        }
    }
    names
}

fn read(relative: &str) -> String {
    let path = workspace().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every host source file's text (the settings and the groups they delegate to).
fn host_sources() -> String {
    fn walk(dir: &std::path::Path, out: &mut String) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push_str(&std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut text = String::new();
    walk(&workspace().join("host/src"), &mut text);
    text
}

/// The status column of `name`'s row in docs/CONFIGURATION.md, if it has one.
fn documented_status(configuration: &str, name: &str) -> Option<String> {
    configuration
        .lines()
        .filter(|line| line.starts_with('|'))
        .find(|line| {
            line.split('|')
                .nth(1)
                .is_some_and(|cell| cell.contains(&format!("`{name}`")))
        })
        .and_then(|line| line.trim_end_matches('|').rsplit('|').next())
        .map(|status| status.trim().to_owned())
}

#[test]
fn the_seeds_list_the_variables_this_test_checks() {
    let names = seed_variables();
    for expected in [
        "MODE",
        "DB_PORT",
        "SENTRY_DSN",
        "HOSTS",
        "ALLOWED_HOST",
        "CSRF_TRUSTED_ORIGINS",
        "LOKALISE_APIKEY",
    ] {
        assert!(
            names.contains(expected),
            "{expected} missing from {names:?}"
        );
    }
    assert!(names.len() >= 65, "{names:?}");
}

#[test]
fn every_seed_variable_is_honoured_or_documented_as_not_applicable() {
    let configuration = read("docs/CONFIGURATION.md");
    let example = read(".env.example");
    let sources = host_sources();
    let mut problems = Vec::new();
    for name in seed_variables() {
        let Some(status) = documented_status(&configuration, &name) else {
            problems.push(format!("{name}: no row in docs/CONFIGURATION.md"));
            continue;
        };
        if !example.contains(&name) {
            problems.push(format!("{name}: not in .env.example"));
        }
        let known = sources.contains(&format!("\"{name}\""));
        let honoured = ["honoured", "passed to modules", "fixed"]
            .iter()
            .any(|s| status.starts_with(s));
        match (honoured, known) {
            (true, true) => {}
            (true, false) => problems.push(format!(
                "{name}: documented as `{status}` but the host never reads it"
            )),
            (false, _) if status.starts_with("not applicable:") => {}
            (false, _) => problems.push(format!(
                "{name}: status `{status}` is neither honoured nor `not applicable: <reason>`"
            )),
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// `openimis check` in an empty directory with a clean environment plus `vars`.
fn check(dir: &std::path::Path, vars: &[(&str, &str)]) -> Output {
    let mut command = Command::new(openimis_binary());
    command
        .arg("check")
        .current_dir(dir)
        .env_clear()
        .env("OPENIMIS_CONF_JSON", r#"{"modules": []}"#)
        .env("MODULES_DIR", dir)
        .env("NO_DATABASE", "True")
        .env("SQLITE_PATH", dir.join("check.sqlite3"))
        .env("MODE", "DEV");
    for (name, value) in vars {
        command.env(name, value);
    }
    command.output().expect("openimis runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn a_bad_value_stops_startup_naming_the_variable() {
    let dir = tempfile::tempdir().unwrap();
    let unreadable = dir.path().join("bad-keys");
    // A directory where the private key file should be: it exists and cannot be read.
    std::fs::create_dir_all(unreadable.join("jwt_private_key.pem")).unwrap();
    let keys = unreadable.display().to_string();
    for (name, value) in [
        ("NO_DATABASE", "perhaps"),
        ("RATELIMIT_RATE", "lots"),
        ("JWT_KEYS_DIR", keys.as_str()),
        ("SENTRY_SAMPLE_RATE", "often"),
        ("DJANGO_LOG_LEVEL", "LOUD"),
        ("CSRF_TRUSTED_ORIGINS", "localhost:3000"),
        ("OPENIMIS_REQUEST_TIMEOUT", "soon"),
    ] {
        let out = check(dir.path(), &[(name, value)]);
        assert_eq!(
            out.status.code(),
            Some(2),
            "{name}={value}: {}",
            stderr(&out)
        );
        assert!(
            stderr(&out).contains(&format!("error [CONFIG_INVALID] setting {name}=")),
            "{name}={value}: {}",
            stderr(&out)
        );
    }
    let out = check(dir.path(), &[("NO_DATABASE", "False"), ("DB_PORT", "abc")]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("setting DB_PORT=\"abc\""),
        "{}",
        stderr(&out)
    );
}

#[test]
fn dot_env_is_read_and_the_real_environment_wins() {
    let dir = tempfile::tempdir().unwrap();
    let fine = check(dir.path(), &[]);
    assert!(fine.status.success(), "{}", stderr(&fine));
    std::fs::write(dir.path().join(".env"), "RATELIMIT_RATE=lots\n").unwrap();
    let from_file = check(dir.path(), &[]);
    assert_eq!(from_file.status.code(), Some(2), "{}", stderr(&from_file));
    assert!(
        stderr(&from_file).contains("RATELIMIT_RATE"),
        "{}",
        stderr(&from_file)
    );
    let overridden = check(dir.path(), &[("RATELIMIT_RATE", "10/m")]);
    assert!(overridden.status.success(), "{}", stderr(&overridden));
}
