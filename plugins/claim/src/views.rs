//! Filter-only views of the types a claim filters through (`prefix_filterset` in the original's
//! `ClaimGQLType`): medical's `DiagnosisGQLType` (`icd_*`), core's `ClaimAdminGQLType`
//! (`admin_*`), location's `HealthFacilityGQLType` with its `LocationGQLType` (`healthFacility_*`),
//! insuree's `InsureeGQLType` (`insuree_*`) and claim_batch's `BatchRunGQLType` (`batchRun_*`),
//! each over its owner's table with the owner's filter set, read as django's joins do (any
//! validity). They only narrow a list (`filters.rs`); the owners answer the objects.

use openimis_sdk::entity::*;

const MOMENT: Lookups = EXACT | RANGE;
/// `exact`, `icontains`, `istartswith`.
const CODE: Lookups = EXACT | ICONTAINS | ISTARTSWITH;

/// `DiagnosisGQLType`'s filter set (`tblICDCodes`).
pub static DIAGNOSIS_FILTERS: EntitySpec = EntitySpec {
    type_name: "DiagnosisGQLType",
    table: "tblICDCodes",
    alias: "vdg",
    key: "ICDID",
    uuid: None,
    history: None,
    fields: &[
        text("code", "ICDCode").filters(CODE),
        text("name", "ICDName").filters(CODE),
    ],
};

/// `LocationGQLType`'s filter set (`tblLocations`), its parents through itself.
pub static LOCATION_FILTERS: EntitySpec = EntitySpec {
    type_name: "LocationGQLType",
    table: "tblLocations",
    alias: "vlc",
    key: "LocationId",
    uuid: Some("LocationUUID"),
    history: None,
    fields: &[
        text("code", "LocationCode").filters(TEXT | NE),
        text("name", "LocationName").filters(TEXT | NE),
        text("type", "LocationType").filters(EXACT),
        one(
            "parent",
            "ParentLocationId",
            Target::Local(&LOCATION_FILTERS),
        ),
    ],
};

/// A facility's legal form (`tblLegalForms`), for `legalForm_Code` at any depth.
pub static LEGAL_FORM_FILTERS: EntitySpec = EntitySpec {
    type_name: "HealthFacilityLegalFormGQLType",
    table: "tblLegalForms",
    alias: "vlf",
    key: "LegalFormCode",
    uuid: None,
    history: None,
    fields: &[text("code", "LegalFormCode").filters(EXACT)],
};

/// `HealthFacilityGQLType`'s filter set (`tblHF`).
pub static FACILITY_FILTERS: EntitySpec = EntitySpec {
    type_name: "HealthFacilityGQLType",
    table: "tblHF",
    alias: "vhf",
    key: "HfID",
    uuid: Some("HfUUID"),
    history: None,
    fields: &[
        text("code", "HFCode").filters(TEXT),
        text("fax", "Fax").filters(TEXT | ISNULL),
        text("email", "eMail").filters(TEXT | ISNULL),
        text("name", "HFName").filters(TEXT),
        text("level", "HFLevel").filters(EXACT),
        text("subLevel", "HFSublevel").filters(EXACT | ISNULL),
        text("careType", "HFCareType").filters(EXACT),
        one("legalForm", "LegalForm", Target::Local(&LEGAL_FORM_FILTERS)),
        text("phone", "Phone").filters(TEXT),
        text("status", "status").filters(EXACT),
        one("location", "LocationId", Target::Local(&LOCATION_FILTERS)),
    ],
};

/// `ClaimAdminGQLType`'s filter set (`tblClaimAdmin`).
pub static ADMIN_FILTERS: EntitySpec = EntitySpec {
    type_name: "ClaimAdminGQLType",
    table: "tblClaimAdmin",
    alias: "vca",
    key: "ClaimAdminId",
    uuid: Some("ClaimAdminUUID"),
    history: None,
    fields: &[
        text("code", "ClaimAdminCode").filters(EXACT | ICONTAINS),
        text("lastName", "LastName").filters(EXACT | ICONTAINS),
        text("otherNames", "OtherNames").filters(EXACT | ICONTAINS),
        one("healthFacility", "HFId", Target::Local(&FACILITY_FILTERS)),
    ],
};

/// `InsureeGQLType`'s filter set (`tblInsuree`); `uuid_Iexact` is read as `uuidText_Iexact`
/// (`filters.rs`): the layer's own `uuid` has `exact` and `in` only.
pub static INSUREE_FILTERS: EntitySpec = EntitySpec {
    type_name: "InsureeGQLType",
    table: "tblInsuree",
    alias: "vin",
    key: "InsureeID",
    uuid: Some("InsureeUUID"),
    history: None,
    fields: &[
        uuid("uuidText", "InsureeUUID").filters(IEXACT),
        text("chfId", "CHFID").filters(TEXT),
        text("lastName", "LastName").filters(TEXT),
        text("otherNames", "OtherNames").filters(TEXT),
        text("email", "Email").filters(TEXT | ISNULL),
        text("phone", "Phone").filters(TEXT | ISNULL),
        date("dob", "DOB").filters(MOMENT | ISNULL),
        boolean("head", "IsHead").filters(EXACT),
        text("passport", "Passport").filters(TEXT | ISNULL),
        // `gender__code`: the gender's key is its code.
        text("gender_Code", "Gender").filters(EXACT),
        text("marital", "Marital").filters(EXACT | ISNULL),
        text("status", "status").filters(EXACT),
        datetime("validityFrom", "ValidityFrom").filters(MOMENT | ISNULL),
        datetime("validityTo", "ValidityTo").filters(MOMENT | ISNULL),
        one("photo", "PhotoID", Target::Stub("PhotoGQLType")),
        one("family", "FamilyID", Target::Stub("FamilyGQLType")),
    ],
};

/// `BatchRunGQLType`'s filter set (`tblBatchRun`).
pub static BATCH_RUN_FILTERS: EntitySpec = EntitySpec {
    type_name: "BatchRunGQLType",
    table: "tblBatchRun",
    alias: "vbr",
    key: "RunID",
    uuid: None,
    history: None,
    fields: &[
        datetime("runDate", "RunDate").filters(MOMENT),
        one("location", "LocationId", Target::Local(&LOCATION_FILTERS)),
    ],
};
