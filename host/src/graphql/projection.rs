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

use super::execution::Execution;
use super::facts::{Kind, TypeFacts};
use super::scalar::Scalar;
use super::type_ref::TypeRef;
use apollo_compiler::ast;
use juniper::{graphql_value, Executor, FieldError, InputValue, Selection, Spanning};
use openimis_plugin_api::payload::FIELD_ERROR;
use serde_json::Value as Json;

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

/// Writes `value` (an object of declared type `info`) projected onto `sets` (the selection
/// sets of every field merged under one response key). `false` means the object must be null
/// (a non-null field in it was null; the error is already recorded) and nothing was written.
pub fn object(
    executor: &Executor<Execution, S>,
    info: &TypeRef,
    value: &Json,
    sets: &[&[Selection<S>]],
    out: &mut Text,
) -> bool {
    let concrete = value
        .get("__typename")
        .and_then(Json::as_str)
        .unwrap_or(&info.name);
    let Some(facts) = info.schema.composed.facts(concrete) else {
        return false;
    };
    let start = out.len();
    out.push(b'{');
    if !collect(executor, info, concrete, facts, value, sets, out) {
        out.truncate(start);
        return false;
    }
    out.push(b'}');
    true
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

/// Writes the object's `"key":value` pairs; `false` when the object must become null.
fn collect(
    executor: &Executor<Execution, S>,
    info: &TypeRef,
    concrete: &str,
    facts: &TypeFacts,
    value: &Json,
    sets: &[&[Selection<S>]],
    out: &mut Text,
) -> bool {
    let mut groups = Vec::with_capacity(sets.first().map_or(0, |s| s.len()));
    group(executor, concrete, sets, &mut groups);
    for (n, &(key, first, ref more)) in groups.iter().enumerate() {
        if n > 0 {
            out.push(b',');
        }
        write_str(out, key);
        out.push(b':');
        let Selection::Field(Spanning {
            item: field, span, ..
        }) = first
        else {
            continue; // `group` puts only fields in a group
        };
        if field.name.item == "__typename" {
            write_str(out, concrete);
            continue;
        }
        let Some(field_facts) = facts.field(field.name.item) else {
            executor.push_error_at(
                FieldError::from(format!("`{concrete}` has no field `{}`", field.name.item)),
                span.start,
            );
            return false;
        };
        let non_null = field_facts.ty.is_non_null();
        let Some(raw) = value.get(key) else {
            executor.push_error_at(
                FieldError::from(format!(
                    "the module answer for `{concrete}` lacks field `{key}`"
                )),
                span.start,
            );
            if non_null {
                return false;
            }
            out.extend_from_slice(b"null");
            continue;
        };
        if let Some(error) = raw.get(FIELD_ERROR) {
            executor.push_error_at(module_error(error, &field_facts.owner), span.start);
            if non_null {
                return false;
            }
            out.extend_from_slice(b"null");
            continue;
        }
        let own = field.selection_set.as_deref().unwrap_or_default();
        let merged: Vec<&[Selection<S>]>;
        let subs = match more.is_empty() {
            true => std::slice::from_ref(&own),
            false => {
                merged = std::iter::once(first)
                    .chain(more.iter().copied())
                    .filter_map(|f| match f {
                        Selection::Field(Spanning { item, .. }) => item.selection_set.as_deref(),
                        _ => None,
                    })
                    .collect();
                &merged
            }
        };
        let start = out.len();
        match complete(executor, info, &field_facts.ty, raw, subs, out) {
            Ok(false) if non_null => {
                executor.push_error_at(
                    FieldError::from(format!(
                        "Cannot return null for non-nullable field {concrete}.{}.",
                        field.name.item
                    )),
                    span.start,
                );
                return false;
            }
            Ok(_) => {}
            Err(e) => {
                executor.push_error_at(e, span.start);
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

/// Writes `value` completed for type `ty`: lists, nullability, leaves, nested objects. `Ok(true)`
/// when it wrote a value, `Ok(false)` when it wrote `null`; on an error what it wrote is left
/// for the caller to cut.
pub fn complete(
    executor: &Executor<Execution, S>,
    info: &TypeRef,
    ty: &ast::Type,
    value: &Json,
    sets: &[&[Selection<S>]],
    out: &mut Text,
) -> Result<bool, FieldError<S>> {
    if value.is_null() {
        out.extend_from_slice(b"null");
        return Ok(false);
    }
    match ty {
        ast::Type::Named(name) | ast::Type::NonNullNamed(name) => {
            named(executor, info, name, value, sets, out)
        }
        ast::Type::List(inner) | ast::Type::NonNullList(inner) => {
            let Json::Array(items) = value else {
                return Err(mismatch(ty, value));
            };
            out.push(b'[');
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push(b',');
                }
                let written = complete(executor, info, inner, item, sets, out)?;
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
    executor: &Executor<Execution, S>,
    info: &TypeRef,
    name: &str,
    value: &Json,
    sets: &[&[Selection<S>]],
    out: &mut Text,
) -> Result<bool, FieldError<S>> {
    match (name, value) {
        ("String", Json::String(s)) => write_str(out, s),
        ("ID", Json::String(s)) => write_str(out, s),
        ("ID", Json::Number(n)) => write_str(out, &n.to_string()),
        ("Int", Json::Number(n)) => match n.as_i64().and_then(|i| i32::try_from(i).ok()) {
            Some(i) => write_json(out, &i),
            None => return Err(mismatch(&named_type(name), value)),
        },
        ("Float", Json::Number(n)) => write_json(out, &n.as_f64().unwrap_or(f64::NAN)),
        ("Boolean", Json::Bool(b)) => write_json(out, b),
        ("String" | "ID" | "Int" | "Float" | "Boolean", _) => {
            return Err(mismatch(&named_type(name), value))
        }
        _ => match info.schema.composed.facts(name).map(|t| t.kind) {
            Some(Kind::Scalar) => write_any_scalar(out, value),
            Some(Kind::Enum) if value.is_string() => write_json(out, value),
            Some(kind) if kind.composite() && value.is_object() => {
                if object(executor, &info.named(name), value, sets, out) {
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

fn named_type(name: &str) -> ast::Type {
    ast::Type::Named(ast::NamedType::new_unchecked(name))
}

fn write_str(out: &mut Text, s: &str) {
    write_json(out, s);
}

fn write_json<T: serde::Serialize + ?Sized>(out: &mut Text, value: &T) {
    // Writing JSON into a Vec cannot fail for strings, numbers and booleans.
    let _ = serde_json::to_writer(&mut *out, value);
}

/// A custom scalar's value (or a value answered without a selection) as juniper answers
/// one: integers that fit 32 bits as integers, other numbers as floats, anything else as it is.
pub fn write_any_scalar(out: &mut Text, value: &Json) {
    match value {
        Json::Number(n) => match n.as_i64().and_then(|i| i32::try_from(i).ok()) {
            Some(i) => write_json(out, &i),
            None => write_json(out, &n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::Array(items) => {
            out.push(b'[');
            for (n, item) in items.iter().enumerate() {
                if n > 0 {
                    out.push(b',');
                }
                write_any_scalar(out, item);
            }
            out.push(b']');
        }
        Json::Object(map) => {
            out.push(b'{');
            for (n, (k, v)) in map.iter().enumerate() {
                if n > 0 {
                    out.push(b',');
                }
                write_str(out, k);
                out.push(b':');
                write_any_scalar(out, v);
            }
            out.push(b'}');
        }
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
fn module_error(error: &Json, module: &str) -> FieldError<S> {
    let message = error["message"].as_str().unwrap_or("error");
    let code = error["code"].as_str().unwrap_or("ERROR").to_owned();
    let message = crate::modules::for_client(
        module,
        openimis_plugin_api::ModuleError::new(code.as_str(), message),
    )
    .message
    .to_string();
    let module = module.to_owned();
    FieldError::new(message, graphql_value!({ "code": code, "module": module }))
}

pub fn mismatch(ty: &ast::Type, value: &Json) -> FieldError<S> {
    let kind = match value {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "a list",
        Json::Object(_) => "an object",
    };
    FieldError::from(format!(
        "a module returned {kind} where the schema says {ty}"
    ))
}
