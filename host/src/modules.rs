//! The running modules: each one's library object, manifest and call counters, and the typed
//! calls the host makes into them (JSON encoded here, decoded there, never anything else).

use crate::graphql::answer_reader;
use crate::graphql::tree::{Items, Node, Store};
use abi_stable::std_types::{RResult, RStr, RString};
use openimis_plugin_api::{
    EntitiesRequest, HttpRequest, HttpResponse, Manifest, ModuleBox, ModuleError, ResolveRequest,
};
use serde_json::Value as Json;
use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use crate::plan::ModuleEntry;
use crate::profiling;

/// Counters of calls into one module.
#[derive(Debug, Default)]
pub struct Stats {
    pub resolve_calls: AtomicU64,
    pub entities_calls: AtomicU64,
    pub http_calls: AtomicU64,
    pub service_calls: AtomicU64,
    pub errors: AtomicU64,
    pub panics: AtomicU64,
}

impl Stats {
    pub fn get(counter: &AtomicU64) -> u64 {
        counter.load(Ordering::Relaxed)
    }
}

/// The code of a module's failed statement: its message is the database's own (a table, a
/// constraint, a value), which goes to the log and never to a client.
pub const DATABASE_ERROR: &str = "DATABASE_ERROR";

/// What a client reads of a [`DATABASE_ERROR`].
pub const DATABASE_ERROR_MESSAGE: &str = "database error (the details are in the server log)";

/// `error` as a client may read it: a [`DATABASE_ERROR`]'s message logged (with the module)
/// and replaced by [`DATABASE_ERROR_MESSAGE`]; any other error as it is.
pub fn for_client(module: &str, mut error: ModuleError) -> ModuleError {
    if error.code.as_str() == DATABASE_ERROR && error.message.as_str() != DATABASE_ERROR_MESSAGE {
        log::error!(target: "openimis::modules", "module `{module}`: {DATABASE_ERROR}: {}", error.message);
        error.message = DATABASE_ERROR_MESSAGE.into();
    }
    error
}

/// A module error, with the module that raised it.
#[derive(Debug, Clone, thiserror::Error)]
#[error("module `{module}`: {error}")]
pub struct CallError {
    pub module: String,
    pub error: Box<ModuleError>,
}

impl CallError {
    pub fn new(module: &str, error: ModuleError) -> Self {
        Self {
            module: module.to_owned(),
            error: Box::new(error),
        }
    }
}

/// One module that started.
pub struct RunningModule {
    pub entry: ModuleEntry,
    pub manifest: Manifest,
    pub path: PathBuf,
    pub module: Arc<ModuleBox>,
    pub stats: Stats,
}

impl RunningModule {
    pub fn name(&self) -> &str {
        &self.entry.name
    }

    fn settle<T>(&self, result: RResult<T, ModuleError>) -> Result<T, CallError> {
        match result {
            RResult::ROk(v) => Ok(v),
            RResult::RErr(error) => {
                self.stats.errors.fetch_add(1, Ordering::Relaxed);
                if error.code.as_str() == openimis_plugin_api::module::guard::PANIC_CODE {
                    self.stats.panics.fetch_add(1, Ordering::Relaxed);
                    log::error!(target: "openimis::modules", "module `{}` panicked: {}", self.name(), error.message);
                }
                crate::observability::module_error(self.name(), &error);
                Err(CallError::new(self.name(), for_client(self.name(), error)))
            }
        }
    }

    fn bad_answer(&self, what: &str, e: impl std::fmt::Display) -> CallError {
        self.stats.errors.fetch_add(1, Ordering::Relaxed);
        CallError::new(
            self.name(),
            ModuleError::new(
                "BAD_MODULE_ANSWER",
                format!("{what} answer is not valid JSON: {e}"),
            ),
        )
    }

    pub fn resolve(&self, request: &ResolveRequest) -> Result<Json, CallError> {
        let answer = self.resolve_text(request)?;
        serde_json::from_str(answer.as_str()).map_err(|e| self.bad_answer("graphql_resolve", e))
    }

    /// `graphql_resolve`, its answer kept in `store` and read as a tree there.
    pub fn resolve_into<'t>(
        &self,
        request: &ResolveRequest,
        store: &'t Store,
    ) -> Result<Node<'t>, CallError> {
        let answer = store.keep(self.resolve_text(request)?);
        answer_reader::read(answer, store.nodes())
            .map_err(|e| self.bad_answer("graphql_resolve", e))
    }

    /// `graphql_resolve`: the module's answer as its JSON text.
    fn resolve_text(&self, request: &ResolveRequest) -> Result<RString, CallError> {
        let call = ("resolve", request.field.name.as_str());
        self.call_graphql(&self.stats.resolve_calls, call, request, |text| {
            self.module.graphql_resolve(text)
        })
    }

    /// One GraphQL call: counted, its request encoded, run (profiled when asked) and settled.
    fn call_graphql(
        &self,
        counter: &AtomicU64,
        call: (&str, &str),
        request: &impl serde::Serialize,
        run: impl FnOnce(RStr<'_>) -> RResult<RString, ModuleError>,
    ) -> Result<RString, CallError> {
        counter.fetch_add(1, Ordering::Relaxed);
        let text = serde_json::to_string(request).expect("requests always serialize");
        self.settle(profiling::module_call(
            &self.module,
            self.name(),
            call,
            || run(RStr::from(text.as_str())),
        ))
    }

    /// `graphql_entities`: one item per key, the answer kept in `store` and read as trees there.
    pub fn entities<'t>(
        &self,
        request: &EntitiesRequest,
        store: &'t Store,
    ) -> Result<Items<'t, Node<'t>>, CallError> {
        let call = ("entities", request.type_name.as_str());
        let answer = self.call_graphql(&self.stats.entities_calls, call, request, |text| {
            self.module.graphql_entities(text)
        })?;
        let answer = store.keep(answer);
        let items = match answer_reader::read(answer, store.nodes()) {
            Ok(Node::Array(items)) => items,
            Ok(_) => return Err(self.bad_answer("graphql_entities", "not a list")),
            Err(e) => return Err(self.bad_answer("graphql_entities", e)),
        };
        if items.len() != request.keys.len() {
            return Err(self.bad_answer(
                "graphql_entities",
                format!("{} items for {} keys", items.len(), request.keys.len()),
            ));
        }
        Ok(items)
    }

    pub fn http(&self, request: HttpRequest) -> Result<HttpResponse, CallError> {
        self.stats.http_calls.fetch_add(1, Ordering::Relaxed);
        self.settle(self.module.http(request))
    }

    pub fn service(&self, method: &str, payload: &str) -> Result<String, CallError> {
        self.stats.service_calls.fetch_add(1, Ordering::Relaxed);
        let call = ("service", method);
        self.settle(profiling::module_call(
            &self.module,
            self.name(),
            call,
            || self.module.service(RStr::from(method), RStr::from(payload)),
        ))
        .map(|s| s.into_string())
    }

    /// The module's own answer to an error raised under its prefix, if it has one.
    pub fn handle_exception(&self, error: &ModuleError) -> Option<HttpResponse> {
        self.module.handle_exception(error.clone()).into_option()
    }
}

/// All running modules, in start order, by logical name.
#[derive(Default)]
pub struct ModuleSet {
    modules: Vec<Arc<RunningModule>>,
    index: HashMap<String, usize>,
    /// Every right code the modules' manifests declare, sorted, once.
    declared_rights: Vec<u32>,
}

impl ModuleSet {
    pub fn new(modules: Vec<Arc<RunningModule>>) -> Self {
        let index = modules
            .iter()
            .enumerate()
            .map(|(i, m)| (m.name().to_owned(), i))
            .collect();
        let mut declared_rights: Vec<u32> = modules
            .iter()
            .flat_map(|m| m.manifest.rights.values().flatten().copied())
            .collect();
        declared_rights.sort_unstable();
        declared_rights.dedup();
        Self {
            modules,
            index,
            declared_rights,
        }
    }

    /// Every right the running modules declare, sorted: what an IMIS administrator holds.
    pub fn declared_rights(&self) -> &[u32] {
        &self.declared_rights
    }

    pub fn get(&self, name: &str) -> Option<&Arc<RunningModule>> {
        self.index.get(name).map(|&i| &self.modules[i])
    }

    pub fn iter(&self) -> impl Iterator<Item = &Arc<RunningModule>> {
        self.modules.iter()
    }

    pub fn len(&self) -> usize {
        self.modules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.modules.is_empty()
    }
}
