//! The mutation log's messages, as the original writes them: its keys (`gettext` from Python's
//! standard library, so never translated in the log; `translations/` serves their texts), and
//! the core's text for an exception the mutation did not catch.

use openimis_sdk::mutation::MutationError;

pub const CREATE_FAILED: &str = "payer.mutation.failed_to_create_payer";
/// `_("payer.mutation.failed_to_update_payer") % {"uuid": …}`: the key has no placeholder, so
/// the uuid never shows.
pub const UPDATE_FAILED: &str = "payer.mutation.failed_to_update_payer";
pub const DELETE_FAILED: &str = "payer.mutation.failed_to_delete_payer";
pub const ADD_FUNDING_FAILED: &str = "payer.mutation.failed_to_add_funding";

/// `OpenIMISMutation`'s record of an exception `async_mutate` let through.
pub fn threw(class: &str) -> MutationError {
    MutationError::new(format!(
        "The mutation threw a <class '{class}'>, check logs for details"
    ))
}

pub const PERMISSION_DENIED: &str = "django.core.exceptions.PermissionDenied";
