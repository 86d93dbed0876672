//! The embedded module templates and their renderer: `{{key}}` placeholders and whole-line
//! sections `{{#section}}` … `{{/section}}` kept only when the section is on.

use std::collections::BTreeMap;
use std::path::Path;

/// `(path inside the module, template text)` of every file a new module gets.
pub const MODULE_FILES: &[(&str, &str)] = &[
    (
        "Cargo.toml",
        include_str!("../../templates/module/Cargo.toml"),
    ),
    (
        "README.md",
        include_str!("../../templates/module/README.md"),
    ),
    ("LICENSE", include_str!("../../templates/module/LICENSE")),
    (
        "schema.graphql",
        include_str!("../../templates/module/schema.graphql"),
    ),
    (
        "migrations/postgres/0001_initial.sql",
        include_str!("../../templates/module/migrations/postgres/0001_initial.sql"),
    ),
    (
        "migrations/sqlite/0001_initial.sql",
        include_str!("../../templates/module/migrations/sqlite/0001_initial.sql"),
    ),
    (
        "translations/en.json",
        include_str!("../../templates/module/translations/en.json"),
    ),
    (
        "translations/fr.json",
        include_str!("../../templates/module/translations/fr.json"),
    ),
    (
        "src/lib.rs",
        include_str!("../../templates/module/src/lib.rs"),
    ),
    (
        "src/items.rs",
        include_str!("../../templates/module/src/items.rs"),
    ),
    (
        "src/translations.rs",
        include_str!("../../templates/module/src/translations.rs"),
    ),
    (
        "src/mutation.rs",
        include_str!("../../templates/module/src/mutation.rs"),
    ),
    (
        "src/tests.rs",
        include_str!("../../templates/module/src/tests.rs"),
    ),
];

/// Files only the `business` template has.
pub const BUSINESS_FILES: &[(&str, &str)] = &[(
    "src/services.rs",
    include_str!("../../templates/module/src/services.rs"),
)];

/// Files only the `calculation` template has.
pub const CALCULATION_FILES: &[(&str, &str)] = &[(
    "src/calculation.rs",
    include_str!("../../templates/module/src/calculation.rs"),
)];

/// `.gitignore` and the CI workflows (`--github`, `add-github-files`).
pub const GITHUB_FILES: &[(&str, &str)] = &[
    (
        ".gitignore",
        include_str!("../../templates/github/.gitignore"),
    ),
    (
        ".github/workflows/ci.yml",
        include_str!("../../templates/github/.github/workflows/ci.yml"),
    ),
    (
        ".github/workflows/publish.yml",
        include_str!("../../templates/github/.github/workflows/publish.yml"),
    ),
];

/// The values and sections one rendering uses.
#[derive(Debug, Default, Clone)]
pub struct Context {
    pub values: BTreeMap<&'static str, String>,
    pub sections: Vec<&'static str>,
}

impl Context {
    pub fn value(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.values.insert(key, value.into());
        self
    }

    pub fn section(mut self, name: &'static str) -> Self {
        self.sections.push(name);
        self
    }
}

/// Renders `text`: known `{{key}}`s are replaced (others, such as GitHub's `${{ vars.X }}`,
/// stay), and section marker lines are dropped along with the lines of sections that are off.
pub fn render(text: &str, context: &Context) -> String {
    let mut out = String::with_capacity(text.len());
    let mut off_depth = 0usize;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim();
        if let Some(name) = marker(trimmed, '#') {
            if off_depth > 0 || !context.sections.contains(&name) {
                off_depth += 1;
            }
            continue;
        }
        if marker(trimmed, '/').is_some() {
            off_depth = off_depth.saturating_sub(1);
            continue;
        }
        if off_depth == 0 {
            out.push_str(line);
        }
    }
    for (key, value) in &context.values {
        out = out.replace(&format!("{{{{{key}}}}}"), value);
    }
    out
}

fn marker(line: &str, sigil: char) -> Option<&str> {
    line.strip_prefix("{{")?
        .strip_suffix("}}")?
        .strip_prefix(sigil)
}

/// Writes `files` rendered under `dir`; with `overwrite` false, existing files are kept and
/// listed in the answer's second half.
pub fn write_files(
    dir: &Path,
    files: &[(&str, &str)],
    context: &Context,
    overwrite: bool,
) -> std::io::Result<(Vec<String>, Vec<String>)> {
    let (mut written, mut kept) = (Vec::new(), Vec::new());
    for (path, text) in files {
        let target = dir.join(path);
        if !overwrite && target.exists() {
            kept.push((*path).to_owned());
            continue;
        }
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&target, render(text, context))?;
        written.push((*path).to_owned());
    }
    Ok((written, kept))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_values_and_sections() {
        let context = Context::default().value("name", "demo").section("on");
        let text = "a {{name}}\n{{#on}}\nkept {{name}}\n{{/on}}\n{{#off}}\ndropped\n{{/off}}\n${{ vars.X }}\n";
        assert_eq!(render(text, &context), "a demo\nkept demo\n${{ vars.X }}\n");
    }

    #[test]
    fn every_template_file_is_embedded() {
        for (path, text) in MODULE_FILES
            .iter()
            .chain(BUSINESS_FILES)
            .chain(CALCULATION_FILES)
            .chain(GITHUB_FILES)
        {
            assert!(!text.trim().is_empty(), "{path} is empty");
        }
    }
}
