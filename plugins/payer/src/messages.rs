//! The mutation log's messages, as the original writes them: its keys (`gettext` from Python's
//! standard library, so never translated in the log; `translations/` serves their texts). An
//! exception the mutation did not catch is the SDK's `mutation::threw`.

pub const CREATE_FAILED: &str = "payer.mutation.failed_to_create_payer";
/// `_("payer.mutation.failed_to_update_payer") % {"uuid": …}`: the key has no placeholder, so
/// the uuid never shows.
pub const UPDATE_FAILED: &str = "payer.mutation.failed_to_update_payer";
pub const DELETE_FAILED: &str = "payer.mutation.failed_to_delete_payer";
pub const ADD_FUNDING_FAILED: &str = "payer.mutation.failed_to_add_funding";
