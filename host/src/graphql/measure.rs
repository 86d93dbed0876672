//! Measuring a document before execution (`depth.rs`, `complexity.rs`): the document, parsed
//! as far as it parses (validation reports syntax errors), has every operation measured with
//! fragment spreads expanded in place, and the largest measure is the document's. Each
//! fragment is measured once; a spread of a fragment still being measured (a cycle, which
//! validation reports) counts as nothing.

use apollo_compiler::ast::{Definition, Document, Selection};
use rustc_hash::FxHashMap;

/// One way of measuring selections (nesting depth, cost).
pub trait Measure {
    type Size: Copy + Default + Ord;

    /// The measure of `selections`; spreads go through [`Fragments::spread`].
    fn selections<'d>(
        &self,
        fragments: &mut Fragments<'d, Self::Size>,
        selections: &'d [Selection],
    ) -> Self::Size;
}

/// The document's fragments, with the measures taken so far.
pub struct Fragments<'d, T> {
    defined: FxHashMap<&'d str, &'d [Selection]>,
    known: FxHashMap<&'d str, T>,
    /// The fragments being measured: a spread of one of them is a cycle.
    open: Vec<&'d str>,
}

impl<'d, T: Copy + Default> Fragments<'d, T> {
    /// The measure of fragment `name` at the place of a spread.
    pub fn spread<M: Measure<Size = T>>(&mut self, name: &'d str, measure: &M) -> T {
        if let Some(&known) = self.known.get(name) {
            return known;
        }
        if self.open.contains(&name) {
            return T::default();
        }
        let Some(&selections) = self.defined.get(name) else {
            return T::default();
        };
        self.open.push(name);
        let measured = measure.selections(self, selections);
        self.open.pop();
        self.known.insert(name, measured);
        measured
    }
}

/// The largest measure over the operations of `document` (the default for none).
pub fn largest<M: Measure>(document: &Document, measure: &M) -> M::Size {
    let mut fragments = Fragments {
        defined: document
            .definitions
            .iter()
            .filter_map(|d| match d {
                Definition::FragmentDefinition(f) => Some((f.name.as_str(), &f.selection_set[..])),
                _ => None,
            })
            .collect(),
        known: FxHashMap::default(),
        open: Vec::new(),
    };
    document
        .definitions
        .iter()
        .filter_map(|d| match d {
            Definition::OperationDefinition(op) => {
                Some(measure.selections(&mut fragments, &op.selection_set))
            }
            _ => None,
        })
        .max()
        .unwrap_or_default()
}
