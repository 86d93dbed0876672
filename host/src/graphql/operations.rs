//! Validated operations, memoized by their text and operation name: juniper parses and
//! validates a document before it executes it, and the frontend sends the same few documents
//! over and over, so each distinct (text, operation name) is parsed and validated once and
//! then only executed (its variables are still checked on every execution). A document that
//! fails is not remembered. Bounded; starts over when full.

use super::dynamic::DynRoot;
use super::execution::Execution;
use super::scalar::Scalar;
use juniper::{EmptySubscription, GraphQLError, RootNode, ValidatedOperation};
use rustc_hash::FxHashMap;
use std::sync::{Arc, Mutex};

/// juniper's root over the composed schema.
pub type Root = RootNode<DynRoot, DynRoot, EmptySubscription<Execution>, Scalar>;

type Validated<'a> = ValidatedOperation<'a, DynRoot, DynRoot, EmptySubscription<Execution>, Scalar>;

/// What a validated operation borrows: the schema's root and the document's text.
pub struct Source {
    root: Arc<Root>,
    query: Box<str>,
    operation_name: Option<Box<str>>,
}

self_cell::self_cell!(
    /// An operation that passed juniper's parsing and validation, with what it borrows.
    pub struct Prepared {
        owner: Source,
        #[not_covariant]
        dependent: Validated,
    }
);

impl Prepared {
    /// Runs `f` on the validated operation.
    pub fn with<R>(&self, f: impl FnOnce(&Validated<'_>) -> R) -> R {
        self.with_dependent(|_, operation| f(operation))
    }
}

/// How many distinct operations are remembered before the memo starts over.
const MEMO_SIZE: usize = 1024;

type Key = (Box<str>, Option<Box<str>>);

/// The validated-operation memo of one engine.
#[derive(Default)]
pub struct Operations {
    memo: Mutex<FxHashMap<Key, Arc<Prepared>>>,
}

impl Operations {
    /// The operation `operation_name` of `query`, parsed and validated against `root` once;
    /// the parse or validation error otherwise (never remembered).
    pub fn get(
        &self,
        root: &Arc<Root>,
        query: &str,
        operation_name: Option<&str>,
    ) -> Result<Arc<Prepared>, GraphQLError> {
        let key: Key = (query.into(), operation_name.map(Into::into));
        if let Some(known) = self.memo.lock().expect("memo lock").get(&key) {
            return Ok(known.clone());
        }
        let source = Source {
            root: root.clone(),
            query: key.0.clone(),
            operation_name: key.1.clone(),
        };
        let prepared = Arc::new(Prepared::try_new(source, |source| {
            ValidatedOperation::new(
                &source.query,
                source.operation_name.as_deref(),
                &source.root,
            )
        })?);
        let mut memo = self.memo.lock().expect("memo lock");
        if memo.len() >= MEMO_SIZE {
            memo.clear();
        }
        memo.insert(key, prepared.clone());
        Ok(prepared)
    }
}
