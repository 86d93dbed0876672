//! Startup: `openimis.json` → libraries → checked plan → init → schema → migrations → ready →
//! a [`Runtime`] that serves. Every problem on the way is collected; optional modules that fail
//! are disabled with their dependents, a failing required module refuses startup with the report.

use crate::auth::JwtKeys;
use crate::db::{migrate, HostDb};
use crate::graphql::{compose, Composed, Engine, SdlPart};
use crate::host_services::HostServices;
use crate::loader::{self, Library};
use crate::module_host::{Directory, ModuleHost};
use crate::modules::{ModuleSet, RunningModule, Stats};
use crate::mutations::MutationQueue;
use crate::plan::{self, Candidate, ModuleEntry, ModulesFile};
use crate::problems::{Code, Problem, Report, StartupError};
use crate::settings::{ModulesSource, Settings};
use abi_stable::std_types::{RResult, RStr};
use openimis_plugin_api::abi::DatabaseInfo;
use openimis_plugin_api::Manifest;
use serde::Serialize;
use std::path::PathBuf;
use std::sync::Arc;

/// What startup does beyond checking.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StartOptions {
    /// Apply pending migrations.
    pub migrate: bool,
    /// Call every module's `ready` (serving does; `check` does not).
    pub ready: bool,
}

/// One `openimis.json` entry's outcome, for `openimis modules` and `/ht/`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct ModuleStatus {
    pub name: String,
    pub implementation: Option<String>,
    pub version: Option<String>,
    pub library: String,
    pub running: bool,
    pub error: Option<String>,
}

/// The started system.
pub struct Runtime {
    pub settings: Settings,
    pub modules: Arc<ModuleSet>,
    pub engine: Arc<Engine>,
    pub db: HostDb,
    /// Problems that did not stop startup (disabled optional modules).
    pub report: Report,
    pub statuses: Vec<ModuleStatus>,
    /// Token keys and per-request effects (the host's own services).
    pub services: Arc<HostServices>,
    /// How mutations run: inline (DEV) or queued (PROD; in-process or RabbitMQ).
    pub mutations: Arc<MutationQueue>,
    /// The modules' scheduled jobs (run while serving when `SCHEDULER_AUTOSTART=True`).
    pub scheduler: Arc<crate::scheduler::Scheduler>,
    /// Migrations, in the order they (would) run.
    pub migrations: Vec<migrate::ModuleMigration>,
    _directory: Arc<Directory>,
}

struct Started {
    entry: ModuleEntry,
    manifest: Manifest,
    path: PathBuf,
    module: Arc<openimis_plugin_api::ModuleBox>,
}

/// Reads the module list from the settings' source.
pub fn read_modules_file(settings: &Settings) -> Result<ModulesFile, Vec<Problem>> {
    match &settings.modules {
        ModulesSource::Inline(json) => ModulesFile::parse(json, "OPENIMIS_CONF_JSON"),
        ModulesSource::File(path) => {
            let text = std::fs::read_to_string(path).map_err(|e| {
                vec![Problem::new(
                    Code::ConfigInvalid,
                    None,
                    format!("cannot read {}: {e}", path.display()),
                )]
            })?;
            ModulesFile::parse(&text, &path.display().to_string())
        }
    }
}

impl Runtime {
    /// Starts everything; `Err` carries the full report when a required part failed.
    pub fn start(settings: Settings, options: StartOptions) -> Result<Runtime, StartupError> {
        let mut report = Report::default();
        let file = match read_modules_file(&settings) {
            Ok(file) => file,
            Err(problems) => {
                problems.into_iter().for_each(|p| report.push(p));
                return Err(StartupError { report });
            }
        };
        let host_api =
            semver::Version::parse(openimis_plugin_api::API_VERSION).expect("own version parses");

        // 1. Libraries and the plan.
        let mut paths = std::collections::HashMap::new();
        let candidates: Vec<Candidate<Library>> = file
            .modules
            .iter()
            .map(|entry| {
                let path = loader::library_path(&settings.modules_dir, &entry.library_stem());
                paths.insert(entry.name.clone(), path.clone());
                Candidate {
                    entry: entry.clone(),
                    loaded: loader::load(&path, &entry.name),
                }
            })
            .collect();
        let plan = plan::validate(candidates, &host_api);
        report.problems.extend(plan.report.problems);
        let mut disabled = plan.disabled;

        // 2. Pool budgets.
        let pool_sizes: Vec<u32> = plan
            .modules
            .iter()
            .map(|m| pool_size(&m.entry, &settings))
            .collect();
        let total: u32 = pool_sizes.iter().sum();
        if total > settings.max_connections {
            report.push(Problem::new(
                Code::PoolBudgetExceeded,
                None,
                format!(
                    "module pools need {total} connections, DB_MAX_CONNECTIONS allows {}",
                    settings.max_connections
                ),
            ));
        }

        // 3. Token keys, then init in order.
        let keys = match JwtKeys::load(&settings.jwt_keys_dir, &settings.secret_key) {
            Ok(keys) => keys,
            Err(e) => {
                report.push(Problem::new(
                    Code::ConfigInvalid,
                    None,
                    format!("JWT key: {e}"),
                ));
                JwtKeys::hs256(&settings.secret_key)
            }
        };
        let visible_settings = serde_json::json!({
            "mode": if settings.mode == crate::settings::Mode::Dev { "DEV" } else { "PROD" },
            "demo_dataset": settings.demo_dataset,
            "row_security": settings.row_security,
            "site_root": settings.site_root,
            "password_policy": {
                "min_length": settings.password_policy[0],
                "uppercase": settings.password_policy[1],
                "lowercase": settings.password_policy[2],
                "digits": settings.password_policy[3],
                "symbols": settings.password_policy[4],
            },
            "frontend_url": settings.origins.frontend_url,
            "site_url": settings.origins.site_url,
            "exports_root": settings.exports_root,
            "env": settings.module_env,
            "login_lockout": {
                "failure_limit": settings.login_lockout.failure_limit,
                "cooloff_minutes": settings.login_lockout.cooloff_minutes,
            },
        });
        let services =
            Arc::new(HostServices::new(keys, visible_settings).with_mail(settings.mail.clone()));
        services.set_cache(Arc::new(open_cache(&settings, options, &mut report)));
        let directory = Arc::new(Directory::default());
        let mutations = Arc::new(MutationQueue::new(directory.clone()));
        let mut started: Vec<Started> = Vec::new();
        for (planned, pool) in plan.modules.into_iter().zip(pool_sizes) {
            if depends_on_any(&planned.manifest, &disabled) {
                report.push(module_problem(
                    &planned.entry,
                    Code::DependencyDisabled,
                    "a module it requires is disabled".into(),
                ));
                disabled.push(planned.entry.name.clone());
                continue;
            }
            let database = DatabaseInfo {
                url: settings.database.url().into(),
                backend: settings.database.backend().into(),
                pool_size: pool,
            };
            let host = ModuleHost::boxed(
                &planned.entry.name,
                &planned.entry.config,
                database,
                directory.clone(),
                services.clone(),
                mutations.clone(),
            );
            let config = planned.entry.config.to_string();
            match (planned.library.root.init())(host, RStr::from(config.as_str())) {
                RResult::ROk(module) => started.push(Started {
                    path: paths[&planned.entry.name].clone(),
                    entry: planned.entry,
                    manifest: planned.manifest,
                    module: Arc::new(module),
                }),
                RResult::RErr(e) => {
                    report.push(module_problem(
                        &planned.entry,
                        Code::InitFailed,
                        e.to_string(),
                    ));
                    disabled.push(planned.entry.name);
                }
            }
        }

        // 4. Schema (optional offenders are dropped and the rest recomposed).
        let mut composed = compose_until_clean(&mut started, &mut disabled, &mut report);
        let migrations = migration_plan(&started, &settings);
        if report.is_fatal() {
            return Err(StartupError { report });
        }

        // 5. Migrations.
        if options.migrate {
            if let Err(e) = migrate::run(&settings.database, &migrations) {
                let entry = started
                    .iter()
                    .find(|s| s.entry.name == e.module)
                    .map(|s| s.entry.clone());
                let mut problem =
                    Problem::new(Code::MigrationFailed, Some(&e.module), e.to_string());
                problem.fatal = entry.is_none_or(|entry| entry.required);
                report.push(problem);
                return Err(StartupError { report });
            }
        }

        // 6. ready, in order, with the directory already answering.
        let mut set = Arc::new(running_set(&started));
        directory.publish_set(&set);
        if options.ready {
            let mut failed = false;
            for s in &started {
                if depends_on_any(&s.manifest, &disabled) {
                    report.push(module_problem(
                        &s.entry,
                        Code::DependencyDisabled,
                        "a module it requires is disabled".into(),
                    ));
                    disabled.push(s.entry.name.clone());
                    failed = true;
                    continue;
                }
                if let RResult::RErr(e) = s.module.ready() {
                    report.push(module_problem(&s.entry, Code::ReadyFailed, e.to_string()));
                    disabled.push(s.entry.name.clone());
                    failed = true;
                }
            }
            if report.is_fatal() {
                return Err(StartupError { report });
            }
            if failed {
                started.retain(|s| !disabled.contains(&s.entry.name));
                composed = compose_until_clean(&mut started, &mut disabled, &mut report);
                set = Arc::new(running_set(&started));
                directory.publish_set(&set);
            }
        }
        // 7. The mutation queue, once the modules that run its jobs are ready.
        if options.ready {
            let queued = settings.mode == crate::settings::Mode::Prod;
            let broker = settings.celery_broker_url.as_deref();
            if let Err(e) = mutations.start(queued, broker, &settings.mutation_queue) {
                report.push(Problem::new(Code::BrokerUnavailable, None, e.to_string()));
                return Err(StartupError { report });
            }
            mutations.recover(&settings.database);
        }
        let composed = composed.expect("no fatal problem means the schema composed");
        let statuses = statuses(&file.modules, &set, &report, &paths);
        let db = HostDb::new(&settings.database);
        // Hosts sharing the database run each due instant of a job once (scheduler::claims).
        let scheduler = Arc::new(
            crate::scheduler::Scheduler::for_modules(&set, chrono::Utc::now())
                .with_claims(Arc::new(crate::scheduler::DbClaims::new(db.clone()))),
        );
        services.set_scheduler(scheduler.clone());
        let engine = Arc::new(
            Engine::new(composed, set.clone())
                .with_max_depth(settings.graphql_max_depth)
                .with_max_complexity(settings.graphql_max_complexity),
        );
        Ok(Runtime {
            db,
            settings,
            modules: set,
            engine,
            report,
            statuses,
            migrations,
            scheduler,
            services,
            mutations,
            _directory: directory,
        })
    }

    /// Calls every module's `shutdown`, last started first.
    pub fn shutdown(&self) {
        self.scheduler.stop();
        for m in self.modules.iter().collect::<Vec<_>>().into_iter().rev() {
            m.module.shutdown();
        }
    }
}

/// The configured cache; serving also checks that its server answers. A cache that cannot be
/// opened is a startup problem naming the settings (the memory cache stands in meanwhile).
fn open_cache(
    settings: &Settings,
    options: StartOptions,
    report: &mut Report,
) -> crate::cache::Cache {
    let opened = if options.ready {
        crate::cache::Cache::connect(&settings.cache)
    } else {
        crate::cache::Cache::open(&settings.cache)
    };
    opened.unwrap_or_else(|e| {
        report.push(Problem::new(
            Code::ConfigInvalid,
            None,
            format!("CACHE_BACKEND/CACHE_URL: {e}"),
        ));
        crate::cache::Cache::memory()
    })
}

fn pool_size(entry: &ModuleEntry, settings: &Settings) -> u32 {
    entry
        .config
        .get("pool_size")
        .and_then(serde_json::Value::as_u64)
        .map_or(settings.module_pool_size, |n| n as u32)
}

fn module_problem(entry: &ModuleEntry, code: Code, message: String) -> Problem {
    Problem {
        code,
        module: Some(entry.name.clone()),
        message,
        fatal: entry.required,
    }
}

fn depends_on_any(manifest: &Manifest, disabled: &[String]) -> bool {
    manifest.requires.keys().any(|d| disabled.contains(d))
}

fn running_set(started: &[Started]) -> ModuleSet {
    ModuleSet::new(
        started
            .iter()
            .map(|s| {
                Arc::new(RunningModule {
                    entry: s.entry.clone(),
                    manifest: s.manifest.clone(),
                    path: s.path.clone(),
                    module: s.module.clone(),
                    stats: Stats::default(),
                })
            })
            .collect(),
    )
}

/// Composes; drops optional modules whose SDL is at fault (and their dependents) until the
/// schema composes or a required module is at fault.
fn compose_until_clean(
    started: &mut Vec<Started>,
    disabled: &mut Vec<String>,
    report: &mut Report,
) -> Option<Composed> {
    loop {
        started.retain(|s| {
            let keep = !depends_on_any(&s.manifest, disabled);
            if !keep {
                report.push(module_problem(
                    &s.entry,
                    Code::DependencyDisabled,
                    "a module it requires is disabled".into(),
                ));
                disabled.push(s.entry.name.clone());
            }
            keep
        });
        let parts: Vec<SdlPart> = started
            .iter()
            .map(|s| SdlPart {
                module: s.entry.name.clone(),
                sdl: s.module.graphql_sdl().into_string(),
            })
            .collect();
        match compose(&parts) {
            Ok(composed) => return Some(composed),
            Err(problems) => {
                let mut retry = false;
                let mut stop = false;
                for mut problem in problems {
                    let offender = problem.module.clone().unwrap_or_default();
                    match started.iter().position(|s| s.entry.name == offender) {
                        Some(i) if !started[i].entry.required => {
                            problem.fatal = false;
                            disabled.push(started.remove(i).entry.name);
                            retry = true;
                        }
                        Some(_) => stop = true,
                        None if disabled.contains(&offender) => problem.fatal = false,
                        None => stop = true,
                    }
                    report.push(problem);
                }
                if stop || !retry {
                    return None;
                }
            }
        }
    }
}

fn migration_plan(started: &[Started], settings: &Settings) -> Vec<migrate::ModuleMigration> {
    let per_module: Vec<(String, Vec<openimis_plugin_api::Migration>)> = started
        .iter()
        .map(|s| (s.entry.name.clone(), s.module.migrations().into_vec()))
        .collect();
    migrate::plan(&per_module, settings.database.backend())
}

fn statuses(
    entries: &[ModuleEntry],
    set: &ModuleSet,
    report: &Report,
    paths: &std::collections::HashMap<String, PathBuf>,
) -> Vec<ModuleStatus> {
    let mut seen = std::collections::HashSet::new();
    entries
        .iter()
        .filter(|e| seen.insert(e.name.clone()))
        .map(|entry| {
            let running = set.get(&entry.name);
            let error = report
                .problems
                .iter()
                .filter(|p| p.module.as_deref() == Some(entry.name.as_str()))
                .map(|p| format!("[{}] {}", p.code, p.message))
                .next();
            ModuleStatus {
                name: entry.name.clone(),
                implementation: running.map(|m| m.manifest.implementation.clone()),
                version: running.map(|m| m.manifest.version.clone()),
                library: paths
                    .get(&entry.name)
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
                running: running.is_some(),
                error: if running.is_some() { None } else { error },
            }
        })
        .collect()
}
