//! The statuses of a mutation-log entry, as the original stores them (a leaf: `mutation` and
//! `testing` both read it).

/// Status of a logged mutation, as the original stores it.
pub const RECEIVED: i32 = 0;
pub const FAILED: i32 = 1;
pub const SUCCEEDED: i32 = 2;
