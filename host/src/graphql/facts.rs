//! What execution asks about the schema, over and over: per type its owner, kind and
//! interfaces, per field its owner and type. Computed once from the composed schema and looked
//! up with one fast hash each (the hot path of every request).

use apollo_compiler::{ast, schema::ExtendedType, Schema};
use rustc_hash::FxHashMap;
use std::collections::HashMap;

/// One field of one type.
pub struct FieldFacts {
    pub owner: String,
    pub ty: ast::Type,
    /// The named type under the list/non-null wrappers.
    pub named: String,
    /// Whether the object's producer answers the field itself: a host-owned (value) type or
    /// field, or a relay wrapper's own field (not one another module adds to it).
    pub by_producer: bool,
}

/// What kind of named type it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Scalar,
    Enum,
    Input,
    Object,
    Interface,
    Union,
}

impl Kind {
    /// Object, interface or union: a type with a selection set.
    pub fn composite(self) -> bool {
        matches!(self, Kind::Object | Kind::Interface | Kind::Union)
    }
}

/// One named type.
pub struct TypeFacts {
    pub owner: String,
    pub kind: Kind,
    /// Object, interface or union (a type with a selection set).
    pub composite: bool,
    pub interfaces: Vec<String>,
    pub fields: FxHashMap<String, FieldFacts>,
}

impl TypeFacts {
    pub fn field(&self, name: &str) -> Option<&FieldFacts> {
        self.fields.get(name)
    }

    pub fn interface_names(&self) -> Vec<&str> {
        self.interfaces.iter().map(String::as_str).collect()
    }
}

/// The last types looked up, remembered by the address and length of the name they were
/// looked up by: the same types met row after row, named by the schema's own strings, are
/// found again without hashing. The addresses are only compared, never read, so a memo must
/// not outlive the names it was given: one per projection (which reads a tree nothing
/// changes), one per federation walk.
#[derive(Default)]
pub struct RecentTypes<'c> {
    last: [Option<(usize, usize, &'c TypeFacts)>; 8],
    next: usize,
}

impl<'c> RecentTypes<'c> {
    /// The facts of type `name`, from `lookup` unless remembered.
    pub fn get(
        &mut self,
        name: &str,
        lookup: impl FnOnce(&str) -> Option<&'c TypeFacts>,
    ) -> Option<&'c TypeFacts> {
        let id = (name.as_ptr() as usize, name.len());
        for (address, len, facts) in self.last.iter().flatten() {
            if (*address, *len) == id {
                return Some(facts);
            }
        }
        let facts = lookup(name)?;
        self.last[self.next] = Some((id.0, id.1, facts));
        self.next = (self.next + 1) % self.last.len();
        Some(facts)
    }
}

/// Facts of every type of the composed schema.
#[derive(Default)]
pub struct SchemaFacts {
    types: FxHashMap<String, TypeFacts>,
}

impl SchemaFacts {
    /// Builds the table; types and fields without a recorded owner (built-ins) belong to `host`.
    pub fn build(
        schema: &Schema,
        type_owner: &HashMap<String, String>,
        field_owner: &HashMap<String, HashMap<String, String>>,
        host: &str,
    ) -> Self {
        let mut types = FxHashMap::default();
        for (name, definition) in &schema.types {
            let owner = type_owner
                .get(name.as_str())
                .cloned()
                .unwrap_or_else(|| host.to_owned());
            let (kind, interfaces, fields) = match definition {
                ExtendedType::Object(o) => (
                    Kind::Object,
                    o.implements_interfaces
                        .iter()
                        .map(|i| i.to_string())
                        .collect(),
                    Some(&o.fields),
                ),
                ExtendedType::Interface(i) => (
                    Kind::Interface,
                    i.implements_interfaces
                        .iter()
                        .map(|i| i.to_string())
                        .collect(),
                    Some(&i.fields),
                ),
                ExtendedType::Union(_) => (Kind::Union, Vec::new(), None),
                ExtendedType::Enum(_) => (Kind::Enum, Vec::new(), None),
                ExtendedType::InputObject(_) => (Kind::Input, Vec::new(), None),
                ExtendedType::Scalar(_) => (Kind::Scalar, Vec::new(), None),
            };
            let composite = kind.composite();
            // A relay wrapper, a `<T>Connection` (with `edges`) or a `<T>Edge` (with `node`),
            // only carries a page of `T`s: whoever produced it fills its own fields, as a value
            // type's. So a module's root field may answer another module's connection (insuree's
            // `insureeOfficers`, core's officers), whose nodes stay the owner's (stubs the host
            // completes).
            let wrapper = kind == Kind::Object
                && ((name.ends_with("Connection")
                    && fields.is_some_and(|f| f.contains_key("edges")))
                    || (name.ends_with("Edge") && fields.is_some_and(|f| f.contains_key("node"))));
            let owners = field_owner.get(name.as_str());
            let fields = fields
                .into_iter()
                .flatten()
                .map(|(field, definition)| {
                    let field_owner = owners
                        .and_then(|o| o.get(field.as_str()))
                        .cloned()
                        .unwrap_or_else(|| owner.clone());
                    let by_producer =
                        owner == host || field_owner == host || (wrapper && field_owner == owner);
                    let facts = FieldFacts {
                        owner: field_owner,
                        ty: definition.ty.clone(),
                        named: definition.ty.inner_named_type().to_string(),
                        by_producer,
                    };
                    (field.to_string(), facts)
                })
                .collect();
            types.insert(
                name.to_string(),
                TypeFacts {
                    owner,
                    kind,
                    composite,
                    interfaces,
                    fields,
                },
            );
        }
        Self { types }
    }

    pub fn get(&self, type_name: &str) -> Option<&TypeFacts> {
        self.types.get(type_name)
    }
}
