//! The JSON payloads of GraphQL calls, typed on both sides of the boundary.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// Who is asking, in which language, with which rights. Sent with every call.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RequestContext {
    /// The authenticated user as JSON (`null` for anonymous requests).
    #[serde(default)]
    pub user: Value,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub rights: Vec<u32>,
    /// Whether the user is an IMIS administrator (core's `auth.context`), as the host read it
    /// when it authenticated the request: modules need not ask the cache or core again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub is_imis_admin: bool,
    /// The verified token's claims (`{username, exp, origIat, ...}`), null when anonymous.
    #[serde(default)]
    pub auth: Value,
    /// Identifies the HTTP request, for per-request host services (`response.set_cookie`).
    #[serde(default)]
    pub request_id: String,
    /// Set by the host's mutation worker (MODE=PROD): the `core_Mutation_Log` id of the queued
    /// mutation this call executes. `sdk::mutation::run_logged` then runs it instead of queueing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queued_mutation: Option<String>,
}

impl RequestContext {
    /// The `core_User` id of the authenticated user.
    pub fn user_id(&self) -> Option<&str> {
        self.user.get("id").and_then(Value::as_str)
    }

    /// The `tblUsers` id (the original's `id_for_audit`) of an interactive user.
    pub fn interactive_user_id(&self) -> Option<i64> {
        self.user
            .get("i_user")
            .and_then(|u| u.get("id"))
            .and_then(Value::as_i64)
    }

    pub fn is_authenticated(&self) -> bool {
        !self.user.is_null()
    }

    /// Whether the user holds `code` (IMIS administrators hold every declared right).
    pub fn holds(&self, code: u32) -> bool {
        self.rights.contains(&code)
    }
}

/// One selected field with its arguments (variables already substituted) and sub-selection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SelectionField {
    /// The schema field name.
    pub name: String,
    /// The response key (the alias, or the name).
    pub alias: String,
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub args: Map<String, Value>,
    /// A type condition from a fragment (`... on X`), if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub on: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub selection: Vec<SelectionField>,
}

/// The key field the host asks for where other modules contribute fields to an object.
pub const KEY_FIELD: &str = "__key";
/// The field naming an object's concrete type (required on interface/union positions and stubs).
pub const TYPENAME_FIELD: &str = "__typename";
/// A field answered with `{"__error": {code, message}}` fails alone, as a resolver raising in
/// the original (`PermissionDenied` on one field): the host reports the error at that field
/// and nulls it (or its nearest nullable parent). Build it with [`field_error`].
pub const FIELD_ERROR: &str = "__error";

/// The answer of a field that fails alone (see [`FIELD_ERROR`]).
pub fn field_error(code: &str, message: &str) -> Value {
    serde_json::json!({ FIELD_ERROR: { "code": code, "message": message } })
}

impl SelectionField {
    pub fn new(name: &str) -> Self {
        Self {
            name: name.to_owned(),
            alias: name.to_owned(),
            args: Map::new(),
            on: None,
            selection: Vec::new(),
        }
    }

    pub fn with_selection(mut self, selection: Vec<SelectionField>) -> Self {
        self.selection = selection;
        self
    }

    /// The argument `name`, if given and not null.
    pub fn arg(&self, name: &str) -> Option<&Value> {
        self.args.get(name).filter(|v| !v.is_null())
    }

    /// The sub-field selected under `name` (first match), if any.
    pub fn child(&self, name: &str) -> Option<&SelectionField> {
        self.selection.iter().find(|f| f.name == name)
    }

    /// Whether this field applies to objects of `type_name` (no condition, or a matching one).
    pub fn applies_to(&self, type_name: &str, interfaces: &[&str]) -> bool {
        match &self.on {
            None => true,
            Some(on) => on == type_name || interfaces.contains(&on.as_str()),
        }
    }
}

/// `graphql_resolve`: resolve one root field of Query or Mutation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ResolveRequest {
    /// "query" or "mutation".
    pub operation: String,
    pub field: SelectionField,
    #[serde(default)]
    pub context: RequestContext,
}

/// `graphql_entities`: resolve `selection` on objects of `type_name` identified by `keys`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntitiesRequest {
    pub type_name: String,
    pub keys: Vec<Value>,
    pub selection: Vec<SelectionField>,
    #[serde(default)]
    pub context: RequestContext,
}
