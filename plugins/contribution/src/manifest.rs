//! contribution's manifest: its logical name, version, the modules it requires, the permission
//! codes of its `DEFAULT_CFG` and the root fields the host guards with them (contribution.md
//! §1–2).

use openimis_sdk::Manifest;

/// `gql_query_premiums_perms`: `premiums`, `premiumsByPolicies`, `validatePremiumCode`.
pub const QUERY: u32 = 101301;
/// `gql_mutation_create_premiums_perms`: `createPremium`.
pub const CREATE: u32 = 101302;
/// `gql_mutation_update_premiums_perms`: `updatePremium`.
pub const UPDATE: u32 = 101303;
/// `gql_mutation_delete_premiums_perms`: `deletePremium`.
pub const DELETE: u32 = 101304;

pub fn manifest() -> Manifest {
    Manifest::new("contribution", env!("CARGO_PKG_VERSION"))
        .description(
            "contributions (premiums) paid against policies, and their activation of the policy",
        )
        .requires("core", ">=1.0")
        .requires("location", ">=1.0")
        .requires("product", ">=1.0")
        .requires("insuree", ">=1.0")
        .requires("policy", ">=1.0")
        .requires("payer", ">=1.0")
        .right("gql_query_premiums_perms", &[QUERY])
        .right("gql_mutation_create_premiums_perms", &[CREATE])
        .right("gql_mutation_update_premiums_perms", &[UPDATE])
        .right("gql_mutation_delete_premiums_perms", &[DELETE])
        .field_right("Query.premiums", &[QUERY])
        .field_right("Query.premiumsByPolicies", &[QUERY])
        .field_right("Query.validatePremiumCode", &[QUERY])
}
