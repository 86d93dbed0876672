//! The devtools commands as the `openimis` CLI runs them: arguments in, lines printed out.
//! They read only `MODULES_DIR` and `OPENIMIS_CONF`/`OPENIMIS_CONF_JSON` (and `.env`), never
//! the server's settings, so they work without a database or secrets configured.

use super::cargo::Installed;
use super::create_module::{CreateModule, Template};
use super::install_crate::{self, Package};
use super::install_local::{self, Source, Target};
use super::names::default_crate_name;
use super::{error, github_files, translations, DevResult};
use crate::plan::ModulesFile;
use crate::settings::ModulesSource;
use clap::{Args, Subcommand, ValueEnum};
use std::path::{Path, PathBuf};

/// The developer subcommands of `openimis`.
#[derive(Subcommand)]
pub enum DevCommand {
    /// Create a module crate that builds and loads as it is (query, mutation, migrations, tests).
    CreateModule {
        name: String,
        author: String,
        email: String,
        #[arg(long, value_enum, default_value = "business")]
        template: TemplateArg,
        #[command(flatten)]
        new_module: NewModuleArgs,
    },
    /// Create a calculation-rule module (`create-module --template calculation`).
    CreateCalcruleModule {
        name: String,
        author: String,
        email: String,
        #[command(flatten)]
        new_module: NewModuleArgs,
    },
    /// Add `.gitignore` and the CI workflows (build, test, publish on tags) to a module crate.
    AddGithubFiles { module: PathBuf },
    /// Clone (or take local sources of) a module, build it in release, install it into
    /// MODULES_DIR and point openimis.json at it; `all`: every module openimis.json lists.
    InstallModuleLocally {
        name: String,
        /// Git URL or path to clone; `{name}` is replaced by the module name.
        #[arg(long)]
        url: Option<String>,
        #[arg(long)]
        branch: Option<String>,
        /// The module's source directory (for `all`: the directory holding one per module).
        #[arg(long)]
        path: Option<PathBuf>,
        /// Where clones go.
        #[arg(long, default_value = "modules-src")]
        checkouts: PathBuf,
    },
    /// Install a module from its source package on crates.io (or another cargo registry).
    InstallModule {
        name: String,
        #[arg(long)]
        target_version: Option<String>,
        /// The crate name; default `openimis-be-<name>`.
        #[arg(long)]
        library_name: Option<String>,
        /// Print the newest version without installing.
        #[arg(long)]
        check_only: bool,
        /// A registry of cargo's configuration instead of crates.io.
        #[arg(long)]
        registry: Option<String>,
        /// Where downloaded sources go.
        #[arg(long, default_value = "modules-src")]
        checkouts: PathBuf,
    },
    /// Merge every module's `translations/<lang>.json` into `<out>/<lang>.json`, later modules
    /// winning.
    ExtractTranslations {
        /// Module source directories or library files, in order; default: the modules
        /// openimis.json lists, from their sources under --path, else their installed library.
        sources: Vec<PathBuf>,
        /// The directory holding the sources of the modules openimis.json lists.
        #[arg(long)]
        path: Option<PathBuf>,
        #[arg(long, default_value = "extracted_translations")]
        out: PathBuf,
    },
}

/// `--template`.
#[derive(Clone, Copy, ValueEnum)]
pub enum TemplateArg {
    Business,
    Calculation,
}

/// The options every module creation takes.
#[derive(Args)]
pub struct NewModuleArgs {
    /// Also add `.gitignore` and GitHub workflows.
    #[arg(long)]
    github: bool,
    /// The directory the module's directory is created in.
    #[arg(long, default_value = ".")]
    path: PathBuf,
    /// The openimis-sdk crate to depend on; default: `crates/openimis-sdk-<version>` next to
    /// this binary (a dist archive, the docker image), else the sources it was built from.
    #[arg(long)]
    sdk: Option<PathBuf>,
    /// The openimis-plugin-api crate a packaged SDK builds on; default: next to that SDK.
    #[arg(long)]
    plugin_api: Option<PathBuf>,
}

impl NewModuleArgs {
    fn request(
        self,
        name: String,
        author: String,
        email: String,
        template: Template,
    ) -> CreateModule {
        CreateModule {
            name,
            author,
            email,
            template,
            github: self.github,
            parent: self.path,
            sdk: self.sdk,
            plugin_api: self.plugin_api,
        }
    }
}

/// Where installs go and which module list is read, from the environment (and `.env`).
pub struct Paths {
    pub modules_dir: PathBuf,
    pub modules: ModulesSource,
}

impl Paths {
    pub fn from_process_env() -> Self {
        let _ = dotenvy::dotenv();
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Self {
            modules_dir: var("MODULES_DIR")
                .unwrap_or_else(|| "modules".into())
                .into(),
            modules: match var("OPENIMIS_CONF_JSON") {
                Some(json) => ModulesSource::Inline(json),
                None => ModulesSource::File(
                    var("OPENIMIS_CONF")
                        .unwrap_or_else(|| "openimis.json".into())
                        .into(),
                ),
            },
        }
    }
}

/// Runs one developer command.
pub fn run(command: DevCommand) -> DevResult<()> {
    match command {
        DevCommand::CreateModule {
            name,
            author,
            email,
            template,
            new_module,
        } => {
            let template = match template {
                TemplateArg::Business => Template::Business,
                TemplateArg::Calculation => Template::Calculation,
            };
            create(&new_module.request(name, author, email, template))
        }
        DevCommand::CreateCalcruleModule {
            name,
            author,
            email,
            new_module,
        } => create(&new_module.request(name, author, email, Template::Calculation)),
        DevCommand::AddGithubFiles { module } => add_github_files(&module),
        DevCommand::InstallModuleLocally {
            name,
            url,
            branch,
            path,
            checkouts,
        } => {
            let source = Source {
                url,
                branch,
                path,
                checkouts,
            };
            install_module_locally(&name, &source, &Paths::from_process_env())
        }
        DevCommand::InstallModule {
            name,
            target_version,
            library_name,
            check_only,
            registry,
            checkouts,
        } => {
            let package = Package {
                crate_name: library_name.unwrap_or_else(|| default_crate_name(&name)),
                version: target_version,
                registry,
                checkouts,
            };
            install_module(package, check_only, &Paths::from_process_env())
        }
        DevCommand::ExtractTranslations { sources, path, out } => {
            extract_translations(sources, path.as_deref(), &out, &Paths::from_process_env())
        }
    }
}

/// `create-module` / `create-calcrule-module`.
fn create(request: &CreateModule) -> DevResult<()> {
    let dir = request.run()?;
    println!(
        "created module `{}` ({} template) in {}",
        request.name,
        request.template.as_str(),
        dir.display()
    );
    println!(
        "next: cd {} && cargo test && cargo build --release",
        dir.display()
    );
    if request.template == Template::Calculation {
        println!("the calculation rule is in src/calculation.rs");
    }
    Ok(())
}

/// `add-github-files`.
fn add_github_files(dir: &Path) -> DevResult<()> {
    let added = github_files::add(dir)?;
    for file in &added.written {
        println!("added {file}");
    }
    for file in &added.kept {
        println!("kept {file} (exists already)");
    }
    Ok(())
}

/// `install-module-locally`.
fn install_module_locally(name: &str, source: &Source, paths: &Paths) -> DevResult<()> {
    let installed = install_local::run(name, source, &target(paths)?, &mut report)?;
    if installed.is_empty() {
        println!("openimis.json lists no module: nothing to install");
    }
    Ok(())
}

/// `install-module`.
fn install_module(package: Package, check_only: bool, paths: &Paths) -> DevResult<()> {
    if check_only {
        let version = install_crate::newest_version(&package)?;
        println!("{} {version}", package.crate_name);
        return Ok(());
    }
    report(&install_crate::install(&package, &target(paths)?)?);
    Ok(())
}

/// `extract-translations`.
fn extract_translations(
    sources: Vec<PathBuf>,
    path: Option<&Path>,
    out: &Path,
    paths: &Paths,
) -> DevResult<()> {
    let sources = if !sources.is_empty() {
        sources
    } else {
        let mut found = Vec::new();
        for entry in modules_file(paths)?.modules {
            let library = paths
                .modules_dir
                .join(crate::loader::library_file_name(&entry.library_stem()));
            let sources = path.and_then(|root| {
                translations::module_sources(root, &entry.name, &entry.library_stem())
            });
            match sources {
                Some(dir) => found.push(dir),
                None if library.is_file() => found.push(library),
                None => eprintln!(
                    "warning: neither sources (--path) nor an installed library ({}) of `{}`",
                    library.display(),
                    entry.name,
                ),
            }
        }
        found
    };
    let extracted = translations::extract(&sources, out)?;
    for dir in &extracted.without_catalogues {
        eprintln!(
            "warning: {} has no message catalogues (translations/<lang>.json)",
            dir.display()
        );
    }
    for (language, (file, keys)) in &extracted.languages {
        println!("{language}: {keys} key(s) in {}", file.display());
    }
    Ok(())
}

fn report(installed: &Installed) {
    println!(
        "installed `{}` {} as {} ({} openimis.json)",
        installed.name,
        installed.version,
        installed.path.display(),
        if installed.updated {
            "updated in"
        } else {
            "added to"
        }
    );
}

fn target(paths: &Paths) -> DevResult<Target> {
    match &paths.modules {
        ModulesSource::File(conf) => Ok(Target {
            modules_dir: paths.modules_dir.clone(),
            conf: conf.clone(),
        }),
        ModulesSource::Inline(_) => Err(error(
            "CONFIG_INVALID",
            "OPENIMIS_CONF_JSON is set: the module list is inline and cannot be updated; unset it (OPENIMIS_CONF names the file)",
        )),
    }
}

fn modules_file(paths: &Paths) -> DevResult<ModulesFile> {
    let (text, source) = match &paths.modules {
        ModulesSource::File(path) => (
            std::fs::read_to_string(path)
                .map_err(|e| error("CONFIG_INVALID", format!("{}: {e}", path.display())))?,
            path.display().to_string(),
        ),
        ModulesSource::Inline(text) => (text.clone(), "OPENIMIS_CONF_JSON".to_owned()),
    };
    ModulesFile::parse(&text, &source).map_err(|problems| {
        problems
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    })
}
