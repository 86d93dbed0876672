//! medical_pricelist's manifest: its logical name, version, the permission codes of its
//! `DEFAULT_CFG` and the root fields the host guards with them.

use openimis_sdk::Manifest;

pub const QUERY_ITEMS_PRICELISTS: u32 = 121301;
pub const QUERY_SERVICES_PRICELISTS: u32 = 121201;
/// The rights to create, update and delete a kind's lists (`..._add_perms`, `_update_`,
/// `_delete_`).
pub const ITEMS_PRICELIST_WRITES: [u32; 3] = [121302, 121303, 121304];
pub const SERVICES_PRICELIST_WRITES: [u32; 3] = [121202, 121203, 121204];

pub fn manifest() -> Manifest {
    Manifest::new("medical_pricelist", env!("CARGO_PKG_VERSION"))
        .description("the services and items price lists of health facilities")
        .requires("core", ">=1.0")
        .requires("location", ">=1.0")
        .requires("medical", ">=1.0")
        .right(
            "gql_query_pricelists_medical_items_perms",
            &[QUERY_ITEMS_PRICELISTS],
        )
        .right(
            "gql_mutation_pricelists_medical_items_add_perms",
            &[ITEMS_PRICELIST_WRITES[0]],
        )
        .right(
            "gql_mutation_pricelists_medical_items_update_perms",
            &[ITEMS_PRICELIST_WRITES[1]],
        )
        .right(
            "gql_mutation_pricelists_medical_items_delete_perms",
            &[ITEMS_PRICELIST_WRITES[2]],
        )
        .right(
            "gql_mutation_pricelists_medical_items_duplicate_perms",
            &[121305],
        )
        .right(
            "gql_query_pricelists_medical_services_perms",
            &[QUERY_SERVICES_PRICELISTS],
        )
        .right(
            "gql_mutation_pricelists_medical_services_add_perms",
            &[SERVICES_PRICELIST_WRITES[0]],
        )
        .right(
            "gql_mutation_pricelists_medical_services_update_perms",
            &[SERVICES_PRICELIST_WRITES[1]],
        )
        .right(
            "gql_mutation_pricelists_medical_services_delete_perms",
            &[SERVICES_PRICELIST_WRITES[2]],
        )
        .right(
            "gql_mutation_pricelists_medical_services_duplicate_perms",
            &[121205],
        )
        .field_right("Query.servicesPricelists", &[QUERY_SERVICES_PRICELISTS])
        .field_right(
            "Query.validateServicesPricelistName",
            &[QUERY_SERVICES_PRICELISTS],
        )
        .field_right("Query.itemsPricelists", &[QUERY_ITEMS_PRICELISTS])
        .field_right(
            "Query.validateItemsPricelistName",
            &[QUERY_ITEMS_PRICELISTS],
        )
}
