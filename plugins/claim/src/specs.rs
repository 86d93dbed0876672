//! claim's entities, declared once (claim.md §3–4): claims (`tblClaim`) with the original's
//! `ClaimGQLType` filter fields (its prefixed `icd_`/`admin_`/`healthFacility_`/`insuree_`/
//! `batchRun_` filter sets are `views.rs`' and `filters.rs`'), their item and service lines,
//! the package sub-lines, feedback, the ded/rem ledger and the attachment types. Attachments
//! are keyed by a uuid, which the entity layer does not load: `attachment_rows.rs` reads them.
//! The fields the entity layer cannot read from a column (`attachmentsCount`,
//! `clientMutationId`, `dateProcessedTo`, `attachments`, the lines' plain `id`) are
//! `access.rs`'.

use openimis_sdk::entity::*;

/// `exact`, `lt`, `lte`, `gt`, `gte`.
const MOMENT: Lookups = EXACT | RANGE;

/// `tblClaim`: ClaimGQLType.
pub static CLAIM: EntitySpec = EntitySpec {
    type_name: "ClaimGQLType",
    table: "tblClaim",
    alias: "c",
    key: "ClaimID",
    uuid: Some("ClaimUUID"),
    history: Some(HISTORY),
    fields: &[
        json("jsonExt", "JsonExt"),
        text("category", "ClaimCategory"),
        one("insuree", "InsureeID", Target::Stub("InsureeGQLType")),
        text("code", "ClaimCode").filters(TEXT),
        date("dateFrom", "DateFrom").filters(MOMENT),
        date("dateTo", "DateTo").filters(MOMENT),
        // The original's `status` filters are `exact` and `gt`.
        int("status", "ClaimStatus").filters(EXACT | RANGE),
        one("restore", "RestoredClaim", Target::Local(&CLAIM)),
        one(
            "adjuster",
            "Adjuster",
            Target::Stub("InteractiveUserGQLType"),
        ),
        text("adjustment", "Adjustment"),
        decimal("claimed", "Claimed", 2).filters(MOMENT),
        decimal("approved", "Approved", 2).filters(MOMENT),
        decimal("reinsured", "Reinsured", 2),
        decimal("valuated", "Valuated", 2),
        date("dateClaimed", "DateClaimed").filters(MOMENT),
        date("dateProcessed", "DateProcessed").filters(MOMENT),
        boolean("feedbackAvailable", "Feedback"),
        one("feedback", "FeedbackID", Target::Local(&FEEDBACK)),
        text("explanation", "Explanation"),
        int("feedbackStatus", "FeedbackStatus").filters(EXACT),
        int("reviewStatus", "ReviewStatus").filters(EXACT),
        int("approvalStatus", "ApprovalStatus"),
        int("rejectionReason", "RejectionReason"),
        datetime("validityFromReview", "ValidityFromReview"),
        datetime("validityToReview", "ValidityToReview"),
        one(
            "healthFacility",
            "HFID",
            Target::Stub("HealthFacilityGQLType"),
        ),
        datetime("submitStamp", "SubmitStamp"),
        datetime("processStamp", "ProcessStamp"),
        decimal("remunerated", "Remunerated", 2),
        text("guaranteeId", "GuaranteeId"),
        one("admin", "ClaimAdminId", Target::Stub("ClaimAdminGQLType")),
        one(
            "referFrom",
            "ReferFrom",
            Target::Stub("HealthFacilityGQLType"),
        ),
        one("referTo", "ReferTo", Target::Stub("HealthFacilityGQLType")),
        one("icd", "ICDID", Target::Stub("DiagnosisGQLType")),
        one("icd1", "ICDID1", Target::Stub("DiagnosisGQLType")),
        one("icd2", "ICDID2", Target::Stub("DiagnosisGQLType")),
        one("icd3", "ICDID3", Target::Stub("DiagnosisGQLType")),
        one("icd4", "ICDID4", Target::Stub("DiagnosisGQLType")),
        text("visitType", "VisitType").filters(EXACT),
        int("auditUserIdReview", "AuditUserIDReview"),
        int("auditUserIdSubmit", "AuditUserIDSubmit"),
        int("auditUserIdProcess", "AuditUserIDProcess"),
        text("careType", "CareType"),
        boolean("preAuthorization", "pre_authorization").filters(EXACT),
        text("patientCondition", "patient_condition"),
        text("referralCode", "referral_code"),
        // `restore_id`: the restored claim's key.
        int("restoreId", "RestoredClaim"),
        // `RunID`: read for the `batchRun_*` filters (BatchRunGQLType is not served).
        int("batchRunId", "RunID"),
        many_paged("claimSet", &CLAIM, "RestoredClaim"),
        many("items", &CLAIM_ITEM, "ClaimID"),
        many("services", &CLAIM_SERVICE, "ClaimID"),
        many_paged("dedrems", &DEDREM, "ClaimID"),
    ],
};

/// `tblFeedback`: FeedbackGQLType (no relay node: `id` is the key).
pub static FEEDBACK: EntitySpec = EntitySpec {
    type_name: "FeedbackGQLType",
    table: "tblFeedback",
    alias: "fb",
    key: "FeedbackID",
    uuid: Some("FeedbackUUID"),
    history: Some(HISTORY),
    fields: &[
        one("claim", "ClaimID", Target::Local(&CLAIM)),
        boolean("careRendered", "CareRendered"),
        boolean("paymentAsked", "PaymentAsked"),
        boolean("drugPrescribed", "DrugPrescribed"),
        boolean("drugReceived", "DrugReceived"),
        int("asessment", "Asessment"),
        int("officerId", "CHFOfficerCode"),
        datetime("feedbackDate", "FeedbackDate"),
    ],
};

/// `tblClaimItems`: ClaimItemGQLType (no relay node).
pub static CLAIM_ITEM: EntitySpec = EntitySpec {
    type_name: "ClaimItemGQLType",
    table: "tblClaimItems",
    alias: "ci",
    key: "ClaimItemID",
    uuid: None,
    history: Some(HISTORY),
    fields: &[
        json("jsonExt", "JsonExt"),
        one("claim", "ClaimID", Target::Local(&CLAIM)),
        one("item", "ItemID", Target::Stub("ItemGQLType")),
        one("product", "ProdID", Target::Stub("ProductGQLType")),
        int("status", "ClaimItemStatus"),
        boolean("availability", "Availability"),
        decimal("qtyProvided", "QtyProvided", 2),
        decimal("qtyApproved", "QtyApproved", 2),
        decimal("priceAsked", "PriceAsked", 2),
        decimal("priceAdjusted", "PriceAdjusted", 2),
        decimal("priceApproved", "PriceApproved", 2),
        decimal("priceValuated", "PriceValuated", 2),
        text("explanation", "Explanation"),
        text("justification", "Justification"),
        int("rejectionReason", "RejectionReason"),
        datetime("validityFromReview", "ValidityFromReview"),
        datetime("validityToReview", "ValidityToReview"),
        int("auditUserIdReview", "AuditUserIDReview"),
        decimal("limitationValue", "LimitationValue", 2),
        text("limitation", "Limitation"),
        one("policy", "PolicyID", Target::Stub("PolicyGQLType")),
        decimal("remuneratedAmount", "RemuneratedAmount", 2),
        decimal("deductableAmount", "DeductableAmount", 2),
        decimal("exceedCeilingAmount", "ExceedCeilingAmount", 2),
        text("priceOrigin", "PriceOrigin"),
        decimal(
            "exceedCeilingAmountCategory",
            "ExceedCeilingAmountCategory",
            2,
        ),
    ],
};

/// `tblClaimServices`: ClaimServiceGQLType (no relay node), with its package sub-lines.
pub static CLAIM_SERVICE: EntitySpec = EntitySpec {
    type_name: "ClaimServiceGQLType",
    table: "tblClaimServices",
    alias: "cs",
    key: "ClaimServiceID",
    uuid: None,
    history: Some(HISTORY),
    fields: &[
        json("jsonExt", "JsonExt"),
        one("claim", "ClaimID", Target::Local(&CLAIM)),
        one("service", "ServiceID", Target::Stub("ServiceGQLType")),
        one("product", "ProdID", Target::Stub("ProductGQLType")),
        int("status", "ClaimServiceStatus"),
        decimal("qtyProvided", "QtyProvided", 2),
        decimal("qtyApproved", "QtyApproved", 2),
        decimal("priceAsked", "PriceAsked", 2),
        decimal("priceAdjusted", "PriceAdjusted", 2),
        decimal("priceApproved", "PriceApproved", 2),
        decimal("priceValuated", "PriceValuated", 2),
        text("explanation", "Explanation"),
        text("justification", "Justification"),
        int("rejectionReason", "RejectionReason"),
        datetime("validityFromReview", "ValidityFromReview"),
        datetime("validityToReview", "ValidityToReview"),
        int("auditUserIdReview", "AuditUserIDReview"),
        decimal("limitationValue", "LimitationValue", 2),
        text("limitation", "Limitation"),
        one("policy", "PolicyID", Target::Stub("PolicyGQLType")),
        decimal("remuneratedAmount", "RemuneratedAmount", 2),
        decimal("deductableAmount", "DeductableAmount", 2),
        decimal("exceedCeilingAmount", "ExceedCeilingAmount", 2),
        text("priceOrigin", "PriceOrigin"),
        decimal(
            "exceedCeilingAmountCategory",
            "ExceedCeilingAmountCategory",
            2,
        ),
        many("items", &SERVICE_ITEM, "ClaimServiceID"),
        many("services", &SERVICE_SERVICE, "claimServiceID"),
    ],
};

/// `tblClaimServicesItems`: the items of a package service (ClaimServiceItemGQLType).
pub static SERVICE_ITEM: EntitySpec = EntitySpec {
    type_name: "ClaimServiceItemGQLType",
    table: "tblClaimServicesItems",
    alias: "csi",
    key: "idCsi",
    uuid: None,
    history: None,
    fields: &[
        one("item", "ItemID", Target::Stub("ItemGQLType")),
        one(
            "claimService",
            "ClaimServiceID",
            Target::Local(&CLAIM_SERVICE),
        ),
        int("qtyProvided", "qty_provided"),
        int("qtyDisplayed", "qty_displayed"),
        datetime("createdDate", "created_date"),
        decimal("priceAsked", "price", 2),
    ],
};

/// `tblClaimServicesService`: the services of a package service (ClaimServiceServiceGQLType).
pub static SERVICE_SERVICE: EntitySpec = EntitySpec {
    type_name: "ClaimServiceServiceGQLType",
    table: "tblClaimServicesService",
    alias: "css",
    key: "idCss",
    uuid: None,
    history: None,
    fields: &[
        one("service", "ServiceId", Target::Stub("ServiceGQLType")),
        one(
            "claimService",
            "claimServiceID",
            Target::Local(&CLAIM_SERVICE),
        ),
        int("qtyProvided", "qty_provided"),
        int("qtyDisplayed", "qty_displayed"),
        datetime("createdDate", "created_date"),
        decimal("priceAsked", "price", 2),
    ],
};

/// `tblClaimDedRem`: ClaimDedRemGQLType, the ded/rem ledger per policy and claim.
pub static DEDREM: EntitySpec = EntitySpec {
    type_name: "ClaimDedRemGQLType",
    table: "tblClaimDedRem",
    alias: "dr",
    key: "ExpenditureID",
    uuid: None,
    history: Some(HISTORY),
    fields: &[
        one("policy", "PolicyID", Target::Stub("PolicyGQLType")),
        one("insuree", "InsureeID", Target::Stub("InsureeGQLType")),
        one("claim", "ClaimID", Target::Local(&CLAIM)),
        decimal("dedG", "DedG", 2),
        decimal("dedOp", "DedOP", 2),
        decimal("dedIp", "DedIP", 2),
        decimal("remG", "RemG", 2),
        decimal("remOp", "RemOP", 2),
        decimal("remIp", "RemIP", 2),
        decimal("remConsult", "RemConsult", 2),
        decimal("remSurgery", "RemSurgery", 2),
        decimal("remDelivery", "RemDelivery", 2),
        decimal("remHospitalization", "RemHospitalization", 2),
        decimal("remAntenatal", "RemAntenatal", 2),
    ],
};

/// `claim_ClaimAttachment_ClaimAttachmentType`: ClaimAttachmentTypeGQLType. Versioned without
/// an audit user, and listed whatever its validity (the original has no `get_queryset` on it):
/// its validity columns are plain fields here.
pub static ATTACHMENT_TYPE: EntitySpec = EntitySpec {
    type_name: "ClaimAttachmentTypeGQLType",
    table: "claim_ClaimAttachment_ClaimAttachmentType",
    alias: "cat",
    key: "ClaimAttachmentTypeId",
    uuid: None,
    history: None,
    fields: &[
        datetime("validityFrom", "ValidityFrom"),
        datetime("validityTo", "ValidityTo"),
        int("legacyId", "LegacyID"),
        text("claimAttachmentType", "ClaimAttachmentType"),
        boolean("isAutogenerated", "is_autogenerated"),
        text("claimGeneralType", "claim_general_type").filters(EXACT),
    ],
};
