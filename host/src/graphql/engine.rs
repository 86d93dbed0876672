//! The GraphQL engine: the juniper root over the composed schema, and request execution with the
//! original's HTTP semantics (limits, coercion, status codes).

use super::answer::GraphqlAnswer;
use super::compose::Composed;
use super::dynamic::DynRoot;
use super::execution::Execution;
use super::operations::{Operations, Root};
use super::scalar::Scalar;
use super::type_ref::{DynSchema, TypeRef};
use crate::modules::ModuleSet;
use apollo_compiler::ast;
use juniper::{http::GraphQLRequest, EmptySubscription, RootNode};
use openimis_plugin_api::RequestContext;
use serde_json::Value as Json;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;

impl Engine {
    /// Parses, validates and executes the operation (juniper's `execute_sync`, in its steps,
    /// so a profiled request times parsing and validation apart).
    fn run(
        &self,
        request: &GraphQLRequest<Scalar>,
        execution: &Execution,
    ) -> juniper::http::GraphQLResponse<Scalar> {
        let parse = crate::profiling::is_active().then(|| {
            let start = std::time::Instant::now();
            let _ =
                juniper::parser::parse_document_source::<Scalar>(&request.query, &self.root.schema);
            start.elapsed()
        });
        let start = std::time::Instant::now();
        let operation = self.operations.get(
            &self.root,
            &request.query,
            request.operation_name.as_deref(),
        );
        if let Some(parse) = parse {
            crate::profiling::record_parse_and_validate(start, start.elapsed(), parse);
        }
        // juniper's rules first (their messages are the ones clients know), then what our
        // dynamic types leave open to juniper (enum literals), by apollo-compiler.
        let operation = operation.and_then(|operation| {
            match self.validator.check(&self.composed.schema, &request.query) {
                Ok(()) => Ok(operation),
                Err(errors) => Err(juniper::GraphQLError::ValidationError(
                    errors.iter().map(super::validation::rule_error).collect(),
                )),
            }
        });
        let result = operation.and_then(|operation| {
            crate::profiling::phase("execute", || {
                operation.with(|operation| operation.execute_sync(&request.variables(), execution))
            })
        });
        juniper::http::GraphQLResponse::from_result(result)
    }
}

/// The composed schema, the running modules and juniper's root, built once at startup.
pub struct Engine {
    pub composed: Arc<Composed>,
    pub modules: Arc<ModuleSet>,
    root: Arc<Root>,
    /// juniper's parse and validation of each operation, memoized.
    operations: Operations,
    /// `GRAPHQL_MAX_DEPTH`: deeper operations are refused before execution.
    max_depth: usize,
    /// `GRAPHQL_MAX_COMPLEXITY`: costlier operations are refused before execution.
    max_complexity: u64,
    /// apollo-compiler's validation of each document, memoized.
    validator: super::validation::Validator,
    /// apollo-compiler's parse of each document, memoized (limits and coercion read it).
    documents: super::documents::Documents,
}

impl Engine {
    pub fn new(composed: Composed, modules: Arc<ModuleSet>) -> Self {
        let composed = Arc::new(composed);
        let schema = DynSchema::new(composed.clone());
        let root = Arc::new(RootNode::new_with_info(
            DynRoot,
            DynRoot,
            EmptySubscription::new(),
            TypeRef::new(&schema, "Query"),
            TypeRef::new(&schema, "Mutation"),
            (),
        ));
        Self {
            composed,
            modules,
            root,
            operations: Default::default(),
            max_depth: 15,
            max_complexity: 5000,
            validator: Default::default(),
            documents: Default::default(),
        }
    }

    /// Refuses operations nesting fields deeper than `max_depth` (default 15).
    pub fn with_max_depth(mut self, max_depth: usize) -> Self {
        self.max_depth = max_depth;
        self
    }

    /// Refuses operations costing more than `max_complexity` (see `complexity.rs`; default 5000).
    pub fn with_max_complexity(mut self, max_complexity: u64) -> Self {
        self.max_complexity = max_complexity;
        self
    }

    /// Executes a POSTed body `{query, variables, operationName}`: 400 with `errors` for a body
    /// or document that is not valid, else 200 with `data` (and `errors` if any field failed).
    /// Whether the request in `body` is answered by the host alone: each operation of its
    /// document selects only `__typename`, `__schema` or `__type` at its root, so no module
    /// is called and it need not wait for the blocking pool. Anything else (fragments at the
    /// root included) is not.
    pub fn answers_alone(&self, body: &[u8]) -> bool {
        #[derive(serde::Deserialize)]
        struct Query<'a> {
            #[serde(borrow)]
            query: std::borrow::Cow<'a, str>,
        }
        let Ok(request) = serde_json::from_slice::<Query>(body) else {
            return false;
        };
        let document = self.documents.get(&request.query);
        !document.definitions.is_empty()
            && document.definitions.iter().all(|definition| match definition {
                ast::Definition::OperationDefinition(operation) => {
                    operation.selection_set.iter().all(|selection| {
                        matches!(selection, ast::Selection::Field(field) if field.name.as_str().starts_with("__"))
                    })
                }
                _ => false,
            })
    }

    pub fn execute(&self, body: &[u8], context: RequestContext) -> GraphqlAnswer {
        let mut request: GraphQLRequest<Scalar> = match serde_json::from_slice(body) {
            Ok(request) => request,
            Err(e) => {
                let body = serde_json::json!({"errors": [{"message": format!("Request body is not a GraphQL request: {e}")}]});
                return GraphqlAnswer {
                    status: 400,
                    body: body.to_string().into_bytes(),
                };
            }
        };
        let document = self.documents.get(&request.query);
        let depth = crate::profiling::phase("depth limit", || super::depth::depth(&document));
        if depth > self.max_depth {
            let body = serde_json::json!({"errors": [{
                "message": format!("Query is nested too deep (depth {depth}, limit {})", self.max_depth),
                "extensions": {"code": "QUERY_TOO_DEEP"},
            }]});
            return GraphqlAnswer {
                status: 400,
                body: body.to_string().into_bytes(),
            };
        }
        // The variables as JSON once, for the cost of pages (`first: $n`) and the coercion.
        let mut variables = request
            .variables
            .as_ref()
            .and_then(|v| serde_json::to_value(v).ok())
            .unwrap_or(Json::Null);
        if let Some(refused) = self.too_complex(&document, &variables) {
            return refused;
        }
        self.coerce_variables(&mut request, &document, &mut variables);
        let execution = Execution {
            unauthorized: AtomicBool::new(false),
            written: AtomicUsize::new(0),
            composed: self.composed.clone(),
            modules: self.modules.clone(),
            context,
        };
        let response = self.run(&request, &execution);
        let status = match (
            response.is_ok(),
            execution.unauthorized.load(Ordering::Relaxed),
        ) {
            (_, true) => 401,
            (true, false) => 200,
            (false, false) => 400,
        };
        // Room for the projected text and what juniper writes around it, not grown step by step.
        let room = execution.written.load(Ordering::Relaxed) + 512;
        let mut body = Vec::with_capacity(room);
        let body = serde_json::to_writer(&mut body, &response).map(|()| body).unwrap_or_else(|e| {
            serde_json::json!({"errors": [{"message": format!("response could not be serialized: {e}")}]}).to_string().into_bytes()
        });
        GraphqlAnswer { status, body }
    }
}

impl Engine {
    /// Numeric strings where the operation declares an `Int`, as the original reads them.
    fn coerce_variables(
        &self,
        request: &mut GraphQLRequest<Scalar>,
        document: &ast::Document,
        variables: &mut Json,
    ) {
        let changed = super::coerce::coerce_variables(
            &self.composed.schema,
            document,
            request.operation_name.as_deref(),
            variables,
        );
        if changed {
            if let Ok(coerced) = serde_json::from_value(variables.clone()) {
                request.variables = Some(coerced);
            }
        }
    }

    /// The 400 for an operation over `GRAPHQL_MAX_COMPLEXITY`, or `None`.
    fn too_complex(&self, document: &ast::Document, variables: &Json) -> Option<GraphqlAnswer> {
        let cost = super::complexity::complexity(document, variables);
        (cost > self.max_complexity).then(|| {
            let body = serde_json::json!({"errors": [{
                "message": format!("Query is too complex (complexity {cost}, limit {})", self.max_complexity),
                "extensions": {"code": "QUERY_TOO_COMPLEX"},
            }]});
            GraphqlAnswer {
                status: 400,
                body: body.to_string().into_bytes(),
            }
        })
    }
}
