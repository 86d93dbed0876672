//! How to take back what `upsert` committed, should location then refuse the user's districts
//! or villages: the inverse statements, recorded while the upsert writes and applied newest
//! first (so rows that point at others go before them). Created rows are deleted; changed rows
//! get their previous values back, and the history rows the change added are deleted.

use super::legacy::{self, Legacy};
use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::sql_filter::id_list;
use openimis_sdk::ModuleError;

/// The inverse statements of one upsert.
#[derive(Debug, Default)]
pub struct Undo {
    steps: Vec<(String, Vec<Bind>)>,
}

/// The `tblUsers` columns `upsert` changes, as they were.
#[derive(diesel::QueryableByName)]
struct InteractiveBefore {
    #[diesel(sql_type = diesel::sql_types::Text)]
    login_name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    other_names: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    last_name: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    phone: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    email: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    language: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    hf: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Bool>)]
    is_associated: Option<bool>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    stored_password: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    private_key: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    version: i32,
}

/// The `core_User` columns `upsert` changes, as they were.
#[derive(diesel::QueryableByName)]
struct CoreUserBefore {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::BigInt>)]
    i_user_id: Option<i64>,
    #[diesel(sql_type = diesel::sql_types::Text)]
    username: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    officer_id: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    claim_admin_id: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    version: i32,
}

impl Undo {
    fn push(&mut self, sql: String, binds: Vec<Bind>) {
        self.steps.push((sql, binds));
    }

    /// Applies the inverse statements, newest first (run it in a transaction).
    pub fn apply(&self, conn: &mut Conn) -> Result<(), ModuleError> {
        for (sql, binds) in self.steps.iter().rev() {
            db::execute(conn, sql, binds)?;
        }
        Ok(())
    }

    /// A new `tblUsers` row (call after its roles and history were written): all three go.
    pub fn interactive_created(&mut self, id: i64) {
        let key = || vec![Bind::BigInt(Some(id))];
        self.push(r#"DELETE FROM "tblUsers" WHERE "id" = ?"#.into(), key());
        self.push(
            r#"DELETE FROM "core_historicalinteractiveuser" WHERE "id" = ?"#.into(),
            key(),
        );
        self.push(
            r#"DELETE FROM "tblUserRole" WHERE "UserID" = ?"#.into(),
            key(),
        );
    }

    /// Before `tblUsers` row `id` changes: its values, its valid roles (ended by the change)
    /// and the history rows to come.
    pub fn interactive_changing(&mut self, conn: &mut Conn, id: i64) -> Result<(), ModuleError> {
        let key = Bind::BigInt(Some(id));
        let before: Vec<InteractiveBefore> = db::load(
            conn,
            r#"SELECT "LoginName" AS login_name, "OtherNames" AS other_names, "LastName" AS last_name, "Phone" AS phone,
                      "EmailId" AS email, "LanguageID" AS language, "HFID" AS hf, "IsAssociated" AS is_associated,
                      "StoredPassword" AS stored_password, "PrivateKey" AS private_key, "version" AS version
               FROM "tblUsers" WHERE "id" = ?"#,
            std::slice::from_ref(&key),
        )?;
        let Some(b) = before.into_iter().next() else {
            return Ok(());
        };
        let last_history = db::count(
            conn,
            r#"SELECT CAST(COALESCE(MAX("history_id"), 0) AS BIGINT) AS n FROM "core_historicalinteractiveuser" WHERE "id" = ?"#,
            std::slice::from_ref(&key),
        )?;
        let roles: Vec<super::Id> = db::load(
            conn,
            r#"SELECT CAST("UserRoleID" AS BIGINT) AS id FROM "tblUserRole" WHERE "UserID" = ? AND "ValidityTo" IS NULL"#,
            std::slice::from_ref(&key),
        )?;
        let roles: Vec<i64> = roles.into_iter().map(|r| r.id).collect();
        self.push(
            r#"UPDATE "tblUsers" SET "LoginName" = ?, "OtherNames" = ?, "LastName" = ?, "Phone" = ?, "EmailId" = ?, "LanguageID" = ?,
                   "HFID" = ?, "IsAssociated" = ?, "StoredPassword" = ?, "PrivateKey" = ?, "version" = ? WHERE "id" = ?"#
                .into(),
            vec![
                Bind::Text(Some(b.login_name)),
                Bind::Text(Some(b.other_names)),
                Bind::Text(Some(b.last_name)),
                Bind::Text(b.phone),
                Bind::Text(b.email),
                Bind::Text(Some(b.language)),
                Bind::Int(b.hf),
                Bind::Bool(b.is_associated),
                Bind::Text(b.stored_password),
                Bind::Text(b.private_key),
                Bind::Int(Some(b.version)),
                key.clone(),
            ],
        );
        self.push(
            r#"DELETE FROM "core_historicalinteractiveuser" WHERE "id" = ? AND "history_id" > ?"#
                .into(),
            vec![key.clone(), Bind::BigInt(Some(last_history))],
        );
        if !roles.is_empty() {
            self.push(
                format!(
                    r#"UPDATE "tblUserRole" SET "ValidityTo" = NULL WHERE "UserRoleID" IN ({})"#,
                    id_list(&roles)
                ),
                Vec::new(),
            );
        }
        let kept = if roles.is_empty() {
            String::new()
        } else {
            format!(r#" AND "UserRoleID" NOT IN ({})"#, id_list(&roles))
        };
        self.push(
            format!(
                r#"DELETE FROM "tblUserRole" WHERE "UserID" = ? AND "ValidityTo" IS NULL{kept}"#
            ),
            vec![key],
        );
        Ok(())
    }

    /// A new officer or claim administrator row.
    pub fn legacy_created(&mut self, kind: Legacy, id: i64) {
        self.push(
            format!(
                r#"DELETE FROM "{}" WHERE "{}" = ?"#,
                kind.table(),
                kind.pk()
            ),
            vec![Bind::BigInt(Some(id))],
        );
    }

    /// An officer or claim administrator just copied to history (`save_history`) and about to
    /// change: its values come back from that copy, which then goes.
    pub fn legacy_changing(
        &mut self,
        conn: &mut Conn,
        kind: Legacy,
        id: i64,
    ) -> Result<(), ModuleError> {
        let (table, pk) = (kind.table(), kind.pk());
        let columns = legacy::quoted(kind.columns());
        let copy = db::count(
            conn,
            &format!(
                r#"SELECT CAST(COALESCE(MAX("{pk}"), 0) AS BIGINT) AS n FROM "{table}" WHERE "LegacyID" = ?"#
            ),
            &[Bind::BigInt(Some(id))],
        )?;
        self.push(
            format!(r#"DELETE FROM "{table}" WHERE "{pk}" = ?"#),
            vec![Bind::BigInt(Some(copy))],
        );
        self.push(
            format!(
                r#"UPDATE "{table}" SET ({columns}) = (SELECT {columns} FROM "{table}" c WHERE c."{pk}" = ?) WHERE "{pk}" = ?"#
            ),
            vec![Bind::BigInt(Some(copy)), Bind::BigInt(Some(id))],
        );
        Ok(())
    }

    /// A new `core_User` row and its history.
    pub fn core_user_created(&mut self, conn: &Conn, id: &str) {
        let uuid = db::uuid_param(conn);
        self.push(
            format!(r#"DELETE FROM "core_User" WHERE "id" = {uuid}"#),
            vec![Bind::text(id)],
        );
        self.push(
            format!(r#"DELETE FROM "core_historicaluser" WHERE "id" = {uuid}"#),
            vec![Bind::text(id)],
        );
    }

    /// Before `core_User` row `id` changes: its values and the history rows to come.
    pub fn core_user_changing(&mut self, conn: &mut Conn, id: &str) -> Result<(), ModuleError> {
        let uuid = db::uuid_param(conn);
        let before: Vec<CoreUserBefore> = db::load(
            conn,
            &format!(
                r#"SELECT "username" AS username, CAST("i_user_id" AS BIGINT) AS i_user_id, "officer_id" AS officer_id,
                          "claim_admin_id" AS claim_admin_id, "version" AS version FROM "core_User" WHERE "id" = {uuid}"#
            ),
            &[Bind::text(id)],
        )?;
        let Some(b) = before.into_iter().next() else {
            return Ok(());
        };
        let last_history = db::count(
            conn,
            &format!(
                r#"SELECT CAST(COALESCE(MAX("history_id"), 0) AS BIGINT) AS n FROM "core_historicaluser" WHERE "id" = {uuid}"#
            ),
            &[Bind::text(id)],
        )?;
        self.push(
            format!(
                r#"UPDATE "core_User" SET "username" = ?, "i_user_id" = ?, "officer_id" = ?, "claim_admin_id" = ?, "version" = ?
                   WHERE "id" = {uuid}"#
            ),
            vec![
                Bind::Text(Some(b.username)),
                Bind::BigInt(b.i_user_id),
                Bind::Int(b.officer_id),
                Bind::Int(b.claim_admin_id),
                Bind::Int(Some(b.version)),
                Bind::text(id),
            ],
        );
        self.push(
            format!(
                r#"DELETE FROM "core_historicaluser" WHERE "id" = {uuid} AND "history_id" > ?"#
            ),
            vec![Bind::text(id), Bind::BigInt(Some(last_history))],
        );
        Ok(())
    }

    /// A new `core_UserMutation` link.
    pub fn mutation_link_created(&mut self, conn: &Conn, id: &str) {
        self.push(
            format!(
                r#"DELETE FROM "core_UserMutation" WHERE "id" = {}"#,
                db::uuid_param(conn)
            ),
            vec![Bind::text(id)],
        );
    }
}
