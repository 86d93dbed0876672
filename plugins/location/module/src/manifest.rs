//! location's manifest: its logical name, version, the permission codes of its `DEFAULT_CFG`
//! and the root fields the host guards with them.

use openimis_sdk::Manifest;

/// Codes used by the resolvers and mutations (location.md §1).
pub const QUERY_LOCATIONS: u32 = 121901;
pub const CREATE_LOCATIONS: u32 = 121902;
pub const EDIT_LOCATIONS: u32 = 121903;
pub const DELETE_LOCATIONS: u32 = 121904;
pub const MOVE_LOCATION: u32 = 121905;
pub const REGIONS_AND_DISTRICTS: u32 = 121906;
pub const QUERY_HEALTH_FACILITIES: u32 = 121101;
pub const CREATE_HEALTH_FACILITIES: u32 = 121102;
pub const EDIT_HEALTH_FACILITIES: u32 = 121103;
pub const DELETE_HEALTH_FACILITIES: u32 = 121104;

/// The manifest of the reference implementation; a replacement changes `implementation`.
pub fn manifest() -> Manifest {
    Manifest::new("location", env!("CARGO_PKG_VERSION"))
        .description(
            "the location tree, health facilities, user districts, officer villages, row security",
        )
        .requires("core", ">=1.0")
        .right("gql_query_locations_perms", &[QUERY_LOCATIONS])
        .right(
            "gql_query_health_facilities_perms",
            &[QUERY_HEALTH_FACILITIES],
        )
        .right("gql_mutation_create_locations_perms", &[CREATE_LOCATIONS])
        .right("gql_mutation_edit_locations_perms", &[EDIT_LOCATIONS])
        .right("gql_mutation_delete_locations_perms", &[DELETE_LOCATIONS])
        .right("gql_mutation_move_location_perms", &[MOVE_LOCATION])
        .right(
            "gql_mutation_create_region_locations_perms",
            &[REGIONS_AND_DISTRICTS],
        )
        .right(
            "gql_mutation_create_health_facilities_perms",
            &[CREATE_HEALTH_FACILITIES],
        )
        .right(
            "gql_mutation_edit_health_facilities_perms",
            &[EDIT_HEALTH_FACILITIES],
        )
        .right(
            "gql_mutation_delete_health_facilities_perms",
            &[DELETE_HEALTH_FACILITIES],
        )
        .field_right("Query.officerLocations", &[QUERY_LOCATIONS])
        .field_right("Query.validateLocationCode", &[QUERY_LOCATIONS])
        .field_right(
            "Query.validateHealthFacilityCode",
            &[QUERY_HEALTH_FACILITIES],
        )
}
