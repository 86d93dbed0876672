//! What claim's mutations write into the mutation log, as the original writes it. The reference
//! ships no catalogue for claim (its wheel has no `locale/`), so Django's `gettext` answers the
//! keys themselves, and `%` on a key without placeholders leaves it as it is: the log keeps the
//! keys (`translations/` serves their texts). Exceptions the original lets through are the SDK's
//! `mutation::threw`; the texts of the Python exceptions it catches are here too.

/// `claim.mutation.failed_to_create_claim` (`% {"code"}`: no placeholder in the key).
pub const CREATE_FAILED: &str = "claim.mutation.failed_to_create_claim";
pub const UPDATE_FAILED: &str = "claim.mutation.failed_to_update_claim";
pub const ATTACH_FAILED: &str = "claim.mutation.failed_to_attach_document";
pub const ATTACHMENT_UPDATE_FAILED: &str = "claim.mutation.failed_to_update_claim_attachment";
pub const ATTACHMENT_DELETE_FAILED: &str = "claim.mutation.failed_to_delete_claim_attachment";
pub const STATUS_FAILED: &str = "claim.mutation.failed_to_change_status_of_claim";
pub const ID_DOES_NOT_EXIST: &str = "claim.validation.id_does_not_exist";
/// Submit's unknown uuids: the key with the upper-cased uuids appended (`_(key) + ",".join`).
pub const UUID_NOT_FOUND: &str = "claim.validation.claim_uuid_not_found";

/// `validate_claim_data`'s refusals (`ValidationError(_(key))`, Python's own `gettext`).
pub const RESTORED_FROM_MISSING: &str = "mutation.restored_from_does_not_exist";
pub const RESTORE_NOT_REJECTED: &str = "mutation.cannot_restore_not_rejected_claim";
pub const NO_RESTORE_RIGHTS: &str = "mutation.no_restore_rights";
pub const MAX_RESTORED: &str = "mutation.max_restored_claim";
pub const NOT_EDITABLE: &str = "mutation.claim_not_editable";
pub const TOO_MANY_DIAGNOSES: &str = "mutation.claim_too_many_additional_diagnoses";
pub const EXPLANATION_REQUIRED: &str = "mutation.service_explanation_required";
pub const CODE_TOO_LONG: &str = "mutation.code_name_too_long";
pub const CODE_DUPLICATED: &str = "mutation.code_name_duplicated";
pub const MAXIMUM_OVERSHOOT: &str = "mutation.claim_item_service_maximum_amount_overshoot";
pub const URL_DOMAIN_NOT_ALLOWED: &str = "mutation.attachment_url_domain_not_allowed";
pub const GENERAL_TYPE_INCORRECT: &str = "mutation.attachment_general_type_incorrect";
pub const UNAUTHORIZED: &str = "unauthorized";

/// `str(ValidationError(text))`: `['text']`.
pub fn validation(text: &str) -> String {
    format!("['{text}']")
}

/// `str(KeyError(key))`: `'key'`.
pub fn key_error(key: &str) -> String {
    format!("'{key}'")
}

/// `str(Model.DoesNotExist)` of a `get` that found nothing.
pub fn does_not_exist(model: &str) -> String {
    format!("{model} matching query does not exist.")
}

/// `str(TypeError)` of a comparison or product with `None`.
pub const NONE_COMPARED: &str = "'>' not supported between instances of 'NoneType' and 'int'";
