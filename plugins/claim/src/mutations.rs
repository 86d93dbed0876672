//! claim's root mutations (claim.md §4): being written.

/// Whether `field` is one of claim's root mutations.
pub fn serves(_field: &str) -> bool {
    false
}
