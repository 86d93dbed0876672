//! History as the original keeps it for users: simple_history rows for `tblUsers` and
//! `core_User` on every save, and the legacy copy (`ValidityTo`, `LegacyID`) of officer and
//! claim-admin rows before they change.

use crate::user_writes::Legacy;
use crate::Conn;
use openimis_sdk::db::{self, Bind};
use openimis_sdk::time;
use openimis_sdk::ModuleError;

/// `'+'` for a created row, `'~'` for a changed one.
pub const CREATED: &str = "+";
pub const CHANGED: &str = "~";

/// The `tblUsers` columns its history keeps.
const INTERACTIVE_COLUMNS: &str = r#""id", "version", "UUID", "active", "Json_ext", "date_deactivated", "ValidityFrom", "ValidityTo",
    "LanguageID", "LastName", "OtherNames", "Phone", "LoginName", "LastLogin", "HFID", "EmailId", "PrivateKey", "StoredPassword",
    "PasswordValidity", "IsAssociated", "RoleID""#;

/// The `core_User` columns its history keeps.
const CORE_USER_COLUMNS: &str =
    r#""id", "version", "username", "t_user_id", "i_user_id", "officer_id", "claim_admin_id""#;

/// A simple_history row in `history` copying the row of `table` whose `"id" = {key_param}`.
fn simple_history(
    conn: &mut Conn,
    (history, table, columns): (&str, &str, &str),
    (key_param, key): (&str, Bind),
    kind: &str,
    by: Option<&str>,
) -> Result<(), ModuleError> {
    let (stamp, uuid) = (db::timestamp_param(conn), db::uuid_param(conn));
    db::execute(
        conn,
        &format!(
            r#"INSERT INTO "{history}" ("history_date", "history_type", "history_user_id", {columns})
               SELECT {stamp}, ?, {uuid}, {columns} FROM "{table}" WHERE "id" = {key_param}"#
        ),
        &[
            Bind::text(time::now()),
            Bind::text(kind),
            Bind::Text(by.map(str::to_owned)),
            key,
        ],
    )
    .map(drop)
}

/// A `core_historicalinteractiveuser` row copying `tblUsers` row `id` as it is now.
pub fn interactive(
    conn: &mut Conn,
    id: i64,
    kind: &str,
    by: Option<&str>,
) -> Result<(), ModuleError> {
    let tables = (
        "core_historicalinteractiveuser",
        "tblUsers",
        INTERACTIVE_COLUMNS,
    );
    simple_history(conn, tables, ("?", Bind::BigInt(Some(id))), kind, by)
}

/// A `core_historicaluser` row copying `core_User` row `id` as it is now.
pub fn core_user(
    conn: &mut Conn,
    id: &str,
    kind: &str,
    by: Option<&str>,
) -> Result<(), ModuleError> {
    let key = (db::uuid_param(conn), Bind::text(id));
    let tables = ("core_historicaluser", "core_User", CORE_USER_COLUMNS);
    simple_history(conn, tables, key, kind, by)
}

/// The legacy `save_history()` of an officer or claim administrator: a copy with a new uuid,
/// `ValidityTo` = now and `LegacyID` = the row.
pub fn legacy_copy(conn: &mut Conn, kind: Legacy, id: i64) -> Result<(), ModuleError> {
    let stamp = db::timestamp_param(conn);
    let (table, pk, uuid) = (kind.table(), kind.pk(), kind.uuid());
    let columns = kind.history_columns();
    db::execute(
        conn,
        &format!(
            r#"INSERT INTO "{table}" ("{uuid}", {columns}, "ValidityFrom", "ValidityTo", "LegacyID")
               SELECT ?, {columns}, "ValidityFrom", {stamp}, "{pk}" FROM "{table}" WHERE "{pk}" = ?"#
        ),
        &[
            Bind::text(uuid::Uuid::new_v4().to_string()),
            Bind::text(time::now()),
            Bind::BigInt(Some(id)),
        ],
    )
    .map(drop)
}

/// The legacy `delete_history()`: a history copy, then the live row's `ValidityFrom` and
/// `ValidityTo` set to now.
pub fn end_date(conn: &mut Conn, kind: Legacy, id: i64) -> Result<(), ModuleError> {
    legacy_copy(conn, kind, id)?;
    let stamp = db::timestamp_param(conn);
    let now = time::now();
    db::execute(
        conn,
        &format!(
            r#"UPDATE "{}" SET "ValidityFrom" = {stamp}, "ValidityTo" = {stamp} WHERE "{}" = ?"#,
            kind.table(),
            kind.pk()
        ),
        &[Bind::text(&now), Bind::text(&now), Bind::BigInt(Some(id))],
    )
    .map(drop)
}
