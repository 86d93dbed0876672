//! GraphQL: composing modules' SDL, executing with juniper over dynamic types, and federating
//! entity fields across modules.

pub mod answer;
pub mod answer_reader;
pub mod coerce;
pub mod complexity;
pub mod compose;
pub mod depth;
pub mod documents;
pub mod dynamic;
pub mod engine;
pub mod execution;
pub mod facts;
pub mod federation;
pub mod measure;
pub mod operations;
pub mod projection;
pub mod scalar;
pub mod selection;
pub mod tree;
pub mod type_ref;
pub mod validation;

pub use answer::GraphqlAnswer;
pub use compose::{compose, Composed, SdlPart};
pub use engine::Engine;
pub use execution::Execution;
