//! The openIMIS `claim` module: health-facility claims (`tblClaim`) with their items and services,
//! feedback, attachments and the ded/rem ledger, their root queries and mutations, and the
//! adjudication (`validate_claim`, ded/rem) of claim.md. Skeleton: the module is assembled here.

pub mod adjudication;
pub mod mutations;

// Its own test checks that no two files of `src/` import each other.
#[cfg(test)]
#[path = "../../../host/src/import_graph.rs"]
mod import_graph;
