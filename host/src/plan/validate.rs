//! Checking candidates into a [`ModulePlan`]: every problem found at once, optional modules
//! disabled together with their dependents, the rest put in start order.

use super::{order::topo_order, ModuleEntry};
use crate::problems::{Code, Problem, Report};
use openimis_plugin_api::Manifest;
use semver::{Version, VersionReq};
use std::collections::{HashMap, HashSet};

/// One `openimis.json` entry with what loading its library gave: a manifest and a handle `L`.
pub struct Candidate<L> {
    pub entry: ModuleEntry,
    pub loaded: Result<(Manifest, L), Problem>,
}

/// A module that passed every check, in start order.
pub struct PlannedModule<L> {
    pub entry: ModuleEntry,
    pub manifest: Manifest,
    pub library: L,
}

/// The checked plan: what starts, in which order, and what was found wrong.
pub struct ModulePlan<L> {
    pub modules: Vec<PlannedModule<L>>,
    /// Logical names of entries that will not run.
    pub disabled: Vec<String>,
    pub report: Report,
}

impl<L> ModulePlan<L> {
    pub fn names(&self) -> Vec<&str> {
        self.modules.iter().map(|m| m.entry.name.as_str()).collect()
    }
}

struct Live<L> {
    entry: ModuleEntry,
    manifest: Manifest,
    version: Version,
    library: L,
}

fn problem(entry: &ModuleEntry, code: Code, message: String) -> Problem {
    Problem {
        code,
        module: Some(entry.name.clone()),
        message,
        fatal: entry.required,
    }
}

/// Checks everything the manifests and the file say; never stops at the first problem.
pub fn validate<L>(candidates: Vec<Candidate<L>>, host_api: &Version) -> ModulePlan<L> {
    let mut report = Report::default();
    let mut disabled = Vec::new();
    let mut live: Vec<Live<L>> = Vec::new();
    let mut seen = HashSet::new();

    for Candidate { entry, loaded } in candidates {
        if !seen.insert(entry.name.clone()) {
            report.push(Problem::for_module(
                Code::DuplicateModule,
                &entry.name,
                "listed more than once in openimis.json (a replacement takes the original's line)"
                    .to_owned(),
            ));
            continue;
        }
        let (manifest, library) = match loaded {
            Ok(ok) => ok,
            Err(mut p) => {
                p.fatal = entry.required;
                report.push(p);
                disabled.push(entry.name.clone());
                continue;
            }
        };
        match check_manifest(&entry, &manifest, host_api) {
            Ok(version) => live.push(Live {
                entry,
                manifest,
                version,
                library,
            }),
            Err(problems) => {
                disabled.push(entry.name.clone());
                problems.into_iter().for_each(|p| report.push(p));
            }
        }
    }

    // Dependencies: drop modules whose requirements are absent or mismatched, until stable.
    loop {
        let versions: HashMap<&str, &Version> = live
            .iter()
            .map(|m| (m.entry.name.as_str(), &m.version))
            .collect();
        let mut failing = Vec::new();
        for (i, m) in live.iter().enumerate() {
            let mut ok = true;
            for (dep, req) in &m.manifest.requires {
                let req = VersionReq::parse(req).expect("checked in check_manifest");
                match versions.get(dep.as_str()) {
                    None if disabled.contains(dep) => {
                        ok = false;
                        report.push(problem(
                            &m.entry,
                            Code::DependencyDisabled,
                            format!("requires `{dep}`, which is disabled"),
                        ));
                    }
                    None => {
                        ok = false;
                        report.push(problem(
                            &m.entry,
                            Code::MissingDependency,
                            format!("requires `{dep}` {req}, which openimis.json does not list"),
                        ));
                    }
                    Some(v) if !req.matches(v) => {
                        ok = false;
                        report.push(problem(
                            &m.entry,
                            Code::VersionMismatch,
                            format!("requires `{dep}` {req}, but {v} is installed"),
                        ));
                    }
                    Some(_) => {}
                }
            }
            if !ok {
                failing.push(i);
            }
        }
        if failing.is_empty() {
            break;
        }
        for i in failing.into_iter().rev() {
            disabled.push(live.remove(i).entry.name);
        }
    }

    // Order over requires + aware_of (when present); a cycle disables its members.
    let index: HashMap<String, usize> = live
        .iter()
        .enumerate()
        .map(|(i, m)| (m.entry.name.clone(), i))
        .collect();
    let deps: Vec<Vec<usize>> = live
        .iter()
        .map(|m| {
            m.manifest
                .requires
                .keys()
                .chain(m.manifest.aware_of.iter())
                .filter_map(|d| index.get(d).copied())
                .collect()
        })
        .collect();
    let order = match topo_order(&deps) {
        Ok(order) => order,
        Err((cycle, stuck)) => {
            let names: Vec<&str> = cycle.iter().map(|&i| live[i].entry.name.as_str()).collect();
            for &i in &stuck {
                report.push(problem(
                    &live[i].entry,
                    Code::DependencyCycle,
                    format!("dependency cycle: {}", names.join(" -> ")),
                ));
                disabled.push(live[i].entry.name.clone());
            }
            (0..live.len()).filter(|i| !stuck.contains(i)).collect()
        }
    };

    let mut slots: Vec<Option<Live<L>>> = live.into_iter().map(Some).collect();
    let modules = order
        .into_iter()
        .filter_map(|i| slots[i].take())
        .map(|m| PlannedModule {
            entry: m.entry,
            manifest: m.manifest,
            library: m.library,
        })
        .collect();
    ModulePlan {
        modules,
        disabled,
        report,
    }
}

fn check_manifest(
    entry: &ModuleEntry,
    manifest: &Manifest,
    host_api: &Version,
) -> Result<Version, Vec<Problem>> {
    let mut problems = Vec::new();
    if manifest.name != entry.name {
        problems.push(problem(
            entry,
            Code::NameMismatch,
            format!(
                "library `{}` implements `{}` (implementation `{}`), not `{}`",
                entry.library_stem(),
                manifest.name,
                manifest.implementation,
                entry.name
            ),
        ));
    }
    match Version::parse(&manifest.api_version) {
        Ok(api) if api_compatible(&api, host_api) => {}
        Ok(api) => problems.push(problem(
            entry,
            Code::AbiMismatch,
            format!("built against plugin-api {api}, the host provides {host_api}"),
        )),
        Err(e) => problems.push(problem(
            entry,
            Code::ManifestInvalid,
            format!("api_version {:?}: {e}", manifest.api_version),
        )),
    }
    for (dep, req) in &manifest.requires {
        if let Err(e) = VersionReq::parse(req) {
            problems.push(problem(
                entry,
                Code::ManifestInvalid,
                format!("requires `{dep}` {req:?}: {e}"),
            ));
        }
    }
    for job in &manifest.jobs {
        if let Err(e) = crate::scheduler::parse_cron(&job.cron) {
            problems.push(problem(
                entry,
                Code::ManifestInvalid,
                format!("job `{}` has a bad cron {:?}: {e}", job.name, job.cron),
            ));
        }
    }
    let version = Version::parse(&manifest.version);
    if let Err(e) = &version {
        problems.push(problem(
            entry,
            Code::ManifestInvalid,
            format!("version {:?}: {e}", manifest.version),
        ));
    }
    match version {
        Ok(v) if problems.is_empty() => Ok(v),
        _ => Err(problems),
    }
}

/// Cargo's rule, which abi_stable also applies: same major, and same minor while major is 0.
pub fn api_compatible(module: &Version, host: &Version) -> bool {
    module.major == host.major && (host.major != 0 || module.minor == host.minor)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(name: &str, version: &str, requires: &[(&str, &str)]) -> Candidate<()> {
        let mut m = Manifest::new(name, version);
        for (d, r) in requires {
            m = m.requires(d, r);
        }
        Candidate {
            entry: ModuleEntry::named(name),
            loaded: Ok((m, ())),
        }
    }

    fn api() -> Version {
        Version::parse(openimis_plugin_api::API_VERSION).unwrap()
    }

    #[test]
    fn orders_by_dependencies_with_config_order_as_tie_break() {
        let plan = validate(
            vec![
                cand("location", "1.0.0", &[("core", "^1")]),
                cand("medical", "1.0.0", &[]),
                cand("core", "1.2.0", &[]),
            ],
            &api(),
        );
        assert!(plan.report.problems.is_empty(), "{}", plan.report);
        assert_eq!(plan.names(), vec!["medical", "core", "location"]);
    }

    #[test]
    fn reports_every_problem_at_once() {
        let mut wrong_name = cand("location", "1.0.0", &[]);
        wrong_name.entry = ModuleEntry::named("claim");
        let plan = validate(
            vec![
                cand("a", "1.0.0", &[("missing", "*")]),
                cand("b", "1.0.0", &[("c", ">=2")]),
                cand("c", "1.0.0", &[]),
                cand("c", "1.0.0", &[]),
                wrong_name,
                cand("x", "1.0.0", &[("y", "*")]),
                cand("y", "1.0.0", &[("x", "*")]),
            ],
            &api(),
        );
        assert!(plan.report.has(Code::MissingDependency, "a"));
        assert!(plan.report.has(Code::VersionMismatch, "b"));
        assert!(plan.report.has(Code::DuplicateModule, "c"));
        assert!(plan.report.has(Code::NameMismatch, "claim"));
        assert!(plan.report.has(Code::DependencyCycle, "x"));
        let cycle = plan
            .report
            .problems
            .iter()
            .find(|p| p.code == Code::DependencyCycle)
            .unwrap();
        assert_eq!(cycle.message, "dependency cycle: x -> y -> x");
        assert_eq!(plan.names(), vec!["c"]);
        assert!(plan.report.is_fatal());
    }

    #[test]
    fn an_optional_failure_disables_its_dependents_without_being_fatal() {
        let mut broken = Candidate::<()> {
            entry: ModuleEntry::named("opt"),
            loaded: Err(Problem::for_module(Code::ModuleNotFound, "opt", "no file")),
        };
        broken.entry.required = false;
        let mut dependent = cand("uses-opt", "1.0.0", &[("opt", "*")]);
        dependent.entry.required = false;
        let plan = validate(vec![broken, dependent, cand("core", "1.0.0", &[])], &api());
        assert!(!plan.report.is_fatal(), "{}", plan.report);
        assert!(plan.report.has(Code::DependencyDisabled, "uses-opt"));
        assert_eq!(plan.names(), vec!["core"]);
        assert_eq!(plan.disabled, vec!["opt", "uses-opt"]);
    }

    #[test]
    fn api_versions_follow_cargo_rules() {
        let v = |s| Version::parse(s).unwrap();
        assert!(api_compatible(&v("0.1.3"), &v("0.1.0")));
        assert!(!api_compatible(&v("0.2.0"), &v("0.1.0")));
        assert!(api_compatible(&v("1.4.0"), &v("1.0.0")));
        assert!(!api_compatible(&v("2.0.0"), &v("1.0.0")));
    }
}
