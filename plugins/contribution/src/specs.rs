//! The entities, declared once: premiums (`tblPremium`) with the original's filters
//! (`PremiumGQLType.Meta.filter_fields`), and the view of policy's table contribution extends
//! with its reverse relation (`PolicyGQLType.premiums`). The `policy_*` filters are declared in
//! `views.rs`.

use openimis_sdk::entity::*;

const MOMENT: Lookups = EXACT | RANGE;

pub static PREMIUM: EntitySpec = EntitySpec {
    type_name: "PremiumGQLType",
    table: "tblPremium",
    alias: "pm",
    key: "PremiumId",
    uuid: Some("PremiumUUID"),
    history: Some(HISTORY),
    fields: &[
        // Answered by policy; its filters (`policy_Id`, `policy_Uuid`, …) are `views.rs`'s.
        one("policy", "PolicyID", Target::Stub("PolicyGQLType"))
            .filters(0)
            .write(),
        one("payer", "PayerID", Target::Stub("PayerGQLType"))
            .filters(0)
            .write(),
        decimal("amount", "Amount", 2).filters(MOMENT).write(),
        text("receipt", "Receipt")
            .filters(EXACT | ICONTAINS)
            .write(),
        date("payDate", "PayDate").filters(MOMENT).write(),
        text("payType", "PayType").filters(EXACT).write(),
        boolean("isPhotoFee", "isPhotoFee").filters(EXACT).write(),
        boolean("isOffline", "isOffline").write(),
        int("reportingId", "ReportingId").write(),
        int("reportingCommissionId", "ReportingCommissionID").write(),
        datetime("overviewCommissionReport", "OverviewCommissionReport").write(),
        datetime("allDetailsCommissionReport", "AllDetailsCommissionReport").write(),
        text("source", "Source").write(),
        text("sourceVersion", "SourceVersion").write(),
        // A `date` column in the original's databases, answered as graphene's `DateTime` answers
        // a date: `YYYY-MM-DD`.
        date("createdDate", "CreatedDate").write(),
    ],
};

/// policy's policies, as far as `premiums` needs them.
pub static POLICY: EntitySpec = EntitySpec {
    type_name: "PolicyGQLType",
    table: "tblPolicy",
    alias: "ppo",
    key: "PolicyID",
    uuid: Some("PolicyUUID"),
    history: None,
    fields: &[many_paged("premiums", &PREMIUM, "PolicyID")],
};

/// The entity of this module whose GraphQL type is `name`.
pub fn of_type(name: &str) -> Option<&'static EntitySpec> {
    (PREMIUM.type_name == name).then_some(&PREMIUM)
}
