//! juniper over the composed schema: one Rust type per role (`DynRoot` for Query/Mutation,
//! `DynNode` for every other named type), with the type's name as juniper `TypeInfo`. Modules'
//! JSON answers are projected through these, so juniper checks shapes, nullability and
//! fragments exactly as for a static schema.

use super::execution::Execution;
use super::projection;
use super::scalar::{Scalar, Written};
use super::tree::{Node, Store};
use super::type_ref::TypeRef;
use apollo_compiler::{ast, schema::ExtendedType};
use juniper::{
    meta::{Argument, EnumValue, Field, MetaType},
    parser::{ParseError, ScalarToken},
    ArcStr, Arguments, ExecutionResult, Executor, FieldError, FromInputValue, GraphQLType,
    GraphQLValue, InputValue, ParseScalarValue, Registry, Selection, Value,
};

type S = Scalar;

/// The root of an operation (`Query` or `Mutation`); fields are resolved by their owners.
pub struct DynRoot;

/// Any value of a named type, as a borrowed piece of a module's JSON answer.
pub struct DynNode<'a>(pub &'a Node<'a>);

/// The node an input value stands for (input values are not projected).
const NULL: &Node<'static> = &Node::Null;

const EMPTY_MUTATION: &str = "_EmptyMutation";

impl GraphQLType<S> for DynRoot {
    fn name(info: &TypeRef) -> Option<ArcStr> {
        Some(if info.definition().is_some() {
            info.name.clone()
        } else {
            ArcStr::from(EMPTY_MUTATION)
        })
    }

    fn meta(info: &TypeRef, registry: &mut Registry<S>) -> MetaType<S> {
        match info.definition() {
            Some(ExtendedType::Object(object)) => {
                let fields = fields_meta(info, object.fields.values().map(|c| &*c.node), registry);
                registry
                    .build_object_type::<DynRoot>(info, &fields)
                    .into_meta()
            }
            _ => registry.build_object_type::<DynRoot>(info, &[]).into_meta(),
        }
    }
}

impl GraphQLValue<S> for DynRoot {
    type Context = Execution;
    type TypeInfo = TypeRef;

    fn type_name(&self, info: &TypeRef) -> Option<ArcStr> {
        <Self as GraphQLType<S>>::name(info)
    }

    fn concrete_type_name(&self, _: &Execution, info: &TypeRef) -> String {
        info.name.to_string()
    }

    fn resolve_field(
        &self,
        info: &TypeRef,
        field_name: &str,
        _arguments: &Arguments<S>,
        executor: &Executor<Execution, S>,
    ) -> ExecutionResult<S> {
        let field = super::selection::from_look_ahead(&executor.look_ahead());
        let ty = field_type(info, field_name)?;
        let store = Store::default();
        let data = executor
            .context()
            .resolve_root(&info.name, field, ty, &store)?;
        complete_root(executor, info, ty, &data)
    }
}

impl<'a> GraphQLType<S> for DynNode<'a> {
    fn name(info: &TypeRef) -> Option<ArcStr> {
        Some(info.name.clone())
    }

    fn meta(info: &TypeRef, registry: &mut Registry<S>) -> MetaType<S> {
        let Some(definition) = info.definition() else {
            return registry.build_scalar_type::<DynNode<'a>>(info).into_meta();
        };
        match definition {
            ExtendedType::Object(object) => {
                let fields = fields_meta(info, object.fields.values().map(|c| &*c.node), registry);
                let interfaces: Vec<_> = object
                    .implements_interfaces
                    .iter()
                    .map(|i| registry.get_type::<DynNode<'a>>(&info.named(i)))
                    .collect();
                registry
                    .build_object_type::<DynNode<'a>>(info, &fields)
                    .interfaces(&interfaces)
                    .into_meta()
            }
            ExtendedType::Interface(interface) => {
                let fields =
                    fields_meta(info, interface.fields.values().map(|c| &*c.node), registry);
                registry
                    .build_interface_type::<DynNode<'a>>(info, &fields)
                    .into_meta()
            }
            ExtendedType::Union(union) => {
                let members: Vec<_> = union
                    .members
                    .iter()
                    .map(|m| registry.get_type::<DynNode<'a>>(&info.named(m)))
                    .collect();
                registry
                    .build_union_type::<DynNode<'a>>(info, &members)
                    .into_meta()
            }
            ExtendedType::Enum(enumeration) => {
                let values: Vec<EnumValue> = enumeration
                    .values
                    .values()
                    .map(|v| {
                        let value = EnumValue::new(v.value.as_str());
                        match deprecation(&v.directives) {
                            Some(reason) => value.deprecated(reason),
                            None => value,
                        }
                    })
                    .collect();
                registry
                    .build_enum_type::<DynNode<'a>>(info, &values)
                    .into_meta()
            }
            ExtendedType::InputObject(input) => {
                let args: Vec<_> = input
                    .fields
                    .values()
                    .map(|f| argument_meta(info, f, registry))
                    .collect();
                registry
                    .build_input_object_type::<DynNode<'a>>(info, &args)
                    .into_meta()
            }
            ExtendedType::Scalar(_) => registry.build_scalar_type::<DynNode<'a>>(info).into_meta(),
        }
    }
}

impl GraphQLValue<S> for DynNode<'_> {
    type Context = Execution;
    type TypeInfo = TypeRef;

    fn type_name(&self, info: &TypeRef) -> Option<ArcStr> {
        Some(info.name.clone())
    }

    fn concrete_type_name(&self, _: &Execution, info: &TypeRef) -> String {
        match self.0.get("__typename").and_then(Node::as_str) {
            Some(name) => name.to_owned(),
            None => info.name.to_string(),
        }
    }

    fn resolve(
        &self,
        info: &TypeRef,
        selection_set: Option<&[Selection<S>]>,
        executor: &Executor<Execution, S>,
    ) -> ExecutionResult<S> {
        Ok(match selection_set {
            Some(selection) => {
                let mut out = projection::Text::with_capacity(256);
                let mut projector = projection::Projector::new(executor, &info.schema.composed);
                match projector.object(&info.name, self.0, &[selection], &mut out) {
                    true => written(executor, out),
                    false => Value::null(),
                }
            }
            None if self.0.is_null() => Value::null(),
            None => {
                let mut out = projection::Text::new();
                projection::write_any_scalar(&mut out, self.0);
                written(executor, out)
            }
        })
    }
}

impl FromInputValue<S> for DynNode<'_> {
    type Error = FieldError<S>;

    fn from_input_value(_: &InputValue<S>) -> Result<Self, Self::Error> {
        Ok(DynNode(NULL))
    }
}

impl ParseScalarValue<S> for DynNode<'_> {
    fn from_str(token: ScalarToken<'_>) -> Result<S, ParseError> {
        match token {
            ScalarToken::String(_) => <String as ParseScalarValue<S>>::from_str(token),
            ScalarToken::Int(text) => Ok(match text.parse::<i32>() {
                Ok(i) => S::Int(i),
                Err(_) => S::Float(text.parse().unwrap_or(f64::NAN)),
            }),
            ScalarToken::Float(_) => <f64 as ParseScalarValue<S>>::from_str(token),
        }
    }
}

fn field_type<'i>(info: &'i TypeRef, field: &str) -> Result<&'i ast::Type, FieldError<S>> {
    info.schema
        .composed
        .facts(&info.name)
        .and_then(|t| t.field(field))
        .map(|f| &f.ty)
        .ok_or_else(|| FieldError::from(format!("`{}` has no field `{field}`", info.name)))
}

fn deprecation(directives: &ast::DirectiveList) -> Option<Option<String>> {
    let directive = directives.get("deprecated")?;
    Some(
        directive
            .specified_argument_by_name("reason")
            .and_then(|v| v.as_str())
            .map(str::to_owned),
    )
}

fn fields_meta<'f>(
    info: &TypeRef,
    fields: impl Iterator<Item = &'f ast::FieldDefinition>,
    registry: &mut Registry<S>,
) -> Vec<Field<S>> {
    fields
        .map(|f| {
            let mut field = registry.field::<String>(f.name.as_str(), &());
            field.field_type = juniper_type(info, &f.ty, registry);
            if let Some(d) = &f.description {
                field = field.description(d.as_str());
            }
            if let Some(reason) = deprecation(&f.directives) {
                field = field.deprecated(reason.as_deref());
            }
            for arg in &f.arguments {
                field = field.argument(argument_meta(info, arg, registry));
            }
            field
        })
        .collect()
}

fn argument_meta(
    info: &TypeRef,
    arg: &ast::InputValueDefinition,
    registry: &mut Registry<S>,
) -> Argument<S> {
    let mut argument = Argument::new(arg.name.as_str(), juniper_type(info, &arg.ty, registry));
    if let Some(d) = &arg.description {
        argument = argument.description(d.as_str());
    }
    if let Some(default) = &arg.default_value {
        argument = argument.default_value(input_value(default));
    }
    argument
}

/// Registers the named type and returns juniper's view of `ty` with its modifiers.
fn juniper_type(info: &TypeRef, ty: &ast::Type, registry: &mut Registry<S>) -> juniper::Type {
    match ty {
        ast::Type::Named(name) => register(info, name, registry),
        ast::Type::NonNullNamed(name) => register(info, name, registry).wrap_non_null(),
        ast::Type::List(inner) => juniper_type(info, inner, registry).wrap_list(None),
        ast::Type::NonNullList(inner) => juniper_type(info, inner, registry)
            .wrap_list(None)
            .wrap_non_null(),
    }
}

fn register(info: &TypeRef, name: &str, registry: &mut Registry<S>) -> juniper::Type {
    match name {
        "String" => registry.get_type::<String>(&()),
        "Int" => registry.get_type::<i32>(&()),
        "Float" => registry.get_type::<f64>(&()),
        "Boolean" => registry.get_type::<bool>(&()),
        "ID" => registry.get_type::<juniper::ID>(&()),
        _ => registry.get_type::<DynNode<'static>>(&info.named(name)),
    }
    .into_nullable_type()
}

trait IntoNullable {
    fn into_nullable_type(self) -> juniper::Type;
}

impl IntoNullable for juniper::Type {
    /// `get_type` answers non-null for concrete types; modifiers are applied by the caller.
    fn into_nullable_type(self) -> juniper::Type {
        juniper::Type::nullable(self.innermost_name().to_owned())
    }
}

fn input_value(value: &ast::Value) -> InputValue<S> {
    match value {
        ast::Value::Null => InputValue::Null,
        ast::Value::Enum(name) => InputValue::Enum(name.to_string()),
        ast::Value::Variable(name) => InputValue::Variable(name.to_string()),
        ast::Value::String(s) => InputValue::scalar(s.clone()),
        ast::Value::Float(f) => InputValue::scalar(f.try_to_f64().unwrap_or(f64::NAN)),
        ast::Value::Int(i) => match i.try_to_i32() {
            Ok(i) => InputValue::scalar(i),
            Err(_) => InputValue::scalar(i.try_to_f64().unwrap_or(f64::NAN)),
        },
        ast::Value::Boolean(b) => InputValue::scalar(*b),
        ast::Value::List(items) => InputValue::list(items.iter().map(|i| input_value(i)).collect()),
        ast::Value::Object(fields) => InputValue::object(
            fields
                .iter()
                .map(|(k, v)| (k.to_string(), input_value(v)))
                .collect(),
        ),
    }
}

/// Completes a root field's value: objects go to juniper once (which hands [`DynNode::resolve`]
/// the selection set), everything below is projected in one pass by [`projection`].
fn complete_root(
    executor: &Executor<Execution, S>,
    info: &TypeRef,
    ty: &ast::Type,
    value: &Node<'_>,
) -> ExecutionResult<S> {
    match (ty, value) {
        (_, Node::Null) => Ok(Value::null()),
        (ast::Type::List(inner) | ast::Type::NonNullList(inner), Node::Array(items)) => {
            let mut out = Vec::with_capacity(items.len());
            for item in items.iter() {
                let completed = complete_root(executor, info, inner, item)?;
                if completed.is_null() && inner.is_non_null() {
                    return Err(FieldError::from(format!(
                        "a module returned null inside a list of {inner}"
                    )));
                }
                out.push(completed);
            }
            Ok(Value::list(out))
        }
        (ast::Type::Named(name) | ast::Type::NonNullNamed(name), Node::Object(_))
            if info
                .schema
                .composed
                .facts(name)
                .is_some_and(|t| t.kind.composite()) =>
        {
            executor.resolve(&info.named(name), &DynNode(value))
        }
        _ => {
            let mut out = projection::Text::new();
            let mut projector = projection::Projector::new(executor, &info.schema.composed);
            match projector.complete(ty, value, &[], &mut out)? {
                true => Ok(written(executor, out)),
                false => Ok(Value::null()),
            }
        }
    }
}

/// Text the projection wrote, carried to the response as it is.
fn written(executor: &Executor<Execution, S>, out: projection::Text) -> Value<S> {
    executor.context().wrote(out.len());
    Written::new(out).map_or_else(Value::null, |text| Value::scalar(Scalar::Written(text)))
}
