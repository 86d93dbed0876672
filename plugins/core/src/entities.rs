//! core's tables declared once for the SDK's entity layer: interactive users, officers, claim
//! administrators, roles, role rights and user roles, with the relations between them. The
//! uuid-keyed `core_User` and the text-keyed `tblLanguages` are read by their own files; their
//! specs here name them for the computed-field hook (`graph.rs`), never loaded by the layer.

use openimis_sdk::entity::*;

/// `tblUsers` (no `LegacyID`/`AuditUserID`: its validity dates are plain fields; the uuid is a
/// field because PostgreSQL keeps it as `uuid`, filtered in `interactive_users.rs`).
pub static I_USER: EntitySpec = EntitySpec {
    type_name: "InteractiveUserGQLType",
    table: "tblUsers",
    alias: "i",
    key: "id",
    uuid: None,
    history: None,
    fields: &[
        uuid("uuid", "UUID"),
        int("version", "version"),
        boolean("active", "active"),
        json("jsonExt", "Json_ext"),
        datetime("dateDeactivated", "date_deactivated"),
        datetime("validityFrom", "ValidityFrom"),
        datetime("validityTo", "ValidityTo"),
        text("languageId", "LanguageID").filters(EXACT),
        // `orderBy: "language"` (the object itself is computed, `interactive_users.rs`).
        text("language", "LanguageID"),
        text("lastName", "LastName").filters(ICONTAINS),
        text("otherNames", "OtherNames").filters(ICONTAINS),
        text("phone", "Phone").filters(IEXACT),
        text("loginName", "LoginName").filters(IEXACT),
        datetime("lastLogin", "LastLogin"),
        int("healthFacilityId", "HFID"),
        text("email", "EmailId").filters(IEXACT),
        datetime("passwordValidity", "PasswordValidity"),
        boolean("isAssociated", "IsAssociated").filters(EXACT),
        int("roleId", "RoleID"),
    ],
};

/// The history columns of tables that spell their audit user `AuditUserId`.
const AUDIT_USER_ID: History = History {
    legacy_id: "LegacyID",
    audit_user: "AuditUserId",
};

pub static OFFICER: EntitySpec = EntitySpec {
    type_name: "OfficerGQLType",
    table: "tblOfficer",
    alias: "o",
    key: "OfficerID",
    uuid: Some("OfficerUUID"),
    history: Some(HISTORY),
    fields: &[
        text("code", "Code").filters(EXACT | ICONTAINS),
        text("lastName", "LastName").filters(EXACT | ICONTAINS),
        text("otherNames", "OtherNames").filters(EXACT | ICONTAINS),
        date("dob", "DOB").filters(EXACT),
        text("phone", "Phone"),
        int("substitutionOfficerId", "OfficerIDSubst"),
        one(
            "substitutionOfficer",
            "OfficerIDSubst",
            Target::Local(&OFFICER),
        ),
        datetime("worksTo", "WorksTo"),
        text("veoCode", "VEOCode"),
        text("veoLastName", "VEOLastName"),
        text("veoOtherNames", "VEOOtherNames"),
        date("veoDob", "VEODOB"),
        text("veoPhone", "VEOPhone"),
        text("email", "EmailId"),
        boolean("phoneCommunication", "PhoneCommunication"),
        text("address", "permanentaddress"),
        boolean("hasLogin", "HasLogin"),
        json("jsonExt", "JsonExt"),
        many_paged("officerSet", &OFFICER, "OfficerIDSubst"),
    ],
};

pub static CLAIM_ADMIN: EntitySpec = EntitySpec {
    type_name: "ClaimAdminGQLType",
    table: "tblClaimAdmin",
    alias: "c",
    key: "ClaimAdminId",
    uuid: Some("ClaimAdminUUID"),
    history: Some(AUDIT_USER_ID),
    fields: &[
        text("code", "ClaimAdminCode").filters(EXACT | ICONTAINS),
        text("lastName", "LastName").filters(EXACT | ICONTAINS),
        text("otherNames", "OtherNames").filters(EXACT | ICONTAINS),
        date("dob", "DOB"),
        text("emailId", "EmailId"),
        text("phone", "Phone"),
        int("healthFacilityId", "HFId"),
        boolean("hasLogin", "HasLogin"),
    ],
};

pub static ROLE: EntitySpec = EntitySpec {
    type_name: "RoleGQLType",
    table: "tblRole",
    alias: "r",
    key: "RoleID",
    uuid: Some("RoleUUID"),
    history: Some(HISTORY),
    fields: &[
        text("name", "RoleName").filters(TEXT),
        text("altLanguage", "AltLanguage"),
        int("isSystem", "IsSystem"),
        // `IsSystem` when above 0, else null (`graph.rs`).
        int("systemRoleId", "IsSystem").filters(EXACT),
        boolean("isBlocked", "IsBlocked").filters(EXACT),
        many_paged("rights", &ROLE_RIGHT, "RoleID"),
    ],
};

pub static ROLE_RIGHT: EntitySpec = EntitySpec {
    type_name: "RoleRightGQLType",
    table: "tblRoleRight",
    alias: "rr",
    key: "RoleRightID",
    uuid: None,
    history: Some(AUDIT_USER_ID),
    fields: &[
        int("rightId", "RightID").filters(EXACT),
        int("roleId", "RoleID"),
        one("role", "RoleID", Target::Local(&ROLE)),
    ],
};

/// `tblUserRole`: its `id` is the plain key (`graph.rs`).
pub static USER_ROLE: EntitySpec = EntitySpec {
    type_name: "UserRoleGQLType",
    table: "tblUserRole",
    alias: "ur",
    key: "UserRoleID",
    uuid: None,
    history: Some(History {
        legacy_id: "LegacyID",
        audit_user: "AudituserID",
    }),
    fields: &[
        int("roleId", "RoleID"),
        int("userId", "UserID"),
        one("role", "RoleID", Target::Local(&ROLE)),
        one("user", "UserID", Target::Local(&I_USER)),
    ],
};

/// A table read by its own file: a spec naming its type for the hook (`graph.rs`) only.
const fn named(type_name: &'static str, table: &'static str, key: &'static str) -> EntitySpec {
    EntitySpec {
        type_name,
        table,
        alias: "x",
        key,
        uuid: None,
        history: None,
        fields: &[],
    }
}

/// `core_User` (uuid key), read by `user_queries.rs`.
pub static CORE_USER: EntitySpec = named("UserGQLType", "core_User", "id");

/// `tblLanguages` (text key), answered by `settings_queries.rs`.
pub static LANGUAGE: EntitySpec = named("LanguageGQLType", "tblLanguages", "LanguageCode");
