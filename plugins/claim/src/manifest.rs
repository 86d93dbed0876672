//! claim's manifest: its logical name, version, the permission codes of its `DEFAULT_CFG`
//! (claim.md §1–2) and the root fields the host guards with them. The original refuses
//! `claims`, `claim` and `claimHistory` without 111001 only when ROW_SECURITY is on, the default:
//! here always (a module does not see the setting). `claimAttachmentType` declares none and is
//! readable anonymously, as the original's.

use openimis_sdk::Manifest;

/// `gql_query_claims_perms`: `claims`, `claim`, `claimHistory`, `validateClaimCode`,
/// `claimAttachments`, the `ClaimGQLType` fields.
pub const QUERY: u32 = 111_001;
/// `gql_mutation_create_claims_perms`: `createClaim`, `insureeNameByChfid`.
pub const CREATE: u32 = 111_002;
/// `gql_mutation_delete_claims_perms`: `deleteClaims`.
pub const DELETE: u32 = 111_004;
/// `gql_mutation_load_claims_perms` (unused in GraphQL).
pub const LOAD: u32 = 111_005;
/// `claim_print_perms` (REST print).
pub const PRINT: u32 = 111_006;
/// `gql_mutation_submit_claims_perms`: `submitClaims`.
pub const SUBMIT: u32 = 111_007;
/// `gql_mutation_deliver_claim_review_perms`: `deliverClaimsReview`, `saveClaimReview`.
pub const REVIEW: u32 = 111_008;
/// `gql_mutation_deliver_claim_feedback_perms`: `deliverClaimFeedback`.
pub const FEEDBACK: u32 = 111_009;
/// `gql_mutation_update_claims_perms` and the select/bypass/skip feedback and review rights:
/// `updateClaim`, the attachment mutations, `insureeNameByChfid`, the status mutations.
pub const UPDATE: u32 = 111_010;
/// `gql_mutation_process_claims_perms`: `processClaims`.
pub const PROCESS: u32 = 111_011;
/// `gql_mutation_restore_claims_perms`: `createClaim` with `restore`.
pub const RESTORE: u32 = 111_012;

pub fn manifest() -> Manifest {
    Manifest::new("claim", env!("CARGO_PKG_VERSION"))
        .description("health-facility claims from entry to valuation")
        .requires("core", ">=1.0")
        .requires("location", ">=1.0")
        .requires("medical", ">=1.0")
        .requires("medical_pricelist", ">=1.0")
        .requires("product", ">=1.0")
        .requires("insuree", ">=1.0")
        .requires("policy", ">=1.0")
        .right("gql_query_claims_perms", &[QUERY])
        .right("gql_query_claim_officers_perms", &[])
        .right("gql_mutation_create_claims_perms", &[CREATE])
        .right("gql_mutation_update_claims_perms", &[UPDATE])
        .right("gql_mutation_load_claims_perms", &[LOAD])
        .right("gql_mutation_submit_claims_perms", &[SUBMIT])
        .right("gql_mutation_select_claim_feedback_perms", &[UPDATE])
        .right("gql_mutation_bypass_claim_feedback_perms", &[UPDATE])
        .right("gql_mutation_skip_claim_feedback_perms", &[UPDATE])
        .right("gql_mutation_deliver_claim_feedback_perms", &[FEEDBACK])
        .right("gql_mutation_select_claim_review_perms", &[UPDATE])
        .right("gql_mutation_bypass_claim_review_perms", &[UPDATE])
        .right("gql_mutation_skip_claim_review_perms", &[UPDATE])
        .right("gql_mutation_deliver_claim_review_perms", &[REVIEW])
        .right("gql_mutation_process_claims_perms", &[PROCESS])
        .right("gql_mutation_restore_claims_perms", &[RESTORE])
        .right("gql_mutation_delete_claims_perms", &[DELETE])
        .right("claim_print_perms", &[PRINT])
        .field_right("Query.claims", &[QUERY])
        .field_right("Query.claim", &[QUERY])
        .field_right("Query.claimHistory", &[QUERY])
        .field_right("Query.validateClaimCode", &[QUERY])
        .field_right("Query.claimAttachments", &[QUERY])
        .field_right("Query.insureeNameByChfid", &[CREATE, UPDATE])
        .translations(openimis_sdk::translations!["en", "fr"])
}
