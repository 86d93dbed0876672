//! The profile as the `?prof=True` answer: phases, module calls and SQL statements, each with
//! its start and duration in milliseconds from the start of the request.

use super::{Kind, Profile, Span};
use serde_json::{json, Value};

fn ms(us: u64) -> f64 {
    us as f64 / 1000.0
}

fn entries(profile: &Profile, kind: Kind, describe: impl Fn(&Span) -> Value) -> Vec<Value> {
    profile
        .spans
        .iter()
        .filter(|s| s.kind == kind)
        .map(|s| {
            let mut entry = describe(s);
            entry["start_ms"] = json!(ms(s.start_us));
            entry["ms"] = json!(ms(s.duration_us));
            entry
        })
        .collect()
}

/// `{"profile": {...}}`; `status` is the HTTP status the normal answer would have had.
pub fn report(profile: &Profile, status: u16) -> Value {
    let sql_us: u64 = profile
        .spans
        .iter()
        .filter(|s| s.kind == Kind::Sql)
        .map(|s| s.duration_us)
        .sum();
    let count = |kind: Kind| profile.spans.iter().filter(|s| s.kind == kind).count();
    json!({"profile": {
        "total_ms": ms(profile.total_us),
        "status": status,
        "phases": entries(profile, Kind::Phase, |s| json!({"name": s.name})),
        "module_calls": entries(profile, Kind::Module, |s| json!({"module": s.module, "call": s.name})),
        "sql": entries(profile, Kind::Sql, |s| json!({"module": s.module, "statement": s.name})),
        "summary": {
            "module_calls": count(Kind::Module),
            "sql_statements": count(Kind::Sql),
            "sql_ms": ms(sql_us),
        },
    }})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_lists_each_kind_with_times() {
        let span = |kind, name: &str, module: Option<&str>, start_us, duration_us| Span {
            kind,
            name: name.into(),
            module: module.map(str::to_owned),
            start_us,
            duration_us,
        };
        let profile = Profile {
            total_us: 5000,
            spans: vec![
                span(Kind::Phase, "execute", None, 1000, 3000),
                span(Kind::Module, "resolve things", Some("base"), 1500, 2000),
                span(Kind::Sql, "SELECT 1", Some("base"), 1600, 250),
            ],
        };
        let answer = report(&profile, 200)["profile"].clone();
        assert_eq!(answer["total_ms"], 5.0);
        assert_eq!(
            answer["phases"],
            json!([{"name": "execute", "start_ms": 1.0, "ms": 3.0}])
        );
        assert_eq!(
            answer["module_calls"],
            json!([{"module": "base", "call": "resolve things", "start_ms": 1.5, "ms": 2.0}])
        );
        assert_eq!(answer["sql"][0]["statement"], "SELECT 1");
        assert_eq!(
            answer["summary"],
            json!({"module_calls": 1, "sql_statements": 1, "sql_ms": 0.25})
        );
    }
}
