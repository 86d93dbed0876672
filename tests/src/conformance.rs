//! Conformance with the original: our composed schema against `reference-schema.graphql`
//! (types, fields, arguments, input fields, enum values; the diff printed when they differ),
//! and the real frontend's operations (`frontend/ops.json`) validated against our schema.
//! The module issues' parity and replay tests are built on these.

use apollo_compiler::{ast, schema::ExtendedType, validation::Valid, ExecutableDocument, Schema};
use std::collections::{BTreeSet, VecDeque};
use std::path::PathBuf;

/// `../shared/openimis` beside the workspace (CI clones it there too).
pub fn shared_openimis() -> PathBuf {
    crate::workspace()
        .parent()
        .expect("the workspace has a parent")
        .join("shared/openimis")
}

/// The reference schema the original backend serves.
pub fn reference_schema() -> Valid<Schema> {
    let path = shared_openimis().join("reference-schema.graphql");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Schema::parse_and_validate(text, path)
        .unwrap_or_else(|e| panic!("reference schema: {}", e.errors))
}

/// Parses our composed SDL (as `openimis schema` prints it).
pub fn parse_schema(sdl: &str) -> Valid<Schema> {
    Schema::parse_and_validate(sdl, "ours.graphql")
        .unwrap_or_else(|e| panic!("our schema: {}", e.errors))
}

/// Every named type reachable from the given `Type.field` roots (through field types and
/// arguments), built-ins excluded. A module's surface is the closure of its root fields.
pub fn reachable(schema: &Schema, roots: &[(&str, &str)]) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut queue: VecDeque<String> = VecDeque::new();
    let mut push = |name: &str, queue: &mut VecDeque<String>| {
        if !is_builtin(name) && seen.insert(name.to_owned()) {
            queue.push_back(name.to_owned());
        }
    };
    for (type_name, field) in roots {
        let definition = field_definition(schema, type_name, field)
            .unwrap_or_else(|| panic!("the reference has no {type_name}.{field}"));
        push(definition.ty.inner_named_type(), &mut queue);
        for arg in &definition.arguments {
            push(arg.ty.inner_named_type(), &mut queue);
        }
    }
    while let Some(name) = queue.pop_front() {
        match schema.types.get(name.as_str()) {
            Some(ExtendedType::Object(o)) => {
                for f in o.fields.values() {
                    push(f.ty.inner_named_type(), &mut queue);
                    f.arguments
                        .iter()
                        .for_each(|a| push(a.ty.inner_named_type(), &mut queue));
                }
                o.implements_interfaces
                    .iter()
                    .for_each(|i| push(i, &mut queue));
            }
            Some(ExtendedType::Interface(i)) => {
                for f in i.fields.values() {
                    push(f.ty.inner_named_type(), &mut queue);
                }
            }
            Some(ExtendedType::Union(u)) => u.members.iter().for_each(|m| push(m, &mut queue)),
            Some(ExtendedType::InputObject(io)) => io
                .fields
                .values()
                .for_each(|f| push(f.ty.inner_named_type(), &mut queue)),
            _ => {}
        }
    }
    seen
}

/// A module's parity: [`parity`] over the types it owns (`owned`) and its root fields, except
/// fields whose type belongs to a module that is not loaded (absent from `ours` and not owned):
/// those are answered separately as "awaiting" lines, so a diff means a real difference.
/// The fields a module adds to other modules' types (the spec's reverse relations, ↗) are
/// declared in the composed schema `sdl` exactly as in the reference: panics naming the first
/// that is missing or differs.
pub fn assert_extensions_as_reference(sdl: &str, extended: &[(&str, &str)]) {
    let (ours, reference) = (parse_schema(sdl), reference_schema());
    for (type_name, field) in extended {
        let theirs = reference
            .type_field(type_name, field)
            .expect("in the reference");
        let ours = ours
            .type_field(type_name, field)
            .unwrap_or_else(|_| panic!("{type_name}.{field}"));
        assert_eq!(ours.to_string(), theirs.to_string(), "{type_name}.{field}");
    }
}

/// A module's surface against the reference: [`module_parity`] of the composed schema `sdl`
/// for the types `owned` and the root fields `roots`, each list sorted and printed (the diff a
/// failing parity test shows).
pub fn module_surface(
    sdl: &str,
    owned: &[&str],
    roots: &[(&str, &str)],
) -> (Vec<String>, Vec<String>) {
    let ours = parse_schema(sdl);
    let owned: BTreeSet<String> = owned.iter().map(|t| (*t).to_owned()).collect();
    let (mut diff, mut awaiting) = module_parity(&reference_schema(), &ours, &owned, roots);
    diff.sort();
    awaiting.sort();
    for line in diff.iter().chain(&awaiting) {
        eprintln!("{line}");
    }
    (diff, awaiting)
}

pub fn module_parity(
    reference: &Schema,
    ours: &Schema,
    owned: &BTreeSet<String>,
    roots: &[(&str, &str)],
) -> (Vec<String>, Vec<String>) {
    let mut awaiting = Vec::new();
    for name in owned {
        let Some(ExtendedType::Object(object)) = reference.types.get(name.as_str()) else {
            continue;
        };
        for (field, definition) in &object.fields {
            let target = definition.ty.inner_named_type().as_str();
            if !owned.contains(target) && !is_builtin(target) && !ours.types.contains_key(target) {
                awaiting.push(format!("{name}.{field}: awaits the module owning {target}"));
            }
        }
    }
    let diff = parity(reference, ours, owned, roots)
        .into_iter()
        .filter(|line| {
            !awaiting.iter().any(|a| {
                a.split(':').next() == line.split(':').next() && line.ends_with("missing field")
            })
        })
        .collect();
    (diff, awaiting)
}

fn is_builtin(name: &str) -> bool {
    matches!(name, "String" | "Int" | "Float" | "Boolean" | "ID") || name.starts_with("__")
}

fn field_definition<'s>(
    schema: &'s Schema,
    type_name: &str,
    field: &str,
) -> Option<&'s ast::FieldDefinition> {
    match schema.types.get(type_name)? {
        ExtendedType::Object(o) => o.fields.get(field).map(|c| &*c.node),
        ExtendedType::Interface(i) => i.fields.get(field).map(|c| &*c.node),
        _ => None,
    }
}

/// Where `ours` differs from `reference` for the named types (and for the given root fields):
/// one line per missing or different type, field, argument, input field or enum value.
pub fn parity(
    reference: &Schema,
    ours: &Schema,
    types: &BTreeSet<String>,
    roots: &[(&str, &str)],
) -> Vec<String> {
    let mut diff = Vec::new();
    for (type_name, field) in roots {
        compare_field(reference, ours, type_name, field, &mut diff);
    }
    for name in types {
        let Some(theirs) = reference.types.get(name.as_str()) else {
            diff.push(format!("{name}: not in the reference schema"));
            continue;
        };
        let Some(mine) = ours.types.get(name.as_str()) else {
            diff.push(format!("{name}: missing type"));
            continue;
        };
        if std::mem::discriminant(theirs) != std::mem::discriminant(mine) {
            diff.push(format!(
                "{name}: is a {} here, a {} in the reference",
                kind(mine),
                kind(theirs)
            ));
            continue;
        }
        match (theirs, mine) {
            (ExtendedType::Object(t), ExtendedType::Object(m)) => {
                for field in t.fields.keys() {
                    compare_field(reference, ours, name, field, &mut diff);
                }
                for i in &t.implements_interfaces {
                    if !m.implements_interfaces.contains(i) {
                        diff.push(format!("{name}: does not implement {i}"));
                    }
                }
            }
            (ExtendedType::Interface(t), ExtendedType::Interface(_)) => {
                for field in t.fields.keys() {
                    compare_field(reference, ours, name, field, &mut diff);
                }
            }
            (ExtendedType::Enum(t), ExtendedType::Enum(m)) => {
                for value in t.values.keys() {
                    if !m.values.contains_key(value) {
                        diff.push(format!("{name}.{value}: missing enum value"));
                    }
                }
            }
            (ExtendedType::InputObject(t), ExtendedType::InputObject(m)) => {
                for (field, def) in &t.fields {
                    match m.fields.get(field) {
                        None => diff.push(format!("{name}.{field}: missing input field")),
                        Some(mine) if mine.ty != def.ty => diff.push(format!(
                            "{name}.{field}: type {} here, {} in the reference",
                            mine.ty, def.ty
                        )),
                        Some(_) => {}
                    }
                }
            }
            (ExtendedType::Union(t), ExtendedType::Union(m)) => {
                for member in &t.members {
                    if !m.members.contains(member) {
                        diff.push(format!("{name}: union lacks {member}"));
                    }
                }
            }
            _ => {}
        }
    }
    diff
}

fn compare_field(
    reference: &Schema,
    ours: &Schema,
    type_name: &str,
    field: &str,
    diff: &mut Vec<String>,
) {
    let Some(theirs) = field_definition(reference, type_name, field) else {
        diff.push(format!("{type_name}.{field}: not in the reference schema"));
        return;
    };
    let Some(mine) = field_definition(ours, type_name, field) else {
        diff.push(format!("{type_name}.{field}: missing field"));
        return;
    };
    if mine.ty != theirs.ty {
        diff.push(format!(
            "{type_name}.{field}: type {} here, {} in the reference",
            mine.ty, theirs.ty
        ));
    }
    for arg in &theirs.arguments {
        match mine.arguments.iter().find(|a| a.name == arg.name) {
            None => diff.push(format!(
                "{type_name}.{field}({}): missing argument",
                arg.name
            )),
            Some(m) if m.ty != arg.ty => diff.push(format!(
                "{type_name}.{field}({}): type {} here, {} in the reference",
                arg.name, m.ty, arg.ty
            )),
            Some(m) if m.default_value != arg.default_value => diff.push(format!(
                "{type_name}.{field}({}): default {:?} here, {:?} in the reference",
                arg.name,
                m.default_value.as_ref().map(|v| v.to_string()),
                arg.default_value.as_ref().map(|v| v.to_string())
            )),
            Some(_) => {}
        }
    }
}

fn kind(t: &ExtendedType) -> &'static str {
    match t {
        ExtendedType::Scalar(_) => "scalar",
        ExtendedType::Object(_) => "object",
        ExtendedType::Interface(_) => "interface",
        ExtendedType::Union(_) => "union",
        ExtendedType::Enum(_) => "enum",
        ExtendedType::InputObject(_) => "input object",
    }
}

/// One operation the real frontend sends.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct FrontendOperation {
    pub id: String,
    pub module: String,
    pub kind: String,
    pub document: String,
    #[serde(default)]
    pub variables: serde_json::Value,
}

/// The frontend's operations of `module` (`core`, `admin`, `location`, ...).
pub fn frontend_operations(module: &str) -> Vec<FrontendOperation> {
    let path = shared_openimis().join("frontend/ops.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let all: Vec<FrontendOperation> = serde_json::from_str(&text).expect("ops.json parses");
    all.into_iter().filter(|op| op.module == module).collect()
}

/// Frontend operations the reference backend rejects too (its own bugs, CONVENTIONS.md):
/// a replay expects these to fail validation, and every other one to pass.
pub const KNOWN_FRONTEND_BUGS: &[(&str, &str)] = &[
    (
        "location-06",
        "the HF filter sends status: \"AC\", a string where HealthFacilityStatus is an enum",
    ),
    (
        "claim-28",
        "the claim mutation sends an input field the schema does not have",
    ),
];

/// Whether `op` is one of [`KNOWN_FRONTEND_BUGS`].
pub fn is_known_bug(op: &FrontendOperation) -> bool {
    KNOWN_FRONTEND_BUGS.iter().any(|(id, _)| *id == op.id)
}

/// Validates an operation against a schema; the error text names the operation.
pub fn validate(schema: &Valid<Schema>, op: &FrontendOperation) -> Result<(), String> {
    ExecutableDocument::parse_and_validate(
        schema,
        op.document.as_str(),
        format!("{}.graphql", op.id),
    )
    .map(drop)
    .map_err(|e| format!("{}: {}", op.id, e.errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    const REFERENCE: &str = r#"
        type Query { things(first: Int, code_Icontains: String, orderBy: [String] = []): ThingConnection }
        type ThingConnection { edges: [ThingEdge]! totalCount: Int }
        type ThingEdge { node: Thing }
        type Thing { code: String! status: Status input: String }
        enum Status { A B }
    "#;

    fn schema(sdl: &str) -> Valid<Schema> {
        Schema::parse_and_validate(sdl, "t.graphql").unwrap()
    }

    #[test]
    fn reachable_types_follow_fields_and_arguments() {
        let reference = schema(REFERENCE);
        let types = reachable(&reference, &[("Query", "things")]);
        assert_eq!(
            types.into_iter().collect::<Vec<_>>(),
            ["Status", "Thing", "ThingConnection", "ThingEdge"]
        );
    }

    #[test]
    fn the_same_schema_has_no_diff_and_every_difference_is_named() {
        let reference = schema(REFERENCE);
        let types = reachable(&reference, &[("Query", "things")]);
        assert_eq!(
            parity(&reference, &reference, &types, &[("Query", "things")]),
            Vec::<String>::new()
        );
        let ours = schema(
            r#"type Query { things(first: Int, orderBy: [String]): ThingConnection }
               type ThingConnection { edges: [ThingEdge] totalCount: Int }
               type ThingEdge { node: Thing }
               type Thing { code: String! status: Status }
               enum Status { A }"#,
        );
        assert_eq!(
            parity(&reference, &ours, &types, &[("Query", "things")]),
            [
                "Query.things(code_Icontains): missing argument",
                "Query.things(orderBy): default None here, Some(\"[]\") in the reference",
                "Status.B: missing enum value",
                "Thing.input: missing field",
                "ThingConnection.edges: type [ThingEdge] here, [ThingEdge]! in the reference",
            ]
        );
    }

    #[test]
    fn the_reference_accepts_every_frontend_operation_but_the_known_bugs() {
        let reference = reference_schema();
        let modules = [
            "core",
            "admin",
            "location",
            "medical",
            "insuree",
            "product",
            "policy",
            "contribution",
            "payer",
            "claim",
        ];
        let mut rejected = Vec::new();
        for module in modules {
            let ops = frontend_operations(module);
            assert!(!ops.is_empty(), "no {module} operations");
            rejected.extend(
                ops.iter()
                    .filter(|op| validate(&reference, op).is_err())
                    .map(|op| op.id.clone()),
            );
        }
        let known: Vec<String> = KNOWN_FRONTEND_BUGS
            .iter()
            .map(|(id, _)| id.to_string())
            .collect();
        assert_eq!(rejected, known);
    }
}
