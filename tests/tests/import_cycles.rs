//! No import cycles between files in any crate of the workspace: relations between types are
//! data, not calls back and forth (the checker is the host's `import_graph.rs`).

#[allow(dead_code)]
#[path = "../../host/src/import_graph.rs"]
mod import_graph;

use std::path::Path;

/// Every crate's `src/` (modules, fixtures, the SDK, the ABI, the host, the tools).
fn crate_sources() -> Vec<std::path::PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut dirs = Vec::new();
    for parent in ["plugins", "tests/fixtures"] {
        for entry in std::fs::read_dir(root.join(parent))
            .expect(parent)
            .flatten()
        {
            for src in [entry.path().join("src"), entry.path().join("module/src")] {
                if src.is_dir() {
                    dirs.push(src);
                }
            }
        }
    }
    for fixed in ["plugin-api", "sdk", "host", "xtask", "tests"] {
        dirs.push(root.join(fixed).join("src"));
    }
    dirs
}

#[test]
fn no_crate_has_import_cycles_between_its_files() {
    let mut report = String::new();
    for src in crate_sources() {
        let graph = import_graph::Graph::read(&src).expect("readable sources");
        let cycles = graph.cycles();
        if !cycles.is_empty() {
            report.push_str(&format!(
                "{}:\n{}\n",
                src.display(),
                graph.describe(&cycles)
            ));
        }
    }
    assert!(report.is_empty(), "import cycles:\n{report}");
}
