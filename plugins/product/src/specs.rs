//! The entities, declared once: products (`tblProduct`), their covered items and services
//! (`tblProductItems`, `tblProductServices`) and relative distributions (`tblRelDistr`), with
//! the original's filters; plus the views of medical's and location's tables product extends
//! with its reverse relations (`ItemGQLType.items`, `ServiceGQLType.services`,
//! `LocationGQLType.productSet`).

use openimis_sdk::entity::*;

const CODE_FILTERS: Lookups = EXACT | ICONTAINS | ISTARTSWITH;

pub static PRODUCT: EntitySpec = EntitySpec {
    type_name: "ProductGQLType",
    table: "tblProduct",
    alias: "p",
    key: "ProdID",
    uuid: Some("ProdUUID"),
    history: Some(HISTORY),
    fields: &[
        text("code", "ProductCode").filters(CODE_FILTERS).write(),
        text("name", "ProductName").filters(CODE_FILTERS).write(),
        one("location", "LocationId", Target::Stub("LocationGQLType")).write(),
        datetime("dateFrom", "DateFrom")
            .filters(EXACT | RANGE)
            .write(),
        datetime("dateTo", "DateTo").filters(EXACT | RANGE).write(),
        one(
            "conversionProduct",
            "ConversionProdID",
            Target::Local(&PRODUCT),
        )
        .write(),
        int("insurancePeriod", "InsurancePeriod").write(),
        int("administrationPeriod", "AdministrationPeriod").write(),
        decimal("lumpSum", "LumpSum", 2).write(),
        int("maxMembers", "MemberCount").write(),
        int("maxInstallments", "MaxInstallments").write(),
        int("threshold", "Threshold").write(),
        int("recurrence", "Recurrence").write(),
        decimal("premiumAdult", "PremiumAdult", 2).write(),
        decimal("premiumChild", "PremiumChild", 2).write(),
        text("accCodePremiums", "AccCodePremiums").write(),
        text("accCodeRemuneration", "AccCodeRemuneration").write(),
        int("gracePeriodEnrolment", "GracePeriod").write(),
        int("gracePeriodPayment", "WaitingPeriod").write(),
        int("gracePeriodRenewal", "GracePeriodRenewal").write(),
        decimal("registrationLumpSum", "RegistrationLumpSum", 2).write(),
        decimal("registrationFee", "RegistrationFee", 2).write(),
        decimal("generalAssemblyLumpSum", "GeneralAssemblyLumpSum", 2).write(),
        decimal("generalAssemblyFee", "GeneralAssemblyFee", 2).write(),
        text("startCycle1", "StartCycle1").write(),
        text("startCycle2", "StartCycle2").write(),
        text("startCycle3", "StartCycle3").write(),
        text("startCycle4", "StartCycle4").write(),
        int("maxNoConsultation", "MaxNoConsultation").write(),
        int("maxNoSurgery", "MaxNoSurgery").write(),
        int("maxNoDelivery", "MaxNoDelivery").write(),
        int("maxNoHospitalization", "MaxNoHospitalizaion").write(),
        int("maxNoVisits", "MaxNoVisits").write(),
        decimal("maxAmountConsultation", "MaxAmountConsultation", 2).write(),
        decimal("maxAmountSurgery", "MaxAmountSurgery", 2).write(),
        decimal("maxAmountDelivery", "MaxAmountDelivery", 2).write(),
        decimal("maxAmountHospitalization", "MaxAmountHospitalization", 2).write(),
        int("renewalDiscountPerc", "RenewalDiscountPerc").write(),
        int("renewalDiscountPeriod", "RenewalDiscountPeriod").write(),
        int("enrolmentDiscountPerc", "EnrolmentDiscountPerc").write(),
        int("enrolmentDiscountPeriod", "EnrolmentDiscountPeriod").write(),
        decimal("shareContribution", "ShareContribution", 2).write(),
        decimal("maxPolicyExtraMember", "MaxPolicyExtraMember", 2).write(),
        decimal("maxPolicyExtraMemberIp", "MaxPolicyExtraMemberIP", 2).write(),
        decimal("maxPolicyExtraMemberOp", "MaxPolicyExtraMemberOP", 2).write(),
        decimal("maxCeilingPolicy", "MaxCeilingPolicy", 2).write(),
        decimal("maxCeilingPolicyIp", "MaxCeilingPolicyIP", 2).write(),
        decimal("maxCeilingPolicyOp", "MaxCeilingPolicyOP", 2).write(),
        decimal("maxAmountAntenatal", "MaxAmountAntenatal", 2).write(),
        text("ceilingType", "CeilingType").write(),
        int("maxNoAntenatal", "MaxNoAntenatal").write(),
        text("ceilingInterpretation", "CeilingInterpretation").write(),
        int("ageMinimal", "Min Age").write(),
        int("ageMaximal", "Max Age").write(),
        text("periodRelPrices", "PeriodRelPrices").write(),
        text("periodRelPricesIp", "PeriodRelPricesIP").write(),
        text("periodRelPricesOp", "PeriodRelPricesOP").write(),
        decimal("dedInsuree", "DedInsuree", 2).write(),
        decimal("dedIpInsuree", "DedIPInsuree", 2).write(),
        decimal("dedOpInsuree", "DedOPInsuree", 2).write(),
        decimal("maxInsuree", "MaxInsuree", 2).write(),
        decimal("maxIpInsuree", "MaxIPInsuree", 2).write(),
        decimal("maxOpInsuree", "MaxOPInsuree", 2).write(),
        decimal("dedTreatment", "DedTreatment", 2).write(),
        decimal("dedIpTreatment", "DedIPTreatment", 2).write(),
        decimal("dedOpTreatment", "DedOPTreatment", 2).write(),
        decimal("maxTreatment", "MaxTreatment", 2).write(),
        decimal("maxIpTreatment", "MaxIPTreatment", 2).write(),
        decimal("maxOpTreatment", "MaxOPTreatment", 2).write(),
        decimal("dedPolicy", "DedPolicy", 2).write(),
        decimal("dedIpPolicy", "DedIPPolicy", 2).write(),
        decimal("dedOpPolicy", "DedOPPolicy", 2).write(),
        decimal("maxPolicy", "MaxPolicy", 2).write(),
        decimal("maxIpPolicy", "MaxIPPolicy", 2).write(),
        decimal("maxOpPolicy", "MaxOPPolicy", 2).write(),
        // Capitation and weights: not exposed, declared so a history copy carries them.
        text("capitationLevel1", "Level1"),
        text("capitationLevel2", "Level2"),
        text("capitationLevel3", "Level3"),
        text("capitationLevel4", "Level4"),
        text("capitationSublevel1", "Sublevel1"),
        text("capitationSublevel2", "Sublevel2"),
        text("capitationSublevel3", "Sublevel3"),
        text("capitationSublevel4", "Sublevel4"),
        decimal("weightPopulation", "WeightPopulation", 2),
        decimal("weightNbFamilies", "WeightNumberFamilies", 2),
        decimal("weightInsuredPopulation", "WeightInsuredPopulation", 2),
        decimal("weightNbInsuredFamilies", "WeightNumberInsuredFamilies", 2),
        decimal("weightNbVisits", "WeightNumberVisits", 2),
        decimal("weightAdjustedAmount", "WeightAdjustedAmount", 2),
        many_paged("items", &PRODUCT_ITEM, "ProdID"),
        many_paged("services", &PRODUCT_SERVICE, "ProdID"),
    ],
};

/// A covered item or service: the same limitation columns on both tables.
macro_rules! detail_fields {
    ($target:literal, $column:literal, $name:literal) => {
        &[
            one("product", "ProdID", Target::Local(&PRODUCT)).write(),
            one($name, $column, Target::Stub($target)).write(),
            text("priceOrigin", "PriceOrigin").write(),
            text("limitationType", "LimitationType").write(),
            text("limitationTypeR", "LimitationTypeR").write(),
            text("limitationTypeE", "LimitationTypeE").write(),
            int("waitingPeriodAdult", "WaitingPeriodAdult").write(),
            int("waitingPeriodChild", "WaitingPeriodChild").write(),
            int("limitNoAdult", "LimitNoAdult").write(),
            int("limitNoChild", "LimitNoChild").write(),
            decimal("limitAdult", "LimitAdult", 2).write(),
            decimal("limitChild", "LimitChild", 2).write(),
            decimal("limitAdultR", "LimitAdultR", 2).write(),
            decimal("limitAdultE", "LimitAdultE", 2).write(),
            decimal("limitChildR", "LimitChildR", 2).write(),
            decimal("limitChildE", "LimitChildE", 2).write(),
            text("ceilingExclusionAdult", "CeilingExclusionAdult").write(),
            text("ceilingExclusionChild", "CeilingExclusionChild").write(),
        ]
    };
}

pub static PRODUCT_ITEM: EntitySpec = EntitySpec {
    type_name: "ProductItemGQLType",
    table: "tblProductItems",
    alias: "pi",
    key: "ProdItemID",
    uuid: None,
    history: Some(HISTORY),
    fields: detail_fields!("ItemGQLType", "ItemID", "item"),
};

pub static PRODUCT_SERVICE: EntitySpec = EntitySpec {
    type_name: "ProductServiceGQLType",
    table: "tblProductServices",
    alias: "ps",
    key: "ProdServiceID",
    uuid: None,
    history: Some(HISTORY),
    fields: detail_fields!("ServiceGQLType", "ServiceID", "service"),
};

/// claim_batch's `RelativeDistribution`: one percentage per period of a product's care type.
pub static RELATIVE_DISTRIBUTION: EntitySpec = EntitySpec {
    type_name: "RelativeDistributionGQLType",
    table: "tblRelDistr",
    alias: "rd",
    key: "DistrID",
    uuid: None,
    history: Some(HISTORY),
    fields: &[
        one("product", "ProdID", Target::Local(&PRODUCT)).write(),
        int("type", "DistrType").write(),
        text("careType", "DistrCareType").write(),
        int("period", "Period").write(),
        decimal("percent", "DistrPerc", 2).write(),
    ],
};

/// medical's items, as far as `ItemGQLType.items` needs them.
pub static MEDICAL_ITEM: EntitySpec = EntitySpec {
    type_name: "ItemGQLType",
    table: "tblItems",
    alias: "mi",
    key: "ItemID",
    uuid: Some("ItemUUID"),
    history: None,
    fields: &[many_paged("items", &PRODUCT_ITEM, "ItemID")],
};

/// medical's services, as far as `ServiceGQLType.services` needs them.
pub static MEDICAL_SERVICE: EntitySpec = EntitySpec {
    type_name: "ServiceGQLType",
    table: "tblServices",
    alias: "ms",
    key: "ServiceID",
    uuid: Some("ServiceUUID"),
    history: None,
    fields: &[many_paged("services", &PRODUCT_SERVICE, "ServiceID")],
};

/// location's locations, as far as `LocationGQLType.productSet` needs them.
pub static LOCATION: EntitySpec = EntitySpec {
    type_name: "LocationGQLType",
    table: "tblLocations",
    alias: "lo",
    key: "LocationId",
    uuid: Some("LocationUUID"),
    history: None,
    fields: &[many_paged("productSet", &PRODUCT, "LocationId")],
};

/// The entity of this module whose GraphQL type is `name`.
pub fn of_type(name: &str) -> Option<&'static EntitySpec> {
    [&PRODUCT, &PRODUCT_ITEM, &PRODUCT_SERVICE]
        .into_iter()
        .find(|spec| spec.type_name == name)
}
