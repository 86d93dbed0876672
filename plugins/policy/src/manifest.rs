//! policy's manifest: its logical name, version, the permission codes of its `DEFAULT_CFG`
//! and the root fields the host guards with them (policy.md §1–2).

use openimis_sdk::Manifest;

/// `gql_query_policies_perms`: `policies`, `policyValues`; also `gql_query_eligibilities_perms`.
pub const QUERY: u32 = 101201;
/// `gql_mutation_create_policies_perms`: `createPolicy`.
pub const CREATE: u32 = 101202;
/// `gql_mutation_edit_policies_perms` and `gql_mutation_suspend_policies_perms`.
pub const EDIT: u32 = 101203;
/// `gql_mutation_delete_policies_perms`.
pub const DELETE: u32 = 101204;
/// `gql_mutation_renew_policies_perms`: `renewPolicy`, and the query `policyRenewals`.
pub const RENEW: u32 = 101205;
/// claim's `gql_query_claims_perms`: its holders may also call `policiesByInsuree`.
pub const CLAIM_QUERY: u32 = 111001;

pub fn manifest() -> Manifest {
    Manifest::new("policy", env!("CARGO_PKG_VERSION"))
        .description("policies, their values and dates, renewals")
        .requires("core", ">=1.0")
        .requires("location", ">=1.0")
        .requires("insuree", ">=1.0")
        .requires("product", ">=1.0")
        .requires("medical", ">=1.0")
        .right("gql_query_policies_perms", &[QUERY])
        .right("gql_query_policy_officers_perms", &[])
        .right("gql_query_policies_by_insuree_perms", &[QUERY])
        .right("gql_query_policies_by_family_perms", &[QUERY])
        .right("gql_query_eligibilities_perms", &[QUERY])
        .right("gql_mutation_create_policies_perms", &[CREATE])
        .right("gql_mutation_renew_policies_perms", &[RENEW])
        .right("gql_mutation_edit_policies_perms", &[EDIT])
        .right("gql_mutation_suspend_policies_perms", &[EDIT])
        .right("gql_mutation_delete_policies_perms", &[DELETE])
        .field_right("Query.policies", &[QUERY])
        .field_right("Query.policyValues", &[QUERY])
        .field_right("Query.policiesByFamily", &[QUERY])
        .field_right("Query.policiesByInsuree", &[QUERY, CLAIM_QUERY])
        .field_right("Query.policyRenewals", &[RENEW])
        .field_right("Query.policyEligibilityByInsuree", &[QUERY])
        .field_right("Query.policyItemEligibilityByInsuree", &[QUERY])
        .field_right("Query.policyServiceEligibilityByInsuree", &[QUERY])
}
