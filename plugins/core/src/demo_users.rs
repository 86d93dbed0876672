//! The demo dataset's users of each kind: interactive users, enrolment officers (one with a
//! login, one its substitute) and claim administrators (one with a login), each with its
//! `core_User` row. Idempotent: a username already in `core_User` is skipped.

use crate::passwords::legacy_hash;
use crate::user_writes::{first_id, Legacy};
use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::sql_filter::date_param;
use openimis_sdk::ModuleError;

/// The demo users' password (legacy scheme, as the original's demo database).
pub const DEMO_PASSWORD: &str = "Demo12345!";

/// Text binds, in order.
fn texts(values: &[&str]) -> Vec<Bind> {
    values.iter().map(|&value| Bind::text(value)).collect()
}

fn id_of(conn: &mut Conn, sql: &str, key: &str) -> Result<i64, ModuleError> {
    first_id(conn, sql, &[Bind::text(key)])?
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
            &texts(&[
                &uuid::Uuid::new_v4().to_string(),
                language,
                last,
                other,
                login,
                email,
            ]),
            &[Bind::Int(hf)][..],
            &texts(&[private_key, &legacy_hash(DEMO_PASSWORD, private_key)]),
            &[Bind::Bool(Some(associated)), Bind::Bool(Some(true))],
        ]
        .concat(),
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

/// `(code, last name, other names, birth date)`.
type Person = (&'static str, &'static str, &'static str, &'static str);

/// An officer or claim administrator `person` with `phone`, and `(column, value, bind)` of its
/// own: an officer's substitute, a claim administrator's health facility.
fn legacy(
    conn: &mut Conn,
    kind: Legacy,
    (code, last, other, dob): Person,
    phone: &str,
    has_login: bool,
    (own, own_value, own_bind): (&str, &str, Bind),
) -> Result<i64, ModuleError> {
    let date = date_param(conn);
    db::execute(
        conn,
        &format!(
            r#"INSERT INTO "{table}" ("{uuid}", "{code_column}", "LastName", "OtherNames", "DOB", "Phone", "EmailId", "HasLogin", "{audit}", "{own}")
               VALUES (?, ?, ?, ?, {date}, '{phone}', ?, ?, 1, {own_value})"#,
            table = kind.table(),
            uuid = kind.uuid(),
            code_column = kind.code(),
            audit = kind.audit(),
        ),
        &[
            &texts(&[
                &uuid::Uuid::new_v4().to_string(),
                code,
                last,
                other,
                dob,
                &format!("{}@example.org", code.to_lowercase()),
            ]),
            &[Bind::Bool(Some(has_login)), own_bind][..],
        ]
        .concat(),
    )?;
    id_of(conn, &kind.by_code_sql(), code)
}

/// An officer and the code of its substitute.
fn officer(
    conn: &mut Conn,
    person: Person,
    substitute: Option<&str>,
    has_login: bool,
) -> Result<i64, ModuleError> {
    let substitute_id =
        r#"(SELECT MIN("OfficerID") FROM "tblOfficer" WHERE "Code" = ? AND "ValidityTo" IS NULL)"#;
    let own = (
        "OfficerIDSubst",
        substitute_id,
        Bind::Text(substitute.map(str::to_owned)),
    );
    legacy(conn, Legacy::Officer, person, "555-0200", has_login, own)
}

/// A claim administrator of health facility `hf`.
fn claim_admin(
    conn: &mut Conn,
    person: Person,
    hf: i32,
    has_login: bool,
) -> Result<i64, ModuleError> {
    let own = ("HFId", "?", Bind::Int(Some(hf)));
    legacy(conn, Legacy::ClaimAdmin, person, "555-0300", has_login, own)
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
            ("E00002", "Substitute", "Sam", "1990-06-07"),
            None,
            false,
        )?;
        core_user(conn, "E00002", [None, Some(id), None])?;
    }
    if !exists(conn, "E00001")? {
        let olivia = ("E00001", "Officer", "Olivia", "1985-03-04");
        let officer_id = officer(conn, olivia, Some("E00002"), true)?;
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
        let admin_id = claim_admin(conn, ("CA00001", "Claims", "Carl", "1980-01-02"), 1, true)?;
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
        let id = claim_admin(conn, ("CA00002", "Claims", "Cleo", "1979-05-06"), 2, false)?;
        core_user(conn, "CA00002", [None, None, Some(id)])?;
    }
    Ok(())
}
