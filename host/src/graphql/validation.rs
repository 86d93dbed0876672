//! Documents validated against the composed schema by apollo-compiler once juniper's own rules
//! passed. juniper can not check what our dynamic types leave open: enum literals
//! (`status: XX`) parse through one Rust type that accepts any value. The outcome is memoized
//! per document text (the frontend sends the same documents over and over), bounded in size.

use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Schema};
use juniper::{parser::SourcePosition, RuleError};
use rustc_hash::FxHashMap;
use serde_json::{json, Value as Json};
use std::sync::{Arc, Mutex};

/// How many distinct documents are remembered before the memo starts over.
const MEMO_SIZE: usize = 4096;

/// A document's validation errors, `None` when it is valid.
type Outcome = Option<Arc<Vec<Json>>>;

/// The validation memo of one engine (one composed schema: always pass the same one).
#[derive(Default)]
pub struct Validator {
    /// Keyed by the whole text: a 64-bit hash alone could be made to collide on purpose.
    memo: Mutex<FxHashMap<Box<str>, Outcome>>,
}

impl Validator {
    /// `Ok` for a valid document, else the GraphQL errors (`message`, `locations`).
    pub fn check(&self, schema: &Valid<Schema>, query: &str) -> Result<(), Arc<Vec<Json>>> {
        if let Some(known) = self.memo.lock().expect("memo lock").get(query) {
            return known.clone().map_or(Ok(()), Err);
        }
        let outcome = validate(schema, query).err().map(Arc::new);
        let mut memo = self.memo.lock().expect("memo lock");
        if memo.len() >= MEMO_SIZE {
            memo.clear();
        }
        memo.insert(query.into(), outcome.clone());
        outcome.map_or(Ok(()), Err)
    }
}

fn validate(schema: &Valid<Schema>, query: &str) -> Result<(), Vec<Json>> {
    ExecutableDocument::parse_and_validate(schema, query, "query.graphql")
        .map(drop)
        .map_err(|with_errors| {
            with_errors
                .errors
                .iter()
                .map(|diagnostic| {
                    let message = diagnostic.error.to_string();
                    match diagnostic.line_column_range() {
                        Some(range) => json!({"message": message, "locations": [
                            {"line": range.start.line, "column": range.start.column}
                        ]}),
                        None => json!({"message": message}),
                    }
                })
                .collect()
        })
}

/// One error as juniper reports validation errors (same JSON shape, status 400, no data).
pub fn rule_error(error: &Json) -> RuleError {
    let message = error["message"].as_str().unwrap_or("invalid document");
    let at = |key: &str| {
        error["locations"][0][key]
            .as_u64()
            .unwrap_or(1)
            .saturating_sub(1) as usize
    };
    let locations = if error.get("locations").is_some() {
        // juniper wants a byte index at least line + column; only line and column are shown.
        let (line, column) = (at("line"), at("column"));
        vec![SourcePosition::new(line + column, line, column)]
    } else {
        Vec::new()
    };
    RuleError::new(message, &locations)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unknown_enum_value_is_refused_with_its_location() {
        let schema = Schema::parse_and_validate(
            "enum Status { AC IN } type Query { things(status: Status): Int }",
            "s.graphql",
        )
        .unwrap();
        let v = Validator::default();
        assert_eq!(v.check(&schema, "{ things(status: AC) }"), Ok(()));
        let errors = v.check(&schema, "{ things(status: XX) }").unwrap_err();
        assert!(
            errors[0]["message"].as_str().unwrap().contains("XX"),
            "{errors:?}"
        );
        assert_eq!(errors[0]["locations"][0]["line"], 1);
        // The memo answers the same way.
        assert!(v.check(&schema, "{ things(status: XX) }").is_err());
    }
}
