//! medical's manifest: its logical name, version, the permission codes of its `DEFAULT_CFG`
//! and the root fields the host guards with them (medical.md §1–2).

use openimis_sdk::Manifest;

/// `gql_query_medical_items_perms`: `validateItemCode`, and history in `medicalItems`.
pub const QUERY_ITEMS: u32 = 122101;
pub const ADD_ITEMS: u32 = 122102;
pub const UPDATE_ITEMS: u32 = 122103;
pub const DELETE_ITEMS: u32 = 122104;
/// `gql_query_medical_services_perms`: `validateServiceCode`, and history in `medicalServices`.
pub const QUERY_SERVICES: u32 = 121401;
pub const ADD_SERVICES: u32 = 121402;
pub const UPDATE_SERVICES: u32 = 121403;
pub const DELETE_SERVICES: u32 = 121404;

pub fn manifest() -> Manifest {
    Manifest::new("medical", env!("CARGO_PKG_VERSION"))
        .description("diagnoses, medical items and services, service packages")
        .requires("core", ">=1.0")
        .right("gql_query_diagnosis_perms", &[])
        .right("gql_query_medical_items_perms", &[QUERY_ITEMS])
        .right("gql_mutation_medical_items_add_perms", &[ADD_ITEMS])
        .right("gql_mutation_medical_items_update_perms", &[UPDATE_ITEMS])
        .right("gql_mutation_medical_items_delete_perms", &[DELETE_ITEMS])
        .right("gql_query_medical_services_perms", &[QUERY_SERVICES])
        .right("gql_mutation_medical_services_add_perms", &[ADD_SERVICES])
        .right(
            "gql_mutation_medical_services_update_perms",
            &[UPDATE_SERVICES],
        )
        .right(
            "gql_mutation_medical_services_delete_perms",
            &[DELETE_SERVICES],
        )
        .field_right("Query.validateItemCode", &[QUERY_ITEMS])
        .field_right("Query.validateServiceCode", &[QUERY_SERVICES])
}
