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
    /// The `openimis-plugin-api` crate the module depends on by path.
    pub plugin_api: PathBuf,
}

/// The plugin-api directory of the source tree this binary was built from.
pub fn default_plugin_api() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../plugin-api")
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
        let plugin_api = plugin_api_dir(&self.plugin_api)?;
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
        let context = self.context(&names, &plugin_api, &dir);
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

    fn context(&self, names: &ModuleNames, plugin_api: &Path, dir: &Path) -> Context {
        let description = format!(
            "The {} module of openIMIS ({} template).",
            names.name,
            self.template.as_str()
        );
        module_context(names, plugin_api)
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
pub fn module_context(names: &ModuleNames, plugin_api: &Path) -> Context {
    Context::default()
        .value("name", &names.name)
        .value("lib", &names.lib)
        .value("crate", &names.crate_name)
        .value("Pascal", &names.pascal)
        .value("camel", &names.camel)
        .value("api_version", openimis_plugin_api::API_VERSION)
        .value("plugin_api_path", plugin_api.display().to_string())
        .value("sdk_version", openimis_sdk::SDK_VERSION)
        .value("sdk_path", plugin_api.join("../sdk").display().to_string())
}

/// `path`, made absolute, if it holds the `openimis-plugin-api` crate.
pub fn plugin_api_dir(path: &Path) -> DevResult<PathBuf> {
    let manifest = path.join("Cargo.toml");
    let is_plugin_api = std::fs::read_to_string(&manifest)
        .is_ok_and(|text| text.contains("name = \"openimis-plugin-api\""));
    if !is_plugin_api {
        return Err(error(
            "PLUGIN_API_NOT_FOUND",
            format!(
                "{} is not the openimis-plugin-api crate; pass --plugin-api <the plugin-api directory of the host's sources>",
                path.display()
            ),
        ));
    }
    path.canonicalize()
        .map_err(|e| error("PLUGIN_API_NOT_FOUND", format!("{}: {e}", path.display())))
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
    fn the_year_is_plausible() {
        assert!((2024..2200).contains(&current_year()));
    }
}
