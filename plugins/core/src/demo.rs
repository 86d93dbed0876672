//! The demo dataset (`DEMO_DATASET=True`): the original's system roles, English and French, and
//! `Admin`/`admin123` with the first ten roles, stored in the legacy password scheme as the
//! original's demo database has it (on an empty user table), then a handful of users of each
//! kind (`demo_users`).

use crate::auth::legacy_hash;
use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::ModuleError;

/// `(IsSystem, name)` of the original's system roles, in its order.
pub const SYSTEM_ROLES: &[(i32, &str)] = &[
    (1, "Enrolment Officer"),
    (2, "Manager"),
    (4, "Accountant"),
    (8, "Clerk"),
    (16, "Medical Officer"),
    (32, "Scheme Administrator"),
    (64, "IMIS Administrator"),
    (128, "Receptionist"),
    (256, "Claim Administrator"),
    (512, "Claim Contributor"),
    (524_288, "HF Administrator"),
    (1_048_576, "Offline Administrator"),
];

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

fn new_uuid() -> Bind {
    Bind::text(uuid::Uuid::new_v4().to_string())
}

pub fn seed(conn: &mut Conn) -> Result<(), ModuleError> {
    if db::count(conn, r#"SELECT COUNT(*) AS n FROM "tblUsers""#, &[])? > 0 {
        return crate::demo_users::seed(conn);
    }
    for (code, name, order) in [("en", "English", 1), ("fr", "Français", 2)] {
        db::execute(
            conn,
            r#"INSERT INTO "tblLanguages" ("LanguageCode", "LanguageName", "SortOrder") SELECT ?, ?, ?
               WHERE NOT EXISTS (SELECT 1 FROM "tblLanguages" WHERE "LanguageCode" = ?)"#,
            &[
                Bind::text(code),
                Bind::text(name),
                Bind::Int(Some(order)),
                Bind::text(code),
            ],
        )?;
    }
    let mut role_ids = Vec::new();
    for (is_system, name) in SYSTEM_ROLES {
        let role_uuid = uuid::Uuid::new_v4().to_string();
        db::execute(
            conn,
            r#"INSERT INTO "tblRole" ("RoleUUID", "RoleName", "IsSystem", "IsBlocked") VALUES (?, ?, ?, ?)"#,
            &[
                Bind::text(&role_uuid),
                Bind::text(*name),
                Bind::Int(Some(*is_system)),
                Bind::Bool(Some(false)),
            ],
        )?;
        let ids: Vec<Id> = db::load(
            conn,
            r#"SELECT CAST("RoleID" AS BIGINT) AS id FROM "tblRole" WHERE "RoleUUID" = ?"#,
            &[Bind::text(&role_uuid)],
        )?;
        role_ids.push(ids[0].id);
    }
    let private_key = "demo-admin-private-key";
    let uuid = db::uuid_param(conn);
    db::execute(
        conn,
        &format!(
            r#"INSERT INTO "tblUsers" ("UUID", "LanguageID", "LastName", "OtherNames", "LoginName", "PrivateKey", "StoredPassword", "active", "version")
               VALUES ({uuid}, 'en', 'Admin', 'Admin', 'Admin', ?, ?, ?, 1)"#
        ),
        &[
            new_uuid(),
            Bind::text(private_key),
            Bind::text(legacy_hash("admin123", private_key)),
            Bind::Bool(Some(true)),
        ],
    )?;
    let admin: Vec<Id> = db::load(
        conn,
        r#"SELECT "id" AS id FROM "tblUsers" WHERE "LoginName" = 'Admin'"#,
        &[],
    )?;
    let admin = admin[0].id;
    db::execute(
        conn,
        &format!(
            r#"INSERT INTO "core_User" ("id", "version", "username", "i_user_id") VALUES ({uuid}, 1, 'Admin', ?)"#
        ),
        &[new_uuid(), Bind::BigInt(Some(admin))],
    )?;
    for role in role_ids.iter().take(10) {
        db::execute(
            conn,
            r#"INSERT INTO "tblUserRole" ("UserID", "RoleID") VALUES (?, ?)"#,
            &[Bind::BigInt(Some(admin)), Bind::Int(Some(*role as i32))],
        )?;
    }
    crate::demo_users::seed(conn)
}
