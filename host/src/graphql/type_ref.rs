//! The juniper `TypeInfo` of the dynamic types: the composed schema with its type names interned,
//! and a type's name. A leaf: `dynamic.rs` builds juniper's types from it, `projection.rs`
//! reads it.

use super::compose::Composed;
use apollo_compiler::schema::ExtendedType;
use juniper::ArcStr;
use rustc_hash::FxHashMap;
use std::sync::Arc;

/// The composed schema as the dynamic types see it, with every type name interned once.
pub struct DynSchema {
    pub composed: Arc<Composed>,
    names: FxHashMap<String, ArcStr>,
}

impl DynSchema {
    pub fn new(composed: Arc<Composed>) -> Arc<Self> {
        let names = composed
            .schema
            .types
            .keys()
            .map(|n| (n.to_string(), ArcStr::from(n.as_str())))
            .collect();
        Arc::new(Self { composed, names })
    }
}

/// The juniper `TypeInfo` of every dynamic type: the schema and the type's name.
#[derive(Clone)]
pub struct TypeRef {
    pub schema: Arc<DynSchema>,
    pub name: ArcStr,
}

impl TypeRef {
    pub fn new(schema: &Arc<DynSchema>, name: &str) -> Self {
        let name = schema
            .names
            .get(name)
            .cloned()
            .unwrap_or_else(|| ArcStr::from(name));
        Self {
            schema: schema.clone(),
            name,
        }
    }

    pub fn named(&self, name: &str) -> Self {
        Self::new(&self.schema, name)
    }

    /// The type's definition in the composed schema, if any (`_EmptyMutation` has none).
    pub fn definition(&self) -> Option<&ExtendedType> {
        self.schema.composed.schema.types.get(self.name.as_str())
    }
}
