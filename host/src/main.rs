//! `openimis`: the server's command line (serve, check, modules, inspect, migrate, schema).

use clap::{Parser, Subcommand};
use openimis_host::supervisor::{control, generation};
use openimis_host::{
    db::migrate,
    http::Listen,
    loader,
    runtime::{Runtime, StartOptions},
    settings::Settings,
};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

// GraphQL answers are trees of small allocations; mimalloc halves their cost against glibc's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "openimis",
    version,
    about = "The openIMIS backend: a host that loads openIMIS modules"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the server (migrating first when DJANGO_MIGRATE=True or SITE_ROOT=api): a
    /// supervisor that owns the socket and runs one server generation; `openimis reload`
    /// swaps it for a new one without dropping a request.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8000")]
        bind: String,
        /// Serve in this one process, without a supervisor (no reload).
        #[arg(long)]
        single: bool,
    },
    /// Swap the running server's modules without dropping a request: check the module set,
    /// start a new generation, drain the old one (as SIGHUP to `openimis serve` does).
    Reload {
        #[arg(long, default_value = "127.0.0.1:8000")]
        bind: String,
    },
    /// Check openimis.json, every library, the composed schema and the migration plan, offline.
    Check,
    /// List the modules of openimis.json with implementation, version, status and error.
    Modules,
    /// Print a library's manifest without starting it.
    Inspect { library: PathBuf },
    /// Apply pending migrations of every module, in dependency order.
    Migrate,
    /// Print the composed GraphQL schema (SDL).
    Schema,
    /// List the modules' scheduled jobs: module, name, cron and next run (UTC).
    Jobs,
    /// Start the runtime (migrate + ready) and grow the demo data: `--scale N` asks the
    /// `location` module for a tree of N villages (service `demo.scale`).
    Demo {
        #[arg(long)]
        scale: u64,
    },
    /// Module developer tools: create-module, add-github-files, install-module(-locally), ...
    #[command(flatten)]
    Dev(openimis_host::devtools::cli::DevCommand),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    // Developer tools read only MODULES_DIR and OPENIMIS_CONF(_JSON), never the server's settings.
    let cli = match cli.command {
        Command::Dev(dev) => return exit_code(openimis_host::devtools::cli::run(dev)),
        Command::Reload { bind } => return exit_code(reload(&bind)),
        command => Cli { command },
    };
    // A server generation started by a supervisor finds its socket in the environment.
    let mut handoff = match generation::Handoff::from_env() {
        Ok(handoff) => handoff,
        Err(e) => {
            eprintln!("error [HANDOFF_INVALID] {e}");
            return ExitCode::from(2);
        }
    };
    // Commands that serve nothing need no SECRET_KEY, even in PROD.
    let offline = matches!(
        cli.command,
        Command::Check | Command::Modules | Command::Inspect { .. } | Command::Schema
    );
    let read = match offline {
        true => Settings::from_process_env_offline,
        false => Settings::from_process_env,
    };
    let settings = match read() {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("error [CONFIG_INVALID] {e}");
            return ExitCode::from(2);
        }
    };
    openimis_host::logging::HostLogger::install(&settings.logging);
    // Kept until exit: dropping it flushes the reports still queued.
    let _sentry = openimis_host::observability::init(&settings);
    match &cli.command {
        Command::Serve {
            bind,
            single: false,
        } if handoff.is_none() => {
            return match openimis_host::supervisor::run(bind) {
                Ok(code) => ExitCode::from(code),
                Err(message) => {
                    eprintln!("{message}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Serve { .. } => {}
        _ => drop(handoff.take()),
    }
    let handoff = handoff.map(generation::Handoff::split);
    let announce = handoff.as_ref().map(|(_, _, announce)| announce.clone());
    match run(cli.command, settings, handoff) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            if let Some(announce) = announce {
                announce.failed(&message);
            }
            ExitCode::from(1)
        }
    }
}

/// `openimis reload`: asks the supervisor serving on `bind` to swap generations.
fn reload(bind: &str) -> Result<(), String> {
    let port = control::port_of(bind)?;
    control::reload(&control::socket_path(port))
}

fn exit_code(outcome: Result<(), String>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::from(1)
        }
    }
}

const CHECK: StartOptions = StartOptions {
    migrate: false,
    ready: false,
};

fn start(settings: Settings, options: StartOptions) -> Result<Runtime, String> {
    let runtime = Runtime::start(settings, options).map_err(|e| e.to_string())?;
    for problem in &runtime.report.problems {
        log::warn!(target: "openimis", "{problem}");
    }
    Ok(runtime)
}

/// A socket handed over by the supervisor, the generation, and the readiness pipe.
type Inherited = (std::net::TcpListener, u64, generation::Announce);

fn run(command: Command, settings: Settings, inherited: Option<Inherited>) -> Result<(), String> {
    match command {
        Command::Serve { bind, .. } => {
            let options = StartOptions {
                migrate: settings.migrate_on_start,
                ready: true,
            };
            let runtime = Arc::new(start(settings, options)?);
            if runtime.settings.scheduler_autostart {
                runtime.scheduler.spawn().map_err(|e| {
                    format!("error [SCHEDULER_FAILED] cannot start the scheduler: {e}")
                })?;
            }
            log::info!(target: "openimis", "serving {} module(s) on http://{bind}{}graphql", runtime.modules.len(), runtime.settings.prefix());
            let listen = match inherited {
                Some((listener, generation, announce)) => Listen::Inherited {
                    listener,
                    generation,
                    announce,
                },
                None => Listen::Bind(bind.clone()),
            };
            actix_web::rt::System::new()
                .block_on(openimis_host::http::serve(runtime, listen))
                .map_err(|e| format!("error [BIND_FAILED] cannot serve on {bind}: {e}"))
        }
        Command::Check => {
            let runtime = start(settings, CHECK)?;
            println!(
                "start order: {}",
                runtime
                    .modules
                    .iter()
                    .map(|m| m.name())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            println!(
                "schema: {} types",
                runtime.engine.composed.schema.types.len()
            );
            println!(
                "migrations: {}",
                runtime
                    .migrations
                    .iter()
                    .map(|m| m.id())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            for problem in &runtime.report.problems {
                println!("{problem}");
            }
            println!("OK");
            Ok(())
        }
        Command::Modules => {
            let runtime = start(settings, CHECK)?;
            println!(
                "{:<16} {:<20} {:<10} {:<9} ERROR",
                "NAME", "IMPLEMENTATION", "VERSION", "STATUS"
            );
            for s in &runtime.statuses {
                println!(
                    "{:<16} {:<20} {:<10} {:<9} {}",
                    s.name,
                    s.implementation.as_deref().unwrap_or("-"),
                    s.version.as_deref().unwrap_or("-"),
                    if s.running { "ok" } else { "disabled" },
                    s.error.as_deref().unwrap_or("")
                );
            }
            Ok(())
        }
        Command::Inspect { library } => {
            let manifest = loader::inspect(&library).map_err(|p| p.to_string())?;
            println!(
                "{}",
                serde_json::to_string_pretty(&manifest).expect("manifest serializes")
            );
            Ok(())
        }
        Command::Migrate => {
            let database = settings.database.clone();
            let runtime = start(settings, CHECK)?;
            let ran = migrate::run(&database, &runtime.migrations)
                .map_err(|e| format!("error [MIGRATION_FAILED] module `{}`: {e}", e.module))?;
            println!(
                "applied {} migration(s){}",
                ran.len(),
                if ran.is_empty() {
                    String::new()
                } else {
                    format!(": {}", ran.join(", "))
                }
            );
            Ok(())
        }
        Command::Demo { scale } => {
            let options = StartOptions {
                migrate: true,
                ready: true,
            };
            let runtime = start(settings, options)?;
            let location = runtime.modules.get("location").ok_or(
                "error [MODULE_NOT_LOADED] `openimis demo --scale` needs the location module",
            )?;
            let payload = serde_json::json!({ "villages": scale }).to_string();
            let answer = location.service("demo.scale", &payload).map_err(|e| {
                format!(
                    "error [{}] module `location`: {}",
                    e.error.code, e.error.message
                )
            })?;
            println!("{answer}");
            Ok(())
        }
        Command::Jobs => {
            let runtime = start(settings, CHECK)?;
            print!(
                "{}",
                openimis_host::scheduler::table(&runtime.scheduler.jobs())
            );
            Ok(())
        }
        Command::Schema => {
            let runtime = start(settings, CHECK)?;
            print!("{}", runtime.engine.composed.sdl());
            Ok(())
        }
        Command::Dev(dev) => openimis_host::devtools::cli::run(dev),
        Command::Reload { .. } => unreachable!("answered before the settings are read"),
    }
}
