//! core's manifest: its logical name, version and the permission codes of its `DEFAULT_CFG`
//! (an IMIS administrator holds the union of every module's declared rights).

use openimis_plugin_api::Manifest;

pub fn manifest() -> Manifest {
    Manifest::new("core", env!("CARGO_PKG_VERSION"))
        .description("users, roles and rights, login and tokens, languages, module configuration")
        .right("gql_query_users_perms", &[121701])
        .right("gql_query_users_profile_perms", &[122000])
        .right("gql_mutation_create_users_perms", &[121702])
        .right("gql_mutation_update_users_perms", &[121703])
        .right("gql_mutation_delete_users_perms", &[121704])
        .right("gql_query_roles_perms", &[122001])
        .right("gql_mutation_create_roles_perms", &[122002])
        .right("gql_mutation_update_roles_perms", &[122003])
        .right("gql_mutation_replace_roles_perms", &[122006])
        .right("gql_mutation_duplicate_roles_perms", &[122005])
        .right("gql_mutation_delete_roles_perms", &[122004])
        .right("gql_query_enrolment_officers_perms", &[121501])
        .right("gql_mutation_create_enrolment_officers_perms", &[121502])
        .right("gql_mutation_update_enrolment_officers_perms", &[121503])
        .right("gql_mutation_delete_enrolment_officers_perms", &[121504])
        .right("gql_query_claim_administrator_perms", &[121601])
        .right("gql_mutation_create_claim_administrator_perms", &[121602])
        .right("gql_mutation_update_claim_administrator_perms", &[121603])
        .right("gql_mutation_delete_claim_administrator_perms", &[121604])
        .right("gql_query_enable_viewing_masked_data_perms", &[900101])
        .field_right("Query.role", &[122001])
        .field_right("Query.roleRight", &[122001])
        .field_right("Query.modulesPermissions", &[122001])
        .field_right("Query.validateRoleName", &[122001])
        .field_right("Query.validateUsername", &[121701])
        .field_right("Query.validateUserEmail", &[121701])
        .field_right("Query.usernameLength", &[121701])
}
