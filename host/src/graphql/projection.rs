//! Projecting a module's (federated) JSON answer onto a field's selection set, in one pass,
//! straight into the response's JSON text.
//!
//! juniper calls `DynNode::resolve` once for the object at a root field; this module walks the
//! selection AST itself (fields, aliases, fragments with their type conditions, @skip and
//! @include, a response key selected twice merged as the spec's CollectFields does) instead of
//! letting juniper create a sub-executor and argument set per leaf, and writes the answer as
//! JSON text (juniper carries it as one [`Scalar::Written`]) instead of juniper values built
//! and serialized again. Semantics follow the GraphQL spec as juniper implements them: a null in
//! a non-null position nulls the nearest nullable parent, leaves are checked against their
//! scalar type. Errors are reported at the field's location, with the root field's path.

use super::compose::Composed;
use super::execution::Execution;
use super::facts::{FieldFacts, Kind, RecentTypes, TypeFacts};
use super::scalar::Scalar;
use super::tree::Node;
use apollo_compiler::ast;
use juniper::parser::SourcePosition;
use juniper::{graphql_value, Executor, FieldError, InputValue, Selection, Spanning};
use openimis_plugin_api::payload::FIELD_ERROR;
use openimis_sdk::json_text::{write_list, write_object, write_str};
use rustc_hash::FxHashMap;
use std::rc::Rc;

type S = Scalar;

/// The JSON text of an answer being written.
pub type Text = Vec<u8>;

/// Whether a directive list (`@skip(if:)` / `@include(if:)`, variables resolved) excludes
/// its selection. A macro because juniper's directive type is not nameable outside juniper.
macro_rules! excluded {
    ($directives:expr, $executor:expr) => {
        $directives.iter().flatten().any(|d| {
            let condition = d
                .item
                .arguments
                .as_ref()
                .and_then(|args| args.item.get("if"))
                .map(|v| &v.item);
            skipped(d.item.name.item, condition, $executor)
        })
    };
}

/// One root field's projection: juniper's executor, the composed schema, and the plan of every
/// (selection sets, concrete type) met so far, so that each row of a list reuses the plan of
/// the first (response keys grouped, fields looked up, fragments and directives decided once).
pub struct Projector<'x, 'r, 'a> {
    executor: &'x Executor<'r, 'a, Execution, S>,
    composed: &'x Composed,
    plans: FxHashMap<(usize, usize, usize), Rc<[Planned<'x>]>>,
    recent: RecentTypes<'x>,
}

/// A response key of an object and how it is answered.
struct Planned<'x> {
    key: &'x str,
    /// `"key":` as written before the value, rendered once with the plan.
    key_text: Box<[u8]>,
    /// The name of the first field selected under the key, and where it is in the document.
    name: &'x str,
    at: SourcePosition,
    /// The selection sets of every field merged under the key (one for the usual single field).
    subs: Vec<&'x [Selection<'x, S>]>,
    answer: Answer<'x>,
}

/// What a planned key is.
enum Answer<'x> {
    /// `__typename`: the object's concrete type.
    Typename,
    /// A field of the type, and how its named type is written.
    Field(&'x FieldFacts, Leaf),
    /// No field of the type by that name (validation keeps this from happening).
    Unknown,
}

/// How a named type's values are written: the built-in scalars by their rules, anything else
/// by what the schema says it is.
#[derive(Clone, Copy)]
enum Leaf {
    String,
    Id,
    Int,
    Float,
    Boolean,
    Other,
}

impl Leaf {
    fn of(name: &str) -> Self {
        match name {
            "String" => Leaf::String,
            "ID" => Leaf::Id,
            "Int" => Leaf::Int,
            "Float" => Leaf::Float,
            "Boolean" => Leaf::Boolean,
            _ => Leaf::Other,
        }
    }
}

impl<'x, 'r, 'a> Projector<'x, 'r, 'a> {
    pub fn new(executor: &'x Executor<'r, 'a, Execution, S>, composed: &'x Composed) -> Self {
        Self {
            executor,
            composed,
            plans: FxHashMap::default(),
            recent: RecentTypes::default(),
        }
    }

    /// Writes `value` (an object of declared type `declared`) projected onto `sets` (the
    /// selection sets of every field merged under one response key). `false` means the object
    /// must be null (a non-null field in it was null; the error is already recorded) and
    /// nothing was written.
    pub fn object(
        &mut self,
        declared: &str,
        value: &Node<'_>,
        sets: &[&'x [Selection<'x, S>]],
        out: &mut Text,
    ) -> bool {
        let concrete = value
            .get("__typename")
            .and_then(Node::as_str)
            .unwrap_or(declared);
        let Some(facts) = self.facts(concrete) else {
            return false;
        };
        let plan = self.plan(concrete, facts, sets);
        let start = out.len();
        out.push(b'{');
        if !self.collect(concrete, &plan, value, out) {
            out.truncate(start);
            return false;
        }
        out.push(b'}');
        true
    }

    fn facts(&mut self, name: &str) -> Option<&'x TypeFacts> {
        let composed = self.composed;
        self.recent.get(name, |name| composed.facts(name))
    }

    /// The plan of `sets` at an object of type `concrete`, made once per request.
    fn plan(
        &mut self,
        concrete: &str,
        facts: &'x TypeFacts,
        sets: &[&'x [Selection<'x, S>]],
    ) -> Rc<[Planned<'x>]> {
        let id = (
            sets.as_ptr() as usize,
            sets.len(),
            facts as *const TypeFacts as usize,
        );
        if let Some(plan) = self.plans.get(&id) {
            return plan.clone();
        }
        let mut groups = Vec::with_capacity(sets.first().map_or(0, |s| s.len()));
        group(self.executor, concrete, sets, &mut groups);
        let plan: Rc<[Planned<'x>]> = groups
            .into_iter()
            .filter_map(|(key, first, more)| {
                let Selection::Field(Spanning {
                    item: field, span, ..
                }) = first
                else {
                    return None; // `group` puts only fields in a group
                };
                let subs = std::iter::once(first)
                    .chain(more)
                    .filter_map(|f| match f {
                        Selection::Field(Spanning { item, .. }) => {
                            Some(item.selection_set.as_deref().unwrap_or_default())
                        }
                        _ => None,
                    })
                    .collect();
                let answer = match (field.name.item, facts.field(field.name.item)) {
                    ("__typename", _) => Answer::Typename,
                    (_, Some(f)) => Answer::Field(f, Leaf::of(&f.named)),
                    (_, None) => Answer::Unknown,
                };
                let mut key_text = Vec::with_capacity(key.len() + 3);
                write_str(&mut key_text, key);
                key_text.push(b':');
                Some(Planned {
                    key,
                    key_text: key_text.into_boxed_slice(),
                    name: field.name.item,
                    at: span.start,
                    subs,
                    answer,
                })
            })
            .collect();
        // Keyed by addresses: keep what they point at alive as long as the key.
        self.plans.insert(id, plan.clone());
        plan
    }

    /// Writes the object's `"key":value` pairs; `false` when the object must become null.
    fn collect(
        &mut self,
        concrete: &str,
        plan: &[Planned<'x>],
        value: &Node<'_>,
        out: &mut Text,
    ) -> bool {
        let executor = self.executor;
        for (n, planned) in plan.iter().enumerate() {
            if n > 0 {
                out.push(b',');
            }
            out.extend_from_slice(&planned.key_text);
            let (field_facts, leaf) = match planned.answer {
                Answer::Typename => {
                    write_str(out, concrete);
                    continue;
                }
                Answer::Field(f, leaf) => (f, leaf),
                Answer::Unknown => {
                    executor.push_error_at(
                        FieldError::from(format!("`{concrete}` has no field `{}`", planned.name)),
                        planned.at,
                    );
                    return false;
                }
            };
            let non_null = field_facts.ty.is_non_null();
            let Some(raw) = value.get(planned.key) else {
                executor.push_error_at(
                    FieldError::from(format!(
                        "the module answer for `{concrete}` lacks field `{}`",
                        planned.key
                    )),
                    planned.at,
                );
                if non_null {
                    return false;
                }
                out.extend_from_slice(b"null");
                continue;
            };
            if let Some(error) = raw.get(FIELD_ERROR) {
                executor.push_error_at(module_error(error, &field_facts.owner), planned.at);
                if non_null {
                    return false;
                }
                out.extend_from_slice(b"null");
                continue;
            }
            let start = out.len();
            match self.complete_as(&field_facts.ty, leaf, raw, &planned.subs, out) {
                Ok(false) if non_null => {
                    executor.push_error_at(
                        FieldError::from(format!(
                            "Cannot return null for non-nullable field {concrete}.{}.",
                            planned.name
                        )),
                        planned.at,
                    );
                    return false;
                }
                Ok(_) => {}
                Err(e) => {
                    executor.push_error_at(e, planned.at);
                    if non_null {
                        return false;
                    }
                    out.truncate(start);
                    out.extend_from_slice(b"null");
                }
            }
        }
        true
    }

    /// Writes `value` completed for type `ty`: lists, nullability, leaves, nested objects.
    /// `Ok(true)` when it wrote a value, `Ok(false)` when it wrote `null`; on an error what it
    /// wrote is left for the caller to cut.
    pub fn complete(
        &mut self,
        ty: &ast::Type,
        value: &Node<'_>,
        sets: &[&'x [Selection<'x, S>]],
        out: &mut Text,
    ) -> Result<bool, FieldError<S>> {
        let leaf = Leaf::of(ty.inner_named_type().as_str());
        self.complete_as(ty, leaf, value, sets, out)
    }

    fn complete_as(
        &mut self,
        ty: &ast::Type,
        leaf: Leaf,
        value: &Node<'_>,
        sets: &[&'x [Selection<'x, S>]],
        out: &mut Text,
    ) -> Result<bool, FieldError<S>> {
        if value.is_null() {
            out.extend_from_slice(b"null");
            return Ok(false);
        }
        match ty {
            ast::Type::Named(name) | ast::Type::NonNullNamed(name) => {
                self.named(name, leaf, value, sets, out)
            }
            ast::Type::List(inner) | ast::Type::NonNullList(inner) => {
                let Node::Array(items) = value else {
                    return Err(mismatch(ty, value));
                };
                out.push(b'[');
                for (n, item) in items.iter().enumerate() {
                    if n > 0 {
                        out.push(b',');
                    }
                    let written = self.complete_as(inner, leaf, item, sets, out)?;
                    if !written && inner.is_non_null() {
                        return Err(FieldError::from(format!(
                            "a module returned null inside a list of {inner}"
                        )));
                    }
                }
                out.push(b']');
                Ok(true)
            }
        }
    }

    fn named(
        &mut self,
        name: &str,
        leaf: Leaf,
        value: &Node<'_>,
        sets: &[&'x [Selection<'x, S>]],
        out: &mut Text,
    ) -> Result<bool, FieldError<S>> {
        match (leaf, value) {
            (Leaf::String | Leaf::Id, Node::String(s)) => s.write(out),
            (Leaf::Id, Node::Number(n)) => write_str(out, &n.to_string()),
            (Leaf::Int, Node::Number(n)) => match n.as_i64().and_then(|i| i32::try_from(i).ok()) {
                Some(i) => write_json(out, &i),
                None => return Err(mismatch(&named_type(name), value)),
            },
            (Leaf::Float, Node::Number(n)) => write_json(out, &n.as_f64().unwrap_or(f64::NAN)),
            (Leaf::Boolean, Node::Bool(b)) => write_json(out, b),
            (Leaf::String | Leaf::Id | Leaf::Int | Leaf::Float | Leaf::Boolean, _) => {
                return Err(mismatch(&named_type(name), value))
            }
            (Leaf::Other, _) => match self.facts(name).map(|t| t.kind) {
                Some(Kind::Scalar) => write_any_scalar(out, value),
                Some(Kind::Enum) if value.is_string() => write_any_scalar(out, value),
                Some(kind) if kind.composite() && value.is_object() => {
                    if self.object(name, value, sets, out) {
                        return Ok(true);
                    }
                    out.extend_from_slice(b"null");
                    return Ok(false);
                }
                _ => return Err(mismatch(&named_type(name), value)),
            },
        }
        Ok(true)
    }
}

/// A response key and the fields selected under it: one, or more to merge (no allocation for
/// the usual single field).
type Group<'x> = (&'x str, &'x Selection<'x, S>, Vec<&'x Selection<'x, S>>);

/// The fields of `sets` that apply to `concrete`, grouped by response key in the order the
/// keys first appear (the spec's CollectFields).
fn group<'x>(
    executor: &'x Executor<Execution, S>,
    concrete: &str,
    sets: &[&'x [Selection<'x, S>]],
    groups: &mut Vec<Group<'x>>,
) {
    for set in sets {
        for item in set.iter() {
            match item {
                Selection::Field(Spanning { item: field, .. }) => {
                    if excluded!(field.directives, executor) {
                        continue;
                    }
                    let key = field.alias.as_ref().unwrap_or(&field.name).item;
                    match groups.iter_mut().find(|(k, ..)| *k == key) {
                        Some((.., more)) => more.push(item),
                        None => groups.push((key, item, Vec::new())),
                    }
                }
                Selection::FragmentSpread(Spanning { item: spread, .. }) => {
                    if excluded!(spread.directives, executor) {
                        continue;
                    }
                    let Some(fragment) = executor.fragment_by_name(spread.name.item) else {
                        continue;
                    };
                    if applies(executor, concrete, fragment.type_condition.item) {
                        group(executor, concrete, &[&fragment.selection_set], groups);
                    }
                }
                Selection::InlineFragment(Spanning { item: fragment, .. }) => {
                    if excluded!(fragment.directives, executor) {
                        continue;
                    }
                    let condition = fragment.type_condition.as_ref().map(|c| c.item);
                    if condition.is_none_or(|c| applies(executor, concrete, c)) {
                        group(executor, concrete, &[&fragment.selection_set], groups);
                    }
                }
            }
        }
    }
}

fn named_type(name: &str) -> ast::Type {
    ast::Type::Named(ast::NamedType::new_unchecked(name))
}

fn write_json<T: serde::Serialize + ?Sized>(out: &mut Text, value: &T) {
    // Writing JSON into a Vec cannot fail for strings, numbers and booleans.
    let _ = serde_json::to_writer(&mut *out, value);
}

/// A custom scalar's value (or a value answered without a selection) as juniper answers
/// one: integers that fit 32 bits as integers, other numbers as floats, anything else as it is.
pub fn write_any_scalar(out: &mut Text, value: &Node<'_>) {
    match value {
        Node::Number(n) => match n.as_i64().and_then(|i| i32::try_from(i).ok()) {
            Some(i) => write_json(out, &i),
            None => write_json(out, &n.as_f64().unwrap_or(f64::NAN)),
        },
        Node::Array(items) => write_list(out, items, |out, item| write_any_scalar(out, item)),
        Node::Object(map) => write_object(out, map.iter(), |out, v| write_any_scalar(out, v)),
        Node::String(s) => s.write(out),
        other => write_json(out, other),
    }
}

/// Whether a fragment on `condition` applies to an object of type `concrete`.
fn applies(executor: &Executor<Execution, S>, concrete: &str, condition: &str) -> bool {
    concrete == condition || executor.schema().is_named_subtype(concrete, condition)
}

fn skipped(
    directive: &str,
    condition: Option<&InputValue<S>>,
    executor: &Executor<Execution, S>,
) -> bool {
    let value = match condition {
        Some(InputValue::Variable(name)) => executor.variables().get(name),
        other => other,
    };
    let flag = matches!(value, Some(InputValue::Scalar(Scalar::Boolean(true))));
    match directive {
        "skip" => flag,
        "include" => !flag,
        _ => false,
    }
}

/// A module's field error (`{"__error": {code, message}}`) as the GraphQL error of that field,
/// in the shape of every module error: the message, `extensions: {code, module}`.
fn module_error(error: &Node<'_>, module: &str) -> FieldError<S> {
    let message = error
        .get("message")
        .and_then(Node::as_str)
        .unwrap_or("error");
    let code = error
        .get("code")
        .and_then(Node::as_str)
        .unwrap_or("ERROR")
        .to_owned();
    let message = crate::modules::for_client(
        module,
        openimis_plugin_api::ModuleError::new(code.as_str(), message),
    )
    .message
    .to_string();
    let module = module.to_owned();
    FieldError::new(message, graphql_value!({ "code": code, "module": module }))
}

pub fn mismatch(ty: &ast::Type, value: &Node<'_>) -> FieldError<S> {
    let kind = match value {
        Node::Null => "null",
        Node::Bool(_) => "a boolean",
        Node::Number(_) => "a number",
        Node::String(_) => "a string",
        Node::Array(_) => "a list",
        Node::Object(_) => "an object",
    };
    FieldError::from(format!(
        "a module returned {kind} where the schema says {ty}"
    ))
}
