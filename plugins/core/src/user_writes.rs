//! The original's `update_or_create_user`, inside one transaction: its guards (administrator
//! role, self-deprovisioning, e-mail, username length), then per user type the upsert of
//! `tblUsers` (roles replaced, end-dating the old ones), `tblOfficer` and `tblClaimAdmin` (with
//! history copies), the `core_User` row, and the `core_UserMutation` link. Each write records
//! its inverse ([`Undo`]) for when location refuses what follows the commit.

mod legacy;
mod undo;
pub use legacy::Legacy;
pub use undo::Undo;

use crate::sub_users::SubUserIds;
// `#[diesel(embed)]` names the trait unqualified in the code it derives.
use crate::user_history::{self, CHANGED, CREATED};
use crate::{passwords, token_keys, Conn};
use diesel::deserialize::QueryableByName;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::input;
use openimis_sdk::sql_filter::date_param;
use openimis_sdk::time;
use openimis_sdk::ModuleError;
use serde::Deserialize;
use serde_json::Value;

/// `username_code_length` (core's default).
pub const USERNAME_LENGTH: usize = 12;

/// Why the upsert stopped: a `ValidationError` of the original, or any other failure.
#[derive(Debug)]
pub enum Fail {
    Validation(String),
    Other(String),
}

impl From<ModuleError> for Fail {
    fn from(error: ModuleError) -> Self {
        Fail::Other(error.message.to_string())
    }
}

/// Who writes: the caller's `core_User` id, `tblUsers` id (audit) and IMIS-admin flag.
pub struct Caller<'c> {
    pub user_id: Option<&'c str>,
    pub audit: i64,
    pub is_admin: bool,
}

/// What the upsert wrote that location must still be told about (after the commit), and how
/// to take it back.
#[derive(Debug, Default)]
pub struct Written {
    pub core_user: String,
    pub interactive: Option<i64>,
    pub officer: Option<i64>,
    pub undo: Undo,
}

/// The input of `createUser` and `updateUser`.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserInput {
    #[serde(default, deserialize_with = "input::strings")]
    pub user_types: Vec<String>,
    pub uuid: Option<String>,
    pub username: Option<String>,
    pub other_names: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub password: Option<String>,
    pub language: Option<String>,
    #[serde(default, deserialize_with = "input::ints")]
    pub roles: Option<Vec<i64>>,
    #[serde(default, deserialize_with = "input::int")]
    pub health_facility_id: Option<i64>,
    #[serde(default, deserialize_with = "input::ints")]
    pub districts: Option<Vec<i64>>,
    #[serde(default, deserialize_with = "input::ints")]
    pub village_ids: Option<Vec<i64>>,
    #[serde(default, deserialize_with = "input::int")]
    pub substitution_officer_id: Option<i64>,
    pub birth_date: Option<String>,
    pub address: Option<String>,
    #[serde(default, deserialize_with = "input::int")]
    pub location_id: Option<i64>,
    pub works_to: Option<String>,
    pub phone_communication: Option<bool>,
    pub client_mutation_id: Option<Value>,
}

impl UserInput {
    fn is(&self, user_type: &str) -> bool {
        self.user_types.iter().any(|t| t == user_type)
    }

    /// Username, other names, last name, phone and e-mail: the columns every kind of user has
    /// first.
    fn person(&self) -> Vec<Bind> {
        [
            &self.username,
            &self.other_names,
            &self.last_name,
            &self.phone,
            &self.email,
        ]
        .into_iter()
        .map(|value| Bind::Text(value.clone()))
        .collect()
    }

    /// The binds of [`Legacy::columns`].
    fn legacy_binds(&self, kind: Legacy, audit: i64, has_login: bool) -> Vec<Bind> {
        let int = |value: Option<i64>| Bind::Int(value.map(|i| i as i32));
        let mut binds = self.person();
        binds.push(Bind::Text(self.birth_date.clone()));
        match kind {
            Legacy::Officer => binds.extend([
                Bind::Text(self.address.clone()),
                Bind::Text(self.works_to.as_ref().map(|w| w.replace('T', " "))),
                int(self.location_id),
                int(self.substitution_officer_id),
                Bind::Bool(self.phone_communication),
            ]),
            Legacy::ClaimAdmin => binds.push(int(self.health_facility_id)),
        }
        binds.extend([int(Some(audit)), Bind::Bool(Some(has_login))]);
        binds
    }
}

/// The HTML5 `valid e-mail address`, as the original's regex.
pub fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || ".!#$%&'*+/=?^_`{|}~-".contains(c));
    let label_ok = |label: &str| {
        (1..=63).contains(&label.len())
            && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    local_ok && domain.split('.').all(label_ok)
}

#[derive(diesel::QueryableByName)]
struct Links {
    #[diesel(sql_type = diesel::sql_types::Text)]
    id: String,
    #[diesel(embed)]
    subs: SubUserIds,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    email: Option<String>,
}

impl Links {
    fn sub_user(&self, kind: Legacy) -> Option<i64> {
        match kind {
            Legacy::Officer => self.subs.officer_id,
            Legacy::ClaimAdmin => self.subs.claim_admin_id,
        }
    }
}

/// The `core_User` row by id (`by_id`) or username, with its valid sub-users.
fn links(conn: &mut Conn, by_id: bool, key: &str) -> Result<Option<Links>, ModuleError> {
    let column = if by_id {
        r#"LOWER(CAST(u."id" AS TEXT))"#
    } else {
        r#"u."username""#
    };
    let key = if by_id {
        key.to_lowercase()
    } else {
        key.to_owned()
    };
    let rows: Vec<Links> = db::load(
        conn,
        &format!(
            r#"SELECT CAST(u."id" AS TEXT) AS id, CAST(i."id" AS BIGINT) AS i_user_id, CAST(o."OfficerID" AS BIGINT) AS officer_id,
                      CAST(c."ClaimAdminId" AS BIGINT) AS claim_admin_id, i."EmailId" AS email
               FROM "core_User" u LEFT JOIN "tblUsers" i ON i."id" = u."i_user_id" AND i."ValidityTo" IS NULL
               LEFT JOIN "tblOfficer" o ON o."OfficerID" = u."officer_id" AND o."ValidityTo" IS NULL
               LEFT JOIN "tblClaimAdmin" c ON c."ClaimAdminId" = u."claim_admin_id" AND c."ValidityTo" IS NULL
               WHERE {column} = ?"#
        ),
        &[Bind::text(key)],
    )?;
    Ok(rows.into_iter().next())
}

#[derive(diesel::QueryableByName)]
struct Id {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

/// The `id` column of the first row, if any.
pub(crate) fn first_id(
    conn: &mut Conn,
    sql: &str,
    binds: &[Bind],
) -> Result<Option<i64>, ModuleError> {
    let rows: Vec<Id> = db::load(conn, sql, binds)?;
    Ok(rows.first().map(|r| r.id))
}

/// Whether a core user already has `username` (createUser's first check).
pub fn username_taken(conn: &mut Conn, username: &str) -> Result<bool, ModuleError> {
    Ok(db::count(
        conn,
        r#"SELECT COUNT(*) AS n FROM "core_User" WHERE "username" = ?"#,
        &[Bind::text(username)],
    )? > 0)
}

/// The user `uuid` names, after the original's guards of an update: an administrator keeps
/// the administrator role, and the e-mail is given, valid and nobody else's.
fn existing(
    conn: &mut Conn,
    caller: &Caller<'_>,
    input: &UserInput,
    admin_role: i64,
    uuid: &str,
) -> Result<Links, Fail> {
    let roles = input.roles.as_deref().unwrap_or_default();
    if caller
        .user_id
        .is_some_and(|me| me.eq_ignore_ascii_case(uuid))
        && caller.is_admin
        && !roles.contains(&admin_role)
    {
        return Err(Fail::Validation(
            "Administrator cannot deprovision himself.".into(),
        ));
    }
    let found = links(conn, true, uuid)?;
    let Some(email) = &input.email else {
        return Err(Fail::Validation("mutation.user_no_email_provided".into()));
    };
    if !valid_email(email) {
        return Err(Fail::Validation("mutation.user_email_invalid".into()));
    }
    let current = found.as_ref().and_then(|l| l.email.as_deref());
    let taken = db::count(
        conn,
        r#"SELECT COUNT(*) AS n FROM "tblUsers" WHERE "EmailId" = ? AND "ValidityTo" IS NULL"#,
        &[Bind::text(email)],
    )? > 0;
    if current != Some(email.as_str()) && taken {
        return Err(Fail::Validation("mutation.user_email_duplicated".into()));
    }
    found.ok_or_else(|| Fail::Other("User matching query does not exist.".into()))
}

/// `update_or_create_user`.
pub fn upsert(
    conn: &mut Conn,
    caller: &Caller<'_>,
    input: &UserInput,
    log: &str,
) -> Result<Written, Fail> {
    let admin_role = first_id(conn, r#"SELECT CAST("RoleID" AS BIGINT) AS id FROM "tblRole" WHERE "IsSystem" = 64 AND "ValidityTo" IS NULL"#, &[])?
        .ok_or_else(|| Fail::Other("Role matching query does not exist.".into()))?;
    let existing = match &input.uuid {
        Some(uuid) => Some(existing(conn, caller, input, admin_role, uuid)?),
        None => None,
    };
    let username = input.username.clone().unwrap_or_default();
    if username.chars().count() > USERNAME_LENGTH {
        return Err(Fail::Validation("mutation.user_username_too_long".into()));
    }
    let interactive = input.is("INTERACTIVE");
    let mut written = Written::default();
    if interactive {
        let found = match &existing {
            Some(l) => l.subs.i_user_id,
            None => first_id(
                conn,
                r#"SELECT CAST("id" AS BIGINT) AS id FROM "tblUsers" WHERE "LoginName" = ? AND "ValidityTo" IS NULL"#,
                &[Bind::text(&username)],
            )?,
        };
        let associated = input.user_types.len() > 1;
        written.interactive = Some(save_interactive(
            conn,
            caller,
            input,
            found,
            associated,
            &mut written.undo,
        )?);
    }
    let mut legacy = [None, None];
    for (saved, kind) in legacy.iter_mut().zip(Legacy::BOTH) {
        if !input.is(kind.user_type()) {
            continue;
        }
        let found = match &existing {
            Some(l) => l.sub_user(kind),
            None => first_id(conn, &kind.by_code_sql(), &[Bind::text(&username)])?,
        };
        let binds = input.legacy_binds(kind, caller.audit, interactive);
        *saved = Some(save_legacy(conn, kind, binds, found, &mut written.undo)?);
    }
    let [officer, claim_admin] = legacy;
    written.officer = officer;
    let core_id = match existing
        .map(|l| l.id)
        .or(links(conn, false, &username)?.map(|l| l.id))
    {
        Some(id) => {
            written.undo.core_user_changing(conn, &id)?;
            db::execute(
                conn,
                &format!(
                    r#"UPDATE "core_User" SET "username" = ?, "i_user_id" = COALESCE(?, "i_user_id"), "officer_id" = COALESCE(?, "officer_id"),
                          "claim_admin_id" = COALESCE(?, "claim_admin_id"), "version" = "version" + 1 WHERE "id" = {}"#,
                    db::uuid_param(conn)
                ),
                &[
                    Bind::text(&username),
                    Bind::BigInt(written.interactive),
                    Bind::Int(officer.map(|i| i as i32)),
                    Bind::Int(claim_admin.map(|i| i as i32)),
                    Bind::text(&id),
                ],
            )?;
            user_history::core_user(conn, &id, CHANGED, caller.user_id)?;
            id
        }
        None => {
            let id = uuid::Uuid::new_v4().to_string();
            db::execute(
                conn,
                &format!(
                    r#"INSERT INTO "core_User" ("id", "version", "username", "i_user_id", "officer_id", "claim_admin_id") VALUES ({}, 1, ?, ?, ?, ?)"#,
                    db::uuid_param(conn)
                ),
                &[
                    Bind::text(&id),
                    Bind::text(&username),
                    Bind::BigInt(written.interactive),
                    Bind::Int(officer.map(|i| i as i32)),
                    Bind::Int(claim_admin.map(|i| i as i32)),
                ],
            )?;
            user_history::core_user(conn, &id, CREATED, caller.user_id)?;
            written.undo.core_user_created(conn, &id);
            id
        }
    };
    if input.client_mutation_id.is_some() {
        let uuid = db::uuid_param(conn);
        let link = uuid::Uuid::new_v4().to_string();
        db::execute(
            conn,
            &format!(
                r#"INSERT INTO "core_UserMutation" ("id", "core_user_id", "mutation_id") VALUES ({uuid}, {uuid}, {uuid})"#
            ),
            &[Bind::text(&link), Bind::text(&core_id), Bind::text(log)],
        )?;
        written.undo.mutation_link_created(conn, &link);
    }
    written.core_user = core_id;
    Ok(written)
}

fn save_interactive(
    conn: &mut Conn,
    caller: &Caller<'_>,
    input: &UserInput,
    found: Option<i64>,
    associated: bool,
    undo: &mut Undo,
) -> Result<i64, Fail> {
    let Some(roles) = &input.roles else {
        return Err(Fail::Other("'roles'".into()));
    };
    let password = input.password.as_deref().map(passwords::hash_new);
    // A new password comes with a new key, so the user's earlier tokens stop working.
    let private_key = password.as_ref().map(|_| token_keys::new_private_key());
    let mut fields = input.person();
    fields.extend([
        Bind::Text(input.language.clone()),
        Bind::Int(input.health_facility_id.map(|i| i as i32)),
        Bind::Bool(Some(associated)),
    ]);
    let id = match found {
        Some(id) => {
            undo.interactive_changing(conn, id)?;
            db::execute(
                conn,
                r#"UPDATE "tblUsers" SET "LoginName" = ?, "OtherNames" = ?, "LastName" = ?, "Phone" = ?, "EmailId" = ?, "LanguageID" = ?,
                       "HFID" = ?, "IsAssociated" = ?, "StoredPassword" = COALESCE(?, "StoredPassword"),
                       "PrivateKey" = COALESCE(?, "PrivateKey"), "version" = "version" + 1 WHERE "id" = ?"#,
                &[
                    &fields[..],
                    &[
                        Bind::Text(password),
                        Bind::Text(private_key),
                        Bind::BigInt(Some(id)),
                    ],
                ]
                .concat(),
            )?;
            user_history::interactive(conn, id, CHANGED, caller.user_id)?;
            id
        }
        None => {
            let uuid = uuid::Uuid::new_v4().to_string();
            let (uuid_param, stamp) = (db::uuid_param(conn), db::timestamp_param(conn));
            db::execute(
                conn,
                &format!(
                    r#"INSERT INTO "tblUsers" ("LoginName", "OtherNames", "LastName", "Phone", "EmailId", "LanguageID", "HFID", "IsAssociated",
                           "StoredPassword", "PrivateKey", "UUID", "ValidityFrom", "active", "version")
                       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, {uuid_param}, {stamp}, ?, 1)"#
                ),
                &[
                    &fields[..],
                    &[
                        Bind::text(password.unwrap_or_else(|| passwords::LOCKED.to_owned())),
                        Bind::Text(private_key),
                        Bind::text(&uuid),
                        Bind::text(time::now()),
                        Bind::Bool(Some(true)),
                    ],
                ]
                .concat(),
            )?;
            let id = first_id(conn, &format!(r#"SELECT CAST("id" AS BIGINT) AS id FROM "tblUsers" WHERE "UUID" = {uuid_param}"#), &[Bind::text(&uuid)])?
                .ok_or_else(|| Fail::Other("the new user was not written".into()))?;
            user_history::interactive(conn, id, CREATED, caller.user_id)?;
            id
        }
    };
    let stamp = db::timestamp_param(conn);
    let now = time::now();
    db::execute(
        conn,
        &format!(
            r#"UPDATE "tblUserRole" SET "ValidityTo" = {stamp} WHERE "UserID" = ? AND "ValidityTo" IS NULL"#
        ),
        &[Bind::text(&now), Bind::BigInt(Some(id))],
    )?;
    if found.is_none() {
        undo.interactive_created(id);
    }
    for role in roles {
        db::execute(
            conn,
            &format!(
                r#"INSERT INTO "tblUserRole" ("UserID", "RoleID", "AudituserID", "ValidityFrom") VALUES (?, ?, ?, {stamp})"#
            ),
            &[
                Bind::BigInt(Some(id)),
                Bind::Int(Some(*role as i32)),
                Bind::Int(Some(caller.audit as i32)),
                Bind::text(&now),
            ],
        )?;
    }
    Ok(id)
}

/// The officer or claim administrator row: `binds` are its [`Legacy::columns`]; a changed row is
/// first copied to history.
fn save_legacy(
    conn: &mut Conn,
    kind: Legacy,
    binds: Vec<Bind>,
    found: Option<i64>,
    undo: &mut Undo,
) -> Result<i64, Fail> {
    let (date, stamp) = (date_param(conn), db::timestamp_param(conn));
    let param = |column: &str| match column {
        "DOB" => date,
        "WorksTo" => stamp,
        _ => "?",
    };
    let (table, pk, columns) = (kind.table(), kind.pk(), kind.columns());
    match found {
        Some(id) => {
            user_history::legacy_copy(conn, kind, id)?;
            undo.legacy_changing(conn, kind, id)?;
            let set = columns
                .iter()
                .map(|c| format!(r#""{c}" = {}"#, param(c)))
                .collect::<Vec<_>>()
                .join(", ");
            db::execute(
                conn,
                &format!(r#"UPDATE "{table}" SET {set} WHERE "{pk}" = ?"#),
                &[binds, vec![Bind::BigInt(Some(id))]].concat(),
            )?;
            Ok(id)
        }
        None => {
            let uuid = uuid::Uuid::new_v4().to_string();
            let values = columns.iter().map(|c| param(c)).collect::<Vec<_>>();
            db::execute(
                conn,
                &format!(
                    r#"INSERT INTO "{table}" ({}, "{}", "ValidityFrom") VALUES ({}, ?, {stamp})"#,
                    legacy::quoted(columns),
                    kind.uuid(),
                    values.join(", ")
                ),
                &[binds, vec![Bind::text(&uuid), Bind::text(time::now())]].concat(),
            )?;
            let sql = format!(
                r#"SELECT CAST("{pk}" AS BIGINT) AS id FROM "{table}" WHERE "{}" = ?"#,
                kind.uuid()
            );
            let id = first_id(conn, &sql, &[Bind::text(&uuid)])?
                .ok_or_else(|| Fail::Other(format!("the new {} was not written", kind.noun())))?;
            undo.legacy_created(kind, id);
            Ok(id)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::valid_email;

    #[test]
    fn emails_as_the_html5_rule() {
        assert!(valid_email("clerk1@example.org"));
        assert!(valid_email("a.b+c@x-y.io"));
        assert!(!valid_email("no-at.example.org"));
        assert!(!valid_email("a@-bad.org"));
        assert!(!valid_email("a b@example.org"));
    }
}
