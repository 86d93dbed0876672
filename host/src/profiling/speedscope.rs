//! The profile as a speedscope file (https://www.speedscope.app/file-format-schema.json): one
//! evented profile whose frames are the phases, module calls and SQL statements, nested by
//! time, in microseconds.

use super::{Kind, Profile, Span};
use serde_json::{json, Value};
use std::collections::HashMap;

/// The name a span's frame carries in the viewer.
fn frame_name(span: &Span) -> String {
    match (span.kind, &span.module) {
        (Kind::Phase, _) => span.name.clone(),
        (Kind::Module, Some(module)) => format!("{module}: {}", span.name),
        (Kind::Sql, Some(module)) => format!("SQL {module}: {}", span.name),
        (_, None) => span.name.clone(),
    }
}

/// Open and close events, properly nested: a span that outlives its enclosing span is cut at
/// the enclosing span's end (timestamps come from two clocks read at slightly different times).
fn events(spans: &[Span], frame_of: &dyn Fn(&Span) -> usize) -> Vec<Value> {
    let mut ordered: Vec<&Span> = spans.iter().collect();
    ordered.sort_by_key(|s| (s.start_us, std::cmp::Reverse(s.duration_us)));
    let mut open: Vec<(usize, u64)> = Vec::new();
    let mut events = Vec::new();
    let mut now = 0;
    for span in ordered {
        while let Some(&(frame, end)) = open.last() {
            if end > span.start_us {
                break;
            }
            now = now.max(end);
            events.push(json!({"type": "C", "frame": frame, "at": now}));
            open.pop();
        }
        let start = span.start_us.max(now);
        let mut end = span.start_us + span.duration_us;
        if let Some(&(_, outer_end)) = open.last() {
            end = end.min(outer_end);
        }
        let end = end.max(start);
        let frame = frame_of(span);
        now = start;
        events.push(json!({"type": "O", "frame": frame, "at": start}));
        open.push((frame, end));
    }
    while let Some((frame, end)) = open.pop() {
        now = now.max(end);
        events.push(json!({"type": "C", "frame": frame, "at": now}));
    }
    events
}

/// The speedscope JSON document of `profile`, named `name` (e.g. `POST /api/graphql`).
pub fn document(profile: &Profile, name: &str) -> Value {
    let mut frames: Vec<String> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for span in &profile.spans {
        let key = frame_name(span);
        if !index.contains_key(&key) {
            index.insert(key.clone(), frames.len());
            frames.push(key);
        }
    }
    let frame_of = |span: &Span| index[&frame_name(span)];
    let events = events(&profile.spans, &frame_of);
    let end = events
        .iter()
        .filter_map(|e| e["at"].as_u64())
        .max()
        .unwrap_or(0)
        .max(profile.total_us);
    json!({
        "$schema": "https://www.speedscope.app/file-format-schema.json",
        "exporter": concat!("openimis ", env!("CARGO_PKG_VERSION")),
        "name": name,
        "activeProfileIndex": 0,
        "shared": {"frames": frames.iter().map(|f| json!({"name": f})).collect::<Vec<_>>()},
        "profiles": [{
            "type": "evented",
            "name": name,
            "unit": "microseconds",
            "startValue": 0,
            "endValue": end,
            "events": events,
        }],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(kind: Kind, name: &str, start_us: u64, duration_us: u64) -> Span {
        Span {
            kind,
            name: name.into(),
            module: (kind != Kind::Phase).then(|| "base".to_owned()),
            start_us,
            duration_us,
        }
    }

    #[test]
    fn spans_become_nested_open_and_close_events() {
        let profile = Profile {
            total_us: 100,
            spans: vec![
                span(Kind::Phase, "execute", 10, 80),
                span(Kind::Module, "resolve things", 20, 30),
                // Overruns its module call by 5µs: cut at the call's end.
                span(Kind::Sql, "SELECT 1", 40, 15),
                span(Kind::Module, "entities ThingGQLType", 60, 10),
            ],
        };
        let doc = document(&profile, "POST /api/graphql");
        let frames: Vec<&str> = doc["shared"]["frames"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            frames,
            [
                "execute",
                "base: resolve things",
                "SQL base: SELECT 1",
                "base: entities ThingGQLType"
            ]
        );
        let events: Vec<(String, u64, u64)> = doc["profiles"][0]["events"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["type"].as_str().unwrap().to_owned(),
                    e["frame"].as_u64().unwrap(),
                    e["at"].as_u64().unwrap(),
                )
            })
            .collect();
        let expected = [
            ("O", 0, 10),
            ("O", 1, 20),
            ("O", 2, 40),
            ("C", 2, 50),
            ("C", 1, 50),
            ("O", 3, 60),
            ("C", 3, 70),
            ("C", 0, 90),
        ];
        assert_eq!(
            events,
            expected
                .iter()
                .map(|(t, f, at)| (t.to_string(), *f, *at))
                .collect::<Vec<_>>()
        );
        assert_eq!(doc["profiles"][0]["endValue"], 100);
        assert_eq!(doc["profiles"][0]["unit"], "microseconds");
    }
}
