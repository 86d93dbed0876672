//! Adjudication of a claim (claim.md §5 `validate_claim` and `process_dedrem`): being written.
