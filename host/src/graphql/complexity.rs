//! How much a GraphQL operation asks for, measured before execution so that an operation costing
//! more than `GRAPHQL_MAX_COMPLEXITY` costs no module call (next to `depth.rs`).
//!
//! Every field costs 1 plus what it selects. A field with a `first` or `last` argument (a relay
//! page, a literal or a variable) multiplies what it selects by that count, capped at the
//! 100-row page limit: `{ a(first: 10) { b c } }` costs 1 + 10 × 2 = 21. Fragments count as
//! their fields at each place they are spread (measured once, cycles counted once).

use super::measure::{largest, Fragments, Measure};
use apollo_compiler::ast::{Document, Selection, Value};

/// The page size relay connections never exceed (`sdk::relay`'s cap).
const PAGE_CAP: u64 = 100;

/// The most expensive operation of the document. `variables` resolve `first: $n`. A document
/// that does not parse is measured as far as it parsed (validation reports the syntax error).
pub fn complexity(document: &Document, variables: &serde_json::Value) -> u64 {
    largest(document, &Cost { variables })
}

struct Cost<'v> {
    variables: &'v serde_json::Value,
}

impl Measure for Cost<'_> {
    type Size = u64;

    fn selections<'d>(
        &self,
        fragments: &mut Fragments<'d, u64>,
        selections: &'d [Selection],
    ) -> u64 {
        selections
            .iter()
            .map(|selection| match selection {
                Selection::Field(field) => {
                    let page = field
                        .arguments
                        .iter()
                        .filter(|a| a.name == "first" || a.name == "last")
                        .filter_map(|a| self.count(&a.value))
                        .max()
                        .unwrap_or(1);
                    1u64.saturating_add(
                        page.saturating_mul(self.selections(fragments, &field.selection_set)),
                    )
                }
                Selection::InlineFragment(inline) => {
                    self.selections(fragments, &inline.selection_set)
                }
                Selection::FragmentSpread(spread) => {
                    fragments.spread(spread.fragment_name.as_str(), self)
                }
            })
            .fold(0u64, u64::saturating_add)
    }
}

impl Cost<'_> {
    /// A page size argument's value (0 counts as 1: the field is still resolved).
    fn count(&self, value: &Value) -> Option<u64> {
        let n = match value {
            Value::Int(i) => i.as_str().parse::<u64>().ok()?,
            Value::Variable(name) => self.variables.get(name.as_str())?.as_u64()?,
            _ => return None,
        };
        Some(n.clamp(1, PAGE_CAP))
    }
}

#[cfg(test)]
mod tests {
    use super::complexity;
    use crate::graphql::documents::parse;
    use serde_json::json;

    fn of(query: &str) -> u64 {
        complexity(&parse(query), &json!({}))
    }

    #[test]
    fn every_field_costs_one_plus_what_it_selects() {
        assert_eq!(of("{ a }"), 1);
        assert_eq!(of("{ a { b c } d }"), 4);
        assert_eq!(of("query { a { ... on T { b } } }"), 2);
    }

    #[test]
    fn pages_multiply_what_they_select() {
        assert_eq!(of("{ a(first: 10) { b c } }"), 21);
        assert_eq!(of("{ a(last: 1000) { b } }"), 101);
        assert_eq!(
            complexity(
                &parse("query ($n: Int) { a(first: $n) { b } }"),
                &json!({"n": 5})
            ),
            6
        );
        assert_eq!(of("query ($n: Int) { a(first: $n) { b } }"), 2);
    }

    #[test]
    fn fragments_count_where_they_are_spread() {
        assert_eq!(of("{ a { ...F } b { ...F } } fragment F on T { x y }"), 6);
        assert_eq!(of("{ a { ...F } } fragment F on T { b { ...F } }"), 2);
    }

    #[test]
    fn the_costliest_operation_counts() {
        assert_eq!(of("query A { a } query B { a b c }"), 3);
    }

    #[test]
    fn huge_documents_saturate_instead_of_overflowing() {
        let mut doc = String::from("{ ...F0 } fragment F0 on Q { a(first: 100) { b } }");
        for i in 1..40 {
            doc.push_str(&format!(
                " fragment F{i} on Q {{ x(first: 100) {{ ...F{} }} }}",
                i - 1
            ));
        }
        doc = doc.replacen("{ ...F0 }", "{ ...F39 }", 1);
        assert_eq!(of(&doc), u64::MAX);
    }
}
