//! The original's choices (`payer/models.py`): the payer types (`tblPayerType`'s codes, the
//! GraphQL enum `PayerType`) and a funding's statuses (`Funding.FundingStatus`, the enum
//! `FundingStatus`). Both enums are named by their stored codes, so rows answer their codes as
//! they are.

/// `Payer.PAYER_TYPE_CHOICES`: co-operative, donor, government, local authority, other,
/// private organisation.
pub const PAYER_TYPES: &[&str] = &["C", "D", "G", "L", "O", "P"];

/// `FundingStatus.PENDING`, the default: what `addFunding` writes.
pub const PENDING: &str = "N";
/// `FundingStatus.PAID`.
pub const PAID: &str = "P";
/// `FundingStatus.RECONCILIATED`.
pub const RECONCILED: &str = "R";
