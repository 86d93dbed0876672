//! History as the original keeps it for users: simple_history rows for `tblUsers` and
//! `core_User` on every save, and the legacy copy (`ValidityTo`, `LegacyID`) of officer and
//! claim-admin rows before they change.

use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::time;
use openimis_sdk::ModuleError;

/// `'+'` for a created row, `'~'` for a changed one.
pub const CREATED: &str = "+";
pub const CHANGED: &str = "~";

/// A `core_historicalinteractiveuser` row copying `tblUsers` row `id` as it is now.
pub fn interactive(
    conn: &mut Conn,
    id: i64,
    kind: &str,
    by: Option<&str>,
) -> Result<(), ModuleError> {
    let (stamp, uuid) = (db::timestamp_param(conn), db::uuid_param(conn));
    db::execute(
        conn,
        &format!(
            r#"INSERT INTO "core_historicalinteractiveuser" ("history_date", "history_type", "history_user_id", "id", "version", "UUID",
                   "active", "Json_ext", "date_deactivated", "ValidityFrom", "ValidityTo", "LanguageID", "LastName", "OtherNames", "Phone",
                   "LoginName", "LastLogin", "HFID", "EmailId", "PrivateKey", "StoredPassword", "PasswordValidity", "IsAssociated", "RoleID")
               SELECT {stamp}, ?, {uuid}, "id", "version", "UUID", "active", "Json_ext", "date_deactivated", "ValidityFrom", "ValidityTo",
                   "LanguageID", "LastName", "OtherNames", "Phone", "LoginName", "LastLogin", "HFID", "EmailId", "PrivateKey",
                   "StoredPassword", "PasswordValidity", "IsAssociated", "RoleID" FROM "tblUsers" WHERE "id" = ?"#
        ),
        &[Bind::text(time::now()), Bind::text(kind), Bind::Text(by.map(str::to_owned)), Bind::BigInt(Some(id))],
    )
    .map(drop)
}

/// A `core_historicaluser` row copying `core_User` row `id` as it is now.
pub fn core_user(
    conn: &mut Conn,
    id: &str,
    kind: &str,
    by: Option<&str>,
) -> Result<(), ModuleError> {
    let (stamp, uuid) = (db::timestamp_param(conn), db::uuid_param(conn));
    db::execute(
        conn,
        &format!(
            r#"INSERT INTO "core_historicaluser" ("history_date", "history_type", "history_user_id", "id", "version", "username",
                   "t_user_id", "i_user_id", "officer_id", "claim_admin_id")
               SELECT {stamp}, ?, {uuid}, "id", "version", "username", "t_user_id", "i_user_id", "officer_id", "claim_admin_id"
               FROM "core_User" WHERE "id" = {uuid}"#
        ),
        &[Bind::text(time::now()), Bind::text(kind), Bind::Text(by.map(str::to_owned)), Bind::text(id)],
    )
    .map(drop)
}

/// The legacy `save_history()` of an officer: a copy with a new uuid, `ValidityTo` = now and
/// `LegacyID` = the officer.
pub fn officer_copy(conn: &mut Conn, id: i64) -> Result<(), ModuleError> {
    let stamp = db::timestamp_param(conn);
    db::execute(
        conn,
        &format!(
            r#"INSERT INTO "tblOfficer" ("OfficerUUID", "Code", "LastName", "OtherNames", "DOB", "Phone", "LocationId", "OfficerIDSubst",
                   "WorksTo", "VEOCode", "VEOLastName", "VEOOtherNames", "VEODOB", "VEOPhone", "AuditUserID", "EmailId", "PhoneCommunication",
                   "permanentaddress", "HasLogin", "JsonExt", "ValidityFrom", "ValidityTo", "LegacyID")
               SELECT ?, "Code", "LastName", "OtherNames", "DOB", "Phone", "LocationId", "OfficerIDSubst", "WorksTo", "VEOCode", "VEOLastName",
                   "VEOOtherNames", "VEODOB", "VEOPhone", "AuditUserID", "EmailId", "PhoneCommunication", "permanentaddress", "HasLogin",
                   "JsonExt", "ValidityFrom", {stamp}, "OfficerID" FROM "tblOfficer" WHERE "OfficerID" = ?"#
        ),
        &[Bind::text(uuid::Uuid::new_v4().to_string()), Bind::text(time::now()), Bind::BigInt(Some(id))],
    )
    .map(drop)
}

/// The legacy `save_history()` of a claim administrator.
pub fn claim_admin_copy(conn: &mut Conn, id: i64) -> Result<(), ModuleError> {
    let stamp = db::timestamp_param(conn);
    db::execute(
        conn,
        &format!(
            r#"INSERT INTO "tblClaimAdmin" ("ClaimAdminUUID", "ClaimAdminCode", "LastName", "OtherNames", "DOB", "EmailId", "Phone", "HFId",
                   "HasLogin", "AuditUserId", "ValidityFrom", "ValidityTo", "LegacyID")
               SELECT ?, "ClaimAdminCode", "LastName", "OtherNames", "DOB", "EmailId", "Phone", "HFId", "HasLogin", "AuditUserId",
                   "ValidityFrom", {stamp}, "ClaimAdminId" FROM "tblClaimAdmin" WHERE "ClaimAdminId" = ?"#
        ),
        &[Bind::text(uuid::Uuid::new_v4().to_string()), Bind::text(time::now()), Bind::BigInt(Some(id))],
    )
    .map(drop)
}

/// The legacy `delete_history()`: a history copy, then the live row's `ValidityFrom` and
/// `ValidityTo` set to now (`table`, `pk` name the officer or claim-admin table).
pub fn end_date(conn: &mut Conn, table: &str, pk: &str, id: i64) -> Result<(), ModuleError> {
    match table {
        "tblOfficer" => officer_copy(conn, id)?,
        _ => claim_admin_copy(conn, id)?,
    }
    let stamp = db::timestamp_param(conn);
    let now = time::now();
    db::execute(
        conn,
        &format!(r#"UPDATE "{table}" SET "ValidityFrom" = {stamp}, "ValidityTo" = {stamp} WHERE "{pk}" = ?"#),
        &[Bind::text(&now), Bind::text(&now), Bind::BigInt(Some(id))],
    )
    .map(drop)
}
