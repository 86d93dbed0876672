//! Schema parity for core: every core type, field, argument, input field and enum value of
//! reference-schema.graphql exists identically in our composed schema (core + location, the
//! modules the frontend's admin pages need). Fields whose type belongs to a module this server
//! does not load yet (claim, policy, insuree, ...) are listed, not failed.

use openimis_system_tests::conformance::{
    module_parity, parse_schema, reachable, reference_schema,
};
use openimis_system_tests::*;
use serde_json::json;
use std::collections::BTreeSet;

/// core.md §4: the object types core owns (their connections and edges follow).
const CORE_OBJECTS: &[&str] = &[
    "ClaimAdminGQLType",
    "CustomFilterGQLType",
    "CustomFilterOptionGQLType",
    "FieldControlGQLType",
    "InteractiveUserGQLType",
    "LanguageGQLType",
    "ModuleConfigurationGQLType",
    "ModulePermissionGQLType",
    "ModulePermissionsListGQLType",
    "MutationLogGQLType",
    "OfficerGQLType",
    "PermissionOpenImisGQLType",
    "RoleGQLType",
    "RoleRightGQLType",
    "UserGQLType",
    "UserMutationGQLType",
    "UserRoleGQLType",
];
const CORE_CONNECTIONS: &[&str] = &[
    "ClaimAdminGQLType",
    "InteractiveUserGQLType",
    "MutationLogGQLType",
    "OfficerGQLType",
    "RoleGQLType",
    "RoleRightGQLType",
    "UserGQLType",
];
const CORE_ENUMS_AND_SCALARS: &[&str] =
    &["ModuleConfigurationLayer", "UserTypes", "ParsedJSONString"];

/// core.md §4: the 20 root queries and 18 mutations.
const CORE_QUERIES: &[&str] = &[
    "moduleConfigurations",
    "userObligatoryFields",
    "eoObligatoryFields",
    "mutationLogs",
    "role",
    "roleRight",
    "interactiveUsers",
    "users",
    "claimAdmins",
    "user",
    "enrolmentOfficers",
    "substitutionEnrolmentOfficers",
    "modulesPermissions",
    "customFilters",
    "languages",
    "validateUsername",
    "validateUserEmail",
    "validateRoleName",
    "usernameLength",
    "passwordPolicy",
];
const CORE_MUTATIONS: &[&str] = &[
    "createRole",
    "updateRole",
    "deleteRole",
    "duplicateRole",
    "createUser",
    "updateUser",
    "deleteUser",
    "changeUserLanguage",
    "changePassword",
    "resetPassword",
    "setPassword",
    "tokenAuth",
    "verifyToken",
    "refreshToken",
    "revokeToken",
    "deleteTokenCookie",
    "deleteRefreshTokenCookie",
    "getCsrfToken",
];

#[test]
fn every_core_type_field_argument_and_enum_value_matches_the_reference() {
    let dir = ModulesDir::with(&["core", "location"]);
    let conf = modules_json(&[json!({"name": "core"}), json!({"name": "location"})]);
    let runtime = start(settings(&conf, &dir, &[])).expect("core and location start");
    let ours = parse_schema(&runtime.engine.composed.sdl());
    let reference = reference_schema();

    let roots: Vec<(&str, &str)> = CORE_QUERIES
        .iter()
        .map(|f| ("Query", *f))
        .chain(CORE_MUTATIONS.iter().map(|f| ("Mutation", *f)))
        .collect();
    let mutation_roots: Vec<(&str, &str)> =
        CORE_MUTATIONS.iter().map(|f| ("Mutation", *f)).collect();
    let mut owned: BTreeSet<String> = reachable(&reference, &mutation_roots)
        .into_iter()
        .filter(|t| {
            !matches!(
                t.as_str(),
                "Date" | "DateTime" | "GenericScalar" | "JSONString" | "UUID"
            )
        })
        .collect();
    owned.extend(CORE_OBJECTS.iter().map(|t| t.to_string()));
    owned.extend(CORE_ENUMS_AND_SCALARS.iter().map(|t| t.to_string()));
    for t in CORE_CONNECTIONS {
        owned.insert(format!("{t}Connection"));
        owned.insert(format!("{t}Edge"));
    }

    let (diff, awaiting) = module_parity(&reference, &ours, &owned, &roots);
    eprintln!(
        "{} core fields await modules not loaded here:\n  {}",
        awaiting.len(),
        awaiting.join("\n  ")
    );
    assert!(
        diff.is_empty(),
        "{} differences from reference-schema.graphql:\n  {}",
        diff.len(),
        diff.join("\n  ")
    );
}
