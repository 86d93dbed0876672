//! Filter-only views of types several modules filter through, declared once: the filter set
//! product's `ProductGQLType` and core's `OfficerGQLType` have in the original, over their
//! tables (any validity, as django's joins read them). A module's `product_*`/`officer_*`
//! filters reach them through a `one(.., Target::Local(&PRODUCT_FILTERS))` of its own
//! filter-only view, or with `entity::filtered` (policy's `policies`, contribution's
//! `policy_Product_*`). They only narrow a list; the owners answer the objects.

use super::spec::*;

const MOMENT: Lookups = EXACT | RANGE;
const CODE: Lookups = EXACT | ICONTAINS | ISTARTSWITH;

/// `ProductGQLType`'s filter set (`tblProduct`).
pub static PRODUCT_FILTERS: EntitySpec = EntitySpec {
    type_name: "ProductGQLType",
    table: "tblProduct",
    alias: "pf",
    key: "ProdID",
    uuid: Some("ProdUUID"),
    history: None,
    fields: &[
        text("code", "ProductCode").filters(CODE),
        text("name", "ProductName").filters(CODE),
        datetime("dateFrom", "DateFrom").filters(MOMENT),
        datetime("dateTo", "DateTo").filters(MOMENT),
        one("location", "LocationId", Target::Stub("LocationGQLType")).filters(ISNULL),
    ],
};

/// `OfficerGQLType`'s filter set (`tblOfficer`).
pub static OFFICER_FILTERS: EntitySpec = EntitySpec {
    type_name: "OfficerGQLType",
    table: "tblOfficer",
    alias: "of",
    key: "OfficerID",
    uuid: Some("OfficerUUID"),
    history: None,
    fields: &[
        text("code", "Code").filters(EXACT | ICONTAINS),
        text("lastName", "LastName").filters(EXACT | ICONTAINS),
        text("otherNames", "OtherNames").filters(EXACT | ICONTAINS),
        date("dob", "DOB").filters(EXACT),
    ],
};
