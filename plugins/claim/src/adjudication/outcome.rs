//! What an adjudication run decides: the original's error list, the lines and claim columns
//! to write, the ded/rem rows to insert. Public through `crate::adjudication`.

use super::amount::Amount;
use super::context::{Kind, LineState};
use openimis_sdk::decimal::Decimal;
use serde_json::{json, Value};

/// Rejection reasons (claim.md §5).
pub mod reason {
    pub const INVALID_ITEM_OR_SERVICE: i16 = 1;
    pub const NOT_IN_PRICE_LIST: i16 = 2;
    pub const NO_PRODUCT_FOUND: i16 = 3;
    pub const CATEGORY_LIMITATION: i16 = 4;
    pub const FREQUENCY_FAILURE: i16 = 5;
    pub const FAMILY: i16 = 7;
    pub const TARGET_DATE: i16 = 9;
    pub const CARE_TYPE: i16 = 10;
    pub const MAX_HOSPITAL_ADMISSIONS: i16 = 11;
    pub const MAX_VISITS: i16 = 12;
    pub const MAX_CONSULTATIONS: i16 = 13;
    pub const MAX_SURGERIES: i16 = 14;
    pub const MAX_DELIVERIES: i16 = 15;
    pub const QTY_OVER_LIMIT: i16 = 16;
    pub const WAITING_PERIOD_FAIL: i16 = 17;
    pub const MAX_ANTENATAL: i16 = 19;
    pub const INVALID_CLAIM: i16 = 20;
    pub const NO_COVERAGE: i16 = 21;
}

/// Claim statuses.
pub mod status {
    pub const REJECTED: i16 = 1;
    pub const ENTERED: i16 = 2;
    pub const CHECKED: i16 = 4;
    pub const PROCESSED: i16 = 8;
    pub const VALUATED: i16 = 16;
    /// Line statuses.
    pub const PASSED: i16 = 1;
    pub const LINE_REJECTED: i16 = 2;
}

/// One entry of the original's error list: `{"code", "message", "detail"}`. The message is
/// the gettext key (the original's catalogue is not shipped: `_()` answers the key, and
/// `key % {...}` leaves a text without placeholders as it is); `detail` is the claim's uuid,
/// absent where the original gives none (quantity over limit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub code: i16,
    pub message: &'static str,
    pub detail: Option<String>,
}

impl Finding {
    /// The original's dict, keys in its order.
    pub fn to_json(&self) -> Value {
        match &self.detail {
            Some(detail) => json!({"code": self.code, "message": self.message, "detail": detail}),
            None => json!({"code": self.code, "message": self.message}),
        }
    }
}

/// How the adjudication is called (the original's `validate_claim` arguments).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    /// `check_max`: a line's rejection sets its status and `qtyApproved = 0`.
    pub check_max: bool,
    /// `process_dedrem_opt`: ded/rem runs when the validation found nothing.
    pub dedrem: bool,
    /// `is_process`: the ded/rem also valuates the lines and the claim.
    pub is_process: bool,
    /// The audit user of the ded/rem rows and of the processing (`-1` without a user).
    pub audit_user_id: i32,
    /// The policies arrive as `processing_claim`'s QuerySet (every mutation): a policy over a
    /// category maximum then raises `AttributeError` at `policies.remove(...)`. False is the
    /// list the original's tests pass (`validate_claim(claim, True)`), where it is dropped.
    pub policies_queryset: bool,
}

impl Run {
    /// `processing_claim(claim, user, is_process)`'s call: check_max, ded/rem, QuerySet.
    pub fn processing(is_process: bool, audit_user_id: i32) -> Run {
        Run {
            check_max: true,
            dedrem: true,
            is_process,
            audit_user_id,
            policies_queryset: true,
        }
    }

    /// `validate_claim(claim, check_max)` as the original's tests call it (no user: `-1`).
    pub fn direct(check_max: bool) -> Run {
        Run {
            check_max,
            dedrem: true,
            is_process: false,
            audit_user_id: -1,
            policies_queryset: false,
        }
    }
}

/// A line's columns after the run, when they changed.
#[derive(Debug, Clone, PartialEq)]
pub struct LineWrite {
    pub kind: Kind,
    pub id: i32,
    pub state: LineState,
}

/// A `tblClaimDedRem` row to insert (one per policy processed).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct DedRemRow {
    pub policy_id: i32,
    pub ded_g: Amount,
    pub rem_g: Amount,
    pub ded_ip: Option<Amount>,
    pub rem_ip: Option<Amount>,
    pub ded_op: Option<Amount>,
    pub rem_op: Option<Amount>,
    pub rem_consult: Amount,
    pub rem_surgery: Amount,
    pub rem_delivery: Amount,
    pub rem_hospitalization: Amount,
    pub rem_antenatal: Amount,
}

/// The claim's columns as the run leaves them (the original's in-memory claim, which its
/// callers save).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ClaimWrite {
    pub status: i16,
    pub rejection_reason: Option<i16>,
    /// Set by a processing ded/rem (`is_process`): approved, remunerated, the processing
    /// stamps, feedback/review "selected" turned "bypassed".
    pub processed: Option<Processed>,
}

/// What a processing ded/rem sets on the claim.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Processed {
    pub approved: Amount,
    pub remunerated: Option<Amount>,
    pub feedback_status: Option<i16>,
    pub review_status: Option<i16>,
}

/// What ded/rem did, when it ran.
#[derive(Debug, Clone, PartialEq)]
pub struct DedRem {
    /// A passed line has a relative price (`PriceOrigin = 'R'`) under a processing run, on
    /// every policy processed (the original ANDs them): processed (8), else valuated (16).
    pub relative_prices: bool,
    /// Σ remunerated over the policies processed.
    pub remunerated: Decimal,
    /// The rows inserted, in insertion order.
    pub rows: Vec<DedRemRow>,
}

/// The outcome of a validation run (steps 1–8).
#[derive(Debug, Clone, PartialEq)]
pub struct Validation {
    /// The original's error list, in its order: empty when the claim is valid.
    pub errors: Vec<Finding>,
    /// The claim's rejection reason as the run leaves it (9/7 go on the lines; the claim
    /// gets 21 for both, 1 when every line is rejected, 11–15/19 for a category maximum).
    pub rejection_reason: Option<i16>,
    /// The claim's status as the run leaves it.
    pub status: i16,
    pub lines_passed: u32,
    pub lines_rejected: u32,
    /// Present when ded/rem ran.
    pub dedrem: Option<DedRem>,
    /// The lines written.
    pub lines: Vec<LineWrite>,
    pub claim: ClaimWrite,
}

impl Validation {
    /// The error list as the original returns it (`[{code, message, detail}]`).
    pub fn errors_json(&self) -> Value {
        Value::Array(self.errors.iter().map(Finding::to_json).collect())
    }
}

/// A failure the original raises as a Python exception (the mutation then fails as
/// "The mutation threw a <class '…'>, check logs for details", its exact message here);
/// nothing is written. `what` goes to the log, as the original logs the traceback.
pub fn python_error(class: &str, what: &str) -> openimis_sdk::ModuleError {
    openimis_sdk::log::warn!("claim adjudication: {class}: {what}");
    openimis_sdk::ModuleError::new(
        PYTHON_EXCEPTION,
        format!("The mutation threw a <class '{class}'>, check logs for details"),
    )
}

/// The code of [`python_error`]'s errors.
pub const PYTHON_EXCEPTION: &str = "CLAIM_ADJUDICATION_EXCEPTION";

impl Validation {
    /// A run that did nothing (a checked claim is not re-validated).
    pub fn untouched(status: i16, rejection_reason: Option<i16>) -> Validation {
        Validation {
            errors: Vec::new(),
            rejection_reason,
            status,
            lines_passed: 0,
            lines_rejected: 0,
            dedrem: None,
            lines: Vec::new(),
            claim: ClaimWrite {
                status,
                rejection_reason,
                processed: None,
            },
        }
    }
}
