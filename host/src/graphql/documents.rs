//! Parsed documents, memoized by their text: the frontend sends the same few documents over and
//! over, and the depth and complexity limits and the variable coercion all read the same
//! apollo-compiler AST, so each distinct text is parsed once. Bounded; starts over when full.

use apollo_compiler::ast::Document;
use rustc_hash::FxHashMap;
use std::sync::{Arc, Mutex};

/// How many distinct documents are remembered before the memo starts over.
const MEMO_SIZE: usize = 1024;

/// The parsed-document memo of one engine.
#[derive(Default)]
pub struct Documents {
    memo: Mutex<FxHashMap<Box<str>, Arc<Document>>>,
}

impl Documents {
    /// `query` parsed as far as it parses (validation reports syntax errors).
    pub fn get(&self, query: &str) -> Arc<Document> {
        if let Some(known) = self.memo.lock().expect("memo lock").get(query) {
            return known.clone();
        }
        let parsed = Arc::new(parse(query));
        let mut memo = self.memo.lock().expect("memo lock");
        if memo.len() >= MEMO_SIZE {
            memo.clear();
        }
        memo.insert(query.into(), parsed.clone());
        parsed
    }
}

/// `query` parsed as far as it parses.
pub fn parse(query: &str) -> Document {
    match Document::parse(query, "query.graphql") {
        Ok(document) => document,
        Err(with_errors) => with_errors.partial,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_text_answers_the_same_parse_and_a_broken_one_its_partial_parse() {
        let documents = Documents::default();
        let first = documents.get("{ a { b } }");
        assert!(Arc::ptr_eq(&first, &documents.get("{ a { b } }")));
        assert!(!Arc::ptr_eq(&first, &documents.get("{ a { c } }")));
        assert_eq!(documents.get("{ a { b }").definitions.len(), 1);
    }
}
