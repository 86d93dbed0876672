//! How deeply a GraphQL document nests its fields, measured before execution so that a query
//! nested beyond `GRAPHQL_MAX_DEPTH` costs no module call.
//!
//! A root field is at depth 1, each selection set below a field one more. Fragment spreads and
//! inline fragments add nothing of their own: a spread counts as the fragment's fields at the
//! place of the spread. A fragment that spreads itself (directly or not) counts once; such a
//! document is invalid anyway, and validation reports it.

use apollo_compiler::ast::{Definition, Document, Selection};
use rustc_hash::FxHashMap;

/// The deepest field nesting over the document's operations. A document that does not parse
/// is measured as far as it parsed (validation reports the syntax error).
pub fn depth(query: &str) -> usize {
    let document = match Document::parse(query, "query.graphql") {
        Ok(document) => document,
        Err(with_errors) => with_errors.partial,
    };
    let fragments: FxHashMap<&str, &[Selection]> = document
        .definitions
        .iter()
        .filter_map(|d| match d {
            Definition::FragmentDefinition(f) => Some((f.name.as_str(), &f.selection_set[..])),
            _ => None,
        })
        .collect();
    let mut walk = Walk {
        fragments: &fragments,
        known: FxHashMap::default(),
        open: Vec::new(),
    };
    document
        .definitions
        .iter()
        .filter_map(|d| match d {
            Definition::OperationDefinition(op) => Some(walk.selections(&op.selection_set)),
            _ => None,
        })
        .max()
        .unwrap_or(0)
}

struct Walk<'a> {
    fragments: &'a FxHashMap<&'a str, &'a [Selection]>,
    /// Each fragment's depth, measured once (a document can spread one fragment many times).
    known: FxHashMap<&'a str, usize>,
    /// The fragments being measured: a spread of one of them is a cycle.
    open: Vec<&'a str>,
}

impl<'a> Walk<'a> {
    fn selections(&mut self, selections: &'a [Selection]) -> usize {
        selections
            .iter()
            .map(|selection| match selection {
                Selection::Field(field) => 1 + self.selections(&field.selection_set),
                Selection::InlineFragment(inline) => self.selections(&inline.selection_set),
                Selection::FragmentSpread(spread) => self.fragment(spread.fragment_name.as_str()),
            })
            .max()
            .unwrap_or(0)
    }

    fn fragment(&mut self, name: &'a str) -> usize {
        if let Some(&known) = self.known.get(name) {
            return known;
        }
        if self.open.contains(&name) {
            return 0;
        }
        let Some(&selections) = self.fragments.get(name) else {
            return 0;
        };
        self.open.push(name);
        let measured = self.selections(selections);
        self.open.pop();
        self.known.insert(name, measured);
        measured
    }
}

#[cfg(test)]
mod tests {
    use super::depth;

    #[test]
    fn fields_count_and_fragments_do_not() {
        assert_eq!(depth("{ a }"), 1);
        assert_eq!(depth("{ a { b { c } } d }"), 3);
        assert_eq!(depth("query { a { ... on T { b { c } } } }"), 3);
        assert_eq!(
            depth("query { a { ...F } } fragment F on T { b { ...G } } fragment G on T { c }"),
            3
        );
    }

    #[test]
    fn the_deepest_operation_counts() {
        assert_eq!(depth("query A { a } query B { a { b } }"), 2);
    }

    #[test]
    fn fragment_cycles_end() {
        assert_eq!(
            depth("{ a { ...F } } fragment F on T { b { ...G } } fragment G on T { c { ...F } }"),
            3
        );
        assert_eq!(depth("{ ...F } fragment F on Query { a { ...F } }"), 1);
    }

    #[test]
    fn many_spreads_of_one_fragment_are_measured_once() {
        let mut doc = String::from("{ ...F0 } fragment F0 on Q { a }");
        for i in 1..40 {
            doc.push_str(&format!(
                " fragment F{i} on Q {{ x {{ ...F{} ...F{} }} }}",
                i - 1,
                i - 1
            ));
        }
        doc = doc.replacen("{ ...F0 }", "{ ...F39 }", 1);
        assert_eq!(depth(&doc), 40);
    }
}
