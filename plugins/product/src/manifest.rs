//! product's manifest: its logical name, version, the permission codes of its `DEFAULT_CFG`
//! and the root fields the host guards with them (product.md §1–2).

use openimis_sdk::Manifest;

/// `gql_query_products_perms`: every query.
pub const QUERY: u32 = 121001;
/// `gql_mutation_products_add_perms`: `createProduct` and `duplicateProduct`.
pub const ADD: u32 = 121002;
/// `gql_mutation_products_edit_perms`: `updateProduct`.
pub const EDIT: u32 = 121003;
/// `gql_mutation_products_delete_perms`: `deleteProduct`.
pub const DELETE: u32 = 121004;
/// `gql_mutation_products_duplicate_perms`: declared by the original, checked nowhere.
pub const DUPLICATE: u32 = 121005;

pub fn manifest() -> Manifest {
    let mut manifest = Manifest::new("product", env!("CARGO_PKG_VERSION"))
        .description("insurance products, their covered items and services")
        .requires("core", ">=1.0")
        .requires("location", ">=1.0")
        .requires("medical", ">=1.0")
        .right("gql_query_products_perms", &[QUERY])
        .right("gql_mutation_products_add_perms", &[ADD])
        .right("gql_mutation_products_edit_perms", &[EDIT])
        .right("gql_mutation_products_delete_perms", &[DELETE])
        .right("gql_mutation_products_duplicate_perms", &[DUPLICATE]);
    for field in [
        "products",
        "product",
        "pageDisplayRules",
        "limitDefaults",
        "validateProductCode",
    ] {
        manifest = manifest.field_right(&format!("Query.{field}"), &[QUERY]);
    }
    manifest
}
