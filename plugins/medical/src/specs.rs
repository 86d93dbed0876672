//! The entities, declared once: diagnoses (`tblICDCodes`), items (`tblItems`), services
//! (`tblServices`) and the two package tables (a service's sub-items, `tblProductContainedPackage`,
//! and sub-services, `tblServiceContainedPackage`), with the original's filters and the
//! package relations both ways.

use openimis_sdk::entity::*;

/// The `id`/`code`/`name` filters the original declares on every medical list.
const CODE_FILTERS: Lookups = EXACT | ICONTAINS | ISTARTSWITH;

pub static DIAGNOSIS: EntitySpec = EntitySpec {
    type_name: "DiagnosisGQLType",
    table: "tblICDCodes",
    alias: "icd",
    key: "ICDID",
    uuid: None,
    history: Some(HISTORY),
    fields: &[
        text("code", "ICDCode").filters(CODE_FILTERS).write(),
        text("name", "ICDName").filters(CODE_FILTERS).write(),
    ],
};

pub static ITEM: EntitySpec = EntitySpec {
    type_name: "ItemGQLType",
    table: "tblItems",
    alias: "i",
    key: "ItemID",
    uuid: Some("ItemUUID"),
    history: Some(HISTORY),
    fields: &[
        text("code", "ItemCode").filters(CODE_FILTERS).write(),
        text("name", "ItemName").filters(CODE_FILTERS).write(),
        text("type", "ItemType").filters(EXACT).write(),
        text("package", "ItemPackage").filters(CODE_FILTERS).write(),
        decimal("price", "ItemPrice", 2).write(),
        decimal("quantity", "Quantity", 2).write(),
        decimal("maximumAmount", "MaximumAmount", 2).write(),
        text("careType", "ItemCareType").write(),
        int("frequency", "ItemFrequency").write(),
        int("patientCategory", "ItemPatCat").write(),
        many("itemsServices", &SERVICE_ITEM, "ItemID"),
    ],
};

pub static SERVICE: EntitySpec = EntitySpec {
    type_name: "ServiceGQLType",
    table: "tblServices",
    alias: "s",
    key: "ServiceID",
    uuid: Some("ServiceUUID"),
    history: Some(HISTORY),
    fields: &[
        text("category", "ServCategory").filters(EXACT).write(),
        text("code", "ServCode").filters(CODE_FILTERS).write(),
        text("name", "ServName").filters(CODE_FILTERS).write(),
        text("type", "ServType").filters(EXACT).write(),
        text("packagetype", "ServPackageType")
            .filters(EXACT | IN)
            .write(),
        boolean("manualPrice", "manualPrice").write(),
        text("level", "ServLevel").write(),
        decimal("price", "ServPrice", 2).write(),
        decimal("maximumAmount", "MaximumAmount", 2).write(),
        text("careType", "ServCareType").filters(EXACT).write(),
        int("frequency", "ServFrequency").write(),
        int("patientCategory", "ServPatCat").write(),
        // The package rows naming this service as the contained one (`related_name`).
        many("servicesServices", &SERVICE_SERVICE, "ServiceId"),
        // This package's sub-services (`parent`'s reverse relation).
        many("serviceserviceSet", &SERVICE_SERVICE, "ServiceLinked"),
        // This package's sub-items.
        many("servicesLinked", &SERVICE_ITEM, "ServiceID"),
    ],
};

/// `ServiceItemGQLType`: an item contained in a package service.
pub static SERVICE_ITEM: EntitySpec = EntitySpec {
    type_name: "ServiceItemGQLType",
    table: "tblProductContainedPackage",
    alias: "pcp",
    key: "idPCP",
    uuid: None,
    history: None,
    fields: &[
        one("item", "ItemID", Target::Local(&ITEM)).write(),
        one("parent", "ServiceID", Target::Local(&SERVICE)).write(),
        int("qtyProvided", "qty").write(),
        datetime("pcpDate", "created_date").write(),
        decimal("priceAsked", "price", 2).write(),
        boolean("status", "status").write(),
    ],
};

/// `ServiceServiceGQLType`: a service contained in a package service (`parent`).
pub static SERVICE_SERVICE: EntitySpec = EntitySpec {
    type_name: "ServiceServiceGQLType",
    table: "tblServiceContainedPackage",
    alias: "scp",
    key: "idSCP",
    uuid: None,
    history: None,
    fields: &[
        one("service", "ServiceId", Target::Local(&SERVICE)).write(),
        one("parent", "ServiceLinked", Target::Local(&SERVICE)).write(),
        int("qtyProvided", "qty").write(),
        datetime("scpDate", "created_date").write(),
        decimal("priceAsked", "price", 2).write(),
        boolean("status", "status").write(),
    ],
};

/// The entity whose GraphQL type is `name`.
pub fn of_type(name: &str) -> Option<&'static EntitySpec> {
    [&DIAGNOSIS, &ITEM, &SERVICE, &SERVICE_ITEM, &SERVICE_SERVICE]
        .into_iter()
        .find(|spec| spec.type_name == name)
}
