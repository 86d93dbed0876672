//! payer's manifest: its logical name, version, the permission codes of its `DEFAULT_CFG`
//! (payer.md §1–2) and the root fields the host guards with them. `fundings` and `funding`
//! declare none: the module asks only for a login there, as the original.

use openimis_sdk::Manifest;

/// `gql_query_payers_perms`: `payers`, `payer`, `PayerGQLType.fundings`.
pub const QUERY: u32 = 121_801;
/// `gql_mutation_payer_add_perms`: `createPayer`.
pub const ADD: u32 = 121_802;
/// `gql_mutation_payer_update_perms`: `updatePayer` and `addFunding`. 122103 is medical's
/// items-update code, most likely a typo for 121803 (payer.md §1); the original's code checks
/// it, so it is checked here too.
pub const UPDATE: u32 = 122_103;
/// `gql_mutation_payer_delete_perms`: `deletePayer`.
pub const DELETE: u32 = 121_804;

pub fn manifest() -> Manifest {
    Manifest::new("payer", env!("CARGO_PKG_VERSION"))
        .description("payers, their types and the fundings they give to products")
        .requires("core", ">=1.0")
        .requires("location", ">=1.0")
        .requires("product", ">=1.0")
        .right("gql_query_payers_perms", &[QUERY])
        .right("gql_mutation_payer_add_perms", &[ADD])
        .right("gql_mutation_payer_update_perms", &[UPDATE])
        .right("gql_mutation_payer_delete_perms", &[DELETE])
        .field_right("Query.payers", &[QUERY])
        .field_right("Query.payer", &[QUERY])
        .translations(openimis_sdk::translations!["en", "fr"])
}
