//! insuree's manifest: its logical name, version, the permission codes of its `DEFAULT_CFG`
//! and the root fields the host guards with them (insuree.md §1–2). `insureeOfficers` and
//! `insureeStatusReasons` carry no right, as the original.

use openimis_sdk::Manifest;

/// `gql_query_insurees_perms` (and `_insuree_`, `_insuree_photo_`, `_insuree_family_members`).
pub const QUERY_INSUREES: u32 = 101101;
/// `gql_query_families_perms`.
pub const QUERY_FAMILIES: u32 = 101001;
/// `gql_query_insuree_policy_perms`.
pub const QUERY_INSUREE_POLICY: u32 = 101500;
/// `gql_mutation_create_families_perms`.
pub const CREATE_FAMILIES: u32 = 101002;
/// `gql_mutation_update_families_perms`: `updateFamily`, `setFamilyHead`, `changeInsureeFamily`.
pub const UPDATE_FAMILIES: u32 = 101003;
/// `gql_mutation_delete_families_perms`.
pub const DELETE_FAMILIES: u32 = 101004;
/// `gql_mutation_create_insurees_perms`: `createInsuree` and `updateInsuree`.
pub const CREATE_INSUREES: u32 = 101102;
/// `gql_mutation_update_insurees_perms`: `changeInsureeFamily` (with 101003).
pub const UPDATE_INSUREES: u32 = 101103;
/// `gql_mutation_delete_insurees_perms`: `deleteInsurees`, `removeInsurees`.
pub const DELETE_INSUREES: u32 = 101104;

pub fn manifest() -> Manifest {
    let mut manifest = Manifest::new("insuree", env!("CARGO_PKG_VERSION"))
        .description("families, insurees, their photos and reference lists")
        .requires("core", ">=1.0")
        .requires("location", ">=1.0")
        .right("gql_query_insurees_perms", &[QUERY_INSUREES])
        .right("gql_query_families_perms", &[QUERY_FAMILIES])
        .right("gql_query_insuree_policy_perms", &[QUERY_INSUREE_POLICY])
        .right("gql_mutation_create_families_perms", &[CREATE_FAMILIES])
        .right("gql_mutation_update_families_perms", &[UPDATE_FAMILIES])
        .right("gql_mutation_delete_families_perms", &[DELETE_FAMILIES])
        .right("gql_mutation_create_insurees_perms", &[CREATE_INSUREES])
        .right("gql_mutation_update_insurees_perms", &[UPDATE_INSUREES])
        .right("gql_mutation_delete_insurees_perms", &[DELETE_INSUREES]);
    let guarded: [(&[&str], u32); 3] = [
        (
            &[
                "insurees",
                "insureeNumberValidity",
                "insureesExport",
                "canAddInsuree",
                "insureeGenders",
                "familyMembers",
            ],
            QUERY_INSUREES,
        ),
        (
            &[
                "families",
                "educations",
                "professions",
                "identificationTypes",
                "confirmationTypes",
                "relations",
                "familyTypes",
            ],
            QUERY_FAMILIES,
        ),
        (&["insureePolicy"], QUERY_INSUREE_POLICY),
    ];
    for (fields, right) in guarded {
        for field in fields {
            manifest = manifest.field_right(&format!("Query.{field}"), &[right]);
        }
    }
    manifest
}
