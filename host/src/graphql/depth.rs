//! How deeply a GraphQL document nests its fields, measured before execution so that a query
//! nested beyond `GRAPHQL_MAX_DEPTH` costs no module call.
//!
//! A root field is at depth 1, each selection set below a field one more. Fragment spreads and
//! inline fragments add nothing of their own: a spread counts as the fragment's fields at the
//! place of the spread. A fragment that spreads itself (directly or not) counts once; such a
//! document is invalid anyway, and validation reports it.

use super::measure::{largest, Fragments, Measure};
use apollo_compiler::ast::{Document, Selection};

/// The deepest field nesting over the document's operations. A document that does not parse
/// is measured as far as it parsed (validation reports the syntax error).
pub fn depth(document: &Document) -> usize {
    largest(document, &Depth)
}

struct Depth;

impl Measure for Depth {
    type Size = usize;

    fn selections<'d>(
        &self,
        fragments: &mut Fragments<'d, usize>,
        selections: &'d [Selection],
    ) -> usize {
        selections
            .iter()
            .map(|selection| match selection {
                Selection::Field(field) => 1 + self.selections(fragments, &field.selection_set),
                Selection::InlineFragment(inline) => {
                    self.selections(fragments, &inline.selection_set)
                }
                Selection::FragmentSpread(spread) => {
                    fragments.spread(spread.fragment_name.as_str(), self)
                }
            })
            .max()
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::depth;

    fn depth_of(query: &str) -> usize {
        depth(&crate::graphql::documents::parse(query))
    }

    #[test]
    fn fields_count_and_fragments_do_not() {
        assert_eq!(depth_of("{ a }"), 1);
        assert_eq!(depth_of("{ a { b { c } } d }"), 3);
        assert_eq!(depth_of("query { a { ... on T { b { c } } } }"), 3);
        assert_eq!(
            depth_of("query { a { ...F } } fragment F on T { b { ...G } } fragment G on T { c }"),
            3
        );
    }

    #[test]
    fn the_deepest_operation_counts() {
        assert_eq!(depth_of("query A { a } query B { a { b } }"), 2);
    }

    #[test]
    fn fragment_cycles_end() {
        assert_eq!(
            depth_of(
                "{ a { ...F } } fragment F on T { b { ...G } } fragment G on T { c { ...F } }"
            ),
            3
        );
        assert_eq!(depth_of("{ ...F } fragment F on Query { a { ...F } }"), 1);
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
        assert_eq!(depth_of(&doc), 40);
    }
}
