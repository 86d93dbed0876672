//! The entities, declared once: insurees (`tblInsuree`), families (`tblFamilies`), photos
//! (`tblPhotos`), insuree-policies (`tblInsureePolicy`) and the integer-keyed reference lists
//! (professions, educations, relations, status reasons), with the original's filters; plus the
//! views of location's tables insuree extends with its reverse relations
//! (`LocationGQLType.familySet`/`insureeSet`, `HealthFacilityGQLType.insurees`).
//!
//! The text-keyed lists (genders, family types, confirmation and identification types) have no
//! integer key for the entity layer: an insuree or family carries their code in a hidden field
//! (`gender_Code`, `typeOfIdCode`, `familyTypeCode`, `confirmationTypeCode`) and `access.rs`
//! answers the objects.
//!
//! `validityFrom` is declared for its filters; `validityTo` cannot be (the history copy sets
//! that column itself and would name it twice): `queries.rs` reads its filters.

use openimis_sdk::entity::*;

const NAME: Lookups = TEXT;
const OPTIONAL: Lookups = TEXT | ISNULL;
const MOMENT: Lookups = EXACT | RANGE | ISNULL;

pub static INSUREE: EntitySpec = EntitySpec {
    type_name: "InsureeGQLType",
    table: "tblInsuree",
    alias: "i",
    key: "InsureeID",
    uuid: Some("InsureeUUID"),
    history: Some(HISTORY),
    fields: &[
        json("jsonExt", "JsonExt").write(),
        one("family", "FamilyID", Target::Local(&FAMILY)).write(),
        text("chfId", "CHFID").filters(NAME).write(),
        text("lastName", "LastName").filters(NAME).write(),
        text("otherNames", "OtherNames").filters(NAME).write(),
        text("gender_Code", "Gender").filters(EXACT).write(),
        date("dob", "DOB").filters(MOMENT).write(),
        boolean("head", "IsHead").filters(EXACT).write(),
        text("marital", "Marital").filters(EXACT | ISNULL).write(),
        text("passport", "passport").filters(OPTIONAL).write(),
        text("phone", "Phone").filters(OPTIONAL).write(),
        text("email", "Email").filters(OPTIONAL).write(),
        text("currentAddress", "CurrentAddress").write(),
        text("geolocation", "GeoLocation").write(),
        one(
            "currentVillage",
            "CurrentVillage",
            Target::Stub("LocationGQLType"),
        )
        .write(),
        one("photo", "PhotoID", Target::Local(&PHOTO)).write(),
        date("photoDate", "PhotoDate").write(),
        boolean("cardIssued", "CardIssued").write(),
        one("relationship", "Relationship", Target::Local(&RELATION)).write(),
        one("profession", "Profession", Target::Local(&PROFESSION)).write(),
        one("education", "Education", Target::Local(&EDUCATION)).write(),
        text("typeOfIdCode", "TypeOfId").write(),
        one(
            "healthFacility",
            "HFID",
            Target::Stub("HealthFacilityGQLType"),
        )
        .write(),
        boolean("offline", "isOffline").write(),
        text("status", "status").filters(EXACT).write(),
        date("statusDate", "status_date").write(),
        one(
            "statusReason",
            "StatusReason",
            Target::Local(&STATUS_REASON),
        )
        .write(),
        datetime("validityFrom", "ValidityFrom").filters(MOMENT),
        many("photos", &PHOTO, "InsureeID"),
        many_paged("headOf", &FAMILY, "InsureeID"),
        many_paged("insureePolicies", &INSUREE_POLICY, "InsureeID"),
    ],
};

pub static FAMILY: EntitySpec = EntitySpec {
    type_name: "FamilyGQLType",
    table: "tblFamilies",
    alias: "f",
    key: "FamilyID",
    uuid: Some("FamilyUUID"),
    history: Some(HISTORY),
    fields: &[
        json("jsonExt", "JsonExt").write(),
        one("headInsuree", "InsureeID", Target::Local(&INSUREE)).write(),
        one("location", "LocationId", Target::Stub("LocationGQLType")).write(),
        boolean("poverty", "Poverty")
            .filters(EXACT | ISNULL)
            .write(),
        text("familyTypeCode", "FamilyType").write(),
        text("familyType", "FamilyType").filters(EXACT),
        text("address", "FamilyAddress").filters(NAME).write(),
        boolean("isOffline", "isOffline").filters(EXACT).write(),
        text("ethnicity", "Ethnicity").filters(EXACT).write(),
        text("confirmationNo", "ConfirmationNo")
            .filters(NAME)
            .write(),
        text("confirmationTypeCode", "ConfirmationType").write(),
        text("confirmationType", "ConfirmationType").filters(EXACT),
        many_paged("members", &INSUREE, "FamilyID"),
    ],
};

pub static PHOTO: EntitySpec = EntitySpec {
    type_name: "PhotoGQLType",
    table: "tblPhotos",
    alias: "ph",
    key: "PhotoID",
    uuid: Some("PhotoUUID"),
    history: Some(HISTORY),
    fields: &[
        one("insuree", "InsureeID", Target::Local(&INSUREE)).write(),
        text("chfId", "CHFID").write(),
        text("folder", "PhotoFolder").write(),
        text("filename", "PhotoFileName").write(),
        text("photo", "photo").write(),
        int("officerId", "OfficerID").write(),
        date("date", "PhotoDate").write(),
    ],
};

pub static INSUREE_POLICY: EntitySpec = EntitySpec {
    type_name: "InsureePolicyGQLType",
    table: "tblInsureePolicy",
    alias: "ip",
    key: "InsureePolicyID",
    uuid: None,
    history: Some(HISTORY),
    fields: &[
        one("insuree", "InsureeID", Target::Local(&INSUREE)).write(),
        int("policyId", "PolicyId").write(),
        date("enrollmentDate", "EnrollmentDate")
            .filters(EXACT | RANGE)
            .write(),
        date("startDate", "StartDate")
            .filters(EXACT | RANGE)
            .write(),
        date("effectiveDate", "EffectiveDate")
            .filters(EXACT | RANGE)
            .write(),
        date("expiryDate", "ExpiryDate")
            .filters(EXACT | RANGE)
            .write(),
        boolean("offline", "isOffline").write(),
    ],
};

pub static STATUS_REASON: EntitySpec = EntitySpec {
    type_name: "InsureeStatusReasonGQLType",
    table: "tblInsureeStatusReason",
    alias: "sr",
    key: "StatusReasonId",
    uuid: None,
    history: Some(History {
        legacy_id: "LegacyID",
        audit_user: "LegacyID",
    }),
    fields: &[
        text("insureeStatusReason", "StatusReason").filters(EXACT | ICONTAINS | ISTARTSWITH),
        text("code", "Code").filters(EXACT),
        text("statusType", "status_type").filters(EXACT),
        many_paged("insurees", &INSUREE, "StatusReason"),
    ],
};

/// A reference list with a small integer key: `id`, its label, sort order, alternative label
/// and the insurees naming it.
macro_rules! reference_list {
    ($name:ident, $type:literal, $table:literal, $alias:literal, $key:literal, $label:literal, $column:literal, $($many:expr)?) => {
        pub static $name: EntitySpec = EntitySpec {
            type_name: $type,
            table: $table,
            alias: $alias,
            key: $key,
            uuid: None,
            history: None,
            fields: &[
                int("id", $key),
                text($label, $column),
                int("sortOrder", "SortOrder"),
                text("altLanguage", "AltLanguage"),
                $($many)?
            ],
        };
    };
}

reference_list!(
    PROFESSION,
    "ProfessionGQLType",
    "tblProfessions",
    "pr",
    "ProfessionId",
    "profession",
    "Profession",
    many_paged("insurees", &INSUREE, "Profession")
);
reference_list!(
    EDUCATION,
    "EducationGQLType",
    "tblEducations",
    "ed",
    "EducationId",
    "education",
    "Education",
);
reference_list!(
    RELATION,
    "RelationGQLType",
    "tblRelations",
    "re",
    "RelationId",
    "relation",
    "Relation",
    many_paged("insurees", &INSUREE, "Relationship")
);

/// location's locations, as far as `familySet` and `insureeSet` need them.
pub static LOCATION: EntitySpec = EntitySpec {
    type_name: "LocationGQLType",
    table: "tblLocations",
    alias: "lo",
    key: "LocationId",
    uuid: Some("LocationUUID"),
    history: None,
    fields: &[
        many_paged("familySet", &FAMILY, "LocationId"),
        many_paged("insureeSet", &INSUREE, "CurrentVillage"),
    ],
};

/// location's health facilities, as far as `insurees` needs them.
pub static HEALTH_FACILITY: EntitySpec = EntitySpec {
    type_name: "HealthFacilityGQLType",
    table: "tblHF",
    alias: "hf",
    key: "HfID",
    uuid: Some("HfUUID"),
    history: None,
    fields: &[many_paged("insurees", &INSUREE, "HFID")],
};

/// The entity of this module whose GraphQL type is `name`.
pub fn of_type(name: &str) -> Option<&'static EntitySpec> {
    [
        &INSUREE,
        &FAMILY,
        &PHOTO,
        &INSUREE_POLICY,
        &STATUS_REASON,
        &PROFESSION,
        &EDUCATION,
        &RELATION,
    ]
    .into_iter()
    .find(|spec| spec.type_name == name)
}
