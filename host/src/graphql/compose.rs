//! Composing the modules' SDL into one schema: each type and field has exactly one owner, a
//! module may `extend type` another's type, and any double definition is a SCHEMA_CONFLICT.

use super::facts::{SchemaFacts, TypeFacts};
use crate::problems::{Code, Problem};
use apollo_compiler::{
    ast::{Definition, Document, FieldDefinition},
    diagnostic::ToCliReport,
    validation::Valid,
    Node, Schema,
};
use std::collections::HashMap;

/// The owner name of what the host itself defines.
pub const HOST: &str = "host";

const HOST_SDL: &str = include_str!("host.graphql");

/// One module's SDL.
pub struct SdlPart {
    pub module: String,
    pub sdl: String,
}

/// The composed, validated schema plus who owns which type and field.
pub struct Composed {
    pub schema: Valid<Schema>,
    facts: SchemaFacts,
}

/// type → field → owner; looked up by `&str` without allocating.
type FieldOwners = HashMap<String, HashMap<String, String>>;

impl Composed {
    /// The module owning type `name` (`host` for the shared types).
    pub fn type_owner(&self, name: &str) -> Option<&str> {
        self.facts.get(name).map(|t| t.owner.as_str())
    }

    /// Everything execution needs to know about type `name`.
    pub fn facts(&self, name: &str) -> Option<&TypeFacts> {
        self.facts.get(name)
    }

    /// The module owning field `field` of type `type_name`.
    pub fn field_owner(&self, type_name: &str, field: &str) -> Option<&str> {
        self.facts
            .get(type_name)?
            .field(field)
            .map(|f| f.owner.as_str())
    }

    /// The composed SDL, as `openimis schema` prints it.
    pub fn sdl(&self) -> String {
        self.schema.to_string()
    }
}

/// Composes the host's SDL with every part; reports every conflict and invalidity at once.
pub fn compose(parts: &[SdlPart]) -> Result<Composed, Vec<Problem>> {
    let mut problems = Vec::new();
    let mut type_owner: HashMap<String, String> = HashMap::new();
    let mut field_owner = FieldOwners::new();
    let mut documents = Vec::new();

    let needs_mutation = parts.iter().any(|p| p.sdl.contains("extend type Mutation"));
    let host_sdl = if needs_mutation {
        format!("{HOST_SDL}\ntype Mutation\n")
    } else {
        HOST_SDL.to_owned()
    };
    let mut sources = vec![(HOST.to_owned(), host_sdl)];
    sources.extend(parts.iter().map(|p| (p.module.clone(), p.sdl.clone())));

    for (module, sdl) in &sources {
        let document = match Document::parse(sdl.as_str(), format!("{module}.graphql")) {
            Ok(doc) => doc,
            Err(with_errors) => {
                problems.push(Problem::for_module(
                    Code::SchemaInvalid,
                    module,
                    format!("schema.graphql does not parse: {}", with_errors.errors),
                ));
                continue;
            }
        };
        for definition in &document.definitions {
            record(
                module,
                definition,
                &mut type_owner,
                &mut field_owner,
                &mut problems,
            );
        }
        documents.push(document);
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let mut builder = Schema::builder();
    for document in &documents {
        builder = builder.add_ast(document);
    }
    let schema = builder
        .build()
        .and_then(Schema::validate)
        .map_err(|with_errors| {
            with_errors
                .errors
                .iter()
                .map(|diagnostic| {
                    let module = diagnostic
                        .error
                        .location()
                        .and_then(|span| diagnostic.sources.get(&span.file_id()))
                        .and_then(|file| {
                            file.path()
                                .file_stem()
                                .map(|s| s.to_string_lossy().into_owned())
                        })
                        .unwrap_or_else(|| HOST.to_owned());
                    let place = diagnostic
                        .line_column_range()
                        .map(|r| format!(" (line {}, column {})", r.start.line, r.start.column))
                        .unwrap_or_default();
                    Problem::for_module(
                        Code::SchemaInvalid,
                        &module,
                        format!("{}{place}", diagnostic.error),
                    )
                })
                .collect::<Vec<_>>()
        })?;
    let facts = SchemaFacts::build(&schema, &type_owner, &field_owner, HOST);
    Ok(Composed { schema, facts })
}

fn record(
    module: &str,
    definition: &Definition,
    type_owner: &mut HashMap<String, String>,
    field_owner: &mut FieldOwners,
    problems: &mut Vec<Problem>,
) {
    let mut own_type = |name: &str, problems: &mut Vec<Problem>| match type_owner.get(name) {
        Some(other) => problems.push(Problem::for_module(
            Code::SchemaConflict,
            module,
            format!("type `{name}` is already defined by `{other}`; extend it instead"),
        )),
        None => {
            type_owner.insert(name.to_owned(), module.to_owned());
        }
    };
    let mut own_fields =
        |type_name: &str, fields: &[Node<FieldDefinition>], problems: &mut Vec<Problem>| {
            for field in fields {
                let owners = field_owner.entry(type_name.to_owned()).or_default();
                match owners.get(field.name.as_str()) {
                    Some(other) => problems.push(Problem::for_module(
                        Code::SchemaConflict,
                        module,
                        format!(
                            "field `{type_name}.{}` is already defined by `{other}`",
                            field.name
                        ),
                    )),
                    None => {
                        owners.insert(field.name.to_string(), module.to_owned());
                    }
                }
            }
        };
    match definition {
        Definition::ObjectTypeDefinition(d) => {
            own_type(&d.name, problems);
            own_fields(&d.name, &d.fields, problems);
        }
        Definition::InterfaceTypeDefinition(d) => {
            own_type(&d.name, problems);
            own_fields(&d.name, &d.fields, problems);
        }
        Definition::ObjectTypeExtension(d) => own_fields(&d.name, &d.fields, problems),
        Definition::InterfaceTypeExtension(d) => own_fields(&d.name, &d.fields, problems),
        Definition::ScalarTypeDefinition(d) => own_type(&d.name, problems),
        Definition::UnionTypeDefinition(d) => own_type(&d.name, problems),
        Definition::EnumTypeDefinition(d) => own_type(&d.name, problems),
        Definition::InputObjectTypeDefinition(d) => own_type(&d.name, problems),
        Definition::SchemaDefinition(_) | Definition::SchemaExtension(_) if module != HOST => {
            problems.push(Problem::for_module(
                Code::SchemaInvalid,
                module,
                "modules may not declare `schema`; the host owns the roots",
            ))
        }
        Definition::OperationDefinition(_) | Definition::FragmentDefinition(_) => {
            problems.push(Problem::for_module(
                Code::SchemaInvalid,
                module,
                "schema.graphql may only hold type definitions",
            ))
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(module: &str, sdl: &str) -> SdlPart {
        SdlPart {
            module: module.into(),
            sdl: sdl.into(),
        }
    }

    #[test]
    fn extensions_are_owned_by_the_extending_module() {
        let composed = compose(&[
            part(
                "base",
                "type Thing { id: ID! } extend type Query { things: [Thing] }",
            ),
            part(
                "ext",
                "type Extra { label: String } extend type Thing { extra: Extra }",
            ),
        ])
        .unwrap();
        assert_eq!(composed.type_owner("Thing"), Some("base"));
        assert_eq!(composed.field_owner("Thing", "id"), Some("base"));
        assert_eq!(composed.field_owner("Thing", "extra"), Some("ext"));
        assert_eq!(composed.field_owner("Query", "things"), Some("base"));
        assert_eq!(composed.field_owner("Query", "node"), Some(HOST));
        assert!(composed.sdl().contains("extra: Extra"));
    }

    #[test]
    fn a_relay_wrappers_own_fields_are_answered_by_its_producer() {
        let composed = compose(&[
            part(
                "base",
                "type Thing { code: String } type ThingEdge { node: Thing cursor: String! } \
                 type ThingConnection { pageInfo: PageInfo! edges: [ThingEdge]! totalCount: Int }",
            ),
            part(
                "ext",
                "extend type Query { things: ThingConnection } \
                 extend type ThingConnection { label: String }",
            ),
        ])
        .unwrap();
        let by_producer = |type_name: &str, field: &str| {
            composed
                .facts(type_name)
                .unwrap()
                .field(field)
                .unwrap()
                .by_producer
        };
        // `ext` may answer base's connection: its page, its edges and their nodes' keys...
        assert!(by_producer("ThingConnection", "edges"));
        assert!(by_producer("ThingConnection", "totalCount"));
        assert!(by_producer("ThingEdge", "node"));
        assert!(by_producer("PageInfo", "hasNextPage"));
        // ... while the things stay base's, and a field a module adds to a wrapper its own.
        assert!(!by_producer("Thing", "code"));
        assert!(!by_producer("ThingConnection", "label"));
    }

    #[test]
    fn double_definitions_are_conflicts_naming_both_modules() {
        let problems = compose(&[
            part(
                "a",
                "type Thing { id: ID! } extend type Query { things: [Thing] }",
            ),
            part(
                "b",
                "type Thing { id: ID! } extend type Query { things: Int }",
            ),
        ])
        .map(|_| ())
        .unwrap_err();
        let messages: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        assert_eq!(messages, vec![
            "error [SCHEMA_CONFLICT] module `b`: type `Thing` is already defined by `a`; extend it instead",
            "error [SCHEMA_CONFLICT] module `b`: field `Thing.id` is already defined by `a`",
            "error [SCHEMA_CONFLICT] module `b`: field `Query.things` is already defined by `a`",
        ]);
    }

    #[test]
    fn invalid_sdl_names_the_module() {
        let problems = compose(&[part("bad", "extend type Query { x: Missing }")])
            .map(|_| ())
            .unwrap_err();
        assert_eq!(problems[0].code, Code::SchemaInvalid);
        assert_eq!(problems[0].module.as_deref(), Some("bad"));
        let problems = compose(&[part("worse", "type {")]).map(|_| ()).unwrap_err();
        assert_eq!(problems[0].module.as_deref(), Some("worse"));
    }
}
