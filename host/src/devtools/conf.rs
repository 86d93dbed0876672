//! Editing `openimis.json`: add or update one module's entry, keeping every other entry and key.

use super::{error, DevResult};
use serde_json::{json, Value};
use std::path::Path;

/// The logical names listed in the file at `path`, in order.
pub fn listed_names(path: &Path) -> DevResult<Vec<String>> {
    let file = read(path)?;
    Ok(file["modules"]
        .as_array()
        .map(|modules| {
            modules
                .iter()
                .filter_map(|m| m["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

/// Points the entry named `name` at library `stem` (adding the entry when missing); a missing
/// file is created. Answers whether an existing entry was updated.
pub fn point_at(path: &Path, name: &str, stem: &str) -> DevResult<bool> {
    let mut file = if path.exists() {
        read(path)?
    } else {
        json!({"modules": []})
    };
    let modules = file["modules"].as_array_mut().ok_or_else(|| {
        error(
            "CONFIG_INVALID",
            format!("{}: `modules` is not a list", path.display()),
        )
    })?;
    let existing = modules.iter_mut().find(|m| m["name"] == name);
    let updated = existing.is_some();
    match existing {
        Some(entry) => {
            entry["library"] = json!(stem);
        }
        None => modules.push(json!({"name": name, "library": stem})),
    }
    let text = serde_json::to_string_pretty(&file).expect("JSON serializes");
    std::fs::write(path, text + "\n")
        .map_err(|e| error("WRITE_FAILED", format!("{}: {e}", path.display())))?;
    Ok(updated)
}

fn read(path: &Path) -> DevResult<Value> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| error("CONFIG_INVALID", format!("{}: {e}", path.display())))?;
    let file: Value = serde_json::from_str(&text).map_err(|e| {
        error(
            "CONFIG_INVALID",
            format!("{}: {e} (expected {{\"modules\": [...]}})", path.display()),
        )
    })?;
    if !file["modules"].is_array() {
        return Err(error(
            "CONFIG_INVALID",
            format!("{}: expected {{\"modules\": [...]}}", path.display()),
        ));
    }
    Ok(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adds_then_updates_keeping_the_other_entries() {
        let dir = std::env::temp_dir().join(format!("openimis-conf-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("openimis.json");
        std::fs::write(
            &path,
            r#"{"modules": [{"name": "core", "pip": "x"}], "extra": 1}"#,
        )
        .unwrap();
        assert!(!point_at(&path, "demo", "demo").unwrap());
        assert!(point_at(&path, "demo", "demo_v2").unwrap());
        let file: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(
            file,
            json!({"modules": [{"name": "core", "pip": "x"}, {"name": "demo", "library": "demo_v2"}], "extra": 1})
        );
        assert_eq!(listed_names(&path).unwrap(), ["core", "demo"]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
