//! `openimis create-module` (and `create-calcrule-module`): a new module crate that builds and
//! loads as it is.

use super::names::ModuleNames;
use super::template::{self, Context};
use super::{error, DevResult};
use std::hash::{BuildHasher, Hasher};
use std::path::{Path, PathBuf};

/// Which kind of module to create.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Template {
    /// Query, mutation and a business service with its tests.
    Business,
    /// Query, mutation and the calculation-rule interface of the original's calcrule modules.
    Calculation,
}

impl Template {
    pub fn as_str(self) -> &'static str {
        match self {
            Template::Business => "business",
            Template::Calculation => "calculation",
        }
    }
}

/// What `create-module` is asked for.
#[derive(Debug, Clone)]
pub struct CreateModule {
    pub name: String,
    pub author: String,
    pub email: String,
    pub template: Template,
    pub github: bool,
    /// The directory the module's directory (named after the crate) is created in.
    pub parent: PathBuf,
    /// The `openimis-sdk` crate to depend on (`--sdk`); default: [`Crates::locate`]'s.
    pub sdk: Option<PathBuf>,
    /// The `openimis-plugin-api` crate under it (`--plugin-api`); default: [`Crates::locate`]'s.
    pub plugin_api: Option<PathBuf>,
}

/// Where the crates directory of a dist archive (`<dir>/crates`) or of the docker image
/// (`/usr/local/share/openimis/crates`) lies, relative to the directory of the running binary.
pub const CRATES_DIRS: &[&str] = &["crates", "../share/openimis/crates"];

/// The crates a new module builds against, by absolute path: the SDK it depends on and the
/// plugin-api (the ABI) under it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crates {
    pub sdk: PathBuf,
    pub sdk_version: String,
    pub plugin_api: PathBuf,
    /// The SDK is a packaged crate (`cargo package`, as a dist archive and the docker image
    /// carry it): it names the plugin-api by version only, so the module patches crates.io
    /// with `plugin_api`. A source checkout (`sdk/` of the host's sources) names its own.
    pub packaged: bool,
}

impl Crates {
    /// The SDK and plugin-api: the explicit ones (`--sdk`, `--plugin-api`) first; then the
    /// packaged ones next to the running binary ([`CRATES_DIRS`]: a dist archive, the docker
    /// image); then those of the source tree this binary was built from (a `target/` build).
    pub fn locate(sdk: Option<&Path>, plugin_api: Option<&Path>) -> DevResult<Crates> {
        let (default_sdk, default_api) = default_crates();
        let sdk_dir = sdk.map_or(default_sdk, Path::to_path_buf);
        let sdk_manifest = crate_manifest(&sdk_dir, "openimis-sdk").ok_or_else(|| {
            error(
                "SDK_NOT_FOUND",
                format!(
                    "{} is not the openimis-sdk crate; pass --sdk <crates/openimis-sdk-{} of a dist archive, or sdk/ of the host's sources>",
                    sdk_dir.display(),
                    openimis_sdk::SDK_VERSION
                ),
            )
        })?;
        let sdk_version = package_version(&sdk_manifest).ok_or_else(|| {
            error(
                "SDK_NOT_FOUND",
                format!("{}/Cargo.toml has no package version", sdk_dir.display()),
            )
        })?;
        let api_dependency = sdk_manifest
            .get("dependencies")
            .and_then(|d| d.get("openimis-plugin-api"));
        let packaged = !api_dependency
            .is_some_and(|d| d.get("path").is_some() || d.get("workspace").is_some());
        // A source checkout brings the plugin-api next to it (the workspace's `plugin-api/`).
        let own_api = (!packaged).then(|| sdk_dir.join("../plugin-api"));
        let api_dir = match (plugin_api, &own_api) {
            (Some(dir), _) => dir.to_path_buf(),
            (None, Some(own)) => own.clone(),
            (None, None) => default_api,
        };
        let api_manifest = crate_manifest(&api_dir, "openimis-plugin-api").ok_or_else(|| {
            error(
                "PLUGIN_API_NOT_FOUND",
                format!(
                    "{} is not the openimis-plugin-api crate; pass --plugin-api <crates/openimis-plugin-api-{} of a dist archive, or plugin-api/ of the host's sources>",
                    api_dir.display(),
                    openimis_plugin_api::API_VERSION
                ),
            )
        })?;
        let api_version = package_version(&api_manifest).unwrap_or_default();
        if api_version != openimis_plugin_api::API_VERSION {
            return Err(error(
                "PLUGIN_API_MISMATCH",
                format!(
                    "{} is openimis-plugin-api {api_version}; this host runs {} and refuses modules built against another (ABI_MISMATCH)",
                    api_dir.display(),
                    openimis_plugin_api::API_VERSION
                ),
            ));
        }
        let sdk = absolute(&sdk_dir, "SDK_NOT_FOUND")?;
        let plugin_api = absolute(&api_dir, "PLUGIN_API_NOT_FOUND")?;
        if let Some(own) = own_api {
            if absolute(&own, "PLUGIN_API_NOT_FOUND").ok().as_ref() != Some(&plugin_api) {
                return Err(error(
                    "PLUGIN_API_CONFLICT",
                    format!(
                        "{} is the SDK's source checkout, which builds on its own plugin-api ({}); --plugin-api applies to a packaged SDK only",
                        sdk.display(),
                        own.display()
                    ),
                ));
            }
        }
        Ok(Crates {
            sdk,
            sdk_version,
            plugin_api,
            packaged,
        })
    }

    /// Adds the crates' values (`sdk_path`, `sdk_version`, `plugin_api_path`) and, for a
    /// packaged SDK, the `packaged_sdk` section to a template context.
    pub fn fill(&self, context: Context) -> Context {
        let context = context
            .value("sdk_path", toml_text(&self.sdk))
            .value("sdk_version", &self.sdk_version)
            .value("plugin_api_path", toml_text(&self.plugin_api));
        if self.packaged {
            context.section("packaged_sdk")
        } else {
            context
        }
    }
}

/// The default SDK and plugin-api directories: packaged next to the binary if there, else
/// those of the source tree the binary was built from.
fn default_crates() -> (PathBuf, PathBuf) {
    let sdk_name = format!("openimis-sdk-{}", openimis_sdk::SDK_VERSION);
    let api_name = format!("openimis-plugin-api-{}", openimis_plugin_api::API_VERSION);
    let exe_dir = std::env::current_exe()
        .and_then(|exe| exe.canonicalize())
        .ok()
        .and_then(|exe| exe.parent().map(Path::to_path_buf));
    for dir in exe_dir
        .iter()
        .flat_map(|exe_dir| CRATES_DIRS.iter().map(move |d| exe_dir.join(d)))
    {
        if dir.join(&sdk_name).join("Cargo.toml").is_file() {
            return (dir.join(sdk_name), dir.join(api_name));
        }
    }
    let sources = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    (sources.join("sdk"), sources.join("plugin-api"))
}

/// The parsed `Cargo.toml` of `dir` if it is package `name`.
fn crate_manifest(dir: &Path, name: &str) -> Option<toml::Table> {
    let text = std::fs::read_to_string(dir.join("Cargo.toml")).ok()?;
    let manifest: toml::Table = text.parse().ok()?;
    let package_name = manifest.get("package")?.get("name")?.as_str()?;
    (package_name == name).then_some(manifest)
}

/// `[package] version`, when spelled out (not inherited from a workspace).
fn package_version(manifest: &toml::Table) -> Option<String> {
    Some(
        manifest
            .get("package")?
            .get("version")?
            .as_str()?
            .to_owned(),
    )
}

fn absolute(dir: &Path, code: &str) -> DevResult<PathBuf> {
    dir.canonicalize()
        .map_err(|e| error(code, format!("{}: {e}", dir.display())))
}

/// `path` as the inside of a TOML basic string (backslashes and quotes escaped).
fn toml_text(path: &Path) -> String {
    path.display()
        .to_string()
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
}

impl CreateModule {
    /// Creates the module; answers its directory.
    pub fn run(&self) -> DevResult<PathBuf> {
        let names = ModuleNames::new(&self.name)?;
        std::fs::create_dir_all(&self.parent)
            .map_err(|e| error("WRITE_FAILED", format!("{}: {e}", self.parent.display())))?;
        let parent = self
            .parent
            .canonicalize()
            .map_err(|e| error("WRITE_FAILED", format!("{}: {e}", self.parent.display())))?;
        let crates = Crates::locate(self.sdk.as_deref(), self.plugin_api.as_deref())?;
        for (what, value) in [("author", &self.author), ("email", &self.email)] {
            if value.trim().is_empty() || value.contains(['"', '\n', '<', '>']) {
                return Err(error(
                    "INVALID_ARGUMENT",
                    format!("the {what} `{value}` must be non-empty text without quotes, `<`, `>` or line breaks"),
                ));
            }
        }
        let dir = parent.join(&names.crate_name);
        if dir.exists() && std::fs::read_dir(&dir).map_or(true, |mut d| d.next().is_some()) {
            return Err(error(
                "ALREADY_EXISTS",
                format!(
                    "{} exists and is not empty; choose another --path or name",
                    dir.display()
                ),
            ));
        }
        let context = self.context(&names, &crates, &dir);
        let mut files: Vec<(&str, &str)> = template::MODULE_FILES.to_vec();
        files.extend_from_slice(match self.template {
            Template::Business => template::BUSINESS_FILES,
            Template::Calculation => template::CALCULATION_FILES,
        });
        if self.github {
            files.extend_from_slice(template::GITHUB_FILES);
        }
        template::write_files(&dir, &files, &context, true)
            .map_err(|e| error("WRITE_FAILED", format!("writing {}: {e}", dir.display())))?;
        // Lay the code out as `cargo fmt` would; the module is fine without it (no rustfmt).
        let _ = super::cargo::cargo()
            .arg("fmt")
            .current_dir(&dir)
            .stderr(std::process::Stdio::null())
            .status();
        Ok(dir)
    }

    fn context(&self, names: &ModuleNames, crates: &Crates, dir: &Path) -> Context {
        let description = format!(
            "The {} module of openIMIS ({} template).",
            names.name,
            self.template.as_str()
        );
        crates
            .fill(module_context(names))
            .value("author", self.author.trim())
            .value("email", self.email.trim())
            .value("template", self.template.as_str())
            .value("description", description)
            .value("year", current_year().to_string())
            .value("uuid", random_uuid())
            .value("path_hint", dir.display().to_string())
            .section(self.template.as_str())
    }
}

/// The values every template shares (also used by `add-github-files`).
pub fn module_context(names: &ModuleNames) -> Context {
    Context::default()
        .value("name", &names.name)
        .value("lib", &names.lib)
        .value("crate", &names.crate_name)
        .value("Pascal", &names.pascal)
        .value("camel", &names.camel)
        .value("api_version", openimis_plugin_api::API_VERSION)
        .value("sdk_version", openimis_sdk::SDK_VERSION)
}

/// A random version-4 UUID (the calculation rule's id), from the standard library's hasher.
fn random_uuid() -> String {
    let state = std::collections::hash_map::RandomState::new();
    let mut bytes = [0u8; 16];
    for (i, chunk) in bytes.chunks_mut(8).enumerate() {
        let mut hasher = state.build_hasher();
        hasher.write_usize(i);
        hasher.write_u128(
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        chunk.copy_from_slice(&hasher.finish().to_le_bytes());
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The current year (UTC), for the LICENSE's copyright line.
fn current_year() -> i64 {
    let days = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() / 86_400) as i64;
    // Howard Hinnant's days-to-civil algorithm.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let month = (5 * doy + 2) / 153;
    yoe + era * 400 + i64::from(month >= 10)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_uuid_is_version_4() {
        let uuid = random_uuid();
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "4");
        assert_ne!(uuid, random_uuid());
    }

    #[test]
    fn from_target_the_sources_crates_are_used() {
        let crates = Crates::locate(None, None).unwrap();
        assert!(!crates.packaged);
        assert!(crates.sdk.ends_with("sdk"), "{crates:?}");
        assert!(crates.plugin_api.ends_with("plugin-api"), "{crates:?}");
        assert_eq!(crates.sdk_version, openimis_sdk::SDK_VERSION);
        let elsewhere = Crates::locate(None, Some(Path::new("../host")));
        assert!(
            elsewhere
                .unwrap_err()
                .starts_with("error [PLUGIN_API_NOT_FOUND]"),
            "a source SDK with another plugin-api"
        );
    }

    #[test]
    fn a_packaged_sdk_patches_in_the_plugin_api_next_to_it() {
        let dir = std::env::temp_dir().join(format!("openimis-crates-{}", std::process::id()));
        let sdk = dir.join("openimis-sdk-9.9.9");
        let api = dir.join(format!(
            "openimis-plugin-api-{}",
            openimis_plugin_api::API_VERSION
        ));
        for (crate_dir, text) in [
            (&sdk, "[package]\nname = \"openimis-sdk\"\nversion = \"9.9.9\"\n[dependencies.openimis-plugin-api]\nversion = \"0.1\"\n".to_owned()),
            (&api, format!("[package]\nname = \"openimis-plugin-api\"\nversion = \"{}\"\n", openimis_plugin_api::API_VERSION)),
        ] {
            std::fs::create_dir_all(crate_dir).unwrap();
            std::fs::write(crate_dir.join("Cargo.toml"), text).unwrap();
        }
        let crates = Crates::locate(Some(&sdk), Some(&api)).unwrap();
        assert!(crates.packaged);
        assert_eq!(crates.sdk_version, "9.9.9");
        let rendered = template::render(
            "{{#packaged_sdk}}\npatch {{plugin_api_path}}\n{{/packaged_sdk}}\n",
            &crates.fill(Context::default()),
        );
        assert_eq!(rendered, format!("patch {}\n", crates.plugin_api.display()));
        let wrong = dir.join("openimis-plugin-api-0.0.1");
        std::fs::create_dir_all(&wrong).unwrap();
        std::fs::write(
            wrong.join("Cargo.toml"),
            "[package]\nname = \"openimis-plugin-api\"\nversion = \"0.0.1\"\n",
        )
        .unwrap();
        let refused = Crates::locate(Some(&sdk), Some(&wrong)).unwrap_err();
        assert!(
            refused.starts_with("error [PLUGIN_API_MISMATCH]"),
            "{refused}"
        );
        let missing = Crates::locate(Some(&dir), None).unwrap_err();
        assert!(missing.starts_with("error [SDK_NOT_FOUND]"), "{missing}");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_year_is_plausible() {
        assert!((2024..2200).contains(&current_year()));
    }
}
