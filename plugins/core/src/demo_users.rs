//! The demo dataset's users of each kind: interactive users, enrolment officers (one with a
//! login, one its substitute) and claim administrators (one with a login), each with its
//! `core_User` row. Idempotent: a username already in `core_User` is skipped.

use crate::passwords::legacy_hash;
use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::sql_filter::date_param;
use openimis_sdk::ModuleError;

/// The demo users' password (legacy scheme, as the original's demo database).
pub const DEMO_PASSWORD: &str = "Demo12345!";

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

fn id_of(conn: &mut Conn, sql: &str, key: &str) -> Result<i64, ModuleError> {
    let ids: Vec<Id> = db::load(conn, sql, &[Bind::text(key)])?;
    ids.first()
        .map(|r| r.id)
        .ok_or_else(|| ModuleError::new("DEMO_SEED", format!("demo row {key} was not written")))
}

/// `(login, last name, other names, email, language, HF, role IsSystem)`.
type Interactive = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<i32>,
    i32,
);

fn interactive(conn: &mut Conn, user: Interactive, associated: bool) -> Result<i64, ModuleError> {
    let (login, last, other, email, language, hf, role) = user;
    let private_key = "demo-users-private-key";
    let uuid = db::uuid_param(conn);
    db::execute(
        conn,
        &format!(
            r#"INSERT INTO "tblUsers" ("UUID", "LanguageID", "LastName", "OtherNames", "LoginName", "EmailId", "Phone", "HFID",
                   "PrivateKey", "StoredPassword", "IsAssociated", "active", "version")
               VALUES ({uuid}, ?, ?, ?, ?, ?, '555-0100', ?, ?, ?, ?, ?, 1)"#
        ),
        &[
            Bind::text(uuid::Uuid::new_v4().to_string()),
            Bind::text(language),
            Bind::text(last),
            Bind::text(other),
            Bind::text(login),
            Bind::text(email),
            Bind::Int(hf),
            Bind::text(private_key),
            Bind::text(legacy_hash(DEMO_PASSWORD, private_key)),
            Bind::Bool(Some(associated)),
            Bind::Bool(Some(true)),
        ],
    )?;
    let id = id_of(
        conn,
        r#"SELECT CAST("id" AS BIGINT) AS id FROM "tblUsers" WHERE "LoginName" = ? AND "ValidityTo" IS NULL"#,
        login,
    )?;
    db::execute(
        conn,
        r#"INSERT INTO "tblUserRole" ("UserID", "RoleID") SELECT ?, "RoleID" FROM "tblRole" WHERE "IsSystem" = ? AND "ValidityTo" IS NULL"#,
        &[Bind::BigInt(Some(id)), Bind::Int(Some(role))],
    )?;
    Ok(id)
}

/// `(code, last name, other names, birth date, substitute's code)`.
type Officer = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
);

fn officer(conn: &mut Conn, officer: Officer, has_login: bool) -> Result<i64, ModuleError> {
    let (code, last, other, dob, substitute) = officer;
    let date = date_param(conn);
    db::execute(
        conn,
        &format!(
            r#"INSERT INTO "tblOfficer" ("OfficerUUID", "Code", "LastName", "OtherNames", "DOB", "Phone", "EmailId", "HasLogin",
               "AuditUserID", "OfficerIDSubst")
           VALUES (?, ?, ?, ?, {date}, '555-0200', ?, ?, 1, (SELECT MIN("OfficerID") FROM "tblOfficer" WHERE "Code" = ? AND "ValidityTo" IS NULL))"#
        ),
        &[
            Bind::text(uuid::Uuid::new_v4().to_string()),
            Bind::text(code),
            Bind::text(last),
            Bind::text(other),
            Bind::text(dob),
            Bind::text(format!("{}@example.org", code.to_lowercase())),
            Bind::Bool(Some(has_login)),
            Bind::Text(substitute.map(str::to_owned)),
        ],
    )?;
    id_of(
        conn,
        r#"SELECT CAST("OfficerID" AS BIGINT) AS id FROM "tblOfficer" WHERE "Code" = ? AND "ValidityTo" IS NULL"#,
        code,
    )
}

/// `(code, last name, other names, birth date, HF)`.
type ClaimAdmin = (&'static str, &'static str, &'static str, &'static str, i32);

fn claim_admin(conn: &mut Conn, admin: ClaimAdmin, has_login: bool) -> Result<i64, ModuleError> {
    let (code, last, other, dob, hf) = admin;
    let date = date_param(conn);
    db::execute(
        conn,
        &format!(
            r#"INSERT INTO "tblClaimAdmin" ("ClaimAdminUUID", "ClaimAdminCode", "LastName", "OtherNames", "DOB", "EmailId", "Phone", "HFId", "HasLogin", "AuditUserId")
           VALUES (?, ?, ?, ?, {date}, ?, '555-0300', ?, ?, 1)"#
        ),
        &[
            Bind::text(uuid::Uuid::new_v4().to_string()),
            Bind::text(code),
            Bind::text(last),
            Bind::text(other),
            Bind::text(dob),
            Bind::text(format!("{}@example.org", code.to_lowercase())),
            Bind::Int(Some(hf)),
            Bind::Bool(Some(has_login)),
        ],
    )?;
    id_of(
        conn,
        r#"SELECT CAST("ClaimAdminId" AS BIGINT) AS id FROM "tblClaimAdmin" WHERE "ClaimAdminCode" = ? AND "ValidityTo" IS NULL"#,
        code,
    )
}

fn core_user(conn: &mut Conn, username: &str, links: [Option<i64>; 3]) -> Result<(), ModuleError> {
    let uuid = db::uuid_param(conn);
    db::execute(
        conn,
        &format!(r#"INSERT INTO "core_User" ("id", "version", "username", "i_user_id", "officer_id", "claim_admin_id") VALUES ({uuid}, 1, ?, ?, ?, ?)"#),
        &[
            Bind::text(uuid::Uuid::new_v4().to_string()),
            Bind::text(username),
            Bind::BigInt(links[0]),
            Bind::Int(links[1].map(|id| id as i32)),
            Bind::Int(links[2].map(|id| id as i32)),
        ],
    )
    .map(drop)
}

fn exists(conn: &mut Conn, username: &str) -> Result<bool, ModuleError> {
    Ok(db::count(
        conn,
        r#"SELECT COUNT(*) AS n FROM "core_User" WHERE "username" = ?"#,
        &[Bind::text(username)],
    )? > 0)
}

/// Writes the demo users that are not there yet.
pub fn seed(conn: &mut Conn) -> Result<(), ModuleError> {
    let interactive_only: [Interactive; 2] = [
        (
            "manager1",
            "Manager",
            "Mary",
            "manager1@example.org",
            "en",
            None,
            2,
        ),
        (
            "reception1",
            "Receptionist",
            "Rita",
            "reception1@example.org",
            "fr",
            Some(1),
            128,
        ),
    ];
    for user in interactive_only {
        if !exists(conn, user.0)? {
            let id = interactive(conn, user, false)?;
            core_user(conn, user.0, [Some(id), None, None])?;
        }
    }
    if !exists(conn, "E00002")? {
        let id = officer(
            conn,
            ("E00002", "Substitute", "Sam", "1990-06-07", None),
            false,
        )?;
        core_user(conn, "E00002", [None, Some(id), None])?;
    }
    if !exists(conn, "E00001")? {
        let officer_id = officer(
            conn,
            ("E00001", "Officer", "Olivia", "1985-03-04", Some("E00002")),
            true,
        )?;
        let i_id = interactive(
            conn,
            (
                "E00001",
                "Officer",
                "Olivia",
                "e00001@example.org",
                "en",
                None,
                1,
            ),
            true,
        )?;
        core_user(conn, "E00001", [Some(i_id), Some(officer_id), None])?;
    }
    if !exists(conn, "CA00001")? {
        let admin_id = claim_admin(conn, ("CA00001", "Claims", "Carl", "1980-01-02", 1), true)?;
        let i_id = interactive(
            conn,
            (
                "CA00001",
                "Claims",
                "Carl",
                "ca00001@example.org",
                "en",
                Some(1),
                256,
            ),
            true,
        )?;
        core_user(conn, "CA00001", [Some(i_id), None, Some(admin_id)])?;
    }
    if !exists(conn, "CA00002")? {
        let id = claim_admin(conn, ("CA00002", "Claims", "Cleo", "1979-05-06", 2), false)?;
        core_user(conn, "CA00002", [None, None, Some(id)])?;
    }
    Ok(())
}
