//! Projecting a module's (federated) JSON answer onto a field's selection set, in one pass.
//!
//! juniper calls `DynNode::resolve` once for the object at a root field; this module walks the
//! selection AST itself (fields, aliases, fragments with their type conditions, @skip and
//! @include) instead of letting juniper create a sub-executor and argument set per leaf, which
//! was the largest cost of a 100-row answer. Semantics follow the GraphQL spec as juniper
//! implements them: a null in a non-null position nulls the nearest nullable parent, leaves
//! are checked against their scalar type. Errors are reported at the field's location, with the
//! root field's path.

use super::execution::Execution;
use super::facts::{Kind, TypeFacts};
use super::type_ref::TypeRef;
use apollo_compiler::ast;
use juniper::{
    graphql_value, DefaultScalarValue, Executor, FieldError, InputValue, Object, Selection,
    Spanning, Value,
};
use openimis_plugin_api::payload::FIELD_ERROR;
use serde_json::Value as Json;

type S = DefaultScalarValue;

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

/// Projects `value` (an object of declared type `info`) onto `selection`. `None` means the
/// object must be null (a non-null field in it was null); the error is already recorded.
pub fn object(
    executor: &Executor<Execution, S>,
    info: &TypeRef,
    value: &Json,
    selection: &[Selection<S>],
) -> Option<Object<S>> {
    let concrete = value
        .get("__typename")
        .and_then(Json::as_str)
        .unwrap_or(&info.name);
    let facts = info.schema.composed.facts(concrete)?;
    let mut out = Object::with_capacity(selection.len());
    collect(executor, info, concrete, facts, value, selection, &mut out).then_some(out)
}

#[allow(clippy::too_many_arguments)]
fn collect(
    executor: &Executor<Execution, S>,
    info: &TypeRef,
    concrete: &str,
    facts: &TypeFacts,
    value: &Json,
    selection: &[Selection<S>],
    out: &mut Object<S>,
) -> bool {
    for item in selection {
        match item {
            Selection::Field(Spanning { item: field, span }) => {
                if excluded!(field.directives, executor) {
                    continue;
                }
                let key = field.alias.as_ref().unwrap_or(&field.name).item;
                if field.name.item == "__typename" {
                    out.add_field(key, Value::scalar(concrete.to_owned()));
                    continue;
                }
                let Some(field_facts) = facts.field(field.name.item) else {
                    executor.push_error_at(
                        FieldError::from(format!(
                            "`{concrete}` has no field `{}`",
                            field.name.item
                        )),
                        span.start,
                    );
                    return false;
                };
                let Some(raw) = value.get(key) else {
                    executor.push_error_at(
                        FieldError::from(format!(
                            "the module answer for `{concrete}` lacks field `{key}`"
                        )),
                        span.start,
                    );
                    if field_facts.ty.is_non_null() {
                        return false;
                    }
                    out.add_field(key, Value::null());
                    continue;
                };
                if let Some(error) = raw.get(FIELD_ERROR) {
                    executor.push_error_at(module_error(error, &field_facts.owner), span.start);
                    if field_facts.ty.is_non_null() {
                        return false;
                    }
                    out.add_field(key, Value::null());
                    continue;
                }
                let sub = field.selection_set.as_deref().unwrap_or(&[]);
                match complete(executor, info, &field_facts.ty, raw, sub) {
                    Ok(Value::Null) if field_facts.ty.is_non_null() => {
                        executor.push_error_at(
                            FieldError::from(format!(
                                "Cannot return null for non-nullable field {concrete}.{}.",
                                field.name.item
                            )),
                            span.start,
                        );
                        return false;
                    }
                    Ok(v) => merge(out, key, v),
                    Err(e) => {
                        executor.push_error_at(e, span.start);
                        if field_facts.ty.is_non_null() {
                            return false;
                        }
                        out.add_field(key, Value::null());
                    }
                }
            }
            Selection::FragmentSpread(Spanning { item: spread, .. }) => {
                if excluded!(spread.directives, executor) {
                    continue;
                }
                let Some(fragment) = executor.fragment_by_name(spread.name.item) else {
                    continue;
                };
                let condition = Some(fragment.type_condition.item);
                if !collect_fragment(
                    executor,
                    info,
                    concrete,
                    facts,
                    value,
                    condition,
                    &fragment.selection_set,
                    out,
                ) {
                    return false;
                }
            }
            Selection::InlineFragment(Spanning { item: fragment, .. }) => {
                if excluded!(fragment.directives, executor) {
                    continue;
                }
                let condition = fragment.type_condition.as_ref().map(|c| c.item);
                if !collect_fragment(
                    executor,
                    info,
                    concrete,
                    facts,
                    value,
                    condition,
                    &fragment.selection_set,
                    out,
                ) {
                    return false;
                }
            }
        }
    }
    true
}

/// Collects a fragment's fields when its type condition (if any) applies to `concrete`; `false`
/// when the object must become null.
#[allow(clippy::too_many_arguments)]
fn collect_fragment(
    executor: &Executor<Execution, S>,
    info: &TypeRef,
    concrete: &str,
    facts: &TypeFacts,
    value: &Json,
    condition: Option<&str>,
    selection: &[Selection<S>],
    out: &mut Object<S>,
) -> bool {
    if condition.is_some_and(|c| !applies(executor, concrete, c)) {
        return true;
    }
    collect(executor, info, concrete, facts, value, selection, out)
}

/// Completes `value` for type `ty`: lists, nullability, leaves, nested objects.
pub fn complete(
    executor: &Executor<Execution, S>,
    info: &TypeRef,
    ty: &ast::Type,
    value: &Json,
    selection: &[Selection<S>],
) -> Result<Value<S>, FieldError<S>> {
    if value.is_null() {
        return Ok(Value::null());
    }
    match ty {
        ast::Type::Named(name) | ast::Type::NonNullNamed(name) => {
            named(executor, info, name, value, selection)
        }
        ast::Type::List(inner) | ast::Type::NonNullList(inner) => {
            let Json::Array(items) = value else {
                return Err(mismatch(ty, value));
            };
            let mut out = Vec::with_capacity(items.len());
            for item in items {
                let completed = complete(executor, info, inner, item, selection)?;
                if completed.is_null() && inner.is_non_null() {
                    return Err(FieldError::from(format!(
                        "a module returned null inside a list of {inner}"
                    )));
                }
                out.push(completed);
            }
            Ok(Value::list(out))
        }
    }
}

fn named(
    executor: &Executor<Execution, S>,
    info: &TypeRef,
    name: &str,
    value: &Json,
    selection: &[Selection<S>],
) -> Result<Value<S>, FieldError<S>> {
    let leaf = match name {
        "String" => value.as_str().map(|s| Value::scalar(s.to_owned())),
        "ID" => match value {
            Json::String(s) => Some(Value::scalar(s.clone())),
            Json::Number(n) => Some(Value::scalar(n.to_string())),
            _ => None,
        },
        "Int" => value
            .as_i64()
            .and_then(|i| i32::try_from(i).ok())
            .map(Value::scalar),
        "Float" => value.as_f64().map(Value::scalar),
        "Boolean" => value.as_bool().map(Value::scalar),
        _ => match info.schema.composed.facts(name).map(|t| t.kind) {
            Some(Kind::Scalar) => Some(any_scalar(value)),
            Some(Kind::Enum) => value.as_str().map(|s| Value::scalar(s.to_owned())),
            Some(kind) if kind.composite() && value.is_object() => {
                return Ok(object(executor, &info.named(name), value, selection)
                    .map_or(Value::null(), Value::Object));
            }
            _ => None,
        },
    };
    leaf.ok_or_else(|| {
        mismatch(
            &ast::Type::Named(ast::NamedType::new_unchecked(name)),
            value,
        )
    })
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
    let flag = matches!(
        value,
        Some(InputValue::Scalar(DefaultScalarValue::Boolean(true)))
    );
    match directive {
        "skip" => flag,
        "include" => !flag,
        _ => false,
    }
}

/// Adds `value` under `key`, merging objects selected twice under the same key. Only objects
/// merge: anything else replaces what the key held, without looking it up first.
fn merge(out: &mut Object<S>, key: &str, value: Value<S>) {
    if !matches!(value, Value::Object(_)) {
        out.add_field(key, value);
        return;
    }
    match (out.get_mut_field_value(key), value) {
        (Some(Value::Object(existing)), Value::Object(new)) => {
            for (k, v) in new {
                merge(existing, &k, v);
            }
        }
        (_, value) => {
            out.add_field(key, value);
        }
    }
}

pub fn any_scalar(value: &Json) -> Value<S> {
    match value {
        Json::Null => Value::null(),
        Json::Bool(b) => Value::scalar(*b),
        Json::Number(n) => match n.as_i64().and_then(|i| i32::try_from(i).ok()) {
            Some(i) => Value::scalar(i),
            None => Value::scalar(n.as_f64().unwrap_or(f64::NAN)),
        },
        Json::String(s) => Value::scalar(s.clone()),
        Json::Array(items) => Value::list(items.iter().map(any_scalar).collect()),
        Json::Object(map) => {
            let mut object = Object::with_capacity(map.len());
            for (k, v) in map {
                object.add_field(k.as_str(), any_scalar(v));
            }
            Value::object(object)
        }
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
