//! The `policy_*` filters of `premiums` and `premiumsByPolicies` (`prefix_filterset("policy__",
//! PolicyGQLType._meta.filter_fields)`): filter-only views of policy's and insuree's tables
//! (product's and core's are the SDK's `entity::views`), read as django's joins do (any
//! validity). A premium's `policy` is answered by policy (a stub in `specs::PREMIUM`); these
//! views only narrow the list.

use openimis_sdk::entity::views::{OFFICER_FILTERS, PRODUCT_FILTERS};
use openimis_sdk::entity::*;

const MOMENT: Lookups = EXACT | RANGE;

/// The premium list's own table under its alias, with `policy` through the filter view: its
/// clauses join the list's statement (`policy_Id`, `policy_Product_Code_Icontains`, …).
pub static PREMIUM_POLICY: EntitySpec = EntitySpec {
    type_name: "PremiumGQLType",
    table: "tblPremium",
    alias: "pm",
    key: "PremiumId",
    uuid: None,
    history: None,
    fields: &[one("policy", "PolicyID", Target::Local(&POLICY_FILTERS))],
};

/// `PolicyGQLType`'s filter set.
pub static POLICY_FILTERS: EntitySpec = EntitySpec {
    type_name: "PolicyGQLType",
    table: "tblPolicy",
    alias: "vpo",
    key: "PolicyID",
    uuid: Some("PolicyUUID"),
    history: None,
    fields: &[
        date("enrollDate", "EnrollDate").filters(MOMENT),
        date("startDate", "StartDate").filters(MOMENT),
        date("effectiveDate", "EffectiveDate").filters(MOMENT),
        date("expiryDate", "ExpiryDate").filters(MOMENT),
        text("stage", "PolicyStage").filters(EXACT),
        int("status", "PolicyStatus").filters(MOMENT),
        decimal("value", "PolicyValue", 2).filters(MOMENT),
        one("product", "ProdID", Target::Local(&PRODUCT_FILTERS)),
        one("officer", "OfficerID", Target::Local(&OFFICER_FILTERS)),
    ],
};

/// insuree's coverage rows, for `policy_InsureePolicies_Insuree_*` (a reverse relation the
/// entity layer does not filter through): `insuree_ChfId`, … over these rows.
pub static COVERAGE_FILTERS: EntitySpec = EntitySpec {
    type_name: "InsureePolicyGQLType",
    table: "tblInsureePolicy",
    alias: "vip",
    key: "InsureePolicyID",
    uuid: None,
    history: None,
    fields: &[
        int("policyId", "PolicyId"),
        one("insuree", "InsureeID", Target::Local(&INSUREE_FILTERS)),
    ],
};

pub static INSUREE_FILTERS: EntitySpec = EntitySpec {
    type_name: "InsureeGQLType",
    table: "tblInsuree",
    alias: "vin",
    key: "InsureeID",
    uuid: Some("InsureeUUID"),
    history: None,
    fields: &[
        text("chfId", "CHFID").filters(EXACT | ICONTAINS),
        text("lastName", "LastName").filters(ICONTAINS),
        text("otherNames", "OtherNames").filters(ICONTAINS),
    ],
};
