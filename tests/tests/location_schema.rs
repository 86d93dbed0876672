//! Schema parity of `location` and `location-dhis2` with the reference schema: every type
//! location owns, its fields, arguments, input fields and enum values, and its 9 root queries
//! and 7 mutations, compared with `reference-schema.graphql` (the diff printed on failure).
//! The only differences allowed are the fields other, not yet written, modules contribute.

use openimis_system_tests::conformance::{parity, parse_schema, reference_schema};
use openimis_system_tests::*;
use serde_json::json;
use std::collections::BTreeSet;

const TYPES: &[&str] = &[
    "LocationGQLType",
    "LocationGQLTypeConnection",
    "LocationGQLTypeEdge",
    "HealthFacilityGQLType",
    "HealthFacilityGQLTypeConnection",
    "HealthFacilityGQLTypeEdge",
    "HealthFacilityCatchmentGQLType",
    "HealthFacilityLegalFormGQLType",
    "HealthFacilitySubLevelGQLType",
    "OfficerVillageGQLType",
    "UserDistrictGQLType",
    "UserDistrictType",
    "UserRegionGQLType",
    "HealthFacilityStatus",
    "HealthFacilityCodeInputType",
    "HealthFacilityCatchmentInputType",
    "CreateLocationMutationInput",
    "CreateLocationMutationPayload",
    "UpdateLocationMutationInput",
    "UpdateLocationMutationPayload",
    "DeleteLocationMutationInput",
    "DeleteLocationMutationPayload",
    "MoveLocationMutationInput",
    "MoveLocationMutationPayload",
    "CreateHealthFacilityMutationInput",
    "CreateHealthFacilityMutationPayload",
    "UpdateHealthFacilityMutationInput",
    "UpdateHealthFacilityMutationPayload",
    "DeleteHealthFacilityMutationInput",
    "DeleteHealthFacilityMutationPayload",
];

const ROOTS: &[(&str, &str)] = &[
    ("Query", "healthFacilities"),
    ("Query", "locations"),
    ("Query", "locationsAll"),
    ("Query", "locationsStr"),
    ("Query", "userDistricts"),
    ("Query", "officerLocations"),
    ("Query", "healthFacilitiesStr"),
    ("Query", "validateLocationCode"),
    ("Query", "validateHealthFacilityCode"),
    ("Mutation", "createLocation"),
    ("Mutation", "updateLocation"),
    ("Mutation", "deleteLocation"),
    ("Mutation", "moveLocation"),
    ("Mutation", "createHealthFacility"),
    ("Mutation", "updateHealthFacility"),
    ("Mutation", "deleteHealthFacility"),
    // location's fields on core's types.
    ("InteractiveUserGQLType", "userdistrictSet"),
    ("InteractiveUserGQLType", "healthFacility"),
    ("UserGQLType", "healthFacility"),
    ("OfficerGQLType", "location"),
    ("OfficerGQLType", "officerVillages"),
    ("ClaimAdminGQLType", "healthFacility"),
];

/// Reverse relations and price lists: fields the modules owning those types will add
/// (core: officerSet, claimadminSet; medical_pricelist, product, insuree, claim, claim_batch,
/// policyholder: the rest).
const OTHER_MODULES_FIELDS: &[&str] = &[
    "HealthFacilityGQLType.claimSet: missing field",
    "HealthFacilityGQLType.claimadminSet: missing field",
    "HealthFacilityGQLType.insurees: missing field",
    "HealthFacilityGQLType.itemsPricelist: missing field",
    "HealthFacilityGQLType.referFromHF: missing field",
    "HealthFacilityGQLType.referToHF: missing field",
    "HealthFacilityGQLType.servicesPricelist: missing field",
    "LocationGQLType.batchrunSet: missing field",
    "LocationGQLType.familySet: missing field",
    "LocationGQLType.insureeSet: missing field",
    "LocationGQLType.officerSet: missing field",
    "LocationGQLType.policyholderSet: missing field",
    "LocationGQLType.productSet: missing field",
    "LocationGQLType.relativeIndexes: missing field",
    "LocationGQLType.servicespricelistSet: missing field",
];

#[test]
fn both_implementations_serve_the_reference_location_surface() {
    let reference = reference_schema();
    let types: BTreeSet<String> = TYPES.iter().map(|t| (*t).to_owned()).collect();
    for (library, entry) in [
        ("location", json!({"name": "location"})),
        (
            "location_dhis2",
            json!({"name": "location", "library": "location_dhis2"}),
        ),
    ] {
        let dir = ModulesDir::with(&["core", library]);
        let runtime = start(settings(
            &modules_json(&[json!({"name": "core"}), entry]),
            &dir,
            &[],
        ))
        .unwrap();
        let ours = parse_schema(&runtime.engine.composed.sdl());
        let mut diff = parity(&reference, &ours, &types, ROOTS);
        diff.sort();
        for line in &diff {
            eprintln!("{library}: {line}");
        }
        assert_eq!(diff, OTHER_MODULES_FIELDS, "{library}: see the diff above");
        assert_eq!(
            runtime.engine.composed.type_owner("LocationGQLType"),
            Some("location"),
            "{library} serves the logical name location"
        );
    }
}
