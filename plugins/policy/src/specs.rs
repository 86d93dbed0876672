//! The entities, declared once: policies (`tblPolicy`) and renewals (`tblPolicyRenewals`)
//! with the original's filters (the `product_*`/`officer_*` filters of `policies` read the
//! SDK's `entity::views`); and the views of other modules' tables
//! policy extends with its reverse relations (`FamilyGQLType.policies`,
//! `InsureeGQLType.policyRenewals`, `InsureePolicyGQLType.policy`,
//! `ProductGQLType.policies`/`policyRenewals`, `OfficerGQLType.policies`/`policyRenewals`).

use openimis_sdk::entity::*;

const MOMENT: Lookups = EXACT | RANGE;

pub static POLICY: EntitySpec = EntitySpec {
    type_name: "PolicyGQLType",
    table: "tblPolicy",
    alias: "po",
    key: "PolicyID",
    uuid: Some("PolicyUUID"),
    history: Some(HISTORY),
    fields: &[
        text("stage", "PolicyStage").filters(EXACT).write(),
        int("status", "PolicyStatus").filters(MOMENT).write(),
        decimal("value", "PolicyValue", 2).filters(MOMENT).write(),
        one("family", "FamilyID", Target::Stub("FamilyGQLType")).write(),
        date("enrollDate", "EnrollDate").filters(MOMENT).write(),
        date("startDate", "StartDate").filters(MOMENT).write(),
        date("effectiveDate", "EffectiveDate")
            .filters(MOMENT)
            .write(),
        date("expiryDate", "ExpiryDate").filters(MOMENT).write(),
        one("product", "ProdID", Target::Stub("ProductGQLType")).write(),
        one("officer", "OfficerID", Target::Stub("OfficerGQLType")).write(),
        boolean("offline", "isOffline").write(),
        // `contributionPlan` is contribution_plan's type: the column is kept for the writes.
        uuid("contributionPlanId", "ContributionPlanID").write(),
        date("creationDate", "creationDate").write(),
        many_paged("policyRenewals", &RENEWAL, "PolicyID"),
    ],
};

pub static RENEWAL: EntitySpec = EntitySpec {
    type_name: "PolicyRenewalGQLType",
    table: "tblPolicyRenewals",
    alias: "pr",
    key: "RenewalID",
    uuid: Some("RenewalUUID"),
    history: Some(History {
        legacy_id: "LegacyID",
        audit_user: "AuditCreateUser",
    }),
    fields: &[
        one("newOfficer", "NewOfficerID", Target::Stub("OfficerGQLType")).write(),
        one("insuree", "InsureeID", Target::Stub("InsureeGQLType")).write(),
        one("policy", "PolicyID", Target::Local(&POLICY)).write(),
        one("newProduct", "NewProdID", Target::Stub("ProductGQLType")).write(),
        date("renewalPromptDate", "RenewalPromptDate").write(),
        date("renewalDate", "RenewalDate").write(),
        text("phoneNumber", "PhoneNumber").write(),
        int("smsStatus", "SMSStatus").write(),
        int("renewalWarnings", "RenewalWarnings").write(),
        int("responseStatus", "ResponseStatus").write(),
        datetime("responseDate", "ResponseDate").write(),
    ],
};

/// insuree's families, as far as `policies` needs them.
pub static FAMILY: EntitySpec = EntitySpec {
    type_name: "FamilyGQLType",
    table: "tblFamilies",
    alias: "fa",
    key: "FamilyID",
    uuid: Some("FamilyUUID"),
    history: None,
    fields: &[many_paged("policies", &POLICY, "FamilyID")],
};

/// insuree's insurees, as far as `policyRenewals` needs them.
pub static INSUREE: EntitySpec = EntitySpec {
    type_name: "InsureeGQLType",
    table: "tblInsuree",
    alias: "ins",
    key: "InsureeID",
    uuid: Some("InsureeUUID"),
    history: None,
    fields: &[many_paged("policyRenewals", &RENEWAL, "InsureeID")],
};

/// insuree's coverage rows, as far as `policy` needs them.
pub static INSUREE_POLICY: EntitySpec = EntitySpec {
    type_name: "InsureePolicyGQLType",
    table: "tblInsureePolicy",
    alias: "ipo",
    key: "InsureePolicyID",
    uuid: None,
    history: None,
    fields: &[one("policy", "PolicyId", Target::Local(&POLICY))],
};

/// product's products, as far as `policies` and `policyRenewals` need them.
pub static PRODUCT: EntitySpec = EntitySpec {
    type_name: "ProductGQLType",
    table: "tblProduct",
    alias: "pd",
    key: "ProdID",
    uuid: Some("ProdUUID"),
    history: None,
    fields: &[
        many_paged("policies", &POLICY, "ProdID"),
        many_paged("policyRenewals", &RENEWAL, "NewProdID"),
    ],
};

/// core's officers, as far as `policies` and `policyRenewals` need them.
pub static OFFICER: EntitySpec = EntitySpec {
    type_name: "OfficerGQLType",
    table: "tblOfficer",
    alias: "ofc",
    key: "OfficerID",
    uuid: Some("OfficerUUID"),
    history: None,
    fields: &[
        many_paged("policies", &POLICY, "OfficerID"),
        many_paged("policyRenewals", &RENEWAL, "NewOfficerID"),
    ],
};

/// The entity of this module whose GraphQL type is `name`.
pub fn of_type(name: &str) -> Option<&'static EntitySpec> {
    [&POLICY, &RENEWAL]
        .into_iter()
        .find(|spec| spec.type_name == name)
}

/// The view of another module's type policy extends, by GraphQL type name.
pub fn extended(name: &str) -> Option<&'static EntitySpec> {
    [&FAMILY, &INSUREE, &INSUREE_POLICY, &PRODUCT, &OFFICER]
        .into_iter()
        .find(|spec| spec.type_name == name)
}

/// insuree's coverage rows (`tblInsureePolicy`) as policy writes them for a policy's members
/// (the original's `update_insuree_policies`; insuree offers no service to write them).
pub static COVERAGE: EntitySpec = EntitySpec {
    type_name: "InsureePolicyGQLType",
    table: "tblInsureePolicy",
    alias: "cov",
    key: "InsureePolicyID",
    uuid: None,
    history: Some(HISTORY),
    fields: &[
        int("insureeId", "InsureeID").write(),
        int("policyId", "PolicyId").write(),
        date("enrollmentDate", "EnrollmentDate").write(),
        date("startDate", "StartDate").write(),
        date("effectiveDate", "EffectiveDate").write(),
        date("expiryDate", "ExpiryDate").write(),
        boolean("offline", "isOffline").write(),
    ],
};

/// insuree's renewal details (`tblPolicyRenewalDetails`), as far as deleting a renewal's
/// details with history needs them (`PolicyRenewalService.delete`).
pub static RENEWAL_DETAIL: EntitySpec = EntitySpec {
    type_name: "PolicyRenewalDetailGQLType",
    table: "tblPolicyRenewalDetails",
    alias: "rd",
    key: "RenewalDetailID",
    uuid: None,
    history: Some(History {
        legacy_id: "LegacyID",
        audit_user: "AuditCreateUser",
    }),
    fields: &[
        int("renewalId", "RenewalID").write(),
        int("insureeId", "InsureeID").write(),
    ],
};
