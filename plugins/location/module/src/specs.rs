//! location's tables declared once (`openimis_sdk::entity`): the location tree, health
//! facilities, their catchments, and the user districts and officer villages that tie core's
//! users and officers to locations. Legal forms and sub-levels are keyed by a text code and
//! answered by [`crate::code_tables`].

use openimis_sdk::entity::*;

pub static LOCATION: EntitySpec = EntitySpec {
    type_name: "LocationGQLType",
    table: "tblLocations",
    alias: "l",
    key: "LocationId",
    uuid: Some("LocationUUID"),
    history: Some(History {
        legacy_id: "LegacyID",
        audit_user: "AuditUserId",
    }),
    fields: &[
        text("code", "LocationCode").filters(TEXT | NE).write(),
        text("name", "LocationName").filters(TEXT | NE).write(),
        text("type", "LocationType").filters(EXACT).write(),
        one("parent", "ParentLocationId", Target::Local(&LOCATION)).write(),
        int("malePopulation", "MalePopulation").write(),
        int("femalePopulation", "FemalePopulation").write(),
        int("otherPopulation", "OtherPopulation").write(),
        int("families", "Families").write(),
        json("jsonExt", "JsonExt"),
        many_paged("children", &LOCATION, "ParentLocationId"),
        many_paged("healthfacilitySet", &HEALTH_FACILITY, "LocationId"),
        many("catchments", &CATCHMENT, "LocationId"),
        many("userdistrictSet", &USER_DISTRICT, "LocationId"),
        many("officerVillages", &OFFICER_VILLAGE, "LocationId"),
    ],
};

pub static HEALTH_FACILITY: EntitySpec = EntitySpec {
    type_name: "HealthFacilityGQLType",
    table: "tblHF",
    alias: "h",
    key: "HfID",
    uuid: Some("HfUUID"),
    history: Some(HISTORY),
    fields: &[
        text("code", "HFCode").filters(TEXT).write(),
        text("name", "HFName").filters(TEXT).write(),
        text("accCode", "AccCode").write(),
        text("legalForm", "LegalForm"),
        text("legalForm_Code", "LegalForm").filters(EXACT),
        text("legalFormId", "LegalForm").write(),
        text("level", "HFLevel").filters(EXACT).write(),
        text("subLevel", "HFSublevel")
            .filters(EXACT | ISNULL)
            .write(),
        one("location", "LocationId", Target::Local(&LOCATION)).write(),
        text("address", "HFAddress").write(),
        text("phone", "Phone").filters(TEXT).write(),
        text("fax", "Fax").filters(TEXT | ISNULL).write(),
        text("email", "eMail").filters(TEXT | ISNULL).write(),
        text("careType", "HFCareType").filters(EXACT).write(),
        int("servicesPricelistId", "PLServiceID").write(),
        int("itemsPricelistId", "PLItemID").write(),
        boolean("offline", "OffLine").write(),
        date("contractStartDate", "ContractStartDate").write(),
        date("contractEndDate", "ContractEndDate").write(),
        text("status", "status").filters(EXACT).write(),
        json("jsonExt", "JsonExt"),
        many("catchments", &CATCHMENT, "HFID"),
    ],
};

pub static CATCHMENT: EntitySpec = EntitySpec {
    type_name: "HealthFacilityCatchmentGQLType",
    table: "tblHFCatchment",
    alias: "c",
    key: "HFCatchmentId",
    uuid: None,
    history: Some(History {
        legacy_id: "LegacyId",
        audit_user: "AuditUserId",
    }),
    fields: &[
        one("healthFacility", "HFID", Target::Local(&HEALTH_FACILITY)).write(),
        one("location", "LocationId", Target::Local(&LOCATION)).write(),
        int("catchment", "Catchment").write(),
    ],
};

pub static USER_DISTRICT: EntitySpec = EntitySpec {
    type_name: "UserDistrictType",
    table: "tblUsersDistricts",
    alias: "ud",
    key: "UserDistrictID",
    uuid: None,
    history: Some(HISTORY),
    fields: &[
        one("user", "UserID", Target::Stub("InteractiveUserGQLType")).write(),
        one("location", "LocationId", Target::Local(&LOCATION)).write(),
    ],
};

pub static OFFICER_VILLAGE: EntitySpec = EntitySpec {
    type_name: "OfficerVillageGQLType",
    table: "tblOfficerVillages",
    alias: "ov",
    key: "OfficerVillageId",
    uuid: None,
    history: Some(HISTORY),
    fields: &[
        one("officer", "OfficerId", Target::Stub("OfficerGQLType")).write(),
        one("location", "LocationId", Target::Local(&LOCATION)).write(),
    ],
};

/// Which assignment table: the user↔district links or the officer↔village links.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Assignment {
    UserDistricts,
    OfficerVillages,
}

impl Assignment {
    pub fn spec(self) -> &'static EntitySpec {
        match self {
            Assignment::UserDistricts => &USER_DISTRICT,
            Assignment::OfficerVillages => &OFFICER_VILLAGE,
        }
    }

    /// The column naming the user or the officer.
    pub fn holder(self) -> &'static str {
        self.spec().fields[0].column
    }
}
