//! In-process federation. A root field goes to its owner once; the owner answers the fields it
//! owns and leaves `__key`s where other modules contribute fields (extensions) or own the type
//! (stubs). The host then resolves those with ONE `graphql_entities` call per (module, type,
//! selection) per hop, de-duplicating keys and merging answers back in request order. Two places
//! of a request selecting the same fields of a type (an insuree's `currentVillage` and its
//! family's `location`, as the frontend asks) are one selection here: one call for both.

use super::compose::{Composed, HOST};
use super::facts::{Kind, RecentTypes, TypeFacts};
use super::tree::{Node, Store, Str};
use crate::modules::{CallError, ModuleSet};
use apollo_compiler::{ast, schema::ExtendedType};
use openimis_plugin_api::payload::{FIELD_ERROR, KEY_FIELD, TYPENAME_FIELD};
use openimis_plugin_api::{
    EntitiesRequest, ModuleError, RequestContext, ResolveRequest, SelectionField,
};
use openimis_sdk::relay::parse_global_id;
use rustc_hash::FxHashMap;
use serde_json::{Map, Value as Json};
use std::cell::RefCell;
use std::rc::Rc;

/// One request's view of the schema and modules.
pub struct Federation<'a> {
    pub composed: &'a Composed,
    pub modules: &'a ModuleSet,
    pub context: &'a RequestContext,
    /// Where the root field's answers and trees live.
    store: &'a Store,
    /// Per (selection node, concrete type): how each selected field is answered. Computed once,
    /// used for every object of that type there (every row of a list).
    routes: RefCell<RouteCache<'a>>,
    /// Whether the selections at two addresses are the same fields (compared once per pair).
    same_selections: RefCell<FxHashMap<(usize, usize), bool>>,
    /// The types the current walk met last (forgotten when a walk starts).
    recent: RefCell<RecentTypes<'a>>,
}

/// Routes by (selection node address, type facts address).
type RouteCache<'a> = FxHashMap<(usize, usize), Rc<[Route<'a>]>>;

/// How one selected field of an object is answered.
#[derive(Clone, Copy)]
enum Route<'a> {
    /// Not selected for this type (a condition on another type), or not a field of it.
    Skip,
    /// By whoever produced the object (its owner's own fields, or a host-owned value type).
    Producer { child: &'a str },
    /// By module `owner`; `child` is the field's named type.
    Owner { owner: &'a str, child: &'a str },
}

/// Objects that need fields from `owner`, all at the same selection node.
struct Group<'s> {
    owner: String,
    type_name: String,
    selection: &'s [SelectionField],
    /// The paths to the group's objects, one after the other (`ends` says where each ends):
    /// one buffer for all of them rather than one per object.
    steps: Vec<Step<'s>>,
    ends: Vec<usize>,
    keys: Vec<Json>,
}

impl<'s> Group<'s> {
    fn paths(&self) -> impl Iterator<Item = &[Step<'s>]> {
        let starts = std::iter::once(0).chain(self.ends.iter().copied());
        starts
            .zip(&self.ends)
            .map(|(start, &end)| &self.steps[start..end])
    }
}

type Groups<'s> = Vec<Group<'s>>;

/// One step into a JSON answer: a response key (borrowed from the selection) or a list index.
#[derive(Debug, Clone, Copy)]
enum Step<'s> {
    Key(&'s str),
    Index(usize),
}

type Path<'s> = Vec<Step<'s>>;

fn at<'d, 't>(mut value: &'d Node<'t>, path: &[Step<'_>]) -> Option<&'d Node<'t>> {
    for step in path {
        value = match step {
            Step::Key(k) => value.get(k)?,
            Step::Index(i) => value.index(*i)?,
        };
    }
    Some(value)
}

fn at_mut<'d, 't>(mut value: &'d mut Node<'t>, path: &[Step<'_>]) -> Option<&'d mut Node<'t>> {
    for step in path {
        value = match step {
            Step::Key(k) => value.get_mut(k)?,
            Step::Index(i) => value.index_mut(*i)?,
        };
    }
    Some(value)
}

fn host_error(code: &str, message: impl Into<String>) -> CallError {
    CallError::new(HOST, ModuleError::new(code, message))
}

impl<'a> Federation<'a> {
    pub fn new(
        composed: &'a Composed,
        modules: &'a ModuleSet,
        context: &'a RequestContext,
        store: &'a Store,
    ) -> Self {
        Self {
            composed,
            modules,
            context,
            store,
            routes: RefCell::default(),
            same_selections: RefCell::default(),
            recent: RefCell::default(),
        }
    }

    /// Starts a walk with no type remembered: the names `recent` remembers by address are the
    /// schema's, the answers' (not changed while one walk reads them) and the group's being
    /// walked, which a later walk's may take the place of once freed.
    fn forget_types(&self) {
        *self.recent.borrow_mut() = RecentTypes::default();
    }

    /// Whether `a` and `b` select the same fields (names, aliases, arguments, conditions, all the
    /// way down): the same node, or equal nodes at two places of the request.
    fn same_selection(&self, a: &[SelectionField], b: &[SelectionField]) -> bool {
        let key = (a.as_ptr() as usize, b.as_ptr() as usize);
        if key.0 == key.1 {
            return true;
        }
        *self
            .same_selections
            .borrow_mut()
            .entry(key)
            .or_insert_with(|| a == b)
    }

    fn routes(
        &self,
        selection: &[SelectionField],
        facts: &'a TypeFacts,
        concrete: &str,
    ) -> Rc<[Route<'a>]> {
        let key = (
            selection.as_ptr() as usize,
            facts as *const TypeFacts as usize,
        );
        if let Some(routes) = self.routes.borrow().get(&key) {
            return routes.clone();
        }
        let routes: Rc<[Route<'a>]> = selection
            .iter()
            .map(|field| {
                if !applies(field, concrete, facts) {
                    return Route::Skip;
                }
                match facts.field(&field.name) {
                    None => Route::Skip,
                    Some(f) if f.by_producer => Route::Producer { child: &f.named },
                    Some(f) => Route::Owner {
                        owner: &f.owner,
                        child: &f.named,
                    },
                }
            })
            .collect();
        self.routes.borrow_mut().insert(key, routes.clone());
        routes
    }

    /// Resolves root field `field` of `root_type` (Query or Mutation), whose type is `ty`.
    pub fn resolve_root(
        &self,
        root_type: &str,
        field: &SelectionField,
        ty: &ast::Type,
    ) -> Result<Node<'a>, CallError> {
        let owner = self
            .composed
            .field_owner(root_type, &field.name)
            .ok_or_else(|| {
                host_error(
                    "UNKNOWN_FIELD",
                    format!("no module owns {root_type}.{}", field.name),
                )
            })?;
        if owner == HOST {
            return self.host_field(field);
        }
        let module = self.module(owner)?;
        if let Some(codes) = module
            .manifest
            .field_rights
            .get(&format!("{root_type}.{}", field.name))
        {
            if !codes.iter().any(|c| self.context.rights.contains(c)) {
                return Err(CallError::new(
                    owner,
                    ModuleError::new("UNAUTHORIZED", "unauthorized"),
                ));
            }
        }
        let named = ty.inner_named_type().as_str();
        let request = ResolveRequest {
            operation: if root_type == "Mutation" {
                "mutation"
            } else {
                "query"
            }
            .to_owned(),
            field: SelectionField {
                name: field.name.clone(),
                alias: field.alias.clone(),
                args: self.with_defaults(root_type, field),
                on: None,
                selection: self.module_selection(owner, named, &field.selection),
            },
            context: self.context.clone(),
        };
        let mut data = module.resolve_into(&request, self.store)?;
        self.complete(&mut data, owner, named, &field.selection)?;
        Ok(data)
    }

    fn module(&self, name: &str) -> Result<&'a crate::modules::RunningModule, CallError> {
        self.modules.get(name).map(|m| &**m).ok_or_else(|| {
            host_error(
                "MODULE_NOT_LOADED",
                format!("module `{name}` is not running"),
            )
        })
    }

    fn host_field(&self, field: &SelectionField) -> Result<Node<'a>, CallError> {
        match field.name.as_str() {
            "_debug" => Ok(Node::from_json(
                &serde_json::json!({ field.child("sql").map_or("sql", |f| f.alias.as_str()): [] }),
                self.store.nodes(),
            )),
            "node" => {
                let id = field.arg("id").and_then(Json::as_str).unwrap_or_default();
                let (type_name, pk) = parse_global_id(id).ok_or_else(|| {
                    host_error("INVALID_ID", format!("Unable to parse global ID {id:?}"))
                })?;
                let owner = match self.composed.schema.types.get(type_name.as_str()) {
                    Some(ExtendedType::Object(o)) if o.implements_interfaces.contains("Node") => {
                        self.composed.type_owner(&type_name).unwrap_or(HOST)
                    }
                    _ => {
                        return Err(host_error(
                            "INVALID_ID",
                            format!("{type_name} is not a Node type"),
                        ))
                    }
                };
                self.may_reach(owner, &type_name)?;
                let request = EntitiesRequest {
                    type_name: type_name.clone(),
                    keys: vec![Json::String(pk)],
                    selection: self.module_selection(owner, &type_name, &field.selection),
                    context: self.context.clone(),
                };
                let mut item = self
                    .module(owner)?
                    .entities(&request, self.store)?
                    .pop()
                    .unwrap_or(Node::Null);
                if let Node::Object(map) = &mut item {
                    let type_name_text = self.store.nodes().alloc_str(&type_name);
                    map.insert(TYPENAME_FIELD, Node::String(Str::new(type_name_text)));
                    self.complete(&mut item, owner, &type_name, &field.selection)?;
                }
                Ok(item)
            }
            other => Err(host_error(
                "UNKNOWN_FIELD",
                format!("the host has no field {other}"),
            )),
        }
    }

    /// `node(id:)` reaches an object with the rights of the root lists that show its type: when
    /// the owner's root fields returning `type_name` (or its connection) declare rights in the
    /// manifest, one of those rights, so `node` is no way around `users` answering
    /// UNAUTHORIZED. What a module checks itself (a login) it checks in `entities` too.
    fn may_reach(&self, owner: &str, type_name: &str) -> Result<(), CallError> {
        let refused = || CallError::new(owner, ModuleError::new("UNAUTHORIZED", "unauthorized"));
        let Some(ExtendedType::Object(query)) = self.composed.schema.types.get("Query") else {
            return Ok(());
        };
        let connection = format!("{type_name}Connection");
        let module = self.module(owner)?;
        let mut codes = query
            .fields
            .iter()
            .filter(|(_, f)| {
                let named = f.ty.inner_named_type().as_str();
                named == type_name || named == connection
            })
            .filter_map(|(name, _)| module.manifest.field_rights.get(&format!("Query.{name}")))
            .flatten()
            .peekable();
        if codes.peek().is_none() || codes.any(|c| self.context.rights.contains(c)) {
            Ok(())
        } else {
            Err(refused())
        }
    }

    /// Who answers field `field` of `type_name` at an object produced by `producer`: host-owned
    /// (value) types and fields are filled by whoever produced the object.
    fn owner_for<'o>(&'o self, type_name: &str, field: &str, producer: &'o str) -> Option<&'o str> {
        owner_in(self.composed.facts(type_name)?, field, producer)
    }

    fn field_definition(&self, type_name: &str, field: &str) -> Option<&'a ast::FieldDefinition> {
        let composed: &'a Composed = self.composed;
        match composed.schema.types.get(type_name)? {
            ExtendedType::Object(o) => o.fields.get(field).map(|c| &c.node),
            ExtendedType::Interface(i) => i.fields.get(field).map(|c| &c.node),
            _ => None,
        }
        .map(|n| &**n)
    }

    fn field_type_name(&self, type_name: &str, field: &str) -> Option<&'a str> {
        let composed: &'a Composed = self.composed;
        composed
            .facts(type_name)?
            .field(field)
            .map(|f| f.named.as_str())
    }

    /// The field's arguments with the schema's defaults filled in for those not given.
    fn with_defaults(&self, type_name: &str, field: &SelectionField) -> Map<String, Json> {
        let mut args = field.args.clone();
        if let Some(definition) = self.field_definition(type_name, &field.name) {
            for arg in &definition.arguments {
                if let Some(default) = &arg.default_value {
                    args.entry(arg.name.to_string())
                        .or_insert_with(|| json_value(default));
                }
            }
        }
        args
    }

    /// The part of `selection` (at an object of `type_name`) that `module` answers, with
    /// `__key` added where another module answers the rest.
    pub fn module_selection(
        &self,
        module: &str,
        type_name: &str,
        selection: &[SelectionField],
    ) -> Vec<SelectionField> {
        let mut out = Vec::with_capacity(selection.len());
        let position = self.composed.facts(type_name);
        // At another module's type the module answers a reference: its key is what the fields it
        // adds there are asked by, when the reference does not carry them.
        let mut need_key = position.is_some_and(|f| f.owner != module && f.owner != HOST);
        for field in selection {
            // At an object, fields are looked up on the object itself (a condition may name an
            // interface it implements); at an interface or union, on the condition's type.
            let on = match (position, field.on.as_deref()) {
                (Some(facts), Some(on)) if facts.kind == Kind::Object => {
                    if on != type_name && !facts.interfaces.iter().any(|i| i == on) {
                        continue;
                    }
                    type_name
                }
                (_, on) => on.unwrap_or(type_name),
            };
            match self.owner_for(on, &field.name, module) {
                None => continue,
                Some(owner) if owner != module => {
                    need_key = true;
                    continue;
                }
                Some(_) => {}
            }
            let child_type = self.field_type_name(on, &field.name).unwrap_or(on);
            out.push(SelectionField {
                name: field.name.clone(),
                alias: field.alias.clone(),
                args: self.with_defaults(on, field),
                on: field.on.clone(),
                selection: if field.selection.is_empty() {
                    Vec::new()
                } else {
                    self.module_selection(module, child_type, &field.selection)
                },
            });
        }
        if need_key {
            out.push(SelectionField::new(KEY_FIELD));
        }
        out
    }

    /// Fills every field of `data` that a module other than its producer answers, hop by hop.
    pub fn complete(
        &self,
        data: &mut Node<'a>,
        producer: &str,
        type_name: &str,
        selection: &[SelectionField],
    ) -> Result<(), CallError> {
        let mut groups = Groups::new();
        self.forget_types();
        self.walk(
            data,
            &mut Vec::new(),
            type_name,
            selection,
            producer,
            None,
            &mut groups,
        )?;
        while !groups.is_empty() {
            let mut next = Groups::new();
            for group in std::mem::take(&mut groups) {
                let selection = self.run_group(data, &group)?;
                // The owner's answer can hold work for another hop only where its selection
                // asked a `__key` below the object itself: none asked, nothing to walk again.
                if !keyed_below(&selection) {
                    continue;
                }
                self.forget_types();
                for path in group.paths() {
                    let object = at(data, path).expect("paths point into data");
                    let mut path = path.to_vec();
                    self.walk(
                        object,
                        &mut path,
                        &group.type_name,
                        group.selection,
                        &group.owner,
                        Some(&group.owner),
                        &mut next,
                    )?;
                }
            }
            groups = next;
        }
        Ok(())
    }

    /// Asks the group's owner for its fields of every object of the group and merges them in;
    /// answers the selection the owner was asked.
    fn run_group(
        &self,
        data: &mut Node<'a>,
        group: &Group<'_>,
    ) -> Result<Vec<SelectionField>, CallError> {
        let mut unique: Vec<Json> = Vec::with_capacity(group.keys.len());
        let mut seen: FxHashMap<KeyRef<'_>, usize> = FxHashMap::default();
        let slots: Vec<usize> = group
            .keys
            .iter()
            .map(|key| {
                *seen.entry(KeyRef::of(key)).or_insert_with(|| {
                    unique.push(key.clone());
                    unique.len() - 1
                })
            })
            .collect();
        let request = EntitiesRequest {
            type_name: group.type_name.clone(),
            keys: unique,
            selection: self.module_selection(&group.owner, &group.type_name, group.selection),
            context: self.context.clone(),
        };
        let mut results = self.module(&group.owner)?.entities(&request, self.store)?;
        let selection = request.selection;
        // An answer used by one place only (the usual case) is moved there, not copied.
        let mut uses = vec![0usize; results.len()];
        for &slot in &slots {
            uses[slot] += 1;
        }
        let arena = self.store.nodes();
        for (path, slot) in group.paths().zip(slots) {
            let Some(value) = at_mut(data, path) else {
                continue;
            };
            // A reference the owner does not know (a dangling foreign key) whose every field
            // is the owner's is no object at all: null, as the original answers it.
            let reference_only = matches!(value, Node::Object(o) if o.keys().all(|k| k == KEY_FIELD || k == "__typename"));
            if reference_only && !results[slot].is_object() {
                *value = Node::Null;
                continue;
            }
            let Node::Object(target) = value else {
                continue;
            };
            uses[slot] -= 1;
            let result = match uses[slot] {
                0 => std::mem::take(&mut results[slot]),
                _ => results[slot].clone(),
            };
            match result {
                Node::Object(mut fields) => {
                    for (k, v) in fields.take_pairs() {
                        if k != KEY_FIELD {
                            target.insert(k, v);
                        }
                    }
                    // A field the owner left out is null, not asked again at the next hop.
                    for field in selection.iter().filter(|f| f.name != KEY_FIELD) {
                        if !target.contains_key(&field.alias) {
                            target.insert(arena.alloc_str(&field.alias), Node::Null);
                        }
                    }
                }
                _ => {
                    for field in selection.iter().filter(|f| f.name != KEY_FIELD) {
                        target.insert(arena.alloc_str(&field.alias), Node::Null);
                    }
                }
            }
        }
        Ok(selection)
    }

    /// Collects, under `value`, the objects that need fields from modules other than `producer`.
    /// With `only`, considers just that module's fields at the top object (a re-walk after merge).
    #[allow(clippy::too_many_arguments)]
    fn walk<'s>(
        &self,
        value: &Node<'_>,
        path: &mut Path<'s>,
        declared: &str,
        selection: &'s [SelectionField],
        producer: &str,
        only: Option<&str>,
        groups: &mut Groups<'s>,
    ) -> Result<(), CallError> {
        match value {
            Node::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    path.push(Step::Index(i));
                    self.walk(item, path, declared, selection, producer, only, groups)?;
                    path.pop();
                }
                Ok(())
            }
            // A field that failed alone (`payload::FIELD_ERROR`) holds nothing to complete.
            Node::Object(object) if object.contains_key(FIELD_ERROR) => Ok(()),
            Node::Object(object) => {
                let concrete = object
                    .get(TYPENAME_FIELD)
                    .and_then(Node::as_str)
                    .unwrap_or(declared);
                let composed: &'a Composed = self.composed;
                let facts = self
                    .recent
                    .borrow_mut()
                    .get(concrete, |n| composed.facts(n));
                let Some(facts) = facts.filter(|f| f.composite) else {
                    return Ok(());
                };
                let routes = self.routes(selection, facts, concrete);
                let reference = facts.owner != producer
                    && facts.owner != HOST
                    && object.contains_key(KEY_FIELD);
                let mut owners = Owners::default();
                for (field, route) in selection.iter().zip(routes.iter()) {
                    let (owner, child_type) = match *route {
                        Route::Skip => continue,
                        Route::Producer { child } => (producer, child),
                        Route::Owner { owner, child } => (owner, child),
                    };
                    if only.is_some_and(|o| o != owner) {
                        continue;
                    }
                    // A reference the producer made to another module's type holds none of
                    // the fields the producer adds to that type (the SDK answers them null):
                    // they are asked of it by key, as any other module's. Not again once asked
                    // (`only`: the object was just completed by that module).
                    let unanswered = owner == producer
                        && only.is_none()
                        && reference
                        && object.get(&field.alias).is_none_or(Node::is_null);
                    if owner != producer || unanswered {
                        if !owners.contains(owner) {
                            owners.push(owner);
                        }
                    } else if !field.selection.is_empty() {
                        if let Some(child) = object.get(&field.alias) {
                            path.push(Step::Key(&field.alias));
                            self.walk(
                                child,
                                path,
                                child_type,
                                &field.selection,
                                producer,
                                None,
                                groups,
                            )?;
                            path.pop();
                        }
                    }
                }
                if owners.is_empty() {
                    return Ok(());
                }
                let key = object.get(KEY_FIELD).map(Node::to_json).ok_or_else(|| {
                    CallError::new(
                        producer,
                        ModuleError::new(
                            "MISSING_KEY",
                            format!("an object of type {concrete} lacks `{KEY_FIELD}`, needed for fields of {}", owners.iter().collect::<Vec<_>>().join(", ")),
                        ),
                    )
                })?;
                for owner in owners.iter() {
                    let position = groups.iter().position(|g| {
                        g.owner == owner
                            && g.type_name == concrete
                            && self.same_selection(g.selection, selection)
                    });
                    let group = match position {
                        Some(i) => &mut groups[i],
                        None => {
                            groups.push(Group {
                                owner: owner.to_owned(),
                                type_name: concrete.to_owned(),
                                selection,
                                steps: Vec::new(),
                                ends: Vec::new(),
                                keys: Vec::new(),
                            });
                            groups.last_mut().expect("just pushed")
                        }
                    };
                    group.steps.extend_from_slice(path);
                    group.ends.push(group.steps.len());
                    group.keys.push(key.clone());
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }
}

/// The modules asked for fields of one object, in the order first met: few, so the first
/// four are kept in place (an object is walked per row; this is its only would-be allocation).
#[derive(Default)]
struct Owners<'o> {
    first: [&'o str; 4],
    len: usize,
    more: Vec<&'o str>,
}

impl<'o> Owners<'o> {
    fn contains(&self, owner: &str) -> bool {
        self.iter().any(|o| o == owner)
    }

    fn push(&mut self, owner: &'o str) {
        match self.first.get_mut(self.len) {
            Some(slot) => {
                *slot = owner;
                self.len += 1;
            }
            None => self.more.push(owner),
        }
    }

    fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn iter(&self) -> impl Iterator<Item = &'o str> + '_ {
        self.first[..self.len].iter().chain(&self.more).copied()
    }
}

/// Whether any field below the top of `selection` is `__key`: where a module was asked for a
/// reference other modules complete.
fn keyed_below(selection: &[SelectionField]) -> bool {
    selection.iter().any(|field| {
        field
            .selection
            .iter()
            .any(|child| child.name == KEY_FIELD || keyed_below(std::slice::from_ref(child)))
    })
}

/// A key as the de-duplication of a group compares it: strings and integers as they are,
/// anything else by its JSON text.
#[derive(PartialEq, Eq, Hash)]
enum KeyRef<'k> {
    Str(&'k str),
    Int(i64),
    Text(String),
}

impl<'k> KeyRef<'k> {
    fn of(key: &'k Json) -> Self {
        match key {
            Json::String(s) => Self::Str(s),
            Json::Number(n) if n.is_i64() => Self::Int(n.as_i64().unwrap_or_default()),
            other => Self::Text(other.to_string()),
        }
    }
}

fn json_value(value: &ast::Value) -> Json {
    match value {
        ast::Value::Null | ast::Value::Variable(_) => Json::Null,
        ast::Value::Enum(name) => Json::String(name.to_string()),
        ast::Value::String(s) => Json::String(s.clone()),
        ast::Value::Float(f) => f
            .try_to_f64()
            .ok()
            .and_then(serde_json::Number::from_f64)
            .map_or(Json::Null, Json::Number),
        ast::Value::Int(i) => i.try_to_i32().map_or(Json::Null, Json::from),
        ast::Value::Boolean(b) => Json::Bool(*b),
        ast::Value::List(items) => Json::Array(items.iter().map(|v| json_value(v)).collect()),
        ast::Value::Object(fields) => Json::Object(
            fields
                .iter()
                .map(|(k, v)| (k.to_string(), json_value(v)))
                .collect(),
        ),
    }
}

/// Who answers `field` at an object of the type described by `facts`, produced by `producer`:
/// host-owned (value) types and fields, and a relay wrapper's own fields, are filled by whoever
/// produced the object.
fn owner_in<'o>(
    facts: &'o crate::graphql::facts::TypeFacts,
    field: &str,
    producer: &'o str,
) -> Option<&'o str> {
    if facts.owner == HOST {
        return Some(producer);
    }
    let f = facts.field(field)?;
    match f.by_producer {
        true => Some(producer),
        false => Some(&f.owner),
    }
}

/// Whether a selected field applies to an object of type `concrete` (no type condition, or one
/// naming the type or an interface it implements).
fn applies(
    field: &SelectionField,
    concrete: &str,
    facts: &crate::graphql::facts::TypeFacts,
) -> bool {
    match &field.on {
        None => true,
        Some(on) => on == concrete || facts.interfaces.iter().any(|i| i == on),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owners_keep_the_order_first_met_beyond_those_kept_in_place() {
        let mut owners = Owners::default();
        assert!(owners.is_empty());
        for owner in ["a", "b", "c", "d", "e", "f"] {
            assert!(!owners.contains(owner));
            owners.push(owner);
            assert!(owners.contains(owner));
        }
        assert_eq!(
            owners.iter().collect::<Vec<_>>(),
            ["a", "b", "c", "d", "e", "f"]
        );
    }

    #[test]
    fn a_group_gives_back_each_path_it_was_given() {
        let mut group = Group {
            owner: "ext".into(),
            type_name: "T".into(),
            selection: &[],
            steps: Vec::new(),
            ends: Vec::new(),
            keys: Vec::new(),
        };
        let paths: [&[Step]; 3] = [
            &[Step::Key("edges"), Step::Index(0), Step::Key("node")],
            &[],
            &[Step::Index(7)],
        ];
        for path in paths {
            group.steps.extend_from_slice(path);
            group.ends.push(group.steps.len());
        }
        let back: Vec<String> = group.paths().map(|p| format!("{p:?}")).collect();
        let given: Vec<String> = paths.iter().map(|p| format!("{p:?}")).collect();
        assert_eq!(back, given);
    }
}
