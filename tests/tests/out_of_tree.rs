//! Modules built outside the host's workspace, then loaded by the `openimis` binary
//! (`inspect`, `check`, a GraphQL answer from `serve`): one written against the previous SDK
//! (tests/fixtures/sdk-previous: openimis-sdk 0.1.0 as packaged) over the current plugin-api,
//! and one created by `create-module` from a dist archive alone, in a temp directory away from
//! the sources. Both build in the devtools tests' cargo target directory, with the workspace's
//! lock file, so their dependencies compile once and nothing new downloads.

use openimis_system_tests::devtools::{cargo, module_target_dir, text};
use openimis_system_tests::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// `binary <args>` over the modules in `modules` (listed in its `openimis.json`), on SQLite there.
fn host(binary: &Path, modules: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(binary);
    cmd.args(args)
        .current_dir(modules)
        .env_clear()
        .env("OPENIMIS_CONF", modules.join("openimis.json"))
        .env("MODULES_DIR", modules)
        .env("NO_DATABASE", "True")
        .env("SQLITE_PATH", modules.join("db.sqlite3"))
        .env("MODE", "DEV")
        .env("SITE_ROOT", "api");
    cmd
}

fn succeeded(out: Output, what: &str) -> String {
    assert!(
        out.status.success(),
        "{what} failed:\n{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    text(&out.stdout)
}

/// `inspect` answers the library's manifest at the host's plugin-api version, `check` passes,
/// and `serve` answers `query` with `expected` (the GraphQL response's JSON).
fn loads_and_answers(binary: &Path, modules: &Path, library: &Path, query: &str, expected: Value) {
    let manifest = succeeded(
        host(
            binary,
            modules,
            &["inspect", &library.display().to_string()],
        )
        .output()
        .unwrap(),
        "openimis inspect",
    );
    let manifest: Value = serde_json::from_str(&manifest).unwrap();
    assert_eq!(
        manifest["api_version"],
        openimis_plugin_api::API_VERSION,
        "{manifest}"
    );
    let check = succeeded(
        host(binary, modules, &["check"]).output().unwrap(),
        "openimis check",
    );
    assert!(check.trim_end().ends_with("OK"), "{check}");

    let mut child = host(binary, modules, &["serve", "--bind", "127.0.0.1:0"])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let address = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|line| line.split("listening on ").nth(1).map(str::to_owned));
    let Some(address) = address else {
        child.kill().unwrap();
        panic!("the server stopped before listening");
    };
    // Keep draining the log so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    let body = json!({ "query": query }).to_string();
    let mut stream = std::net::TcpStream::connect(&address).unwrap();
    write!(stream, "POST /api/graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(response.starts_with("HTTP/1.1 200 OK"), "{response}");
    let answer: Value = serde_json::from_str(response.split("\r\n\r\n").nth(1).unwrap_or(""))
        .unwrap_or_else(|e| panic!("{e}: {response}"));
    assert_eq!(answer, expected);
}

/// Copies the files of `from` into `to`, recursively.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A fresh scratch directory under the workspace's `target/out-of-tree/`.
fn scratch(name: &str) -> PathBuf {
    let dir = workspace().join("target/out-of-tree").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn untar(archive: &Path, into: &Path) {
    let out = Command::new("tar")
        .arg("xzf")
        .arg(archive)
        .arg("-C")
        .arg(into)
        .output()
        .unwrap();
    succeeded(out, &format!("tar xzf {}", archive.display()));
}

/// A modules directory in `dir` holding `libraries` (copies) and an openimis.json naming
/// `modules`.
fn modules_dir(dir: &Path, libraries: &[PathBuf], modules: &[&str]) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    for library in libraries {
        std::fs::copy(library, dir.join(library.file_name().unwrap())).unwrap();
    }
    let list: Vec<Value> = modules.iter().map(|name| json!({"name": name})).collect();
    std::fs::write(dir.join("openimis.json"), modules_json(&list).to_string()).unwrap();
    dir.to_path_buf()
}

#[test]
fn a_module_built_against_the_previous_sdk_loads_in_the_current_host() {
    let work = scratch("sdk-previous");
    let fixtures = workspace().join("tests/fixtures/sdk-previous");
    untar(&fixtures.join("openimis-sdk-0.1.0.crate"), &work);
    let module = work.join("module");
    copy_tree(&fixtures.join("module"), &module);
    // The patch points at the plugin-api of this tree, wherever the scratch directory is.
    let manifest = std::fs::read_to_string(module.join("Cargo.toml")).unwrap();
    let current_api = format!(
        "openimis-plugin-api = {{ path = {:?} }}",
        workspace().join("plugin-api")
    );
    let manifest = manifest.replace(
        "openimis-plugin-api = { path = \"../../../../plugin-api\" }",
        &current_api,
    );
    assert!(manifest.contains(&current_api), "{manifest}");
    std::fs::write(module.join("Cargo.toml"), manifest).unwrap();
    std::fs::copy(workspace().join("Cargo.lock"), module.join("Cargo.lock")).unwrap();
    cargo(&module, &["build", "--quiet"]);
    let tree = succeeded(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args(["tree", "--quiet", "--depth", "1", "-p", "openimis-sdk"])
            .current_dir(&module)
            .env("CARGO_TARGET_DIR", module_target_dir())
            .output()
            .unwrap(),
        "cargo tree",
    );
    assert!(tree.starts_with("openimis-sdk v0.1.0 ("), "{tree}");
    assert!(
        tree.contains(&format!(
            "openimis-plugin-api v{} ({})",
            openimis_plugin_api::API_VERSION,
            workspace().join("plugin-api").display()
        )),
        "the previous SDK over the current plugin-api:\n{tree}"
    );

    let library = module_target_dir()
        .join("debug")
        .join(openimis_host::loader::library_file_name("sdk_previous"));
    let modules = modules_dir(
        &work.join("modules"),
        std::slice::from_ref(&library),
        &["sdk_previous"],
    );
    loads_and_answers(
        &openimis_binary(),
        &modules,
        &library,
        "{ sdkPrevious { sdkVersion apiVersion greetings } }",
        json!({"data": {"sdkPrevious": {
            "sdkVersion": "0.1.0",
            "apiVersion": openimis_plugin_api::API_VERSION,
            "greetings": ["hello", "bonjour"],
        }}}),
    );
}

#[test]
fn a_module_created_from_a_dist_archive_alone_builds_and_loads() {
    // The dist archive, laid out from the debug build the tests already have (`cargo xtask
    // dist --debug`: the same tree as a release dist, without the release build).
    built();
    let out = scratch("dist");
    succeeded(
        Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".into()))
            .args([
                "run", "--quiet", "-p", "xtask", "--", "dist", "--debug", "--out",
            ])
            .arg(&out)
            .current_dir(workspace())
            .output()
            .unwrap(),
        "cargo xtask dist --debug",
    );
    let archive = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.to_string_lossy().ends_with(".tar.gz"))
        .expect("a tarball");

    // Away from the sources: the archive unpacked in a temp directory, the module next to it.
    let away = tempfile::tempdir().unwrap();
    untar(&archive, away.path());
    let dist = away.path().join(
        archive
            .file_name()
            .unwrap()
            .to_string_lossy()
            .trim_end_matches(".tar.gz"),
    );
    let binary = dist.join("openimis");
    let created = Command::new(&binary)
        .args([
            "create-module",
            "demo_dist",
            "Jane Doe",
            "jane@example.org",
            "--path",
        ])
        .arg(away.path())
        .current_dir(away.path())
        .env_remove("OPENIMIS_CONF_JSON")
        .output()
        .unwrap();
    succeeded(created, "create-module from the dist");
    let module = away.path().join("openimis-be-demo-dist");
    let manifest = std::fs::read_to_string(module.join("Cargo.toml")).unwrap();
    let crates = dist.canonicalize().unwrap().join("crates");
    for needle in [
        format!(
            "path = \"{}\"",
            crates
                .join(format!("openimis-sdk-{}", openimis_sdk::SDK_VERSION))
                .display()
        ),
        format!(
            "[patch.crates-io]\nopenimis-plugin-api = {{ path = \"{}\" }}",
            crates
                .join(format!(
                    "openimis-plugin-api-{}",
                    openimis_plugin_api::API_VERSION
                ))
                .display()
        ),
    ] {
        assert!(manifest.contains(&needle), "{needle} not in:\n{manifest}");
    }
    assert!(
        !manifest.contains(&workspace().display().to_string()),
        "nothing of the sources:\n{manifest}"
    );
    // The workspace's lock file only pins the versions the tests already compiled.
    std::fs::copy(workspace().join("Cargo.lock"), module.join("Cargo.lock")).unwrap();
    cargo(&module, &["build", "--quiet"]);

    let library = module_target_dir()
        .join("debug")
        .join(openimis_host::loader::library_file_name("demo_dist"));
    let core = dist
        .join("modules")
        .join(openimis_host::loader::library_file_name("core"));
    let modules = modules_dir(
        &away.path().join("modules"),
        &[core, library.clone()],
        &["core", "demo_dist"],
    );
    loads_and_answers(
        &binary,
        &modules,
        &library,
        "{ demoDistItems { totalCount } }",
        json!({"data": {"demoDistItems": {"totalCount": 0}}}),
    );
}
