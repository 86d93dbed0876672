//! What a GraphQL request is answered with. A leaf: the engine produces it, profiling and the
//! HTTP edge carry it.

use serde_json::Value as Json;

/// The HTTP status and JSON body (serialized once, straight from juniper's value) of an answer.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphqlAnswer {
    pub status: u16,
    pub body: Vec<u8>,
}

impl GraphqlAnswer {
    /// The body parsed back (for tests and tools).
    pub fn json(&self) -> Json {
        serde_json::from_slice(&self.body).unwrap_or(Json::Null)
    }
}
